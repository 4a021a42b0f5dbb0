"""A journey of a workspace can be taken out, edited, saved and read back on its own."""

from __future__ import annotations

from pathlib import Path

import parcours
from parcours import files
from parcours.catalog import demo_path, load_demo
from parcours.model.operations import SetEmotion, SetStepField


def test_a_workspace_journey_stands_alone(tmp_path: Path) -> None:
    atlas = load_demo()
    for journey in atlas.journeys:
        alone = atlas.standalone(journey.id)
        assert alone.stages == journey.stages and alone.cells == journey.cells
        used = {t for s in alone.steps() for t in s.touchpoints}
        assert used <= {t.id for t in alone.library.touchpoints}
        path = files.save(alone, tmp_path / f"{journey.id}.yaml")
        assert files.load(path) == alone


def test_edits_inside_a_workspace_use_its_library() -> None:
    atlas = load_demo()
    journey = atlas.journeys[0]
    step = journey.steps()[0]
    edited = journey.apply(SetEmotion(step=step.id, score=2), library=atlas.library)
    assert edited.cell("emotions", step.id)[0].score == 2
    moved = edited.apply(
        SetStepField(step=step.id, field="touchpoints", value=[atlas.library.touchpoints[-1].id]),
        library=atlas.library,
    )
    assert moved.step(step.id).touchpoints == [atlas.library.touchpoints[-1].id]


def test_load_journey_of_the_demo_folder_needs_a_choice() -> None:
    import pytest

    from parcours.errors import NotFound

    with pytest.raises(NotFound, match="holds 4 journeys; choose one with --journey"):
        files.load_journey(demo_path())
    assert files.load_journey(demo_path(), "achat-en-ligne").id == "achat-en-ligne"


def test_a_journey_taken_out_of_a_workspace_keeps_its_language() -> None:
    from parcours.model.atlas import Atlas
    from parcours.model.journey import Journey

    journey = Journey.model_validate(
        {"id": "j", "title": "T", "stages": [{"id": "s", "name": "S"}]}
    )
    atlas = Atlas(lang="fr", journeys=[journey])
    assert atlas.standalone("j").lang == "fr"
    assert (
        Atlas(lang="fr", journeys=[journey.model_copy(update={"lang": "en"})]).standalone("j").lang
        == "en"
    )


def test_a_journey_file_of_a_workspace_folder_is_read_with_its_workspace(tmp_path: Path) -> None:
    """Its touchpoints and KPIs are named by name in the file: read alone, their ids would be
    rebuilt from the names (ctr → taux-de-clic-publicitaire) and directions lost."""
    demo = parcours.load_atlas(demo_path())
    parcours.save(demo, tmp_path / "ws")
    journey = parcours.load(tmp_path / "ws" / "journeys" / "achat-en-ligne.yaml")
    assert isinstance(journey, parcours.Journey)
    assert journey == demo.standalone("achat-en-ligne")
    kpis = {k.id: k for k in journey.library.kpis}
    assert "ctr" in kpis and kpis["cart-abandonment"].higher_is_better is False


def test_a_journey_file_its_workspace_does_not_list_says_so(tmp_path: Path) -> None:
    demo = parcours.load_atlas(demo_path())
    parcours.save(demo, tmp_path / "ws")
    stray = tmp_path / "ws" / "journeys" / "copy.yaml"
    text = (tmp_path / "ws" / "journeys" / "achat-en-ligne.yaml").read_text(encoding="utf-8")
    stray.write_text(text.replace("id: achat-en-ligne", "id: copie"), encoding="utf-8")
    result, problems = parcours.read(stray)
    assert result is None
    assert "does not list it; add 'copy.yaml' to 'journeys'" in str(problems[-1])
