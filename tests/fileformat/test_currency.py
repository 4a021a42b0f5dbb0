"""The currency of a map's values: read as an ISO 4217 code, written back, given to journeys."""

from __future__ import annotations

from pathlib import Path

import pytest

import parcours
from parcours.errors import InvalidJourney


@pytest.mark.parametrize(
    ("written", "code"), [("EUR", "EUR"), ("chf", "CHF"), ("€", "EUR"), ("euros", "EUR")]
)
def test_a_currency_is_read_as_its_code(tmp_path: Path, written: str, code: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(f"journey: Achat\ncurrency: '{written}'\nstages:\n  - A: [x]\n")
    journey = parcours.load(path)
    assert journey.currency == code
    assert f"currency: {code}" in journey.to_yaml()


def test_a_word_that_is_no_currency_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("journey: Achat\ncurrency: euro money\nstages:\n  - A: [x]\n")
    with pytest.raises(InvalidJourney) as caught:
        parcours.load(path)
    text = str(caught.value)
    assert "m.yaml:2" in text and "'euro money'" in text and "EUR" in text


def test_a_workspace_currency_goes_to_its_journeys(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(
        "workspace: Banque\ncurrency: CHF\njourneys:\n"
        "  - journey: A\n    stages:\n      - S: [x]\n"
        "  - journey: B\n    currency: EUR\n    stages:\n      - S: [y]\n"
    )
    atlas = parcours.load(path)
    assert atlas.currency == "CHF"
    assert atlas.standalone("a").currency == "CHF"
    assert atlas.standalone("b").currency == "EUR"
