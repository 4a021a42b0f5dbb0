"""Errors of the store, under the hierarchy of :mod:`parcours.errors`::

    ParcoursError
    ├── StoreError                     the database cannot be opened or used safely
    │   └── UnsafeDatabase             a setting that could lose acknowledged writes
    ├── Conflict
    │   ├── VersionConflict            an edit made on a stale version that does not rebase
    │   └── AlreadyExists (+ValueError) a unique email, slug… is taken
    ├── InvalidOperation
    │   └── EnvelopeReused             an envelope id sent again with other operations
    └── NotFound                       (from parcours.errors) a user, workspace, journey…

An invalid operation raises the model's :class:`parcours.errors.InvalidOperation`.
"""

from __future__ import annotations

from parcours.errors import Conflict, InvalidOperation, ParcoursError


class StoreError(ParcoursError):
    """The database cannot be opened or used (bad URL, newer schema, unreachable server)."""


class UnsafeDatabase(StoreError):
    """The database is set up in a way that could lose acknowledged writes."""


class VersionConflict(Conflict):
    """The edit was made on ``base_version`` but others changed the same things since."""

    def __init__(self, message: str, *, current_version: int, base_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version
        self.base_version = base_version


class AlreadyExists(Conflict, ValueError):
    """A unique value (an email, a slug) is already taken."""


class EnvelopeReused(InvalidOperation):
    """An envelope id was sent again with different operations."""
