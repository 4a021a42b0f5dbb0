"""Every word parcours shows, one module per language (:mod:`.en`, :mod:`.fr`).

The drawn map, the persona cards and atlas, the Excel workbook, the sentences of a diff
and, later, the web pages read their words here: a new language is one new module and one
line in :data:`LANGUAGES`. :func:`language` is the one rule that turns a ``lang`` field
into a language of this table; :func:`detect` guesses it from the text when no ``lang`` is
given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from types import ModuleType

from parcours.model.words import en, fr

LANGUAGES: dict[str, ModuleType] = {"en": en, "fr": fr}
DEFAULT = "en"


def language(*langs: str | None) -> str:
    """The first given ``lang`` that is set, as a language of the table (``fr-BE`` → ``fr``);
    English when none is set or the language has no words yet."""
    for lang in langs:
        if lang:
            code = lang.strip().lower()[:2]
            return code if code in LANGUAGES else DEFAULT
    return DEFAULT


def words(lang: str | None) -> ModuleType:
    """The module of words of a language (English for an unknown one)."""
    return LANGUAGES[language(lang)]


def table(section: str, lang: str | None) -> dict[str, str]:
    """One table of words (``MAP``, ``BOOK``, ``SHEET``…) in a language."""
    value: dict[str, str] = getattr(words(lang), section)
    return value


#: Words that are frequent in French text and rare in English text.
_FRENCH = frozenset(
    [
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "et",
        "est",
        "sont",
        "pour",
        "avec",
        "dans",
        "sur",
        "par",
        "au",
        "aux",
        "pas",
        "ne",
        "que",
        "qui",
        "son",
        "sa",
        "ses",
        "leur",
        "vous",
        "nous",
        "il",
        "elle",
        "client",
        "clients",
        "commande",
        "livraison",
        "paiement",
        "compte",
        "magasin",
        "étape",
        "étapes",
        "parcours",
        "achat",
        "été",
        "très",
        "être",
        "avoir",
        "fait",
        "où",
        "ça",
        "à",
    ]
)
_ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "is",
        "are",
        "for",
        "with",
        "in",
        "on",
        "by",
        "to",
        "of",
        "not",
        "that",
        "who",
        "his",
        "her",
        "their",
        "you",
        "we",
        "it",
        "customer",
        "customers",
        "order",
        "delivery",
        "payment",
        "account",
        "shop",
        "store",
        "step",
        "steps",
        "journey",
        "purchase",
        "was",
        "very",
        "be",
        "have",
    ]
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)


def detect(texts: Iterable[str]) -> str | None:
    """``fr`` or ``en`` from the words of ``texts`` (titles, step names, cards), or None
    when too few words tell. A simple count of frequent words: enough to pick the words of
    a map, not a language detector."""
    french = english = 0
    for text in texts:
        for word in _WORD.findall(text.lower()):
            word = word.split("'")[-1]
            french += word in _FRENCH or any(c in word for c in "éèêàçùœ")
            english += word in _ENGLISH
    if french + english < 3 or french == english:
        return None
    return "fr" if french > english else "en"
