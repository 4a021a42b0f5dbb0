"""The words of the interface: every key in every language, with the same fields; every key a
template or a script asks for exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from parcours.model.words import LANGUAGES, table
from parcours.web import i18n

WEB = Path(i18n.__file__).parent


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_every_word_with_the_same_fields() -> None:
    english = table("UI", "en")
    for lang in LANGUAGES:
        words = table("UI", lang)
        assert sorted(set(english) ^ set(words)) == [], f"{lang}: keys differ from English"
        for key, text in english.items():
            assert text.strip() and words[key].strip(), f"{lang}: empty word {key}"
            assert _fields(text) == _fields(words[key]), f"{lang}: fields of {key} differ"


def _asked_for() -> set[str]:
    asked: set[str] = set()
    for path in [*WEB.glob("templates/**/*.html"), *WEB.glob("static/**/*.js")]:
        text = path.read_text(encoding="utf-8")
        asked |= set(re.findall(r"""\bt\(\s*["']([a-z][\w.]*[\w])["']""", text))
    return asked


def test_every_word_asked_for_exists() -> None:
    asked = _asked_for()
    assert len(asked) > 10
    assert sorted(asked - set(table("UI", "en"))) == []


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_the_translator_fills_fields(lang: str) -> None:
    t = i18n.translator(lang)
    assert "a@b.c" in t("signed_in_as", email="a@b.c")
    assert t("no.such.key") == "no.such.key"
