"""The language of the interface and its words.

The interface speaks the language the user chose (the ``parcours_lang`` cookie set by
``/lang``), else the browser's first supported ``Accept-Language``, else English. Its words
live in the one module of words per language (:data:`parcours.model.words.en.UI` and
:data:`parcours.model.words.fr.UI`); a journey's own content stays in its language.

>>> t = translator("fr")
>>> t("nav.atlas")
'Atlas'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from starlette.requests import Request

from parcours.analytics import formatting
from parcours.model.words import LANGUAGES, table
from parcours.model.words import words as word_module

COOKIE = "parcours_lang"
UI_LANGS: tuple[str, ...] = tuple(LANGUAGES)


def ui_lang(request: Request) -> str:
    """The interface language of a request: the cookie, then Accept-Language, then English."""
    chosen = request.cookies.get(COOKIE, "")
    if chosen in UI_LANGS:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in UI_LANGS:
            return code
    return "en"


def words(lang: str) -> dict[str, str]:
    """Every word of the interface in ``lang`` (the page hands them to its scripts)."""
    return table("UI", lang)


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **values)``: the word ``key`` in ``lang`` with ``{name}`` fields filled.

    A key missing from the language falls back to English, then to the key itself (a test
    lists keys missing from either catalogue, so neither happens in a release).
    """
    own, english = words(lang), words("en")

    def t(key: str, /, **values: object) -> str:
        text = own.get(key) or english.get(key) or key
        return text.format(**values) if values else text

    return t


def date(value: dt.date | dt.datetime | str | None, lang: str, *, time: bool = False) -> str:
    """A date (and time) as the language writes it: ``4 déc. 2026`` / ``4 Dec 2026``."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = value
        try:
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return text
    months: list[str] = word_module(lang).MONTHS_SHORT
    day = value.date() if isinstance(value, dt.datetime) else value
    text = f"{day.day} {months[day.month - 1]} {day.year}"
    if time and isinstance(value, dt.datetime):
        text += f" {value:%H:%M}" if lang == "fr" else f", {value:%H:%M}"
    return text


def number(value: float | int | None, lang: str, digits: int = 0) -> str:
    """A number with the language's grouping and decimal mark."""
    if value is None:
        return ""
    if digits == 0 and float(value).is_integer():
        return formatting.count(int(value), "fr" if lang == "fr" else "en")
    return formatting.number(value, "fr" if lang == "fr" else "en", digits)
