"""Shared building blocks of the model: the base class, ids and slugs."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

#: An identifier: lower-case letters, digits, ``_`` and ``-``; starts with a letter or digit.
ID_PATTERN = r"^[a-z0-9][a-z0-9_\-]*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
#: A short non-empty text (names, titles).
Name = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
#: An ISO 4217 currency code (``EUR``, ``CHF``): the currency of the values of a journey.
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]


class Model(BaseModel):
    """Base of every model class: strict about unknown fields, validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def slugify(text: str, *, fallback: str = "item") -> str:
    """Turn a name into an id: ``"Vérification d'identité"`` → ``"verification-d-identite"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].rstrip("-") or fallback


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is not in ``taken``."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
