"""Imported once, by the fork server that reads the files of measurements
(:mod:`parcours.sandbox`), so that each child it forks starts with the readers, the analysis
engine and the overlay loaded (about a second saved on every measurement). Importing this
module has that effect, and is meant for that process only."""

from __future__ import annotations

import ibis
import pandas  # noqa: F401 - DuckDB's client imports it to take in a large Arrow table

import parcours.analytics.mapping
import parcours.analytics.observed
import parcours.analytics.overlay
import parcours.analytics.sources
import parcours.model.operations
import parcours.voice
import parcours.voice.verbatims
import parcours.web.measuring  # noqa: F401
from parcours.analytics.ibisload import defer_sql_compilers

defer_sql_compilers()  # before the backend loads, as get_engine does
ibis.duckdb  # noqa: B018 - loads the DuckDB backend once; the children inherit it
