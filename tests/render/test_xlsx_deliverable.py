"""The workbook as a deliverable: how each sheet prints, where its panes freeze, rows high
enough for their text, and the emotion charts of a branched map (one series per path, the
shared steps once), read back with openpyxl and printed by LibreOffice."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image

import parcours.files as files
from parcours.model.items import Emotion, LaneKind
from parcours.model.journey import Journey
from parcours.model.words import table
from parcours.render.office.reader import read_xlsx
from parcours.render.office.writer import save_xlsx
from parcours.render.theme import Theme
from tests.libreoffice import convert
from tests.render.test_xlsx import ROOT, branched, linear

TEMPLATES = ROOT / "parcours" / "templates"
BRANCHED_TEMPLATES = ["telecom-after-sales.en.yaml", "bank-account-opening.fr.yaml"]
TABLES = ["Steps", "Paths", "Pain points", "Opportunities", "KPIs"]


def _workbook(journey: Journey, tmp_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(save_xlsx(journey, tmp_path / "m.xlsx"))


@pytest.mark.parametrize(("make", "headers"), [(linear, "$5:$6"), (branched, "$5:$7")])
def test_every_sheet_prints_landscape_fitted_to_width_with_its_titles(
    tmp_path: Path, make: object, headers: str
) -> None:
    journey = make()  # type: ignore[operator]
    workbook = _workbook(journey, tmp_path)
    ws = workbook["Map"]
    setup = ws.page_setup
    assert (setup.orientation, int(setup.paperSize)) == ("landscape", 8)  # A3
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (setup.fitToWidth, setup.fitToHeight) == (math.ceil(len(journey.steps()) / 10), 0)
    # the stage and step rows (and the path row of a branched map) and the lane column
    assert (ws.print_title_rows, ws.print_title_cols) == (headers, "$A:$A")
    assert ws.freeze_panes == f"B{int(headers.rsplit('$', 1)[1]) + 1}"
    for title in TABLES:
        sheet = workbook[title]
        assert sheet.page_setup.orientation == "landscape", title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, title
        assert sheet.print_title_rows == "$1:$1", title
        assert sheet.freeze_panes == "A2", title


def _needed_lines(text: str, width: float) -> int:
    """A low estimate of the lines a wrapped text takes in a column ``width`` wide (a
    column unit holds one digit; an average letter of Arial is narrower)."""
    per_line = max(1, int(width * 1.3))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _clipped(ws: Worksheet, first_row: int) -> list[str]:
    merged = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges}
    wrong = []
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if not isinstance(cell.value, str) or (cell.row, cell.column) in merged:
                continue
            if ws.row_dimensions[cell.row].hidden or not cell.alignment.wrap_text:
                continue
            width = ws.column_dimensions[cell.column_letter].width or 10
            size = float(cell.font.sz or 11)
            height = ws.row_dimensions[cell.row].height or 15
            if height < _needed_lines(cell.value, width) * size * 1.15:
                wrong.append(f"{ws.title}!{cell.coordinate} ({height} pt): {cell.value[:40]!r}")
    return wrong


@pytest.mark.parametrize("name", BRANCHED_TEMPLATES)
def test_every_row_is_high_enough_for_its_text(tmp_path: Path, name: str) -> None:
    workbook = _workbook(files.load_journey(TEMPLATES / name), tmp_path)
    wrong = _clipped(workbook["Map"], 5)
    for title in [*TABLES, "Curves"]:
        wrong += _clipped(workbook[title], 1)
    assert not wrong, "\n".join(wrong)


def _cells(ref: str) -> tuple[str, int, int, int]:
    """``'Curves'!$C$2:$S$2`` → sheet, row, first and last column."""
    sheet, rest = ref.rsplit("!", 1)
    cols = re.findall(r"\$([A-Z]+)\$(\d+)", rest)
    first, last = (openpyxl.utils.column_index_from_string(c) for c, _ in (cols[0], cols[-1]))
    return sheet.strip("'"), int(cols[0][1]), first, last


@pytest.mark.parametrize("name", BRANCHED_TEMPLATES)
def test_the_chart_of_a_branched_map_has_one_series_per_path_and_the_trunk_once(
    tmp_path: Path, name: str
) -> None:
    journey = files.load_journey(TEMPLATES / name)
    lang = journey.language()
    workbook = _workbook(journey, tmp_path)
    curves = workbook["Curves"]
    steps = journey.steps()
    column_of = {s.id: n for n, s in enumerate(steps, start=3)}
    step_at = dict(enumerate(steps, start=3))
    assert [c.value for c in curves[1]][2:] == [s.name for s in steps]
    paths = {p.name: p.id for p in journey.paths}
    trunk = table("MAP", lang)["trunk"]
    lanes = [lane for lane in journey.lanes if lane.kind == LaneKind.emotions]
    charts = workbook["Map"]._charts
    assert len(charts) == len(lanes) >= 2  # one chart per emotion lane
    for lane, chart in zip(lanes, charts, strict=True):
        scored = {
            s.id: next(i.score for i in journey.cell(lane.id, s.id) if isinstance(i, Emotion))
            for s in steps
            if any(isinstance(i, Emotion) for i in journey.cell(lane.id, s.id))
        }
        assert chart.display_blanks == "span"  # a path's line joins its own steps
        titles, trunk_steps = [], []
        for series in chart.series:
            sheet, row, first, last = _cells(series.val.numRef.f)
            assert (sheet, first, last) == ("Curves", 3, 2 + len(steps))
            assert _cells(series.cat.numRef.f) == ("Curves", 1, 3, 2 + len(steps))
            title = curves[series.tx.strRef.f.rsplit("!", 1)[1].replace("$", "")].value
            titles.append(title)
            points = {
                step_at[c].id: curves.cell(row, c).value
                for c in range(first, last + 1)
                if curves.cell(row, c).value is not None
            }
            assert all(scored[s] == score for s, score in points.items())  # the lane's scores
            if title == trunk:  # a run of shared steps: no path's column inside it
                assert all(journey.step(s).path is None for s in points)
                columns = sorted(column_of[s] for s in points)
                between = range(columns[0], columns[-1] + 1)
                assert all(step_at[c].path is None for c in between), title
                trunk_steps += list(points)
            else:  # a path: its own steps and shared ones, never another path's
                path = paths[title]
                assert all(journey.step(s).path in (None, path) for s in points), title
                own = {s.id for s in steps if s.path == path and s.id in scored}
                assert own <= set(points), title
        # every path once, the shared steps once (one legend entry for all their runs)
        assert sorted(t for t in titles if t != trunk) == sorted(paths)
        assert len(trunk_steps) == len(set(trunk_steps))
        deleted = {e.idx for e in chart.legend.legendEntry if e.delete}
        shown = [t for n, t in enumerate(titles) if n not in deleted]
        assert sorted(shown) == sorted([*paths, trunk])


def test_a_map_without_paths_keeps_one_chart_read_from_the_map(tmp_path: Path) -> None:
    workbook = _workbook(linear(), tmp_path)
    assert "Curves" not in workbook.sheetnames
    (chart,) = workbook["Map"]._charts
    assert [_cells(s.val.numRef.f)[0] for s in chart.series] == ["Map"]


def test_the_charts_use_the_workbook_font(tmp_path: Path) -> None:
    journey = files.load_journey(TEMPLATES / BRANCHED_TEMPLATES[0])
    for chart in _workbook(journey, tmp_path)["Map"]._charts:
        for text in (chart.x_axis.txPr, chart.y_axis.txPr, chart.legend.txPr):
            assert text.p[0].pPr.defRPr.latin.typeface == "Arial"
        for title in (chart.title, chart.y_axis.title):
            assert {r.rPr.latin.typeface for p in title.tx.rich.p for r in p.r} == {"Arial"}


@pytest.mark.libreoffice
def test_libreoffice_prints_the_charts_on_a_page_of_their_own(tmp_path: Path) -> None:
    assert shutil.which("pdftoppm"), "pdftoppm is required: apt-get install poppler-utils"
    journey = files.load_journey(TEMPLATES / "telecom-after-sales.en.yaml")
    convert([save_xlsx(journey, tmp_path / "telecom.xlsx")], tmp_path)
    pdf = tmp_path / "telecom.pdf"
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout.split("\f")
    # LibreOffice writes a chart's text, clipped, on every page the chart's rows touch: the
    # page of the charts is the one that names both and no lane of the map
    charts = [
        n
        for n, page in enumerate(pages)
        if "Emotion curve · Emotions" in page and "Touchpoints" not in page
    ]
    assert len(charts) == 1, "one page holds the charts"
    page = " ".join(pages[charts[0]].split())
    assert "Emotion curve · Target emotion" in page
    for name in [p.name for p in journey.paths] + ["Shared steps"]:
        assert name in page, name  # the legend names every path and the shared steps
    assert "Stage" in page and "Step" in page  # the header rows repeated on the page
    assert journey.title in " ".join(pages[0].split())
    number = str(charts[0] + 1)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", number, "-l", number, str(pdf), str(tmp_path / "c")],
        check=True,
        capture_output=True,
    )
    (png,) = tmp_path.glob("c*.png")
    drawn = Image.open(png).convert("RGB")
    colours = {drawn.getpixel((x, y)) for x in range(drawn.width) for y in range(drawn.height)}
    theme = Theme()
    for n, _path in enumerate(journey.paths):  # every path's line is drawn in its colour
        want = tuple(int(theme.path_color(n).lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
        assert any(sum(abs(a - b) for a, b in zip(c, want, strict=True)) < 40 for c in colours)


def test_the_curves_sheet_is_not_needed_to_import(tmp_path: Path) -> None:
    """The charts' scores are written for the charts only: the import reads the Map."""
    journey = files.load_journey(TEMPLATES / BRANCHED_TEMPLATES[0])
    workbook = _workbook(journey, tmp_path)
    workbook.remove(workbook["Curves"])
    workbook.save(tmp_path / "edited.xlsx")
    imported, problems = read_xlsx(tmp_path / "edited.xlsx")
    assert problems == [] and imported == journey
