"""The PowerPoint deck: real shapes and text frames, read back with python-pptx."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE, MSO_SHAPE_TYPE
from pptx.util import Inches

import parcours.files as files
from parcours.render.pptx import MAX_STEPS_PER_SLIDE, save_pptx
from tests.render.test_xlsx import TEMPLATES, branched, linear


def texts(path: Path) -> list[list[str]]:
    deck = Presentation(str(path))
    return [
        [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        for slide in deck.slides
    ]


def test_a_short_map_is_a_title_slide_then_one_slide_of_real_text(tmp_path: Path) -> None:
    journey = linear()
    out = save_pptx(journey, tmp_path / "m.pptx")
    deck = Presentation(str(out))
    assert (deck.slide_width, deck.slide_height) == (12192000, Inches(7.5))  # 16:9, 13.33 x 7.5 in
    assert len(deck.slides) == 3  # title, map, opportunities
    table = next(s for s in deck.slides[2].shapes if s.has_table).table
    assert table.cell(1, 0).text and table.cell(0, 1).text == "Étape"
    assert journey.title in deck.slides[0].shapes[0].text_frame.text
    slide = deck.slides[1]
    notes = slide.notes_slide.notes_text_frame.text
    for step in journey.steps():
        assert step.name in notes  # speaker notes walk through the steps
        if step.description:
            assert step.description in notes
    found = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    for step in journey.steps():
        assert step.name in found
    for text in (
        "Achat éclair 🛒",
        "Clique sur l'annonce",
        "Ça a l'air bien 😍",
        "Paiement refusé",
        "Boutique à Élancourt",
    ):
        assert text in found, text
    kinds = {s.shape_type for s in slide.shapes}
    assert MSO_SHAPE_TYPE.PICTURE not in kinds
    assert MSO_SHAPE_TYPE.FREEFORM in kinds  # the emotion curve
    faces = [
        s
        for s in slide.shapes
        if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE
        and s.auto_shape_type == MSO_SHAPE.SMILEY_FACE
        and s.name.startswith("emotion")
    ]
    assert len(faces) == 3
    frown = next(f for f in faces if f.name.endswith("-1"))
    assert frown.adjustments[0] < 0


def test_a_branched_map_has_connectors_with_labels_and_markers(tmp_path: Path) -> None:
    out = save_pptx(branched(), tmp_path / "b.pptx")
    slide = Presentation(str(out)).slides[1]
    found = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert "+Parcours web" in found and "Parcours boutique" in found
    assert "Pièce manquante" in found and "Dossier complet" in found
    names = [s.name for s in slide.shapes]
    assert "entry visits-site" in names and "entry enters-shop" in names
    xml = slide.shapes._spTree.xml
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
        map_slides = len(deck.slides) - len(personas) - len(opportunities) - 1
        steps = journey.steps()
        assert 1 <= map_slides <= -(-len(steps) // 2)
        if len(steps) > MAX_STEPS_PER_SLIDE:
            assert map_slides > 1
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
    personas = [p for p in atlas.personas if p.id in journey.personas]
    slides = [
        s
        for s in list(deck.slides)[1 : len(deck.slides) - len(personas)]
        if not any(shape.name == "opportunities title" for shape in s.shapes)
    ]
    assert len(slides) > 1
    for slide in slides:
        assert 'tailEnd type="triangle"' in slide.shapes._spTree.xml
