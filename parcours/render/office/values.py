"""Reading cell values of an edited workbook: texts, numbers, shares, yes/no, dates."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from parcours.render.office import sheets as X


def as_text(value: Any) -> str | None:
    """A cell's value as text (None when empty)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "yes" if value else None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return X.number_text(value)
    return str(value)


def norm(value: Any) -> Any:
    """What the export wrote or the sheet holds, comparable: texts, numbers, dates."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, str):  # as the export wrote it: without XML's forbidden characters
        value = X.cell_text(value)
        return value if value.strip() else None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def yes(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = (as_text(value) or "").strip().lower()
    return text in ("yes", "y", "true", "1", "x", "oui", "vrai", "✓", "✔")


NUMBER = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*(%?)\s*$")


def number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    match = NUMBER.match(str(value).replace("\u202f", "").replace("\xa0", ""))
    if not match:
        raise ValueError(f"'{value}' is not a number")
    return float(match.group(1).replace(",", "."))


def share(text: str) -> float:
    match = NUMBER.match(text.replace("\u202f", "").replace("\xa0", ""))
    if not match:
        raise ValueError(f"share '{text}' is not a number or a percentage")
    value = float(match.group(1).replace(",", "."))
    result = value / 100 if match.group(2) or value > 1 else value
    if not 0 <= result <= 1:
        raise ValueError(f"share '{text}' is not between 0 and 100 %")
    return result


def lines(value: Any) -> list[str]:
    text = as_text(value)
    return [line.strip() for line in text.splitlines() if line.strip()] if text else []


def short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def required(value: Any) -> str:
    text = as_text(value)
    if not text:
        raise ValueError("it is empty")
    return text


def choice(value: Any) -> str:
    text = as_text(value)
    if not text:
        raise ValueError("it is empty")
    return text.strip().lower().replace(" ", "_") if "_" not in text else text.strip().lower()


def date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())
