"""The part of a measurement that reads the uploaded files, run in a child process
(:mod:`parcours.sandbox`) so that a hostile or huge file costs that process, not the server.

:func:`measure_files` reads the event log (and survey answers, comments) as ``parcours
overlay`` does, binds the journey's steps to the events they observe and answers the
operations that carry the measures, with what was counted — JSON values only. The server
(:mod:`parcours.web.measure`) applies the operations as one revision.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from parcours.errors import BadData
from parcours.model.journey import Journey

#: The events no step observes that a measurement lists, most frequent first.
UNOBSERVED_SHOWN = 10
#: The share of the child's memory given to DuckDB's buffers (the rest: the interpreter,
#: the readers, Arrow results).
ENGINE_SHARE = 0.5


def unobserved(journey: Journey, activities: dict[str, int]) -> list[tuple[str, int]]:
    """The log's events that no step of ``journey`` observes, by count then name: the
    candidates for a step's events."""
    bound = {name for step in journey.steps() for name in step.observed_as}
    left = [(name, n) for name, n in activities.items() if name not in bound]
    return sorted(left, key=lambda item: (-item[1], item[0]))[:UNOBSERVED_SHOWN]


def measure_files(
    *,
    journey: str,
    log: str,
    surveys: str | None,
    verbatims: str | None,
    case: str,
    activity: str,
    timestamp: str,
    dayfirst: bool | None,
    skip_bad_rows: bool,
    memory_bytes: int,
    memory_setting: str,
) -> dict[str, Any]:
    """Measure ``journey`` (its JSON) with the files at these paths; answer ``operations``
    (JSON objects), ``steps`` (the steps measured), ``cases``, ``events``, ``skipped``
    (rows left out) and ``unobserved`` (``[event, count]``)."""
    from parcours.analytics.engine import DuckDBEngine
    from parcours.analytics.mapping import ColumnMapping
    from parcours.analytics.observed import observe, step_map
    from parcours.analytics.overlay import overlay_operations
    from parcours.analytics.sources import read_events
    from parcours.model.operations import AddLane, SetCell, operation_to_json

    stored = Journey.model_validate_json(journey, context={"defer_checks": True})
    log_path = Path(log)
    engine = DuckDBEngine(memory_limit=f"{int(memory_bytes * ENGINE_SHARE)}B")
    engine.raise_budget = f"send a smaller file, or ask the administrator to raise {memory_setting}"
    try:
        mapping = ColumnMapping(
            case=case or None, activity=activity or None, timestamp=timestamp or None
        )
        events = read_events(
            log_path,
            mapping,
            engine=engine,
            on_error="skip" if skip_bad_rows else "fail",
            dayfirst=dayfirst,
        )
        observed = observe(events, step_map(stored))
        survey_kpis = None
        if surveys is not None:
            from parcours.voice import read_survey
            from parcours.voice import survey_kpis as kpis_of

            survey_kpis = kpis_of(read_survey(Path(surveys)), by="step")
        comments: list[Any] = []
        if verbatims is not None:
            from parcours.voice.verbatims import read_step_verbatims

            comments = read_step_verbatims(Path(verbatims))
        ops = overlay_operations(
            stored,
            observed=observed,
            surveys=survey_kpis,
            verbatims=comments,
            source=log_path.name,
            survey_source=Path(surveys).name if surveys is not None else None,
        )
    finally:
        engine.close()
    cases = sum(count for _, count in observed.cases_with_steps())
    if not cases:
        names = sorted(observed.activities)
        listed = ", ".join(names[:8]) + (f" and {len(names) - 8:,} more" if len(names) > 8 else "")
        raise BadData(
            f"{log_path.name}: no event of the log is one a step of this journey observes "
            f"(the log's events: {listed}); give the steps the events that observe them "
            "(observed_as: “Steps and their events” on the measure page)"
        )
    measured: set[str] = set()
    for op in ops:  # the steps whose cells the measures fill
        if isinstance(op, SetCell):
            measured.add(op.step)
        elif isinstance(op, AddLane):
            measured.update(op.cells)
    return {
        "operations": [operation_to_json(op) for op in ops],
        "steps": len(measured),
        "cases": cases,
        "events": observed.n_events,
        "skipped": events.report.n_skipped,
        "unobserved": unobserved(stored, observed.activities),
    }
