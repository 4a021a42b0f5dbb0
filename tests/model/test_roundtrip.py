"""The file format loses nothing: load(dump(x)) == x, in YAML and in JSON."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from parcours.files import dumps, loads
from parcours.model.atlas import Atlas
from parcours.model.journey import Journey
from tests.strategies import atlases, journeys

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(journeys())
def test_journey_yaml_round_trip(journey: Journey) -> None:
    text = dumps(journey, "yaml")
    assert loads(text, "map.yaml") == journey


@SETTINGS
@given(journeys())
def test_journey_json_round_trip(journey: Journey) -> None:
    text = dumps(journey, "json")
    assert loads(text, "map.json") == journey


@SETTINGS
@given(journeys(branched=True))
def test_branched_journey_round_trip(journey: Journey) -> None:
    assert loads(dumps(journey, "yaml"), "map.yaml") == journey
    assert loads(dumps(journey, "json"), "map.json") == journey


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(atlases())
def test_workspace_round_trip(atlas: Atlas) -> None:
    assert loads(dumps(atlas, "yaml"), "ws.yaml") == atlas
    assert loads(dumps(atlas, "json"), "ws.json") == atlas


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(atlases())
def test_workspace_folder_round_trip(tmp_path_factory, atlas: Atlas) -> None:  # type: ignore[no-untyped-def]
    from parcours.files import load, save

    folder = tmp_path_factory.mktemp("ws") / "workspace"
    save(atlas, folder)
    assert (folder / "workspace.yaml").is_file()
    assert len(list((folder / "journeys").glob("*.yaml"))) == len(atlas.journeys)
    assert load(folder) == atlas


def test_an_explicitly_empty_phase_is_not_inferred_back() -> None:
    """Found by the derandomized CI profile: 'TRAITEMENT' suggests usage, but the map says none."""
    journey = Journey.model_validate(
        {"id": "j", "title": "J", "stages": [{"id": "s", "name": "TRAITEMENT", "phase": None}]}
    )
    text = dumps(journey, "yaml")
    assert "phase: null" in text
    assert loads(text, "map.yaml") == journey
    inferred = loads("parcours: 1\njourney: J\nstages:\n  - Traitement: []\n", "m.yaml")
    assert isinstance(inferred, Journey) and inferred.stages[0].phase == "usage"
