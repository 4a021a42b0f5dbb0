"""An Excel workbook laid out like the map, that a person can edit and import back.

Sheets:

* **Map** — the map itself: stages merged over their steps, step names as a header row,
  one block of rows per lane (one row per card: a cell holds one item), emotions as
  numbers with a line chart of the curve, colours per stage, severity and priority.
* **Steps** — one row per step: id, stage, path, touchpoints, moment of truth, events,
  links to the next steps (label and share), end, entry.
* **Paths** — the named paths and the steps each goes through.
* **Pain points**, **Opportunities**, **KPIs** — one row per item, with every field.
* **Personas** — when exported with the workspace.
* **parcours** (very hidden, protected) — the exported journey and the workspace library,
  so that an import is exact; a person's edits on the other sheets win over it.

Every text goes through :func:`put`: a text that a spreadsheet would take for a formula
(``=``, ``+``, ``-``, ``@``, tab, carriage return) is stored as a text cell with Excel's
quote prefix, never as a formula. The workbook holds no formula at all.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from parcours.atomic import write_made
from parcours.model.items import Emotion, KpiValue, LaneKind, Opportunity, PainPoint
from parcours.model.library import Library
from parcours.render.office.chart import emotion_charts
from parcours.render.office.sheets import (
    CHUNK,
    FORMAT_VERSION,
    KPI_HEADERS,
    META_MARK,
    META_SHEET,
    OPPORTUNITY_HEADERS,
    PAIN_HEADERS,
    PATH_HEADERS,
    STAGE_ID_LABEL,
    STEP_HEADERS,
    STEP_ID_LABEL,
    WORDS,
    Names,
    emotion_label_row,
    emotion_label_text,
    flow_text,
    item_text,
    kpi_row,
    lane_label,
    lane_rows,
    lang_of,
    opportunity_row,
    pain_row,
    step_row,
    workspace_json,
)
from parcours.render.office.style import (
    BAD,
    BOX,
    CENTRE,
    EMOTION_FILLS,
    FONT,
    GOOD,
    PRIORITY_FILLS,
    SEVERITY_FILLS,
    THEME,
    WRAP,
    cell_tint,
    fill,
    fit_rows,
    header_row,
    put,
)

if TYPE_CHECKING:
    from parcours.model.atlas import Atlas
    from parcours.model.journey import Journey, Lane, Step

STEPS_A_PAGE = 10  # step columns on a printed page of the Map sheet (A3 landscape)


# -- the workbook -----------------------------------------------------------------------------
def xlsx_bytes(
    journey: Journey, *, library: Library | None = None, atlas: Atlas | None = None
) -> bytes:
    """``journey`` as the bytes of an Excel workbook laid out like the map.

    ``library`` is the workspace library the journey refers to (touchpoint and KPI names);
    ``atlas`` adds a Personas sheet with the journey's personas.
    """
    if library is None and atlas is not None:
        library = atlas.library
    buffer = io.BytesIO()
    build_workbook(journey, library=library, atlas=atlas).save(buffer)
    return buffer.getvalue()


def save_xlsx(
    journey: Journey,
    path: str | Path,
    *,
    library: Library | None = None,
    atlas: Atlas | None = None,
) -> Path:
    """Write ``journey`` as an Excel workbook laid out like the map (see :func:`xlsx_bytes`)."""
    return write_made(path, lambda: xlsx_bytes(journey, library=library, atlas=atlas))


def build_workbook(
    journey: Journey, *, library: Library | None = None, atlas: Atlas | None = None
) -> Workbook:
    lang = lang_of(journey)
    names = Names.of(journey, library)
    workbook = Workbook()
    workbook._fonts[0] = Font(name=FONT, size=11)  # the font of cells without their own
    ws = workbook.active
    assert ws is not None
    ws.title = "Map"
    persona_names = {p.id: p.name for p in atlas.personas} if atlas is not None else {}
    charts = _map_sheet(ws, journey, names, lang, persona_names)
    _steps_sheet(workbook.create_sheet("Steps"), journey, names)
    _paths_sheet(workbook.create_sheet("Paths"), journey)
    _items_sheet(
        workbook.create_sheet("Pain points"),
        journey,
        PainPoint,
        PAIN_HEADERS,
        lambda item: pain_row(item),
        _pain_fill,
    )
    _items_sheet(
        workbook.create_sheet("Opportunities"),
        journey,
        Opportunity,
        OPPORTUNITY_HEADERS,
        lambda item: opportunity_row(item),
        _priority_fill,
    )
    _items_sheet(
        workbook.create_sheet("KPIs"),
        journey,
        KpiValue,
        KPI_HEADERS,
        lambda item: [*kpi_row(item, names), _kpi_result(item, journey, library)],
        lambda item: _kpi_fill(item, journey, library),
    )
    if charts is not None:  # after the KPIs: a map with paths gets a Curves sheet
        emotion_charts(workbook, ws, journey, library, *charts, lang)
    if atlas is not None:
        _personas_sheet(workbook.create_sheet("Personas"), journey, atlas)
    _meta_sheet(workbook.create_sheet(META_SHEET), journey, library, atlas)
    return workbook


def _map_sheet(
    ws: Worksheet,
    journey: Journey,
    names: Names,
    lang: str,
    persona_names: dict[str, str] | None = None,
) -> tuple[list[tuple[int, Lane]], dict[str, int], int] | None:
    """The Map sheet; what its emotion charts need (lanes, step columns, first free row)."""
    words = WORDS[lang]
    steps = journey.steps()
    last = max(len(steps) + 1, 2)
    # title and header line
    put(ws, 1, 1, journey.title).font = Font(name=FONT, bold=True, size=16, color="1F2D3D")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    people = ", ".join((persona_names or {}).get(p, p) for p in journey.personas)
    info = [
        f"{words['persona']}: {people}" if journey.personas else None,
        f"{words['state']}: {words[journey.state.value]}",
        f"{words['evidence']}: {words[journey.evidence.value]}",
        f"{words['owner']}: {journey.owner}" if journey.owner else None,
        f"{words['reviewed']}: {journey.reviewed.isoformat()}" if journey.reviewed else None,
    ]
    put(ws, 2, 1, "  ·  ".join(p for p in info if p)).font = Font(
        name=FONT, italic=True, color="5C6B7A"
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    ws.row_dimensions[1].height = 26
    # hidden id rows, then stage and step headers
    put(ws, 3, 1, STEP_ID_LABEL)
    put(ws, 4, 1, STAGE_ID_LABEL)
    ws.row_dimensions[3].hidden = True
    ws.row_dimensions[4].hidden = True
    put(ws, 5, 1, words["stage"]).font = Font(name=FONT, bold=True, color="5C6B7A")
    ws.cell(5, 1).alignment = Alignment(vertical="center")
    put(ws, 6, 1, words["step"]).font = Font(name=FONT, bold=True, color="5C6B7A")
    ws.cell(6, 1).alignment = Alignment(vertical="center")
    row = 7
    path_row = flow_row = None
    if journey.paths:  # the path of each step, by name
        path_row, row = row, row + 1
        put(ws, path_row, 1, words["path"]).font = Font(name=FONT, bold=True, color="5C6B7A")
        ws.cell(path_row, 1).alignment = Alignment(vertical="top")
    if not journey.is_linear():  # entries, branches with label and share, loops, ends
        flow_row, row = row, row + 1
        put(ws, flow_row, 1, words["flow"]).font = Font(name=FONT, bold=True, color="5C6B7A")
        ws.cell(flow_row, 1).alignment = Alignment(vertical="top")
    header_end = row - 1 if flow_row is None else flow_row - 1  # the flow row can be tall
    path_names = {p.id: p.name for p in journey.paths}
    columns: dict[str, int] = {}
    column = 2
    for index, stage in enumerate(journey.stages):
        colour = THEME.stage_colors[index % len(THEME.stage_colors)]
        first = column
        put(ws, 4, column, stage.id)
        cell = put(ws, 5, column, stage.name)
        cell.font = Font(name=FONT, bold=True, color="FFFFFF", size=12)
        cell.fill = fill(cell_tint(colour, 1.0))
        cell.alignment = CENTRE
        for step in stage.steps:
            put(ws, 3, column, step.id)
            columns[step.id] = column
            cell = put(ws, 6, column, step.name)
            cell.font = Font(name=FONT, bold=True, color="1F2D3D")
            cell.fill = fill(cell_tint(colour, 0.45 if step.moment_of_truth else 0.2))
            cell.alignment = CENTRE
            cell.border = BOX
            if step.moment_of_truth:
                cell.font = Font(name=FONT, bold=True, color="1F2D3D", underline="single")
            if path_row is not None:
                cell = put(
                    ws,
                    path_row,
                    column,
                    path_names.get(step.path, step.path) if step.path else None,
                )
                cell.alignment = CENTRE
                cell.font = Font(name=FONT, italic=True, color="5C6B7A")
                cell.border = BOX
            if flow_row is not None:
                cell = put(ws, flow_row, column, flow_text(journey, step, lang))
                cell.alignment = WRAP
                cell.font = Font(name=FONT, size=9, color="5C6B7A")
                cell.border = BOX
            ws.column_dimensions[get_column_letter(column)].width = 24
            column += 1
        if column - 1 > first:
            ws.merge_cells(start_row=5, start_column=first, end_row=5, end_column=column - 1)
        if not stage.steps:  # an empty stage still shows (and round-trips) as a column
            column += 1
    ws.column_dimensions["A"].width = 22
    ws.row_dimensions[5].height = 22
    ws.row_dimensions[6].height = 45
    # lanes
    emotion_rows: list[tuple[int, Lane]] = []
    for lane in journey.lanes:
        title = lane_label(lane, lang)
        height = lane_rows(journey, lane)
        put(ws, row, 1, title)
        for offset in range(height):
            ws.cell(row=row + offset, column=1).font = Font(name=FONT, bold=True, color="1F2D3D")
            ws.cell(row=row + offset, column=1).alignment = WRAP
            ws.cell(row=row + offset, column=1).fill = fill("F2F4F7")
        if height > 1:
            ws.merge_cells(start_row=row, start_column=1, end_row=row + height - 1, end_column=1)
        col = 2
        for stage in journey.stages:
            for step in stage.steps:
                _lane_cells(ws, journey, lane, step, row, col, names, lang)
                for offset in range(height):
                    ws.cell(row=row + offset, column=col).border = BOX
                col += 1
            if not stage.steps:
                col += 1
        if not lane.visible:
            for offset in range(height):
                ws.row_dimensions[row + offset].hidden = True
        if lane.kind == LaneKind.emotions:
            emotion_rows.append((row, lane))
            ws.row_dimensions[row].height = 20
            label_row = row + 1
            put(ws, label_row, 1, emotion_label_row(lane, lang)).font = Font(
                name=FONT, italic=True, color="5C6B7A"
            )
            col = 2
            for stage in journey.stages:
                for step in stage.steps:
                    items = [i for i in journey.cell(lane.id, step.id) if isinstance(i, Emotion)]
                    cell = put(ws, label_row, col, emotion_label_text(items[0]) if items else None)
                    cell.alignment = CENTRE
                    cell.border = BOX
                    col += 1
                if not stage.steps:
                    col += 1
            if not lane.visible:
                ws.row_dimensions[label_row].hidden = True
            height += 1
        row += height
    ws.freeze_panes = ws.cell(row=header_end + 1, column=2)  # stages, steps and paths stay
    ws.sheet_view.zoomScale = 90
    fit_rows(ws, first_row=5)
    # printed: A3 landscape, about ten steps a page wide, as many pages down as the lanes
    # need, with the stage, step and path rows and the lane column on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.fitToHeight = 0
    ws.page_setup.fitToWidth = max(1, -(-len(steps) // STEPS_A_PAGE))
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"5:{header_end}"
    ws.print_title_cols = "A:A"
    if emotion_rows and steps:
        return emotion_rows, columns, row + 1
    return None


def _lane_cells(
    ws: Worksheet,
    journey: Journey,
    lane: Lane,
    step: Step,
    row: int,
    col: int,
    names: Names,
    lang: str,
) -> None:
    if lane.kind == LaneKind.touchpoints:
        for offset, touchpoint in enumerate(step.touchpoints):
            cell = put(ws, row + offset, col, names.touchpoints.get(touchpoint, touchpoint))
            cell.alignment = WRAP
            cell.fill = fill("EEF3F8")
        return
    for offset, item in enumerate(journey.cell(lane.id, step.id)):
        cell = put(ws, row + offset, col, item_text(item, names, lang))
        cell.alignment = WRAP
        if isinstance(item, Emotion):
            cell.alignment = CENTRE
            cell.fill = fill(EMOTION_FILLS[item.score])
            cell.number_format = "+0;-0;0"
            cell.font = Font(name=FONT, bold=True)
        elif isinstance(item, PainPoint):
            cell.fill = _pain_fill(item)
        elif isinstance(item, Opportunity):
            cell.fill = _priority_fill(item)
        elif lane.kind == LaneKind.thoughts:
            cell.font = Font(name=FONT, italic=True)
        elif lane.kind == LaneKind.backstage:
            cell.font = Font(name=FONT, color="5C6B7A")


def _pain_fill(item: PainPoint) -> PatternFill:
    return fill(SEVERITY_FILLS[item.severity.value])


def _priority_fill(item: Opportunity) -> PatternFill:
    return fill(PRIORITY_FILLS[item.priority.value])


def _kpi_good(item: KpiValue, journey: Journey, library: Library | None) -> bool | None:
    if item.measured is None:
        return None
    for lib in (journey.library, library):
        if lib is None:
            continue
        for definition in lib.kpis:
            if definition.id == item.kpi:
                return definition.is_good(item.measured, item.target)
    return None


def _kpi_result(item: KpiValue, journey: Journey, library: Library | None) -> str | None:
    good = _kpi_good(item, journey, library)
    return None if good is None else ("on target" if good else "off target")


def _kpi_fill(item: KpiValue, journey: Journey, library: Library | None) -> PatternFill | None:
    good = _kpi_good(item, journey, library)
    return None if good is None else fill(GOOD if good else BAD)


def _steps_sheet(ws: Worksheet, journey: Journey, names: Names) -> None:
    header_row(ws, STEP_HEADERS, [18, 22, 34, 18, 28, 10, 24, 36, 8, 8, 40])
    path_names = {p.id: p.name for p in journey.paths}
    row = 2
    for stage, step in journey.iter_steps():
        for column, value in enumerate(step_row(journey, stage.name, step, names, path_names), 1):
            put(ws, row, column, value).alignment = WRAP
        row += 1
    fit_rows(ws)


def _paths_sheet(ws: Worksheet, journey: Journey) -> None:
    header_row(ws, PATH_HEADERS, [18, 28, 40, 80])
    for row, path in enumerate(journey.paths, start=2):
        steps = " → ".join(s.name for s in journey.path_steps(path.id))
        for column, value in enumerate([path.id, path.name, path.description, steps], 1):
            put(ws, row, column, value).alignment = WRAP
    fit_rows(ws)


def _items_sheet(
    ws: Worksheet,
    journey: Journey,
    kind: type,
    headers: list[str],
    fields: Callable[[Any], list[Any]],
    colour: Callable[[Any], PatternFill | None],
) -> None:
    header_row(ws, headers, [18, 30, 20, 14, 5] + [40] + [16] * (len(headers) - 6))
    row = 2
    for stage, step in journey.iter_steps():
        for lane in journey.lanes:
            for index, item in enumerate(journey.cell(lane.id, step.id), start=1):
                if not isinstance(item, kind):
                    continue
                values = [stage.name, step.name, step.id, lane.id, index, *fields(item)]
                for column, value in enumerate(values, 1):
                    put(ws, row, column, value).alignment = WRAP
                shade = colour(item)
                if shade is not None:
                    ws.cell(row=row, column=6).fill = shade
                row += 1
    fit_rows(ws)


def _personas_sheet(ws: Worksheet, journey: Journey, atlas: Atlas) -> None:
    wanted = [p for p in atlas.personas if p.id in journey.personas] or list(atlas.personas)
    fields = [
        "id",
        "name",
        "emoji",
        "market",
        "segment",
        "summary",
        "age_range",
        "occupation",
        "role",
        "location",
        "goals",
        "needs",
        "frustrations",
        "motivations",
        "objections",
        "channels",
        "quote",
        "sources",
    ]
    header_row(
        ws, [f.replace("_", " ").capitalize() for f in fields], [14, 22, 6, 6, 20, 40] + [30] * 12
    )
    for row, persona in enumerate(wanted, start=2):
        for column, name in enumerate(fields, 1):
            value = getattr(persona, name)
            if isinstance(value, list):
                value = "\n".join(value) or None
            elif hasattr(value, "value"):
                value = value.value
            put(ws, row, column, value).alignment = WRAP
    fit_rows(ws)


def _meta_sheet(
    ws: Worksheet, journey: Journey, library: Library | None, atlas: Atlas | None = None
) -> None:
    put(ws, 1, 1, META_MARK)
    put(ws, 1, 2, FORMAT_VERSION)
    rows = [
        ("journey", journey.model_dump_json()),
        ("library", (library or Library()).model_dump_json()),
    ]
    for row, (key, text) in enumerate(rows, start=2):
        _meta_row(ws, row, key, text)
    if atlas is not None:  # the workspace it came from, to import a workspace back
        _meta_row(ws, 5, "workspace", workspace_json(atlas, journey))
    put(ws, 4, 1, "note")
    put(
        ws,
        4,
        2,
        "What parcours exported, to import the workbook exactly; edits on the other "
        "sheets win over it.",
    )
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def _meta_row(ws: Worksheet, row: int, key: str, text: str) -> None:
    put(ws, row, 1, key)
    for index in range(0, max(len(text), 1), CHUNK):
        put(ws, row, 2 + index // CHUNK, text[index : index + CHUNK])
