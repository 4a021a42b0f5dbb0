"""diff() says in words what changed between two versions of a journey."""

from __future__ import annotations

from parcours.model.diff import diff
from parcours.model.journey import Journey

BASE = {
    "id": "j",
    "title": "Achat",
    "paths": [{"id": "web", "name": "En ligne"}, {"id": "shop", "name": "En magasin"}],
    "stages": [
        {
            "id": "s1",
            "name": "Découverte",
            "steps": [{"id": "a", "name": "Voit une pub", "path": "web"}],
        },
        {"id": "s2", "name": "Achat", "steps": [{"id": "b", "name": "Paie"}]},
    ],
    "lanes": [{"id": "actions", "kind": "actions"}, {"id": "emotions", "kind": "emotions"}],
    "cells": {"emotions": {"b": [{"type": "emotion", "score": -1}]}},
    "comments": [{"id": "c1", "text": "À vérifier"}],
    "library": {"touchpoints": [{"id": "app", "name": "Appli"}, {"id": "web", "name": "Site"}]},
}


def journey(**changes: object) -> Journey:
    return Journey.model_validate({**BASE, **changes})


def messages(**changes: object) -> list[str]:
    return [str(c) for c in diff(journey(), journey(**changes))]


def test_equal_journeys_have_no_changes() -> None:
    assert diff(journey(), journey()) == []


def test_stages_added_removed_renamed_and_reordered() -> None:
    stages = [
        {"id": "s2", "name": "Paiement", "steps": [{"id": "b", "name": "Paie"}]},
        {"id": "s3", "name": "Fidélisation", "phase": "loyalty"},
    ]
    got = messages(
        stages=stages, cells={"emotions": {"b": [{"type": "emotion", "score": -1}]}}, paths=[]
    )
    assert "stage 'Fidélisation' added" in got
    assert "stage 'Découverte' removed" in got
    assert "stage 'Achat' renamed 'Paiement'" in got
    assert "step 'Voit une pub' removed from stage 'Découverte'" in got
    assert "path 'En ligne' removed" in got


def test_paths_lanes_comments_and_library() -> None:
    got = messages(
        paths=[{"id": "shop", "name": "En boutique"}, {"id": "web", "name": "En ligne"}],
        lanes=[
            {"id": "emotions", "kind": "emotions", "title": "Ressenti"},
            {"id": "notes", "kind": "notes"},
        ],
        comments=[{"id": "c2", "text": "Vu en atelier"}],
        library={
            "touchpoints": [{"id": "web", "name": "Site"}, {"id": "app", "name": "Application"}]
        },
    )
    assert any(m.startswith("path 'En magasin' changed") for m in got)
    assert "paths reordered" in got
    assert "lane 'notes' (notes) added" in got
    assert "lane 'actions' removed" in got
    assert "title of lane 'emotions' (none) → Ressenti" in got
    assert "comment added: “Vu en atelier”" in got
    assert "comment removed: “À vérifier”" in got
    assert "touchpoint 'Application' changed" in got
    assert "touchpoints reordered" in got


def test_emotion_change_is_a_sentence() -> None:
    got = messages(cells={"emotions": {"b": [{"type": "emotion", "score": 1}]}})
    assert got == ["emotion at 'Paie' −1 → +1"]


def test_a_reworded_pain_point_is_changed_not_added_and_removed() -> None:
    a = journey(
        lanes=[{"id": "pain_points", "kind": "pain_points"}],
        cells={"pain_points": {"b": [{"type": "pain_point", "text": "Trop long"}]}},
    )
    b = journey(
        lanes=[{"id": "pain_points", "kind": "pain_points"}],
        cells={"pain_points": {"b": [{"type": "pain_point", "text": "Beaucoup trop long"}]}},
    )
    (change,) = diff(a, b)
    assert str(change) == "pain_points at 'Paie': “Trop long” changed to “Beaucoup trop long”"
    assert change.code == "cell.changed"
    assert change.sentence("fr") == (
        "pain_points à « Paie » : « Trop long » devient « Beaucoup trop long »"
    )


def test_every_change_has_its_code_and_a_french_sentence() -> None:
    changes = diff(
        journey(),
        journey(
            stages=[{"id": "s2", "name": "Paiement", "steps": [{"id": "b", "name": "Paie"}]}],
            cells={"emotions": {"b": [{"type": "emotion", "score": 2}]}},
            paths=[],
            comments=[],
            library={"touchpoints": [{"id": "web", "name": "Site"}]},
        ),
    )
    said = {c.code: c.sentence("fr") for c in changes}
    assert said["stage.removed"] == "phase « Découverte » supprimée"
    assert said["stage.renamed"] == "phase « Achat » renommée « Paiement »"
    assert said["cell.emotion"] == "émotion à « Paie » : −1 → +2"
    assert said["library.removed"] == "point de contact « Appli » supprimé"
    assert all(c.code and c.sentence("en") == c.message for c in changes)
    assert all(c.to_dict()["params"] == dict(c.params) for c in changes)


def test_none_is_said_in_the_language_of_the_sentence() -> None:
    (change,) = diff(journey(), journey(owner="Léa"))
    assert change.message == "owner (none) → Léa"
    assert change.sentence("fr") == "owner : (aucun) → Léa"
