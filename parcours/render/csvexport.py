"""The map as CSV: one row per item of a cell (RFC 4180, formula-escaped).

Columns: stage, stage id, step id, step, path, lane id, lane kind, kind, index, then the
item's fields (text, score, label, emoji, severity, evidence, owner, priority, status,
due, value, kpi, target, measured, unit, period, source, detail). A touchpoints lane
gives one row per touchpoint of a step. Rows end with CRLF; texts are quoted; a text that
a spreadsheet would take for a formula is prefixed with ``'`` (:func:`escape_formula`).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from parcours.model.items import LaneKind
from parcours.model.journey import Journey
from parcours.model.library import Library
from parcours.security import escape_formula

COLUMNS = [
    "stage",
    "stage_id",
    "step_id",
    "step",
    "path",
    "lane",
    "lane_kind",
    "kind",
    "index",
    "text",
    "score",
    "label",
    "emoji",
    "severity",
    "evidence",
    "owner",
    "priority",
    "status",
    "due",
    "value",
    "kpi",
    "target",
    "measured",
    "unit",
    "period",
    "source",
    "detail",
]


def rows(journey: Journey, library: Library | None = None) -> list[dict[str, Any]]:
    """One record per cell item, in map order (stage, step, lane, item)."""
    lib = journey.library_in(library)
    touchpoints = {t.id: t.name for t in lib.touchpoints}
    kpi_units = {k.id: k.unit for k in lib.kpis}
    out: list[dict[str, Any]] = []
    for stage, step in journey.iter_steps():
        base = {
            "stage": stage.name,
            "stage_id": stage.id,
            "step_id": step.id,
            "step": step.name,
            "path": step.path,
        }
        for lane in journey.lanes:
            where = {**base, "lane": lane.id, "lane_kind": lane.kind.value}
            if lane.kind == LaneKind.touchpoints:
                for n, tid in enumerate(step.touchpoints, 1):
                    out.append(
                        {
                            **where,
                            "kind": "touchpoint",
                            "index": n,
                            "text": touchpoints.get(tid, tid),
                            "detail": tid,
                        }
                    )
                continue
            for n, item in enumerate(journey.cell(lane.id, step.id), 1):
                data = item.model_dump(mode="json", exclude={"type"})
                if "name" in data:  # a metric's name is its text
                    data["text"] = data.pop("name")
                if "src" in data:  # an image: alt text, and the source as detail
                    data["text"], data["detail"] = data.pop("alt"), data.pop("src")
                if item.type == "kpi":
                    data["unit"] = kpi_units.get(data["kpi"])
                out.append({**where, "kind": item.type, "index": n, **data})
    return out


def to_csv(journey: Journey, library: Library | None = None) -> str:
    """The map as CSV text (UTF-8 without BOM, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(COLUMNS)
    for record in rows(journey, library):
        writer.writerow([_cell(record.get(name)) for name in COLUMNS])
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    return escape_formula(str(value))
