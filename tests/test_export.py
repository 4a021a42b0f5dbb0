"""One table of outputs: every format has one writer, the model's views go through it."""

from __future__ import annotations

from pathlib import Path

import pytest

import parcours
from parcours import export
from parcours.catalog import demo_path, new_from_template
from parcours.errors import InvalidArgument, NotFound
from parcours.render import to_svg


def test_every_format_has_one_writer_and_every_suffix_one_format() -> None:
    assert set(export.WRITERS) == set(export.Format)
    suffixes = [s for w in export.WRITERS.values() for s in w.suffixes]
    assert len(suffixes) == len(set(suffixes))
    assert export.format_of("map.YML") is export.Format.yaml
    with pytest.raises(InvalidArgument, match=r"cannot tell the format of 'map\.docx'"):
        export.format_of("map.docx")
    with pytest.raises(InvalidArgument, match="unknown format 'docx'; expected one of: svg"):
        export.format_of("x", "docx")


def test_the_journey_views_are_the_exporter_s() -> None:
    atlas = new_from_template("bank-account-opening", "fr")
    journey = atlas.standalone(atlas.journeys[0].id)
    assert journey.to_svg() == export.export(journey, "svg") == to_svg(journey)
    assert journey._repr_svg_() == to_svg(journey)
    assert journey.to_yaml() == parcours.dumps(journey, "yaml")
    assert isinstance(export.export(journey, "png"), bytes)


def test_a_workspace_draws_its_journey_with_its_library_and_personas(tmp_path: Path) -> None:
    parcours.save(new_from_template("bank-account-opening", "fr"), tmp_path / "compte.yaml")
    loaded = parcours.load(tmp_path / "compte.yaml")  # a workspace, as 'parcours new' writes
    assert isinstance(loaded, parcours.Atlas)
    journey = loaded.standalone(loaded.journeys[0].id)
    expected = to_svg(journey, library=loaded.library, personas=loaded.personas)
    assert loaded.to_svg() == expected
    assert loaded.save_png(tmp_path / "compte.png").read_bytes()[:4] == b"\x89PNG"
    assert loaded.to_yaml() == parcours.dumps(loaded)


def test_a_workspace_of_several_journeys_asks_which_one() -> None:
    demo = parcours.load_atlas(demo_path())
    with pytest.raises(NotFound, match=r"holds \d+ journeys; choose one with journey="):
        demo.to_svg()
    assert demo._repr_svg_() is None
    first = demo.journeys[0].id
    assert "<svg" in demo.to_svg(journey=first)


def test_books_need_a_workspace() -> None:
    atlas = new_from_template("bank-account-opening", "en")
    with pytest.raises(InvalidArgument, match="drawn from a workspace"):
        export.export(atlas.standalone(atlas.journeys[0].id), "atlas")
    assert export.export(atlas, "personas")[:4] == b"%PDF"
