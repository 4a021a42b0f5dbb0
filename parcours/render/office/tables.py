"""The table sheets of an edited workbook: Steps, Paths, Pain points, Opportunities, KPIs.

A mixin of the reader in :mod:`parcours.render.office.reader`: each row is compared with what
the export wrote; a changed field wins (the Map sheet wins over these sheets for texts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from parcours.model.base import slugify, unique_id
from parcours.model.items import KpiValue, Opportunity, PainPoint
from parcours.model.journey import Journey, Link, PathDef
from parcours.model.library import Touchpoint
from parcours.render.office import sheets as X
from parcours.render.office import values as V
from parcours.render.office.sparse import Sparse

if TYPE_CHECKING:
    from parcours.errors import Problem
    from parcours.model.library import Library

Key = tuple[str, str, int]  # lane id, step id, index in the cell (baseline)


class TableSheets:
    """Reading the Steps, Paths and item sheets (mixed into the workbook reader)."""

    wb: Any
    base: Journey
    library: Library
    names: X.Names
    new_touchpoints: list[Touchpoint]
    origin: dict[Key, tuple[str, str, int]]
    map_changed: set[Key]
    problems: list[Problem]

    def warn(self, sheet: str, row: int, column: int, message: str) -> None:
        raise NotImplementedError

    def missing(self, title: str, kept: str) -> bool:
        """Whether the sheet ``title`` was deleted; if so, a warning that names it."""
        if title in self.wb.sheetnames:
            return False
        self.warn(
            title,
            1,
            1,
            f"sheet '{title}' is missing (deleted or renamed?): {kept} kept as exported; "
            f"restore the sheet '{title}' or export the map again to edit them",
        )
        return True

    # -- Steps and Paths sheets -------------------------------------------------------------
    def _sheet_rows(self, title: str, headers: list[str]) -> list[tuple[int, dict[str, Any]]]:
        if title not in self.wb.sheetnames:
            return []
        sheet = Sparse(self.wb[title])
        first = sheet.row(1)
        found = [
            (V.as_text(first.get(c)) or "").strip() for c in range(1, max(first, default=0) + 1)
        ]
        index = {h: found.index(h) for h in headers if h in found}
        out = []
        for row in sheet.rows(2):
            values = sheet.row(row)
            record = {h: values.get(i + 1) for h, i in index.items()}
            record["_cols"] = {h: i + 1 for h, i in index.items()}
            if any(V.as_text(v) is not None for k, v in record.items() if k != "_cols"):
                out.append((row, record))
        return out

    def _steps_sheet(self, journey: Journey, map_steps: dict[str, dict[str, Any]]) -> Journey:
        base = self.base
        paths = self._paths()
        path_by_name = {p.name: p.id for p in paths} | {p.id: p.id for p in paths}
        base_names = X.Names.of(base, self.library)
        base_path_names = {p.id: p.name for p in base.paths}
        rows = {
            V.as_text(r["Step id"]): (n, r)
            for n, r in self._sheet_rows("Steps", X.STEP_HEADERS)
            if V.as_text(r.get("Step id"))
        }
        base_steps = {s.id: (stage, s) for stage, s in base.iter_steps()}
        self.missing("Steps", "the steps' ids, descriptions, paths and links")
        entries = list(base.entries)
        stages = []
        for stage in journey.stages:
            steps = []
            for step in stage.steps:
                update: dict[str, Any] = {}
                row_no, row = rows.get(step.id, (0, {}))
                old = base_steps.get(step.id)
                exported = (
                    dict(
                        zip(
                            X.STEP_HEADERS,
                            X.step_row(base, old[0].name, old[1], base_names, base_path_names),
                            strict=True,
                        )
                    )
                    if old
                    else {}
                )
                cols = row.get("_cols", {})

                def changed(
                    header: str, row: dict[str, Any] = row, exported: dict[str, Any] = exported
                ) -> bool:
                    return header in row and V.norm(row[header]) != V.norm(exported.get(header))

                on_map = map_steps.get(step.id, {})
                name_kept = old is None or step.name == old[1].name
                if name_kept and changed("Step") and V.as_text(row["Step"]):
                    update["name"] = V.as_text(row["Step"]).strip()  # type: ignore[union-attr]
                # path: the Map's path row, then the Steps sheet
                path_cell = on_map.get("path", ...)
                old_path_name = (
                    base_path_names.get(old[1].path, old[1].path) if old and old[1].path else None
                )
                new_path: Any = ...
                if path_cell is not ... and (old is None or path_cell != old_path_name):
                    new_path = path_cell
                elif changed("Path"):
                    new_path = V.as_text(row["Path"])
                if new_path is not ...:
                    if new_path is None:
                        update["path"] = None
                    elif new_path.strip() in path_by_name:
                        update["path"] = path_by_name[new_path.strip()]
                    else:
                        pid = unique_id(
                            slugify(new_path, fallback="path"), set(path_by_name.values())
                        )
                        paths.append(PathDef(id=pid, name=new_path.strip()))
                        path_by_name[new_path.strip()] = pid
                        update["path"] = pid
                        self.warn(
                            "Steps" if path_cell is ... else "Map",
                            row_no or 1,
                            cols.get("Path", 4),
                            f"new path '{new_path.strip()}' (id '{pid}'); describe it in the Paths sheet",
                        )
                # touchpoints: the Map's lane, then the Steps sheet
                tp_names = on_map.get("touchpoints")
                old_tp = (
                    [base_names.touchpoints.get(t, t) for t in old[1].touchpoints] if old else []
                )
                if tp_names is not None and tp_names != old_tp:
                    update["touchpoints"] = self._touchpoints(tp_names)
                elif changed("Touchpoints"):
                    update["touchpoints"] = self._touchpoints(V.lines(row["Touchpoints"]))
                if changed("Moment of truth"):
                    update["moment_of_truth"] = V.yes(row["Moment of truth"])
                if changed("Observed as"):
                    update["observed_as"] = V.lines(row["Observed as"])
                if changed("End"):
                    update["end"] = V.yes(row["End"])
                if changed("Description"):
                    update["description"] = V.as_text(row["Description"])
                if changed("Next"):
                    update["next"] = self._links(
                        row["Next"], row_no, cols.get("Next", 8), step.next
                    )
                if changed("Entry"):
                    if V.yes(row["Entry"]) and step.id not in entries:
                        entries.append(step.id)
                    elif not V.yes(row["Entry"]) and step.id in entries:
                        entries.remove(step.id)
                steps.append(step.model_copy(update=update) if update else step)
            stages.append(stage.model_copy(update={"steps": steps}))
        library = journey.library
        if self.new_touchpoints:
            library = library.model_copy(
                update={"touchpoints": [*library.touchpoints, *self.new_touchpoints]}
            )
        return journey.model_copy(
            update={"stages": stages, "paths": paths, "entries": entries, "library": library}
        )

    def _paths(self) -> list[PathDef]:
        base_paths = {p.id: p for p in self.base.paths}
        rows = self._sheet_rows("Paths", X.PATH_HEADERS)
        if "Paths" not in self.wb.sheetnames:
            if self.base.paths:
                self.missing("Paths", "the paths' names and descriptions")
            return list(self.base.paths)
        out: list[PathDef] = []
        for row_no, row in rows:
            pid, name = V.as_text(row.get("Path id")), V.as_text(row.get("Path"))
            if pid in base_paths and pid not in {p.id for p in out}:
                old = base_paths[pid]
                update: dict[str, Any] = {"name": name.strip() if name else old.name}
                if V.norm(row.get("Description")) != V.norm(old.description):
                    update["description"] = V.as_text(row.get("Description"))
                out.append(old.model_copy(update=update))
            elif name:
                new_id = unique_id(
                    slugify(pid or name, fallback="path"), {p.id for p in out} | set(base_paths)
                )
                out.append(
                    PathDef(
                        id=new_id, name=name.strip(), description=V.as_text(row.get("Description"))
                    )
                )
            else:
                self.warn("Paths", row_no, 2, "a path without a name is ignored")
        return out

    def _touchpoints(self, names: list[str]) -> list[str]:
        by_name: dict[str, str] = {}
        for tid, name in self.names.touchpoints.items():
            by_name.setdefault(name, tid)
        ids = []
        for name in names:
            if name in by_name:
                ids.append(by_name[name])
            elif name in self.names.touchpoints:
                ids.append(name)
            else:
                new_id = unique_id(
                    slugify(name, fallback="touchpoint"), set(self.names.touchpoints)
                )
                self.new_touchpoints.append(Touchpoint(id=new_id, name=name))
                self.names.touchpoints[new_id] = name
                by_name[name] = new_id
                ids.append(new_id)
        return list(dict.fromkeys(ids))

    def _links(self, value: Any, row: int, col: int, old: list[Link] | None) -> list[Link] | None:
        text = V.as_text(value)
        if text is None:
            return None
        if text.strip().lower() in ("(none)", "(aucun)", "none"):
            return []
        links = []
        for line in V.lines(text):
            parts = [p.strip() for p in line.split("|")]
            to = parts[0].lstrip("→↺ ").strip()
            try:
                link = Link(
                    to=to,
                    label=(parts[1] or None) if len(parts) > 1 else None,
                    share=V.share(parts[2]) if len(parts) > 2 and parts[2] else None,
                )
            except (ValueError, ValidationError) as exc:
                message = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
                self.warn(
                    "Steps",
                    row,
                    col,
                    f"link '{V.short(line)}' cannot be read ({message}); "
                    "write one link a line: step-id | label | share %",
                )
                return old
            links.append(link)
        return links

    # -- item sheets --------------------------------------------------------------------------
    def _item_sheets(self, journey: Journey) -> Journey:
        cells = {
            lane: {step: list(items) for step, items in row.items()}
            for lane, row in journey.cells.items()
        }
        specs: list[tuple[str, list[str], type, Any]] = [
            ("Pain points", X.PAIN_HEADERS, PainPoint, self._pain_fields),
            ("Opportunities", X.OPPORTUNITY_HEADERS, Opportunity, self._opportunity_fields),
            ("KPIs", X.KPI_HEADERS, KpiValue, self._kpi_fields),
        ]
        for title, headers, kind, fields in specs:
            for row_no, row in self._sheet_rows(title, headers):
                try:
                    number = int(V.number(row.get("#")) or 0)
                except (ValueError, TypeError, OverflowError):
                    self.warn(
                        title, row_no, 1, "column '#' should hold the item's number; row skipped"
                    )
                    continue
                key = (
                    V.as_text(row.get("Lane")) or "",
                    V.as_text(row.get("Step id")) or "",
                    number - 1,
                )
                old_items = self.base.cell(key[0], key[1])
                if not 0 <= key[2] < len(old_items) or not isinstance(old_items[key[2]], kind):
                    self.warn(
                        title,
                        row_no,
                        1,
                        f"this row names no item of the map (lane '{key[0]}', "
                        f"step '{key[1]}', #{key[2] + 1}); add new items on the Map sheet",
                    )
                    continue
                place = self.origin.get(key)
                if place is None:
                    continue  # removed on the Map: the Map wins
                item = cells[place[0]][place[1]][place[2]]
                exported = dict(zip(headers[5:], fields(old_items[key[2]], None, {}), strict=False))
                update = fields(
                    item,
                    row,
                    exported,
                    row_no=row_no,
                    cols=row["_cols"],
                    sheet=title,
                    text_locked=key in self.map_changed,
                )
                if update:
                    try:
                        cells[place[0]][place[1]][place[2]] = type(item).model_validate(
                            {**item.model_dump(), **update}
                        )
                    except ValidationError as exc:
                        self.warn(title, row_no, 6, f"{exc.errors()[0]['msg']}; the row is ignored")
        return journey.model_copy(update={"cells": cells})

    def _field_update(
        self,
        item: Any,
        row: dict[str, Any],
        exported: dict[str, Any],
        parsers: dict[str, Any],
        row_no: int,
        cols: dict[str, int],
        sheet: str,
    ) -> dict[str, Any]:
        update: dict[str, Any] = {}
        for header, (name, parse) in parsers.items():
            if header not in row or V.norm(row[header]) == V.norm(exported.get(header)):
                continue
            try:
                value = parse(row[header])
                type(item).model_validate({**item.model_dump(), name: value})
                update[name] = value
            except ValidationError as exc:
                message = exc.errors()[0]["msg"].replace("Input should be", "expected")
                self.warn(
                    sheet,
                    row_no,
                    cols.get(header, 1),
                    f"{header.lower()} '{V.short(V.as_text(row[header]) or '')}' "
                    f"cannot be read ({message}); the old value is kept",
                )
            except (ValueError, TypeError) as exc:
                self.warn(
                    sheet,
                    row_no,
                    cols.get(header, 1),
                    f"{header.lower()} '{V.short(V.as_text(row[header]) or '')}' "
                    f"cannot be read ({exc}); the old value is kept",
                )
        return update

    def _pain_fields(
        self, item: PainPoint, row: dict[str, Any] | None, exported: dict[str, Any], **kw: Any
    ) -> Any:
        if row is None:
            return X.pain_row(item)
        parsers = {"Severity": ("severity", V.choice), "Evidence": ("evidence", V.as_text)}
        if not kw.pop("text_locked"):
            parsers["Pain point"] = ("text", V.required)
        return self._field_update(item, row, exported, parsers, **kw)

    def _opportunity_fields(
        self, item: Opportunity, row: dict[str, Any] | None, exported: dict[str, Any], **kw: Any
    ) -> Any:
        if row is None:
            return X.opportunity_row(item)
        parsers = {
            "Owner": ("owner", V.as_text),
            "Priority": ("priority", V.choice),
            "Status": ("status", V.choice),
            "Due": ("due", V.date),
            "Value": ("value", V.number),
        }
        if not kw.pop("text_locked"):
            parsers["Opportunity"] = ("text", V.required)
        return self._field_update(item, row, exported, parsers, **kw)

    def _kpi_fields(
        self, item: KpiValue, row: dict[str, Any] | None, exported: dict[str, Any], **kw: Any
    ) -> Any:
        if row is None:
            return X.kpi_row(item, self.names)
        kw.pop("text_locked")
        parsers = {
            "KPI id": ("kpi", V.required),
            "Target": ("target", V.number),
            "Measured": ("measured", V.number),
            "Period": ("period", V.as_text),
            "Source": ("source", V.as_text),
        }
        return self._field_update(item, row, exported, parsers, **kw)
