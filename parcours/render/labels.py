"""The words (from :mod:`parcours.model.words`) and number formats of the rendered map.

A journey's ``lang`` picks the language (French when it starts with ``fr``, else English).
"""

from __future__ import annotations

import math

from parcours.model import words
from parcours.model.words import LANGUAGES, table

LABELS: dict[str, dict[str, str]] = {lang: table("MAP", lang) for lang in LANGUAGES}


def language(lang: str | None) -> str:
    """The language of the words of a map whose ``lang`` is ``lang``."""
    return words.language(lang)


def label(key: str, lang: str) -> str:
    table = LABELS.get(lang, LABELS["en"])
    return table.get(key, LABELS["en"].get(key, key))


def number(value: float, lang: str) -> str:
    """``1234.5`` → ``1 234,5`` (fr) or ``1,234.5`` (en); integers without decimals."""
    if not math.isfinite(value):
        return "—"
    rounded = round(value, 2)
    if rounded == int(rounded):
        text = f"{int(rounded):,}"
    else:
        text = f"{rounded:,.2f}".rstrip("0").rstrip(".")
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def with_unit(value: float | None, unit: str | None, lang: str) -> str:
    """A value and its unit: ``38 %`` (fr) / ``38%`` (en), ``4,6/5``, ``24 €``, ``5 jours``."""
    if value is None:
        return "—"
    text = number(value, lang)
    if not unit:
        return text
    if unit == "%":
        return text + ("\u202f%" if lang == "fr" else "%")
    if unit.startswith("/"):
        return text + unit
    return f"{text}\u00a0{unit}"


def share(value: float, lang: str) -> str:
    """A share 0…1 as a percentage: ``0.8`` → ``80 %`` (fr) / ``80%`` (en)."""
    return with_unit(round(value * 100, 1), "%", lang)
