"""The measured emotion curve of an overlaid map in the workbook's emotion chart."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from pptx import Presentation

from parcours.analytics import read_events
from parcours.analytics.overlay import overlay
from parcours.catalog import demo_path
from parcours.files import read
from parcours.model.atlas import Atlas
from parcours.model.diff import diff
from parcours.model.items import LaneKind, Metric
from parcours.model.journey import Journey, Lane
from parcours.render.measured import MEASURED_COLOR, measured_emotions
from parcours.render.office.reader import read_xlsx
from parcours.render.office.writer import save_xlsx
from parcours.render.pptx.deck import save_pptx
from parcours.voice import read_verbatims

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "parcours" / "examples" / "events" / "events.csv"
VOICE = ROOT / "parcours" / "examples" / "voice"


def measured_purchase() -> Journey:
    atlas, _ = read(demo_path())
    assert isinstance(atlas, Atlas)
    rows = read_verbatims(VOICE / "verbatims.csv", by_col="etape").rows
    return overlay(atlas.standalone("achat-en-ligne"), read_events(EVENTS), verbatims=rows)


def test_the_emotion_chart_has_the_measured_curve_with_its_figures(tmp_path: Path) -> None:
    journey = measured_purchase()
    found = measured_emotions(journey)
    assert found, "the overlay measured no emotion: the test would prove nothing"
    book = load_workbook(save_xlsx(journey, tmp_path / "m.xlsx"))
    curves = book["Curves"]
    header = [c.value for c in curves[1]]
    rows = [[c.value for c in row] for row in curves.iter_rows(min_row=2)]
    measured = [r for r in rows if r[0] == "Émotion mesurée"]
    assert measured, rows
    # every measured step's score stands in its step's column, as the metric says
    by_step = {s.name: s.id for s in journey.steps()}
    seen = {}
    for row in measured:
        for name, value in zip(header[2:], row[2:], strict=True):
            if value is not None:
                seen[by_step[name]] = value
    assert seen == {sid: m.value for sid, m in found.items()}
    n_row = next(r for r in rows if r[0] == "n")
    ns = {by_step[name]: v for name, v in zip(header[2:], n_row[2:], strict=True) if v}
    assert ns == {sid: m.n for sid, m in found.items() if m.n}
    # the chart of the first emotion lane draws them in the measured colour, dashed
    chart = book["Map"]._charts[0]
    colour = MEASURED_COLOR.lstrip("#").upper()
    styled = [s for s in chart.series if _colour(s) == colour]
    assert len(styled) == len(measured)
    assert all(s.graphicalProperties.line.prstDash == "dash" for s in styled)


def test_the_measured_workbook_reads_back_as_the_map(tmp_path: Path) -> None:
    journey = measured_purchase()
    back, problems = read_xlsx(save_xlsx(journey, tmp_path / "m.xlsx"))
    assert [p for p in problems if p.severity == "error"] == []
    assert diff(journey, back) == []


def _colour(series: object) -> str | None:
    props = getattr(series, "graphicalProperties", None)
    fill = props.line.solidFill if props is not None and props.line is not None else None
    return None if fill is None else str(fill.srgbClr)


def test_a_map_without_paths_gets_the_measured_series_in_its_one_chart(tmp_path: Path) -> None:
    atlas, _ = read(demo_path())
    assert isinstance(atlas, Atlas)
    journey = atlas.standalone("probleme-livraison")
    assert not journey.paths
    lane = Lane(id="mesures", kind=LaneKind.metrics, title="Mesures")
    steps = journey.steps()[:4]
    metrics = {
        s.id: [Metric(name="Émotion", key="emotion", value=-1.2 + k / 2, n=40 + k)]
        for k, s in enumerate(steps)
    }
    journey = journey.model_copy(
        update={"lanes": [*journey.lanes, lane], "cells": {**journey.cells, "mesures": metrics}}
    )
    book = load_workbook(save_xlsx(journey, tmp_path / "m.xlsx"))
    rows = [[c.value for c in row] for row in book["Curves"].iter_rows(min_row=2)]
    legend = "Émotion mesurée (n = 40–43 par étape)"
    assert rows[0][:6] == ["Émotion mesurée", legend, -1.2, -0.7, -0.2, 0.3]
    assert all(v is None for v in rows[0][6:])
    chart = book["Map"]._charts[0]
    colour = MEASURED_COLOR.lstrip("#").upper()
    assert [_colour(s) for s in chart.series].count(colour) == 1
    back, problems = read_xlsx(tmp_path / "m.xlsx")
    assert problems == [] and diff(journey, back) == []


def test_the_deck_draws_the_measured_emotion_of_every_measured_step(tmp_path: Path) -> None:
    journey = measured_purchase()
    found = measured_emotions(journey)
    deck = Presentation(str(save_pptx(journey, tmp_path / "m.pptx")))
    names = [shape.name for slide in deck.slides for shape in slide.shapes]
    parts = [n.split() for n in names if n.startswith("measured ")]
    marks = {p[1]: float(p[2]) for p in parts if len(p) == 3 and p[1] in found}
    assert marks == {sid: round(m.value, 2) for sid, m in found.items()}
    assert any(len(p) == 2 for p in parts)  # the dashed lines between them
    texts = [sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame]
    assert any(t.startswith("Émotion mesurée (n =") for t in texts)  # its legend entry
