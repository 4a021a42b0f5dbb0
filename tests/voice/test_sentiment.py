"""Sentiment: rules on chosen sentences, and accuracy on the held-out labelled comments.

The held-out sets (``tests/data/voice/heldout_*.csv``) were written before the lexicons
and are never used to tune them; tuning uses ``dev_*.csv`` only.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from parcours.voice.sentiment import LABELS, sentiment

DATA = Path(__file__).parent.parent / "data" / "voice"


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((DATA / name).read_text(encoding="utf-8").splitlines()))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_accuracy_on_the_held_out_set_is_at_least_85_percent(lang: str) -> None:
    rows = _rows(f"heldout_{lang}.csv")
    assert len(rows) >= 200
    assert {r["label"] for r in rows} == set(LABELS)
    confusion: Counter[tuple[str, str]] = Counter()
    for row in rows:
        confusion[(row["label"], sentiment(row["text"], lang).label)] += 1
    correct = sum(n for (want, got), n in confusion.items() if want == got)
    accuracy = correct / len(rows)
    assert accuracy >= 0.85, (accuracy, sorted(confusion.items()))


@pytest.mark.parametrize(
    ("text", "lang", "label"),
    [
        ("Rien à redire, parfait.", "fr", "positive"),
        ("Pas terrible.", "fr", "negative"),
        ("Je ne suis pas du tout satisfait.", "fr", "negative"),
        ("Pas déçu du tout !", "fr", "positive"),
        ("L'application ne fonctionne pas.", "fr", "negative"),
        ("Toujours rien.", "fr", "negative"),
        ("Personne ne m'a répondu.", "fr", "negative"),
        ("On m'a raccroché au nez.", "fr", "negative"),
        ("Rappel promis jamais venu.", "fr", "negative"),
        ("Remboursement refusé.", "fr", "negative"),
        ("C'est une arnaque.", "fr", "negative"),
        ("Livraison sans souci, rapide.", "fr", "positive"),
        ("Un peu cher mais la qualité est excellente.", "fr", "positive"),
        ("Aimable mais le problème n'est toujours pas réglé.", "fr", "negative"),
        ("Pouvez-vous me rappeler au sujet de ma commande ?", "fr", "neutral"),
        ("Still waiting.", "en", "negative"),
        ("Never called back.", "en", "negative"),
        ("I was charged twice.", "en", "negative"),
        ("It doesn't work.", "en", "negative"),
        ("No complaints at all.", "en", "positive"),
        ("Not happy at all.", "en", "negative"),
        ("Can you call me back about my order?", "en", "neutral"),
    ],
)
def test_rules(text: str, lang: str, label: str) -> None:
    assert sentiment(text, lang).label == label


def test_scores_are_in_range_and_ordered() -> None:
    strong = sentiment("Arnaque, inadmissible, scandaleux !!!", "fr").score
    mild = sentiment("Un peu lent.", "fr").score
    assert -1 <= strong < mild < 0
    assert sentiment("Bonjour.", "fr").score == 0
