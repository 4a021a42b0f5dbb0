"""Journey analytics: event logs to paths, durations and variants, on DuckDB or Spark.

Read a log with :func:`read_events` (CSV, Parquet, Excel, XES, a table), get lazy Ibis
tables from :mod:`parcours.analytics.paths`, or run everything with :func:`analyze`.
"""

from __future__ import annotations

from parcours.analytics.analysis import analyze
from parcours.analytics.engine import Capabilities, Engine, get_engine
from parcours.analytics.mapping import ColumnMapping
from parcours.analytics.paths import (
    case_lengths,
    directly_follows,
    end_activities,
    start_activities,
    steps,
    variants,
)
from parcours.analytics.sources import EVENT_COLUMNS, EventLog, LoadReport, read_events
from parcours.limits import Limits

__all__ = [
    "EVENT_COLUMNS",
    "Capabilities",
    "ColumnMapping",
    "Engine",
    "EventLog",
    "Limits",
    "LoadReport",
    "analyze",
    "case_lengths",
    "directly_follows",
    "end_activities",
    "get_engine",
    "read_events",
    "start_activities",
    "steps",
    "variants",
]
