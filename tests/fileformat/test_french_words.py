"""`validate` reads the French words of enumerations that the French outputs show."""

from __future__ import annotations

import pytest

from parcours.files import reads
from parcours.model.journey import Journey
from parcours.model.words import fr

HEAD = "parcours: 1\njourney: Ouverture\nlang: fr\n"


def journey(text: str) -> Journey:
    result, problems = reads(HEAD + text, "fr.yaml")
    assert isinstance(result, Journey), [str(p) for p in problems]
    return result


def card(field: str, value: str, lane: str) -> object:
    text = "pain_points" if lane == "pain_points" else "opportunities"
    j = journey(
        f"stages:\n  - A:\n      - B:\n          {text}:\n            - {{text: X, {field}: '{value}'}}\n"
    )
    return getattr(j.cell(text, j.steps()[0].id)[0], field)


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("rupture", "rupture"),
        ("Rupture", "rupture"),
        ("bloquant", "blocker"),
        ("Blocage", "blocker"),
        ("irritant", "irritant"),
    ],
)
def test_severities(word: str, value: str) -> None:
    assert card("severity", word, "pain_points") == value


@pytest.mark.parametrize(
    ("field", "word", "value"),
    [
        ("priority", "haute", "high"),
        ("priority", "Critique", "critical"),
        ("priority", "basse", "low"),
        ("status", "en cours", "in_progress"),
        ("status", "En Cours", "in_progress"),
        ("status", "planifiée", "planned"),
        ("status", "planifie", "planned"),
        ("status", "abandonnée", "dropped"),
    ],
)
def test_opportunity_words(field: str, word: str, value: str) -> None:
    assert card(field, word, "opportunities") == value


def test_header_words_come_from_the_words_module() -> None:
    j = journey(
        f"state: {fr.MAP['state.future']}\nstatus: {fr.MAP['status.validated']}\n"
        f"evidence: {fr.MAP['evidence.mixed']}\nstages:\n  - A: [b]\n"
    )
    assert (j.state, j.status, j.evidence) == ("future", "validated", "mixed")


def test_other_words_are_still_refused_with_the_choices() -> None:
    result, problems = reads(HEAD + "status: peut-être\nstages:\n  - A: [b]\n", "fr.yaml")
    assert result is None
    assert (
        "fr.yaml:4:9: 'status' is 'peut-être'; expected one of: draft, validated, archived"
        in str(problems[0])
    )
