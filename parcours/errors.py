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
    TooLarge,
    no_such,
)

__all__ = [
    "BadData",
    "Conflict",
    "FormatError",
    "InvalidArgument",
    "InvalidJourney",
    "InvalidOperation",
    "MissingExtra",
    "NotFound",
    "ParcoursError",
    "Problem",
    "TooLarge",
    "no_such",
]
