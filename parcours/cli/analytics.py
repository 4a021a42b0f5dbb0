"""``parcours analyze``: paths, variants and durations of an event log.

Thin: parse the options, read the log, run :func:`parcours.analytics.analyze`, print JSON
or tables. Progress goes to stderr; an expected error is one sentence on stderr, exit 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from parcours.errors import ParcoursError

FORMATS = ("json", "table")
ENGINES = ("duckdb", "spark")


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except ParcoursError as exc:
        _fail(str(exc))
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        _fail(f"{exc.filename}: {exc.strerror.lower() if exc.strerror else 'cannot open'}")
    except MemoryError:
        _fail("out of memory; convert the log to Parquet or use --engine spark")


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.6g}"
    return str(value)


def render_table(result: dict[str, Any], width: int = 120) -> str:
    """The human view of an analysis: summary, top edges with durations, variants."""
    from io import StringIO

    from rich.console import Console
    from rich.table import Table

    buffer = StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None)
    summary = Table(title="Event log", show_header=False)
    for key in ("n_events", "n_cases", "n_activities", "n_variants"):
        summary.add_row(key.removeprefix("n_"), f"{result[key]:,}")
    length = result["case_length"]
    summary.add_row(
        "events per case",
        " / ".join(_fmt(length["events"][k]) for k in ("min", "median", "mean", "max"))
        + "  (min / median / mean / max)",
    )
    summary.add_row(
        "case duration (s)",
        " / ".join(_fmt(length["duration_seconds"][k]) for k in ("min", "median", "mean", "max")),
    )
    console.print(summary)
    edges = Table(title="Directly-follows (time in seconds)")
    for col in ("from", "to", "count", "mean", "median", "min", "max", "stdev"):
        edges.add_column(col, justify="left" if col in ("from", "to") else "right")
    for edge, dur in zip(result["dfg"], result["edge_durations_seconds"], strict=True):
        edges.add_row(
            edge[0],
            edge[1],
            f"{edge[2]:,}",
            *(_fmt(dur[k]) for k in ("mean", "median", "min", "max", "stdev")),
        )
    console.print(edges)
    ends = Table(title="Start and end activities (cases)")
    ends.add_column("activity")
    ends.add_column("start", justify="right")
    ends.add_column("end", justify="right")
    names = list(dict.fromkeys([*result["start_activities"], *result["end_activities"]]))
    for name in names:
        ends.add_row(
            name,
            _fmt(result["start_activities"].get(name)),
            _fmt(result["end_activities"].get(name)),
        )
    console.print(ends)
    variants = Table(title=f"Variants ({len(result['variants'])} of {result['n_variants']})")
    variants.add_column("cases", justify="right")
    variants.add_column("activities")
    for v in result["variants"]:
        variants.add_row(f"{v['count']:,}", " → ".join(v["activities"]))
    console.print(variants)
    load = result.get("load") or {}
    if load.get("n_skipped"):
        console.print(f"{load['n_skipped']} bad rows skipped; first ones:")
        for p in load["problems"]:
            console.print(
                f"  {p['file']}:{p['line']}: {p['message']}"
                if p["line"]
                else f"  {p['file']}: {p['message']}"
            )
    return buffer.getvalue()


def analyze_command(
    log: str = typer.Argument(
        ...,
        help="Event log: CSV, Parquet, Excel (.xlsx), XES (.xes, .xes.gz), "
        "or URL::table (duckdb:///file.db::events).",
    ),
    case: str | None = typer.Option(None, "--case", help="Column of the case (journey) id."),
    activity: str | None = typer.Option(
        None, "--activity", help="Column of the activity (event, touchpoint)."
    ),
    timestamp: str | None = typer.Option(None, "--timestamp", help="Column of the timestamp."),
    channel: str | None = typer.Option(None, "--channel", help="Column of the channel."),
    outcome: str | None = typer.Option(None, "--outcome", help="Column of the outcome."),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb (default) or spark."),
    top: int | None = typer.Option(
        None, "--top", min=0, help="Keep the N most frequent variants (n_variants counts all)."
    ),
    on_error: str = typer.Option(
        "fail", "--on-error", help="fail (default) on bad rows, or skip them with a report."
    ),
    fmt: str = typer.Option("table", "--format", help="json or table."),
    out: Path | None = typer.Option(None, "-o", "--output", help="Write to this file."),
    sheet: str | None = typer.Option(None, "--sheet", help="Excel sheet (default: the first)."),
    timestamp_format: str | None = typer.Option(
        None,
        "--timestamp-format",
        help="strftime format of text timestamps, e.g. '%d/%m/%Y %H:%M' (default: detected).",
    ),
    dayfirst: bool | None = typer.Option(
        None,
        "--dayfirst/--monthfirst",
        help="Numeric dates like 03/12/2026 are day-first / month-first "
        "(default: decided from the data).",
    ),
) -> None:
    """Directly-follows graph, start and end activities, variants and durations of a log."""
    with _errors():
        if fmt not in FORMATS:
            _fail(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
        if on_error not in ("fail", "skip"):
            _fail(f"unknown --on-error {on_error!r}; expected one of: fail, skip")
        if engine not in ENGINES and "://" not in engine:
            _fail(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}")
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        from parcours.analytics import ColumnMapping, analyze, get_engine, read_events

        mapping = ColumnMapping(
            case=case, activity=activity, timestamp=timestamp, channel=channel, outcome=outcome
        )
        console = Console(stderr=True)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as progress:
            task = progress.add_task("starting the engine", total=None)
            eng = get_engine(engine)
            progress.update(task, description=f"reading {Path(log).name}")
            events = read_events(
                log,
                mapping,
                engine=eng,
                on_error=on_error,  # type: ignore[arg-type]
                sheet=sheet,
                timestamp_format=timestamp_format,
                dayfirst=dayfirst,
            )
            result = analyze(
                events,
                top=top,
                progress=lambda stage: progress.update(task, description=stage),
            )
        for note in result.get("load", {}).get("notes", []):
            typer.echo(f"note: {note}", err=True)
        if result.get("load", {}).get("n_skipped"):
            load = result["load"]
            typer.echo(
                f"warning: {load['n_skipped']} bad rows skipped in {load['source']} "
                f"(first: {_first_problem(load)})",
                err=True,
            )
        text = (
            json.dumps(result, ensure_ascii=False, indent=2) + "\n"
            if fmt == "json"
            else render_table(result)
        )
        if out is None:
            sys.stdout.write(text)
        else:
            out.write_text(text, encoding="utf-8")


def _first_problem(load: dict[str, Any]) -> str:
    p = load["problems"][0] if load["problems"] else None
    if p is None:
        return "none listed"
    where = f"line {p['line']}" if p["line"] else ""
    return f"{where}: {p['message']}" if where else p["message"]


def register(app: typer.Typer) -> None:
    """Add ``analyze`` to the root command."""
    app.command("analyze")(analyze_command)
