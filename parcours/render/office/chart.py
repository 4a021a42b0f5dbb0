"""The emotion curve of the Map sheet as an Excel line chart."""

from __future__ import annotations

from openpyxl.chart import LineChart, Reference
from openpyxl.worksheet.worksheet import Worksheet

from parcours.render.office.sheets import WORDS


def emotion_chart(
    ws: Worksheet, rows: list[tuple[int, str]], last: int, anchor_row: int, lang: str
) -> None:
    chart = LineChart()
    chart.title = WORDS[lang]["curve"]
    chart.y_axis.title = "−2 … +2"
    chart.y_axis.scaling.min = -2
    chart.y_axis.scaling.max = 2
    chart.y_axis.majorUnit = 1
    chart.height = 9
    chart.width = max(16, min(60, 4.2 * (last - 1)))
    chart.legend.position = "b"
    for row, _title in rows:
        data = Reference(ws, min_col=1, max_col=last, min_row=row, max_row=row)
        chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, max_col=last, min_row=6, max_row=6))
    for series in chart.series:
        series.marker.symbol = "circle"
        series.marker.size = 7
        series.smooth = False
    chart.x_axis.tickLblPos = "low"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    ws.add_chart(chart, f"B{anchor_row}")
