"""Numbers, durations and shares written for people, in English or French.

The one place where analytics figures become text: counts with thousands separators
(``12,345`` / ``12 345``), durations in human units (``5 h 26 min``, ``2 d 3 h`` /
``2 j 3 h``), shares as percentages (``38.2%`` / ``38,2 %``), differences of shares in
percentage points, amounts with two decimals. JSON keeps the machine values; only tables
use these. A missing value is an em dash.
"""

from __future__ import annotations

import math
from typing import Literal

Lang = Literal["en", "fr"]
LANGS: tuple[Lang, ...] = ("en", "fr")

MISSING = "—"
#: French thousands separator and space before % (narrow no-break space).
NNBSP = "\u202f"

_DAY = {"en": "d", "fr": "j"}


def _missing(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def _group(text: str, lang: Lang) -> str:
    """``1,234.5`` in English, ``1 234,5`` in French (from an English-formatted number)."""
    if lang == "fr":
        return text.replace(",", NNBSP).replace(".", ",")
    return text


def count(value: float | int | None, lang: Lang = "en") -> str:
    """A whole number with thousands separators; a non-integral float keeps 2 decimals."""
    if _missing(value):
        return MISSING
    assert value is not None
    if isinstance(value, float) and not value.is_integer():
        return number(value, lang)
    return _group(f"{int(value):,}", lang)


def number(value: float | int | None, lang: Lang = "en", digits: int = 2) -> str:
    """A decimal number with thousands separators and ``digits`` decimals."""
    if _missing(value):
        return MISSING
    return _group(f"{float(value):,.{digits}f}", lang)  # type: ignore[arg-type]


def money(value: float | int | None, lang: Lang = "en", currency: str | None = None) -> str:
    """An amount with 2 decimals, followed by its currency when known (``1,250.00 €``)."""
    text = number(value, lang, 2)
    if text == MISSING or not currency:
        return text
    return f"{text}{NNBSP if lang == 'fr' else ' '}{currency}"


def share(value: float | None, lang: Lang = "en", digits: int = 1) -> str:
    """A ratio as a percentage: ``0.382`` → ``38.2%`` (``38,2 %`` in French)."""
    if _missing(value):
        return MISSING
    assert value is not None
    text = _group(f"{value * 100:,.{digits}f}", lang)
    return f"{text}{NNBSP}%" if lang == "fr" else f"{text}%"


def points(value: float | None, lang: Lang = "en", digits: int = 1) -> str:
    """A difference of two ratios in percentage points, signed: ``+5.2 pts``."""
    if _missing(value):
        return MISSING
    assert value is not None
    text = _group(f"{value * 100:+,.{digits}f}", lang)
    if text in ("-0.0", "-0,0"):
        text = text.replace("-", "+")
    return f"{text}{NNBSP if lang == 'fr' else ' '}pts"


def duration(seconds: float | None, lang: Lang = "en") -> str:
    """Seconds in the two largest human units: ``42 s``, ``4.2 s``, ``12 min 5 s``,
    ``5 h 26 min``, ``2 d 3 h`` (``2 j 3 h`` in French); rounded on the smaller unit."""
    if _missing(seconds):
        return MISSING
    assert seconds is not None
    sign = "-" if seconds < 0 else ""
    s = abs(float(seconds))
    if s < 9.95 and not float(round(s, 1)).is_integer():
        return sign + _group(f"{s:.1f}", lang) + " s"
    whole = round(s)
    if whole < 60:
        return f"{sign}{whole} s"
    if whole < 3600:
        return f"{sign}{whole // 60} min" + (f" {whole % 60} s" if whole % 60 else "")
    minutes = round(s / 60)
    if minutes < 24 * 60:
        return f"{sign}{minutes // 60} h" + (f" {minutes % 60} min" if minutes % 60 else "")
    hours = round(s / 3600)
    day = _DAY[lang]
    return f"{sign}{count(hours // 24, lang)} {day}" + (f" {hours % 24} h" if hours % 24 else "")
