"""Attribution paths with the rule that says which events convert.

Attribution and next best action read a *paths table* (see
:mod:`parcours.analytics.attribution`) from a ChannelAttribution paths file or from an
event log. :class:`Paths` carries that table, executed (one row per distinct path), with
what counts as a conversion (``conversion``: the rule, the touchpoint column and the
activities of the converting events), so that reports can say it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis.expr.types as ir
import pyarrow as pa

from parcours.analytics.report import table_and_load
from parcours.analytics.sources import EventLog
from parcours.errors import BadData


def _run(expr: Any) -> Any:
    from parcours.analytics.attribution import to_arrow

    return to_arrow(expr)


@dataclass(frozen=True)
class Paths:
    """A paths table, how its conversions were counted, and whether it carries values."""

    table: ir.Table | pa.Table
    conversion: dict[str, Any]
    with_value: bool = True
    load: dict[str, Any] | None = None


def paths_from_file(path: str | Path) -> Paths | None:
    """The paths of a file in ChannelAttribution's layout, ``None`` for another file."""
    from parcours.analytics import attribution

    delim = attribution.sniff_paths_file(path)
    if delim is None:
        return None
    return Paths(attribution.read_paths_file(path, delim), {"rule": "paths_file"})


def paths_of_events(
    events: EventLog | ir.Table,
    *,
    by: str | None = None,
    conversion_activity: str | None = None,
    conversion_outcomes: Iterable[str] | None = None,
) -> Paths:
    """The paths of an event log, with the description of what converts (the rule, and
    the activities of the converting events with their number of cases)."""
    from parcours.analytics import attribution

    table, load = table_and_load(events)
    by = attribution.touchpoint_column(table, by)
    outcomes = list(conversion_outcomes) if conversion_outcomes else None
    cases = attribution.case_paths(
        table, by=by, conversion_activity=conversion_activity, conversion_outcomes=outcomes
    ).cache()  # one row per case, read twice
    found = _run(attribution.conversion_events(cases)).to_pylist()
    conversion: dict[str, Any] = {
        "by": by,
        "rule": "activity" if conversion_activity is not None else "outcome",
        "activity": conversion_activity,
        "outcomes": (
            None
            if conversion_activity is not None
            else attribution.conversion_outcome_values(outcomes)
        ),
        "events": {r["activity"]: int(r["cases"]) for r in found},
    }
    executed = _run(attribution.paths_of_cases(cases))  # small: one row per distinct path
    if not any(c for c in executed.column("conversions").to_pylist()):
        raise _no_conversion(table, conversion)
    return Paths(executed, conversion, "value" in table.columns, load)


def _no_conversion(events: ir.Table, conversion: dict[str, Any]) -> BadData:
    """Why no path converts, and what to do about it."""
    by = conversion["by"]
    if conversion["events"]:
        n = sum(conversion["events"].values())
        return BadData(
            f"no path converts: the {n} converting cases have no {by} before their "
            f"conversion; choose touchpoints they have with --by"
        )
    if conversion["rule"] == "activity":
        return BadData(
            f"no case converts: no event is {conversion['activity']!r}; "
            "check the name given to --conversion-activity"
        )
    seen = (
        _run(events.select(o=events.outcome.cast("string")).distinct().order_by("o").limit(11))
        .column("o")
        .to_pylist()
    )
    seen = [v for v in seen if v is not None and v.strip()]
    listed = ", ".join(repr(v) for v in seen[:10]) + (", …" if len(seen) > 10 else "")
    found = f"the outcomes in the log are: {listed}" if seen else "the outcome column is empty"
    from parcours.analytics.attribution import conversion_outcome_values

    if conversion["outcomes"] == conversion_outcome_values():
        expected = "a usual conversion value (converted, success, purchase, yes, 1, achat…)"
    else:
        expected = f"one of {', '.join(conversion['outcomes'])}"
    return BadData(
        f"no case converts: no outcome is {expected}; {found}; name the converting "
        "ones with --conversion-outcome VALUE, or the converting event with "
        "--conversion-activity NAME"
    )
