"""Is a comment French or English?

Two steps, both offline:

1. a count of frequent function words (« le », « est », « pas »… / "the", "is", "not"…)
   and of French letters (é, è, ç, à…) decides at once when one language leads by two
   or more — most comments, at almost no cost;
2. otherwise the lingua detector (its French and English models only, shipped in its wheel)
   decides; a text without words, or that lingua cannot place, gets the ``default``
   language (French unless told). One-word texts are guesses («Top», "Parfait").

A language given by the user (``--lang-col``) is read by :func:`normalize_language`, which
accepts ``fr``, ``fr-FR``, ``French``, ``français``, ``en``, ``en_GB``, ``anglais``….
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from parcours.errors import BadData

LANGUAGES = ("fr", "en")
_WORDS = re.compile(r"[^\W\d_]+")
_FR_LETTERS = re.compile(r"[éèêëàâçùûîïôœ]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FR = _words(
    "le la les un une des du de et est sont pas ne n je j vous nous il elle on mon ma mes "
    "votre vos ce cette c qu que qui pour avec sans sur dans au aux toujours rien très "
    "mais ou où bonjour merci été avoir être fait plus jamais aucun aucune personne "
    "depuis quand comment pourquoi quel quelle puis peut trop bien"
)
_EN = _words(
    "the a an and is are was were be been not no i my me you your we our it its this that "
    "of to in on for with without at from have has had do does did don t can could would "
    "will still never nothing nobody please thanks thank hello hi why how what when "
    "which there their they too very"
)
_ALIASES = {
    "fr": "fr",
    "fra": "fr",
    "fre": "fr",
    "french": "fr",
    "francais": "fr",
    "français": "fr",
    "en": "en",
    "eng": "en",
    "english": "en",
    "anglais": "en",
}


def normalize_language(value: str) -> str | None:
    """``fr`` or ``en`` from a user's language code or name; ``None`` when blank.

    Raises :class:`~parcours.errors.BadData` for another language."""
    text = value.strip().lower()
    if not text:
        return None
    code = _ALIASES.get(text) or _ALIASES.get(re.split(r"[-_]", text)[0])
    if code is None:
        raise BadData(
            f"language {value!r} is not handled; expected one of: fr, en "
            "(or a code such as fr-FR, en_GB; leave it empty to detect it)"
        )
    return code


def _votes(text: str) -> tuple[int, int, int]:
    words = _WORDS.findall(text.lower())
    fr = sum(w in _FR for w in words) + min(len(_FR_LETTERS.findall(text.lower())), 3)
    en = sum(w in _EN for w in words)
    return fr, en, len(words)


@cache
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.FRENCH, Language.ENGLISH).build()


def detect_language(text: str, default: str = "fr") -> str:
    """``fr`` or ``en`` for ``text``; ``default`` when it cannot be told."""
    fr, en, n_words = _votes(text)
    if abs(fr - en) >= 2:
        return "fr" if fr > en else "en"
    if n_words == 0:
        return default
    found = _detector().detect_language_of(text)
    if found is None:
        return default
    return "fr" if found.name == "FRENCH" else "en"
