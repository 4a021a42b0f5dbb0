"""The emotion curves of the Map sheet as Excel line charts.

A map without named paths has one chart, one series per emotion lane, read from the lane's
row of the Map sheet (edit a score and the curve follows). A map with paths has one chart
per emotion lane and the curves of the drawn map (:meth:`Layout.path_curves`): one series per
path following that path's steps only (alternative branches are never joined in sequence)
and each run of shared steps once, on top. Their scores stand on a **Curves** sheet, one row
per series, which the charts read.

A map measured by ``parcours overlay`` (metrics of key ``emotion``) also gets, in the chart of
its first emotion lane, the measured curve beside the designed ones, in the colour the drawn
map gives it: its scores on the Curves sheet, with the number of answers of each step and
the 95 % interval on the rows under it, so an analyst can check each point.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl.chart import LineChart, Reference
from openpyxl.chart.data_source import StrRef
from openpyxl.chart.legend import LegendEntry
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import (
    CharacterProperties,
    Font,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from parcours.model.words import table
from parcours.render.layout import Layout, layout
from parcours.render.measured import legend_text, signed
from parcours.render.office.sheets import WORDS, lane_label
from parcours.render.office.style import FONT, WRAP, fit_rows, header_row, put

if TYPE_CHECKING:
    from openpyxl import Workbook

    from parcours.model.journey import Journey, Lane
    from parcours.model.library import Library

CURVES_SHEET = "Curves"
CHART_ROWS = 24  # rows between two charts stacked under the map (a chart is 11 cm high)
MAX_WIDTH = 46.0  # cm: ten step columns, the width of one printed page of the map


def emotion_charts(
    workbook: Workbook,
    ws: Worksheet,
    journey: Journey,
    library: Library | None,
    lanes: list[tuple[int, Lane]],
    columns: dict[str, int],
    anchor_row: int,
    lang: str,
) -> None:
    """The charts of the emotion ``lanes`` (each with its row on the Map sheet), placed from
    ``anchor_row`` down; ``columns`` is the Map column of each step."""
    ws.row_breaks.append(Break(id=anchor_row - 1))  # printed, the charts start a page
    drawn = layout(journey, library=library, lang=lang)
    if not journey.paths:
        chart = _lane_rows_chart(ws, lanes, columns, anchor_row, lang)
        if drawn.measured:
            sheet = _curves_sheet(workbook, journey, lang)
            _measured_series(chart, sheet, journey, drawn, lanes[0][1].id, 2, lang)
            fit_rows(sheet)
        return
    steps = journey.steps()
    sheet = _curves_sheet(workbook, journey, lang)
    place = {s.id: n for n, s in enumerate(steps, start=3)}
    paths = {p.id: p.name for p in journey.paths}
    trunk = table("MAP", lang)["trunk"]
    row = 2
    charts = 0
    for _, lane in lanes:
        curves = [c for group in drawn.path_curves(lane.id).values() for c in group]
        curves.sort(key=lambda c: c.path_id is None)  # the shared steps on top
        if not curves:
            continue
        chart = _chart(WORDS[lang]["curve"], width=len(steps))
        if len(lanes) > 1:
            chart.title = _title(f"{WORDS[lang]['curve']} · {lane_label(lane, lang)}")
        hidden = []
        for n, curve in enumerate(curves):
            put(sheet, row, 1, lane_label(lane, lang)).alignment = WRAP
            put(sheet, row, 2, paths.get(curve.path_id, trunk) if curve.path_id else trunk)
            for point in curve.points:
                put(sheet, row, place[point.step_id], point.score)
            values = Reference(sheet, min_col=3, max_col=2 + len(steps), min_row=row)
            chart.add_data(values, from_rows=True, titles_from_data=False)
            series = chart.series[-1]
            series.tx = SeriesLabel(strRef=StrRef(str(Reference(sheet, min_col=2, min_row=row))))
            _style(series, curve.color, dashed=curve.dashed, bold=curve.path_id is None)
            if curve.path_id is None and n > 0 and curves[n - 1].path_id is None:
                hidden.append(n)  # one legend entry for every run of shared steps
            row += 1
        chart.set_categories(Reference(sheet, min_col=3, max_col=2 + len(steps), min_row=1))
        chart.display_blanks = "span"  # a path's line goes from one of its steps to the next
        chart.legend.legendEntry = [LegendEntry(idx=n, delete=True) for n in hidden]
        row = _measured_series(chart, sheet, journey, drawn, lane.id, row, lang)
        ws.add_chart(chart, f"B{anchor_row + charts * CHART_ROWS}")
        charts += 1
    fit_rows(sheet)


def _curves_sheet(workbook: Workbook, journey: Journey, lang: str) -> Worksheet:
    """The Curves sheet: one column per step of the map, after a label and a path column."""
    steps = journey.steps()
    sheet = workbook.create_sheet(CURVES_SHEET)
    header_row(
        sheet, ["", WORDS[lang]["path"], *(s.name for s in steps)], [18, 22] + [16] * len(steps)
    )
    return sheet


def _measured_series(
    chart: LineChart,
    sheet: Worksheet,
    journey: Journey,
    drawn: Layout,
    lane_id: str,
    row: int,
    lang: str,
) -> int:
    """Add the measured curves of ``lane_id`` to ``chart`` from rows of ``sheet`` from
    ``row`` on (a row of scores per curve, then the rows of n and of the interval of every
    measured step); return the next free row."""
    curves = [c for c in drawn.measured if c.lane_id == lane_id]
    if not curves:
        return row
    place = {s.id: n for n, s in enumerate(journey.steps(), start=3)}
    words = table("MAP", lang)
    legend = legend_text(drawn.measured_points, lang) or words["measured"]
    paths = {p.id: p.name for p in journey.paths}
    for n, curve in enumerate(curves):
        put(sheet, row, 1, words["measured"]).alignment = WRAP
        put(sheet, row, 2, legend if n == 0 else paths.get(curve.path_id or "", legend))
        for point in curve.points:
            put(sheet, row, place[point.step_id], point.value)
        chart.add_data(
            Reference(sheet, min_col=3, max_col=2 + len(place), min_row=row),
            from_rows=True,
            titles_from_data=False,
        )
        series = chart.series[-1]
        series.tx = SeriesLabel(strRef=StrRef(str(Reference(sheet, min_col=2, min_row=row))))
        _style(series, curves[0].color, dashed=True)
        if n > 0:  # one legend entry for the measured curve, however many paths it follows
            hide = LegendEntry(idx=len(chart.series) - 1, delete=True)
            chart.legend.legendEntry = [*(chart.legend.legendEntry or []), hide]
        row += 1
    put(sheet, row, 1, "n")
    for point in drawn.measured_points:
        if point.n is not None:
            put(sheet, row, place[point.step_id], point.n)
    row += 1
    put(sheet, row, 1, words["measured.interval"].format(low="", high="").strip(" …"))
    for point in drawn.measured_points:
        if point.low is not None and point.high is not None:
            text = f"{signed(point.low, lang)} … {signed(point.high, lang)}"
            put(sheet, row, place[point.step_id], text)
    return row + 1


def _lane_rows_chart(
    ws: Worksheet, lanes: list[tuple[int, Lane]], columns: dict[str, int], anchor: int, lang: str
) -> LineChart:
    first, last = min(columns.values()), max(columns.values())
    chart = _chart(WORDS[lang]["curve"], width=last - first + 1)
    for row, _lane in lanes:
        data = Reference(ws, min_col=1, max_col=last, min_row=row, max_row=row)
        chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, max_col=last, min_row=6, max_row=6))
    for series in chart.series:
        _style(series, None)
    ws.add_chart(chart, f"B{anchor}")
    return chart


def _chart(title: str, width: int) -> LineChart:
    chart = LineChart()
    chart.title = _title(title)
    chart.y_axis.title = _title("−2 … +2", size=900, bold=False)
    chart.y_axis.scaling.min = -2
    chart.y_axis.scaling.max = 2
    chart.y_axis.majorUnit = 1
    chart.height = 11
    chart.width = max(16.0, min(MAX_WIDTH, 4.2 * width))
    chart.legend.position = "b"
    chart.x_axis.tickLblPos = "low"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    text = _text()  # the workbook's one font in the chart too
    chart.x_axis.txPr = chart.y_axis.txPr = chart.legend.txPr = text
    return chart


def _text(size: int = 900) -> RichText:
    props = CharacterProperties(latin=Font(typeface=FONT), sz=size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _title(text: str, size: int = 1400, bold: bool = True) -> Title:
    props = CharacterProperties(latin=Font(typeface=FONT), sz=size, b=bold)
    run = RegularTextRun(rPr=props, t=text)
    rich = RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), r=[run])])
    return Title(tx=Text(rich=rich), overlay=False)


def _style(series: Series, colour: str | None, *, dashed: bool = False, bold: bool = False) -> None:
    series.marker.symbol = "circle"
    series.marker.size = 7
    series.smooth = False
    if colour is None:
        return
    hex_colour = colour.lstrip("#").upper()
    line = LineProperties(solidFill=hex_colour, w=38100 if bold else 25400)  # 3 pt, 2 pt
    if dashed:
        line.prstDash = "dash"
    series.graphicalProperties = GraphicalProperties(ln=line)
    series.marker.graphicalProperties = GraphicalProperties(
        solidFill=hex_colour, ln=LineProperties(solidFill=hex_colour)
    )
