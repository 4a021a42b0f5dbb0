"""Words, dates, numbers and money as each language writes them; the documents' colours."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from parcours.escape.html import text as esc
from parcours.model.words import LANGUAGES, table
from parcours.render.theme import Theme, tint

LABELS: dict[str, dict[str, str]] = {lang: table("BOOK", lang) for lang in LANGUAGES}

MONTHS = {lang: module.MONTHS for lang, module in LANGUAGES.items()}


def format_date(day: dt.date, lang: str) -> str:
    month = MONTHS[lang][day.month - 1]
    if lang == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{day.day} {month} {day.year}"


def short_date(day: dt.date, lang: str) -> str:
    """``3 déc. 2026`` (fr) / ``3 Dec 2026`` (en): a date for a table column."""
    return f"{day.day}\u00a0{LANGUAGES[lang].MONTHS_SHORT[day.month - 1]}\u00a0{day.year}"


def format_number(value: float | None, lang: str) -> str:
    """``12345.5`` → ``12 345,5`` (fr, narrow no-break spaces) or ``12,345.5`` (en)."""
    if value is None:
        return ""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


#: Symbols of the usual currencies; any other ISO code is written as is (``1 200 CHF``).
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}


def format_money(value: float | None, lang: str, currency: str | None) -> str:
    """An amount with its currency as the language writes it: ``12 000 €`` (fr),
    ``€12,000`` (en), ``1,200 CHF``; the bare number when no currency is known."""
    text = format_number(value, lang)
    if not text or not currency:
        return text
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    if lang == "fr" or len(symbol) > 1:
        return f"{text}\u00a0{symbol}"
    return f"{symbol}{text}"


def age_text(age_range: str, lang: str) -> str:
    """``25-34`` → ``25–34 ans``; free text is kept as written."""
    match = re.fullmatch(r"\s*(\d+)\s*[-–]\s*(\d+)\s*", age_range)
    if match:
        return f"{match[1]}–{match[2]} {LABELS[lang]['years']}"
    if re.fullmatch(r"\s*\d+\s*\+?\s*", age_range):
        return f"{age_range.strip()} {LABELS[lang]['years']}"
    return age_range


def quoted(text: str, lang: str) -> str:
    """A quote between the language's quotation marks (unless it already has some)."""
    text = text.strip()
    if text[:1] in "«“\"'‘„":
        return text
    return f"«\u00a0{text}\u00a0»" if lang == "fr" else f"“{text}”"


def initials(name: str) -> str:
    words = [w for w in name.split() if w[0].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


#: Colours come from the map's :class:`Theme` (its only owner): accents of personas and
#: journeys are the stage colours (they read well with white text), with their tints.
_THEME = Theme()
PALETTE = list(_THEME.stage_colors)
SOFT = [tint(colour, 0.15) for colour in PALETTE]
SEVERITY_COLOURS = dict(_THEME.severity_colors)
PRIORITY_COLOURS = dict(_THEME.priority_colors)


def ul(items: Iterable[str], cls: str = "") -> str:
    rows = "".join(f"<li>{esc(item)}</li>" for item in items)
    return f'<ul class="{cls}">{rows}</ul>' if rows else ""
