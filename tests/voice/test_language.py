"""French or English, from the text or from a user's column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from parcours.errors import BadData
from parcours.voice.language import detect_language, normalize_language

DATA = Path(__file__).parent.parent / "data" / "voice"


def test_the_labelled_comments_are_placed_in_their_language() -> None:
    wrong = []
    total = 0
    for lang in ("fr", "en"):
        for name in ("heldout", "dev"):
            text = (DATA / f"{name}_{lang}.csv").read_text(encoding="utf-8")
            for row in csv.DictReader(text.splitlines()):
                total += 1
                if detect_language(row["text"]) != lang:
                    wrong.append(row["text"])
    assert total > 500
    assert len(wrong) <= 2, wrong  # one-word comments such as « Top service. » are guesses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Toujours rien reçu, c'est une honte.", "fr"),
        ("Still nothing, this is a disgrace.", "en"),
        ("Unacceptable.", "en"),
        ("Inadmissible, vraiment.", "fr"),
    ],
)
def test_short_texts(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_a_text_without_words_gets_the_default() -> None:
    assert detect_language("123 !!!", default="en") == "en"
    assert detect_language("", default="fr") == "fr"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("fr", "fr"),
        ("FR-fr", "fr"),
        ("Français", "fr"),
        ("en_GB", "en"),
        ("English", "en"),
        (" ", None),
    ],
)
def test_user_languages_are_normalised(given: str, expected: str | None) -> None:
    assert normalize_language(given) == expected


def test_another_language_is_refused_with_the_choices() -> None:
    with pytest.raises(BadData, match=r"language 'de' is not handled; expected one of: fr, en"):
        normalize_language("de")


def test_the_package_names_load_on_first_use() -> None:
    import subprocess
    import sys

    code = (
        "import sys, parcours.voice as v; "
        "assert not any(m.startswith(('lingua', 'sklearn', 'simplemma', 'scipy')) for m in sys.modules); "
        "assert v.__all__ == sorted(v.__all__); "
        "print(v.mask_text('06 12 34 56 78'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[téléphone]"
