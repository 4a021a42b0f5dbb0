"""Figures written for people: rounding at unit boundaries, French forms, missing values."""

from __future__ import annotations

import math

import pytest

from parcours.analytics import formatting as f

NN = "\u202f"


@pytest.mark.parametrize(
    ("seconds", "en", "fr"),
    [
        (0, "0 s", "0 s"),
        (0.04, "0 s", "0 s"),
        (4.24, "4.2 s", "4,2 s"),
        (9.96, "10 s", "10 s"),
        (42.4, "42 s", "42 s"),
        (59.6, "1 min", "1 min"),
        (61, "1 min 1 s", "1 min 1 s"),
        (3599.6, "1 h", "1 h"),
        (5 * 3600 + 26 * 60 + 10, "5 h 26 min", "5 h 26 min"),
        (86_399, "1 d", "1 j"),
        (2 * 86400 + 3 * 3600 + 1000, "2 d 3 h", "2 j 3 h"),
        (1500 * 86400, "1,500 d", f"1{NN}500 j"),
        (-90, "-1 min 30 s", "-1 min 30 s"),
        (None, "—", "—"),
        (math.nan, "—", "—"),
    ],
)
def test_duration(seconds: float | None, en: str, fr: str) -> None:
    assert f.duration(seconds, "en") == en
    assert f.duration(seconds, "fr") == fr


def test_numbers_shares_and_points() -> None:
    assert f.count(1234567) == "1,234,567"
    assert f.count(1234567, "fr") == f"1{NN}234{NN}567"
    assert f.count(2.5) == "2.50"
    assert f.count(3.0) == "3"
    assert f.number(1234.567, "fr") == f"1{NN}234,57"
    assert f.share(0.382) == "38.2%"
    assert f.share(0.382, "fr") == f"38,2{NN}%"
    assert f.share(1.0) == "100.0%"
    assert f.points(0.052) == "+5.2 pts"
    assert f.points(-0.0001) == "+0.0 pts"  # no negative zero
    assert f.points(-0.2, "fr") == f"-20,0{NN}pts"
    assert f.money(1250, "fr", "€") == f"1{NN}250,00{NN}€"
    assert f.money(None) == "—"
    assert f.share(math.inf) == "—"
