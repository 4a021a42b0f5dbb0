"""``parcours analyze``, and what every analytics command shares.

Thin: parse the options, read the log, build the report with
:mod:`parcours.analytics.reports`, print its JSON or its tables (both from the one
report). Progress goes to stderr; an expected error is one sentence on stderr, exit 1.
"""

from __future__ import annotations

import functools
import inspect
import io
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from parcours.atomic import atomic_file, write_atomic
from parcours.cli.common import ON_ERROR, OUT, SHEET, OnError, choices, errors

if TYPE_CHECKING:
    from parcours.analytics.report import Report
    from parcours.analytics.sources import EventLog


class Format(StrEnum):
    """How a command prints its result."""

    table = "table"
    json = "json"


class Lang(StrEnum):
    """The language of the tables (the JSON does not change)."""

    auto = "auto"
    en = "en"
    fr = "fr"


ENGINES = ("duckdb", "spark")


# ------------------------------------------------------------------ shared options
LOG = typer.Argument(
    ...,
    help="Event log: CSV, Parquet, Excel (.xlsx), XES (.xes, .xes.gz), "
    "or URL::table (duckdb:///file.db::events).",
    show_default=False,
)
CASE = typer.Option(None, "--case", help="Column of the case (journey) id.")
ACTIVITY = typer.Option(None, "--activity", help="Column of the activity (event, touchpoint).")
TIMESTAMP = typer.Option(None, "--timestamp", help="Column of the timestamp.")
CHANNEL = typer.Option(None, "--channel", help="Column of the channel.")
OUTCOME = typer.Option(None, "--outcome", help="Column of the outcome.")
VALUE = typer.Option(None, "--value", help="Column of the conversion value.")
CUSTOMER = typer.Option(None, "--customer", help="Column of the customer id.")
ENGINE = typer.Option(
    "duckdb", "--engine", help="duckdb (default), spark, or an Ibis URL (postgres://…)."
)


TIMESTAMP_FORMAT = typer.Option(
    None,
    "--timestamp-format",
    help="strftime format of text timestamps, e.g. '%d/%m/%Y %H:%M' (default: detected).",
)
DAYFIRST = typer.Option(
    None,
    "--dayfirst/--monthfirst",
    help="Numeric dates like 03/12/2026 are day-first / month-first "
    "(default: decided from the data).",
)
FORMAT = typer.Option(
    Format.table, "--format", help=f"{choices(Format)}: tables for people, or JSON."
)
LANG = typer.Option(
    Lang.auto,
    "--lang",
    help=f"{choices(Lang)}: language of the tables; auto: French when the log's columns "
    "have French names.",
)

# the options naming a log's columns, and how to read it: (type, typer option)
COLUMN_OPTIONS: dict[str, tuple[object, object]] = {
    "case": (str | None, CASE),
    "activity": (str | None, ACTIVITY),
    "timestamp": (str | None, TIMESTAMP),
    "channel": (str | None, CHANNEL),
    "outcome": (str | None, OUTCOME),
    "value": (str | None, VALUE),
    "customer": (str | None, CUSTOMER),
}
READ_OPTIONS: dict[str, tuple[object, object]] = {
    "engine": (str, ENGINE),
    "on_error": (OnError, ON_ERROR),
    "sheet": (str | None, SHEET),
    "timestamp_format": (str | None, TIMESTAMP_FORMAT),
    "dayfirst": (bool | None, DAYFIRST),
}


@dataclass(frozen=True)
class LogOptions:
    """How a command reads its event log: the columns named, the engine, bad rows, dates."""

    columns: dict[str, str | None]
    engine: str = "duckdb"
    on_error: OnError = OnError.fail
    sheet: str | None = None
    timestamp_format: str | None = None
    dayfirst: bool | None = None

    def read(self, log: str, progress: Callable[[str], None] | None = None) -> EventLog:
        """Read ``log`` with these options (see :func:`read_log`)."""
        return read_log(
            log,
            engine=self.engine,
            on_error=self.on_error,
            sheet=self.sheet,
            timestamp_format=self.timestamp_format,
            dayfirst=self.dayfirst,
            progress=progress,
            **self.columns,
        )


Command = Callable[..., None]


def grouped(
    name: str, options: dict[str, tuple[object, object]], build: Callable[..., object]
) -> Callable[[Command], Command]:
    """Put ``options`` (name: (type, typer option)) in place of the command's parameter
    ``name`` (and so in ``--help``), and pass the command ``build(**their values)`` as it."""

    def decorate(command: Command) -> Command:
        own = inspect.signature(command, eval_str=True).parameters.values()
        if name not in {p.name for p in own}:
            raise TypeError(f"{command.__name__} takes no parameter {name!r}")
        keyword = inspect.Parameter.KEYWORD_ONLY
        params = [
            new
            for p in own
            for new in (
                [
                    inspect.Parameter(option, keyword, default=default, annotation=kind)
                    for option, (kind, default) in options.items()
                ]
                if p.name == name
                else [p.replace(kind=keyword)]
            )
        ]

        @functools.wraps(command)
        def run(**given: object) -> None:
            values = {option: given.pop(option) for option in options}
            command(**given, **{name: build(**values)})

        run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in params}
        return run

    return decorate


def with_log_options(*columns: str) -> Callable[[Command], Command]:
    """Give a command the options naming ``columns`` and how to read the log, as one value.

    The command's parameter ``opts: LogOptions`` stands (in ``--help``) for the column
    options, in the order given, then ``--engine``, ``--on-error``, ``--sheet``,
    ``--timestamp-format`` and ``--dayfirst/--monthfirst``.
    """

    def build(**values: Any) -> LogOptions:
        return LogOptions({c: values.pop(c) for c in columns}, **values)

    return grouped("opts", {c: COLUMN_OPTIONS[c] for c in columns} | READ_OPTIONS, build)


@dataclass(frozen=True)
class Output:
    """Where and how a command prints its report: ``--format``, ``--lang``, ``--output``."""

    fmt: Format = Format.table
    lang: Lang = Lang.auto
    out: Path | None = None

    def emit(self, report: Report) -> None:
        """Print ``report`` (see :func:`emit`)."""
        emit(report, self.fmt, self.out, self.lang)


OUTPUT_OPTIONS: dict[str, tuple[object, object]] = {
    "fmt": (Format, FORMAT),
    "lang": (Lang, LANG),
    "out": (Path | None, OUT),
}
# a command's parameter ``output: Output`` stands for --format, --lang and --output
with_output = grouped("output", OUTPUT_OPTIONS, Output)


def read_log(
    log: str,
    *,
    engine: str,
    on_error: OnError = OnError.fail,
    sheet: str | None = None,
    timestamp_format: str | None = None,
    dayfirst: bool | None = None,
    progress: Callable[[str], None] | None = None,
    **columns: str | None,
) -> EventLog:
    """Read ``log`` with the columns named on the command line (others recognised)."""
    from parcours.analytics.mapping import ColumnMapping
    from parcours.analytics.sources import read_events
    from parcours.errors import BadData

    if engine not in ENGINES and "://" not in engine:
        raise BadData(f"unknown engine {engine!r}; expected one of: {', '.join(ENGINES)}")
    say = progress or (lambda stage: None)
    say("starting the engine")
    from parcours.analytics.engine import get_engine

    eng = get_engine(engine)
    say(f"reading {Path(log).name}")
    result = read_events(
        log,
        ColumnMapping(**columns),
        engine=eng,
        on_error=on_error.value,
        sheet=sheet,
        timestamp_format=timestamp_format,
        dayfirst=dayfirst,
    )
    for note in getattr(result.report, "notes", ()):  # how the reader decided (dates…)
        typer.echo(f"note: {note}", err=True)
    if result.report.n_skipped:
        load = result.report
        p = load.problems[0] if load.problems else None
        first = f" (first: {p})" if p is not None else ""
        typer.echo(f"warning: {load.n_skipped} bad rows skipped in {load.source}{first}", err=True)
    return result


@contextmanager
def progress_line() -> Iterator[Callable[[str], None]]:
    """A spinner with the current stage on stderr (only on a terminal)."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("starting", total=None)
        yield lambda stage: bar.update(task, description=stage)


def emit(report: Report, fmt: Format, out: Path | None, lang: Lang) -> None:
    """Print ``report`` as JSON or tables (the same figures), to stdout or ``out``."""
    if fmt is Format.json:
        if out is None:
            report.write_json(sys.stdout)
        else:
            with atomic_file(out) as raw:
                stream = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                report.write_json(stream)
                stream.flush()
                stream.detach()
        return
    else:
        from parcours.analytics.report import render_text

        chosen = (report.lang or "en") if lang is Lang.auto else lang.value
        text = render_text(report, chosen)  # type: ignore[arg-type]
    if out is None:
        sys.stdout.write(text)
    else:
        write_atomic(out, text)


# ------------------------------------------------------------------------- analyze
#: Variants shown by the tables of ``analyze`` without ``--top`` (the JSON has them all).
TABLE_TOP = 20


@with_output
def analyze_command(
    log: str = LOG,
    case: str | None = CASE,
    activity: str | None = ACTIVITY,
    timestamp: str | None = TIMESTAMP,
    channel: str | None = CHANNEL,
    outcome: str | None = OUTCOME,
    engine: str = ENGINE,
    top: int | None = typer.Option(
        None,
        "--top",
        min=0,
        help="Keep the N most frequent variants (n_variants counts all). "
        f"Default: every variant with --format json (written as it is read), "
        f"the {TABLE_TOP} most frequent in tables.",
        show_default=False,
    ),
    on_error: OnError = ON_ERROR,
    *,
    output: Output,
    sheet: str | None = SHEET,
    timestamp_format: str | None = TIMESTAMP_FORMAT,
    dayfirst: bool | None = DAYFIRST,
) -> None:
    """Directly-follows graph, start and end activities, variants and durations of a log."""
    from parcours.analytics.reports import analysis_report

    with errors("out of memory; convert the log to Parquet or use --engine spark"):
        with progress_line() as say:
            events = read_log(
                log,
                engine=engine,
                on_error=on_error,
                sheet=sheet,
                timestamp_format=timestamp_format,
                dayfirst=dayfirst,
                progress=say,
                case=case,
                activity=activity,
                timestamp=timestamp,
                channel=channel,
                outcome=outcome,
            )
            streamed = output.fmt is Format.json and top is None
            if top is None and output.fmt is not Format.json:
                top = TABLE_TOP
            report = analysis_report(events, top=top, progress=say, lazy=streamed)
        output.emit(report)


def register(app: typer.Typer) -> None:
    """Add ``analyze`` to the root command."""
    app.command("analyze")(analyze_command)
