"""Read back a workbook written by :func:`parcours.render.office.writer.save_xlsx` and edited by a person.

The hidden ``parcours`` sheet holds the journey as it was exported. Each visible sheet is
compared with what the export wrote there: whatever a person changed wins, whatever they
left alone comes back exactly (ids, fields the sheets do not show). So a person can change
texts, insert a step column (its id comes from its name), add a row of cards, remove a step
or a lane, edit severities and owners in the item sheets, branches in the Steps sheet. What
cannot be understood is reported by sheet and cell (``Map!F7: …``) and left as it was.

The file is checked before openpyxl parses it (size, zip entries, declared and actual
decompressed bytes, compression ratio, no DTD in any XML part: :mod:`parcours.security`),
and openpyxl parses XML through defusedxml.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import openpyxl.xml
from defusedxml import DefusedXmlException
from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from parcours.errors import BadData, InvalidJourney, ParcoursError, Problem
from parcours.limits import Limits, quote, resolve
from parcours.model.atlas import Atlas
from parcours.model.journey import Journey
from parcours.model.library import Library, Touchpoint
from parcours.model.validation import journey_problems
from parcours.render.office import sheets as X
from parcours.render.office.mapsheet import MapSheet
from parcours.render.office.sparse import Sparse
from parcours.render.office.tables import Key, TableSheets
from parcours.security import ZipCaps, check_sheets, check_zip, read_capped

if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
    raise ImportError(
        "parcours reads workbooks only with defusedxml installed "
        "(openpyxl would parse XML without protection); pip install defusedxml"
    )


@dataclass
class XlsxImport:
    """What a workbook holds: the journey, the workspace library it refers to, the problems."""

    journey: Journey
    library: Library
    problems: list[Problem] = field(default_factory=list)
    #: the workspace the journey was exported from (its personas, library), when it was
    workspace: Atlas | None = None

    def document(self) -> Journey | Atlas:
        """What to write back: the workspace the workbook came from, with the journey in it;
        or the journey standing alone, with the library it refers to."""
        if self.workspace is not None:
            return self.workspace
        if not (self.library.touchpoints or self.library.kpis or self.library.channels):
            return self.journey
        return self.journey.model_copy(update={"library": self.journey.library_in(self.library)})


def read_xlsx(path: str | Path, *, caps: ZipCaps | None = None) -> tuple[Journey, list[Problem]]:
    """The journey of an exported (and maybe edited) workbook, and the problems found."""
    result = import_xlsx(path, caps=caps)
    return result.journey, result.problems


def import_xlsx(path: str | Path, *, caps: ZipCaps | None = None) -> XlsxImport:
    path = Path(path)
    data = read_capped(path, caps, what="workbook")
    return import_workbook(data, path.name, caps=caps)


def import_workbook(
    data: bytes, name: str = "workbook", *, caps: ZipCaps | None = None
) -> XlsxImport:
    """Check ``data`` (an .xlsx file's bytes) under hard caps, then read it."""
    check_zip(data, name, caps)
    check_sheets(data, name, caps)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except (BadData, MemoryError):
        raise
    except Exception as exc:  # openpyxl raises many kinds on broken files
        if _defused(exc):
            raise BadData(
                f"{name} holds XML with entities or a DTD (an XML bomb or an external "
                "entity); office files never do, so it is refused"
            ) from None
        raise BadData(
            f"{name} cannot be read as an Excel workbook ({type(exc).__name__}: {exc})"
        ) from None
    try:
        return _Reader(workbook, name, resolve(caps)).read()
    except (ParcoursError, MemoryError):
        raise
    except _INPUT_ERRORS as exc:
        raise BadData(
            f"{name} cannot be read as a parcours workbook: a cell holds what its sheet does not "
            f"expect ({type(exc).__name__}: {quote(exc, 160)}); export the map again"
        ) from None


_INPUT_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    RecursionError,
)


def _defused(exc: BaseException | None) -> bool:
    """True when defusedxml refused the XML somewhere in the chain of ``exc``."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


# -- the reader -------------------------------------------------------------------------------
def _meta_rows(ws: Any) -> dict[Any, list[Any]]:
    """The rows of the metadata sheet: the label in column A → the values after it."""
    sheet = Sparse(ws)
    width = sheet.max_column
    return {
        sheet.value(r, 1): [sheet.value(r, c) for c in range(2, width + 1)] for r in sheet.rows(2)
    }


class _Reader(MapSheet, TableSheets):
    def __init__(self, workbook: Any, name: str, limits: Limits | None = None) -> None:
        self.wb = workbook
        self.name = name
        self.limits = resolve(limits)
        self.problems: list[Problem] = []

    def warn(self, sheet: str, row: int, column: int, message: str) -> None:
        where = f"{sheet}!{get_column_letter(column)}{row}"
        self.problems.append(Problem(message, file=where, severity="warning"))

    # -- meta ---------------------------------------------------------------------------------
    def _meta(self) -> tuple[Journey, Library]:
        if X.META_SHEET not in self.wb.sheetnames:
            raise BadData(
                f"{self.name} has no '{X.META_SHEET}' sheet: 'parcours import' reads "
                "workbooks written by 'parcours export --format xlsx'"
            )
        ws = self.wb[X.META_SHEET]
        if ws.cell(1, 1).value != X.META_MARK:
            raise BadData(f"{self.name}: sheet '{X.META_SHEET}' was not written by parcours")
        version = ws.cell(1, 2).value
        if not isinstance(version, int) or version > X.FORMAT_VERSION:
            raise BadData(
                f"{self.name} is a parcours workbook of format {version!r}; this version "
                f"reads format {X.FORMAT_VERSION} or older: upgrade parcours"
            )
        rows = _meta_rows(ws)
        try:
            journey = Journey.model_validate(
                X.meta_json(rows.get("journey", [])), context={"defer_checks": True}
            )
            library = Library.model_validate(X.meta_json(rows.get("library", [])))
        except (ValueError, ValidationError) as exc:
            raise BadData(
                f"{self.name}: the '{X.META_SHEET}' sheet is damaged ({str(exc)[:200]}); "
                "export the map again"
            ) from None
        return journey, library

    def _workspace(self, journey: Journey, library: Library) -> Atlas | None:
        """The exported journey back in its workspace (its personas and library)."""
        rows = _meta_rows(self.wb[X.META_SHEET])
        if "workspace" not in rows:
            return None
        try:
            meta = X.meta_json(rows["workspace"])
            origin = Library.model_validate(meta["journey"]["library"])
            shared = {
                (kind, e.id): e
                for kind in ("channels", "touchpoints", "kpis")
                for e in getattr(library, kind)
            }
            mine = {
                (kind, e.id)
                for kind in ("channels", "touchpoints", "kpis")
                for e in getattr(origin, kind)
            }

            def keep(kind: str, entry: Any) -> bool:  # what standalone() added goes back
                key = (kind, entry.id)
                return key in mine or shared.get(key) != entry

            own = Library(
                **{
                    kind: [e for e in getattr(journey.library, kind) if keep(kind, e)]
                    for kind in ("channels", "touchpoints", "kpis")
                }
            )
            inner = journey.model_copy(update={"lang": meta["journey"]["lang"], "library": own})
            header = {**meta["workspace"], "library": library.model_dump(mode="json")}
            return Atlas.model_validate({**header, "journeys": [inner.model_dump(mode="json")]})
        except (ValueError, KeyError, TypeError, ValidationError) as exc:
            raise BadData(
                f"{self.name}: the '{X.META_SHEET}' sheet is damaged ({str(exc)[:200]}); "
                "export the map again"
            ) from None

    # -- main ---------------------------------------------------------------------------------
    def read(self) -> XlsxImport:
        base, library = self._meta()
        self.base, self.library = base, library
        self.lang = X.lang_of(base)
        self.names = X.Names.of(base, library)
        self.new_touchpoints: list[Touchpoint] = []
        if "Map" not in self.wb.sheetnames:
            raise BadData(f"{self.name} has no 'Map' sheet; it holds the map itself")
        self.origin: dict[Key, tuple[str, str, int]] = {}  # baseline item → new place
        self.map_changed: set[Key] = set()  # baseline items whose text the Map changed
        stages, lanes, cells, map_steps = self._map(self.wb["Map"])
        journey = base.model_copy(update={"stages": stages, "lanes": lanes, "cells": cells})
        journey = self._steps_sheet(journey, map_steps)
        journey = self._item_sheets(journey)
        journey = self._tidy(journey)
        return XlsxImport(journey, library, self.problems, self._workspace(journey, library))

    # -- final checks -------------------------------------------------------------------------
    def _tidy(self, journey: Journey) -> Journey:
        known = {s.id for s in journey.steps()}
        stages = []
        for stage in journey.stages:
            steps = []
            for step in stage.steps:
                if step.next is not None and any(link.to not in known for link in step.next):
                    gone = [link.to for link in step.next if link.to not in known]
                    self.problems.append(
                        Problem(
                            f"step '{step.id}' led to removed step(s) "
                            f"{', '.join(gone)}; those links are dropped",
                            file="Steps",
                            severity="warning",
                        )
                    )
                    kept = [link for link in step.next if link.to in known]
                    step = step.model_copy(update={"next": kept or None})
                steps.append(step)
            stages.append(stage.model_copy(update={"steps": steps}))
        entries = [e for e in journey.entries if e in known]
        paths = {p.id for p in journey.paths}
        missing = sorted(
            {s.path for st in stages for s in st.steps if s.path and s.path not in paths}
        )
        extra = [p for p in self.base.paths if p.id in missing]
        comments = [
            c if c.step is None or c.step in known else c.model_copy(update={"step": None})
            for c in journey.comments
        ]
        journey = journey.model_copy(
            update={
                "stages": stages,
                "entries": entries,
                "paths": [*journey.paths, *extra],
                "comments": comments,
            }
        )
        try:
            journey = Journey.model_validate(journey.model_dump(), context={"defer_checks": True})
        except ValidationError as exc:
            raise BadData(
                f"{self.name}: the edited map is not valid: {exc.errors()[0]['msg']}"
            ) from None
        found = journey_problems(journey, library=self.library)
        errors = [p for p in found if p.severity == "error"]
        if errors:
            raise InvalidJourney([Problem(f"{self.name}: {p.message}") for p in errors])
        return journey
