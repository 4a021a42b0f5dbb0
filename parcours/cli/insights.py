"""``parcours funnel``, ``attribution``, ``next-best-action`` and ``channels``.

Thin commands: parse options, read the log, call :mod:`parcours.analytics`, print JSON
or a table. Every expected error is one sentence on stderr and exit code 1.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import typer

from parcours.cli.common import errors, fail
from parcours.errors import BadData

FORMATS = ("json", "table")


# ------------------------------------------------------------------------ plumbing


def to_arrow(expr: Any) -> Any:
    """Run an expression through its engine's Arrow path (imports Ibis only when used)."""
    from parcours.analytics.attribution import to_arrow as run

    return run(expr)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")


def _clean(obj: Any) -> Any:
    """JSON-safe: NaN → null, numpy scalars → Python."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, str):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def _emit(doc: dict[str, Any], fmt: str, out: Path | None, table: Callable[[], str]) -> None:
    text = (
        json.dumps(_clean(doc), ensure_ascii=False, indent=2) + "\n" if fmt == "json" else table()
    )
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")


def _render(*tables: Any) -> str:
    from io import StringIO

    from rich.console import Console

    buf = StringIO()
    console = Console(file=buf, width=120, color_system=None)
    for t in tables:
        console.print(t)
    return buf.getvalue()


def _rich_table(title: str, columns: list[str], rows: list[list[Any]]) -> Any:
    from rich.table import Table

    t = Table(title=title)
    for c in columns:
        t.add_column(c)
    for r in rows:
        t.add_row(*(_fmt(v) for v in r))
    return t


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


# ------------------------------------------------------------------------- reading
def _read_events(
    log: Path,
    *,
    case: str | None,
    activity: str | None,
    timestamp: str | None,
    channel: str | None,
    outcome: str | None,
    value: str | None,
    customer: str | None,
    engine: str,
    timestamp_format: str | None = None,
    dayfirst: bool | None = None,
) -> Any:
    """The standard event table of ``log`` (the core reader when present)."""
    from parcours.analytics.mapping import ColumnMapping

    mapping = ColumnMapping(
        case=case,
        activity=activity,
        timestamp=timestamp,
        channel=channel,
        outcome=outcome,
        value=value,
        customer=customer,
    )
    from parcours.analytics.sources import read_events

    if engine not in ("duckdb", "spark") and "://" not in engine:
        raise BadData(f"unknown engine {engine!r}; expected one of: duckdb, spark")
    events = read_events(
        log,
        mapping,
        engine=engine,
        on_error="fail",
        timestamp_format=timestamp_format,
        dayfirst=dayfirst,
    )
    for note in events.report.notes:
        typer.echo(f"note: {note}", err=True)
    return events.table


# ------------------------------------------------------------------ shared options
_CASE = typer.Option(None, "--case", help="Column of the case (journey) id.")
_ACTIVITY = typer.Option(None, "--activity", help="Column of the activity (event, touchpoint).")
_TIMESTAMP = typer.Option(None, "--timestamp", help="Column of the timestamp.")
_CHANNEL = typer.Option(None, "--channel", help="Column of the channel.")
_OUTCOME = typer.Option(None, "--outcome", help="Column of the outcome.")
_VALUE = typer.Option(None, "--value", help="Column of the conversion value.")
_CUSTOMER = typer.Option(None, "--customer", help="Column of the customer id.")
_ENGINE = typer.Option("duckdb", "--engine", help="duckdb (default) or spark.")
_TIMESTAMP_FORMAT = typer.Option(
    None,
    "--timestamp-format",
    help="strftime format of text timestamps, e.g. '%d/%m/%Y %H:%M' (default: detected).",
)
_DAYFIRST = typer.Option(
    None,
    "--dayfirst/--monthfirst",
    help="Numeric dates like 03/12/2026 are day-first / month-first "
    "(default: decided from the data).",
)
_FORMAT = typer.Option("table", "--format", help="json or table.")
_OUT = typer.Option(None, "-o", "--output", help="Write to this file instead of stdout.")


# ------------------------------------------------------------------------ commands
def funnel_command(
    log: Path = typer.Argument(..., help="Event log (CSV, Parquet, Excel, XES)."),
    stages: str = typer.Option(
        ..., "--stages", help="Stages in order: ',' between stages, '|' between alternatives."
    ),
    mode: str = typer.Option("eventually", "--mode", help="eventually or strict (consecutive)."),
    window: str | None = typer.Option(
        None, "--window", help="Conversion window from entry, e.g. 7d, 12h, 30m."
    ),
    fmt: str = _FORMAT,
    out: Path | None = _OUT,
    case: str | None = _CASE,
    activity: str | None = _ACTIVITY,
    timestamp: str | None = _TIMESTAMP,
    channel: str | None = _CHANNEL,
    outcome: str | None = _OUTCOME,
    value: str | None = _VALUE,
    customer: str | None = _CUSTOMER,
    engine: str = _ENGINE,
    timestamp_format: str | None = _TIMESTAMP_FORMAT,
    dayfirst: bool | None = _DAYFIRST,
) -> None:
    """Funnel over ordered stages: cases per stage, conversion, drop-off, time to convert."""
    from parcours.analytics import funnels

    _check_format(fmt)
    with errors():
        spec = funnels.parse_stages(stages)
        span = funnels.parse_duration(window) if window else None
        if mode not in funnels.MODES:
            fail(f"unknown funnel mode {mode!r}; expected one of: {', '.join(funnels.MODES)}")
        events = _read_events(
            log,
            case=case,
            activity=activity,
            timestamp=timestamp,
            channel=channel,
            outcome=outcome,
            value=value,
            customer=customer,
            engine=engine,
            timestamp_format=timestamp_format,
            dayfirst=dayfirst,
        )
        doc = funnel_report(events, spec, mode=mode, window=span)

    def table() -> str:
        rows = [
            [
                s["stage"],
                " | ".join(s["activities"]),
                s["cases"],
                s["conversion_from_previous"],
                s["conversion_from_start"],
                s["drop_off"],
                s["median_seconds_from_entry"],
            ]
            for s in doc["stages"]
        ]
        t1 = _rich_table(
            f"Funnel ({doc['mode']}, {doc['n_cases']} cases)",
            ["stage", "activities", "cases", "conv. prev", "conv. start", "drop-off", "median s"],
            rows,
        )
        ttc = doc["time_to_convert_seconds"]
        t2 = _rich_table("Time to convert (seconds)", list(ttc), [list(ttc.values())])
        return _render(t1, t2)

    _emit(doc, fmt, out, table)


def funnel_report(
    events: Any, stages: Any, *, mode: str, window: timedelta | None
) -> dict[str, Any]:
    """The ``parcours funnel`` JSON document."""
    from parcours.analytics import funnels

    cases = funnels.funnel_cases(events, stages, mode=mode, window=window).cache()
    rows = to_arrow(
        funnels.funnel(events, stages, mode=mode, window=window, cases=cases)
    ).to_pylist()
    ttc = to_arrow(funnels.time_to_convert(events, stages, mode=mode, window=window, cases=cases))
    n_cases = int(to_arrow(events.case_id.nunique()).as_py())
    return {
        "mode": mode,
        "window_seconds": window.total_seconds() if window is not None else None,
        "n_cases": n_cases,
        "stages": [
            {
                "stage": int(r["stage"]),
                "activities": sorted(stages[int(r["stage"]) - 1]),
                "cases": int(r["cases"]),
                "conversion_from_previous": float(r["conversion_from_previous"]),
                "conversion_from_start": float(r["conversion_from_start"]),
                "drop_off": int(r["drop_off"]),
                "drop_off_rate": float(r["drop_off_rate"]),
                "median_seconds_from_entry": _num(r["median_seconds_from_entry"]),
            }
            for r in rows
        ],
        "time_to_convert_seconds": {
            k: (int(v or 0) if k == "count" else _num(v)) for k, v in ttc.to_pylist()[0].items()
        },
    }


def _num(v: Any) -> float | None:
    if v is None:
        return None
    f = float(v)
    return None if math.isnan(f) else f


def _paths_input(
    path: Path,
    *,
    by: str | None,
    conversion_activity: str | None,
    conversion_outcome: list[str] | None,
    mapping: dict[str, Any],
    engine: str,
) -> Any:
    """A paths table from a ChannelAttribution-layout file or from an event log."""
    from parcours.analytics import attribution

    if not path.exists():
        raise FileNotFoundError(2, "No such file", str(path))
    if path.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    delim = attribution.sniff_paths_file(path)
    if delim is not None:
        return attribution.read_paths_file(path, delim)
    events = _read_events(path, engine=engine, **mapping)
    return attribution.paths_from_events(
        events,
        by=by,
        conversion_activity=conversion_activity,
        conversion_outcomes=conversion_outcome or None,
    )


def attribution_command(
    input: Path = typer.Argument(
        ..., help="Event log, or aggregated paths in ChannelAttribution's layout."
    ),
    order: int = typer.Option(1, "--order", help="Markov chain order (k >= 1)."),
    max_steps: str | None = typer.Option(
        None,
        "--max-steps",
        help="Count walks longer than N states as null, as ChannelAttribution's simulation "
        "does ('auto': its default, the longest path + 1). Default: the exact absorbing chain.",
    ),
    by: str | None = typer.Option(
        None, "--by", help="Touchpoint column of an event log: channel (default) or activity."
    ),
    conversion_activity: str | None = typer.Option(
        None, "--conversion-activity", help="The activity that means a conversion."
    ),
    conversion_outcome: list[str] | None = typer.Option(
        None, "--conversion-outcome", help="Outcome value meaning a conversion (repeatable)."
    ),
    fmt: str = _FORMAT,
    out: Path | None = _OUT,
    case: str | None = _CASE,
    activity: str | None = _ACTIVITY,
    timestamp: str | None = _TIMESTAMP,
    channel: str | None = _CHANNEL,
    outcome: str | None = _OUTCOME,
    value: str | None = _VALUE,
    customer: str | None = _CUSTOMER,
    engine: str = _ENGINE,
    timestamp_format: str | None = _TIMESTAMP_FORMAT,
    dayfirst: bool | None = _DAYFIRST,
) -> None:
    """First / last / linear touch and exact Markov attribution per channel."""
    from parcours.analytics import attribution

    _check_format(fmt)
    if order < 1:
        fail(f"--order is {order}; it must be 1 or more")
    mapping = {
        "case": case,
        "activity": activity,
        "timestamp": timestamp,
        "channel": channel,
        "outcome": outcome,
        "value": value,
        "customer": customer,
        "timestamp_format": timestamp_format,
        "dayfirst": dayfirst,
    }
    with errors():
        paths = _paths_input(
            input,
            by=by,
            conversion_activity=conversion_activity,
            conversion_outcome=conversion_outcome,
            mapping=mapping,
            engine=engine,
        )
        doc: dict[str, Any] = attribution.attribution_report(
            paths, order=order, max_steps=max_steps
        )

    def table() -> str:
        h = doc["heuristics"]
        m = doc["markov"]
        channels = sorted(set(h) | set(m["removal_effects"]))
        rows = [
            [
                ch,
                h.get(ch, {}).get("first"),
                h.get(ch, {}).get("last"),
                h.get(ch, {}).get("linear"),
                m["removal_effects"].get(ch),
                m["conversions"].get(ch),
                m["value"].get(ch),
            ]
            for ch in channels
        ]
        return _render(
            _rich_table(
                f"Attribution (Markov order {m['order']}, p(conversion) = {m['p_conversion']:.6g})",
                ["channel", "first", "last", "linear", "removal effect", "markov conv.", "value"],
                rows,
            )
        )

    _emit(doc, fmt, out, table)


def next_best_action_command(
    log: Path = typer.Argument(..., help="Event log, or aggregated paths."),
    after: str = typer.Option(
        "", "--after", help="The partial path, touchpoints joined by ' > ', e.g. 'A > B'."
    ),
    order: int = typer.Option(1, "--order", help="Markov chain order (k >= 1)."),
    top: int | None = typer.Option(None, "--top", help="Show the N best actions."),
    by: str | None = typer.Option(None, "--by", help="Touchpoint column: channel or activity."),
    conversion_activity: str | None = typer.Option(
        None, "--conversion-activity", help="The activity that means a conversion."
    ),
    conversion_outcome: list[str] | None = typer.Option(
        None, "--conversion-outcome", help="Outcome value meaning a conversion (repeatable)."
    ),
    fmt: str = _FORMAT,
    out: Path | None = _OUT,
    case: str | None = _CASE,
    activity: str | None = _ACTIVITY,
    timestamp: str | None = _TIMESTAMP,
    channel: str | None = _CHANNEL,
    outcome: str | None = _OUTCOME,
    value: str | None = _VALUE,
    customer: str | None = _CUSTOMER,
    engine: str = _ENGINE,
    timestamp_format: str | None = _TIMESTAMP_FORMAT,
    dayfirst: bool | None = _DAYFIRST,
) -> None:
    """Next touchpoints after a partial path, ranked by conversion probability."""
    from parcours.analytics import attribution, nba

    _check_format(fmt)
    if order < 1:
        fail(f"--order is {order}; it must be 1 or more")
    if top is not None and top < 1:
        fail(f"--top is {top}; it must be 1 or more")
    mapping = {
        "case": case,
        "activity": activity,
        "timestamp": timestamp,
        "channel": channel,
        "outcome": outcome,
        "value": value,
        "customer": customer,
        "timestamp_format": timestamp_format,
        "dayfirst": dayfirst,
    }
    with errors():
        paths = _paths_input(
            log,
            by=by,
            conversion_activity=conversion_activity,
            conversion_outcome=conversion_outcome,
            mapping=mapping,
            engine=engine,
        )
        chain = attribution.markov_chain(paths, order)
        result = nba.next_best_action(chain, nba.parse_path(after), top=top)
    doc: dict[str, Any] = result.to_dict()

    def table() -> str:
        rows = [
            [i, a["touchpoint"], a["p_conversion"], a["uplift"], a["transition_probability"]]
            for i, a in enumerate(doc["actions"], start=1)
        ]
        title = f"After {' > '.join(doc['after']) or '(start)'}: p(conversion) = {doc['p_conversion']:.6g}"
        return _render(
            _rich_table(
                title, ["rank", "touchpoint", "p(conversion)", "uplift", "observed share"], rows
            )
        )

    _emit(doc, fmt, out, table)


def channels_command(
    log: Path = typer.Argument(..., help="Event log with a channel column."),
    within: str = typer.Option("7d", "--within", help="Repeat-contact window, e.g. 7d or 48h."),
    same_activity: bool = typer.Option(
        False, "--same-activity", help="Repeat contacts only about the same activity."
    ),
    fmt: str = _FORMAT,
    out: Path | None = _OUT,
    case: str | None = _CASE,
    activity: str | None = _ACTIVITY,
    timestamp: str | None = _TIMESTAMP,
    channel: str | None = _CHANNEL,
    customer: str | None = _CUSTOMER,
    engine: str = _ENGINE,
    timestamp_format: str | None = _TIMESTAMP_FORMAT,
    dayfirst: bool | None = _DAYFIRST,
) -> None:
    """Channel switches, the channel × channel matrix and repeat contacts."""
    from parcours.analytics import channels as ch
    from parcours.analytics.funnels import parse_duration

    _check_format(fmt)
    with errors():
        span = parse_duration(within)
        events = _read_events(
            log,
            case=case,
            activity=activity,
            timestamp=timestamp,
            channel=channel,
            outcome=None,
            value=None,
            customer=customer,
            engine=engine,
            timestamp_format=timestamp_format,
            dayfirst=dayfirst,
        )
        events = events.cache()  # three queries read it
        summary = to_arrow(ch.switch_summary(events)).to_pylist()[0]
        matrix = to_arrow(ch.channel_matrix(events)).to_pylist()
        repeats = to_arrow(
            ch.repeat_contact_matrix(events, span, same_activity=same_activity)
        ).to_pylist()
    doc: dict[str, Any] = {
        "switches": {k: _clean(v) for k, v in summary.items()},
        "matrix": [
            [r["from_channel"], r["to_channel"], int(r["transitions"]), int(r["cases"])]
            for r in matrix
        ],
        "repeat_contacts": {
            "within_seconds": span.total_seconds(),
            "same_activity": same_activity,
            "pairs": [
                {
                    "previous_channel": r["previous_channel"],
                    "channel": r["channel"],
                    "repeats": int(r["repeats"]),
                    "customers": int(r["customers"]),
                    "median_gap_seconds": _num(r["median_gap_seconds"]),
                }
                for r in repeats
            ],
        },
    }

    def table() -> str:
        s = doc["switches"]
        return _render(
            _rich_table("Channel switches", list(s), [list(s.values())]),
            _rich_table("Channel × channel", ["from", "to", "transitions", "cases"], doc["matrix"]),
            _rich_table(
                "Repeat contacts",
                ["previous", "channel", "repeats", "customers", "median gap s"],
                [list(p.values()) for p in doc["repeat_contacts"]["pairs"]],
            ),
        )

    _emit(doc, fmt, out, table)


def register(app: typer.Typer) -> None:
    """Add the insight commands to the root app."""
    app.command("funnel")(funnel_command)
    app.command("attribution")(attribution_command)
    app.command("next-best-action")(next_best_action_command)
    app.command("channels")(channels_command)
