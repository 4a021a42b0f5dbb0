"""The caps of event logs are fields of the one :class:`parcours.limits.Limits`.

This module re-exports it, and the readers' capped opening from
:mod:`parcours.analytics.capped`, for the callers that import them from here.
"""

from parcours.analytics.capped import (
    GZIP_MAGIC,
    CappedReader,
    GiB,
    MiB,
    check_size,
    check_zip,
    display_name,
    is_gzip,
    open_capped,
)
from parcours.limits import DEFAULT_LIMITS, Limits

__all__ = [
    "DEFAULT_LIMITS",
    "GZIP_MAGIC",
    "CappedReader",
    "GiB",
    "Limits",
    "MiB",
    "check_size",
    "check_zip",
    "display_name",
    "is_gzip",
    "open_capped",
]
