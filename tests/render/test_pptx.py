"""The PowerPoint deck: real shapes and text frames, read back with python-pptx."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE, MSO_SHAPE_TYPE
from pptx.util import Inches

import parcours.files as files
from parcours.render.layout import layout
from parcours.render.pptx import save_pptx, views
from parcours.render.pptx.units import BOLD_FIT, FIT, FLOOR_PT
from tests.render.test_xlsx import TEMPLATES, branched, linear


def texts(path: Path) -> list[list[str]]:
    deck = Presentation(str(path))
    return [
        [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        for slide in deck.slides
    ]


def map_slides(deck: Any) -> list[Any]:
    """The slides that show the map (each has a step window and a lane window)."""
    return [s for s in deck.slides if any(x.name == "map title" for x in s.shapes)]


def slide_text(slide: Any) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_a_short_map_is_a_title_slide_then_its_lanes_over_two_slides(tmp_path: Path) -> None:
    journey = linear()
    out = save_pptx(journey, tmp_path / "m.pptx")
    deck = Presentation(str(out))
    assert (deck.slide_width, deck.slide_height) == (12192000, Inches(7.5))  # 16:9, 13.33 x 7.5 in
    assert len(deck.slides) == 4  # title, map (lanes 1-4), map continued (lanes 5-9), opportunities
    table = next(s for s in deck.slides[3].shapes if s.has_table).table
    assert table.cell(1, 0).text and table.cell(0, 1).text == "Étape"
    assert journey.title in deck.slides[0].shapes[0].text_frame.text
    legend = slide_text(deck.slides[0])  # the legend, every entry labelled, on the title slide
    for word in ("Enchantement", "Très négative", "Blocage", "Critique", "Moment de vérité"):
        assert word in legend, word
    slides = map_slides(deck)
    assert len(slides) == 2
    assert "(suite)" not in slide_text(slides[0]) and "(suite)" in slide_text(slides[1])
    for slide in slides:
        notes = slide.notes_slide.notes_text_frame.text
        found = slide_text(slide)
        for step in journey.steps():
            assert step.name in notes  # speaker notes walk through the steps
            if step.description:
                assert step.description in notes
            assert step.name in found  # the step header on every slide
        for stage in journey.stages:
            assert stage.name in found  # and the stage band
    lanes = [[x.name for x in s.shapes if x.name.startswith("lane ")] for s in slides]
    assert lanes == [
        ["lane touchpoints", "lane actions", "lane thoughts", "lane emotions"],
        ["lane pain_points", "lane opportunities", "lane kpis", "lane backstage", "lane notes"],
    ]
    found = "\n".join(slide_text(s) for s in slides)
    for text in (
        "Achat éclair 🛒",
        "Clique sur l'annonce",
        "Ça a l'air bien 😍",
        "Paiement refusé",
        "Boutique à Élancourt",
    ):
        assert text in found, text
    kinds = {s.shape_type for slide in slides for s in slide.shapes}
    assert MSO_SHAPE_TYPE.PICTURE not in kinds
    assert MSO_SHAPE_TYPE.FREEFORM in kinds  # the emotion curve
    faces = [
        s
        for s in slides[0].shapes
        if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE
        and s.auto_shape_type == MSO_SHAPE.SMILEY_FACE
        and s.name.startswith("emotion")
    ]
    assert len(faces) == 3
    frown = next(f for f in faces if f.name.endswith("-1"))
    assert frown.adjustments[0] < 0
    xml = "".join(slide.shapes._spTree.xml for slide in deck.slides)
    assert "outerShdw" not in xml and "effectRef" not in xml  # no shape shadows


def test_every_lane_on_every_step_window_in_reading_order() -> None:
    """All the lanes of a step window, in order, then the next steps; text at the floor."""
    for journey in (linear(), branched(), *files.load_atlas(TEMPLATES[-1]).journeys):
        g = layout(journey)
        plan = views(g)
        steps = sorted({(v.window.first, v.window.stop) for v in plan})
        assert [i for a, b in steps for i in range(a, b)] == list(range(len(g.columns)))
        for first, _stop in steps:
            parts = [v for v in plan if v.window.first == first]
            assert [v.part for v in parts] == list(range(len(parts)))
            lanes = [i for v in parts for i in range(v.first_lane, v.stop_lane)]
            assert lanes == list(range(len(g.lanes)))
        assert [v.window.first for v in plan] == sorted(v.window.first for v in plan)
        assert min(v.scale for v in plan) * 10.5 * 0.75 * FIT * BOLD_FIT >= FLOOR_PT - 0.05


def test_a_branched_map_has_connectors_with_labels_and_markers(tmp_path: Path) -> None:
    out = save_pptx(branched(), tmp_path / "b.pptx")
    slides = map_slides(Presentation(str(out)))
    found = "\n".join(slide_text(s) for s in slides)
    assert "+Parcours web" in found and "Parcours boutique" in found
    assert "Pièce manquante" in found and "Dossier complet" in found
    names = [s.name for s in slides[0].shapes]
    assert "entry visits-site" in names and "entry enters-shop" in names
    xml = slides[0].shapes._spTree.xml
    assert 'tailEnd type="triangle"' in xml  # arrow heads on the connectors


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: Path(p).stem)
def test_templates(tmp_path: Path, path: str) -> None:
    atlas = files.load_atlas(path)
    for journey in atlas.journeys:
        out = save_pptx(journey, tmp_path / f"{journey.id}.pptx", atlas=atlas)
        deck = Presentation(str(out))
        personas = [p for p in atlas.personas if p.id in journey.personas]
        steps = journey.steps()
        opportunities = [
            s for s in deck.slides if any(shape.name == "opportunities title" for shape in s.shapes)
        ]
        assert (len(opportunities) > 0) == any(
            item.type == "opportunity"
            for lane in journey.lanes
            for step in steps
            for item in journey.cell(lane.id, step.id)
        )
        maps = map_slides(deck)
        assert len(deck.slides) == 1 + len(maps) + len(opportunities) + len(personas)
        plan = views(layout(journey, library=atlas.library, personas=personas))
        assert len(maps) == len(plan)
        windows = len({v.window.first for v in plan})
        for lane in journey.lanes:  # each lane once in every step window
            named = [s for s in maps if any(x.name == f"lane {lane.id}" for x in s.shapes)]
            assert len(named) == windows, lane.id
        found = "\n".join(t for slide in texts(out) for t in slide)
        for step in steps:
            assert step.name in found
        for persona in personas:
            assert persona.name in found
        for slide in deck.slides:
            assert all(s.shape_type != MSO_SHAPE_TYPE.PICTURE for s in slide.shapes)


def test_connectors_are_cut_at_the_slide_edges() -> None:
    from parcours.render.pptx import clip

    assert clip([(0, 0), (10, 0), (10, 5), (30, 5)], 5, 20) == [[(5, 0), (10, 0), (10, 5), (20, 5)]]
    assert clip([(0, 0), (4, 0)], 5, 20) == []
    assert clip([(25, 0), (2, 0), (2, 4), (10, 4)], 5, 20) == [[(20, 0), (5, 0)], [(5, 4), (10, 4)]]


def test_a_long_branched_map_keeps_its_connectors_across_slides(tmp_path: Path) -> None:
    atlas = files.load_atlas(TEMPLATES[0])  # bank-account-opening.en: 17 steps, several slides
    journey = atlas.journeys[0]
    deck = Presentation(str(save_pptx(journey, tmp_path / "bank.pptx", atlas=atlas)))
    slides = map_slides(deck)
    diagrams = [s for s in slides if "(continued)" not in slide_text(s)]
    assert 1 < len(diagrams) < len(slides)  # the branch diagram, then the lanes under a strip
    for slide in diagrams:  # connectors on each, cut at the slide's edges
        assert "<a:custGeom>" in slide.shapes._spTree.xml
    arrows = [s for s in diagrams if 'tailEnd type="triangle"' in s.shapes._spTree.xml]
    assert len(arrows) >= len(diagrams) - 1  # the first shows two entries leading on
    for slide in slides:
        for step in journey.steps():  # each step window repeats its step names on every slide
            if step.name in slide.notes_slide.notes_text_frame.text:
                assert step.name in slide_text(slide)
