"""Every error parcours raises on purpose (defined in :mod:`parcours.model.errors`).

The model owns its errors so that it imports nothing outside itself; this module is the
name users and the other layers import them by.
"""

from __future__ import annotations

from parcours.model.errors import (
    BadData,
    Conflict,
    FormatError,
    InvalidArgument,
    InvalidJourney,
    InvalidOperation,
    MissingExtra,
    NotFound,
    ParcoursError,
    Problem,
    Said,
    TooLarge,
    no_such,
)


class CannotWrite(ParcoursError):
    """An output file cannot be written (disk full, file-size limit, not a regular file…);
    the previous file, if any, is unchanged."""


__all__ = [
    "BadData",
    "CannotWrite",
    "Conflict",
    "FormatError",
    "InvalidArgument",
    "InvalidJourney",
    "InvalidOperation",
    "MissingExtra",
    "NotFound",
    "ParcoursError",
    "Problem",
    "Said",
    "TooLarge",
    "no_such",
]
