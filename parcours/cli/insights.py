"""``parcours funnel``, ``attribution``, ``next-best-action`` and ``channels``.

Thin commands: parse options, read the log, build the report with
:mod:`parcours.analytics.reports`, print its JSON or its tables. Every expected error is
one sentence on stderr and exit code 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import typer

from parcours.cli.analytics import (
    LOG,
    LogOptions,
    Output,
    grouped,
    progress_line,
    with_log_options,
    with_output,
)
from parcours.cli.common import choices, errors

if TYPE_CHECKING:
    from parcours.analytics.conversion import Paths


class Mode(StrEnum):
    """How a funnel's stages must follow each other."""

    eventually = "eventually"
    strict = "strict"


class By(StrEnum):
    """Which column of an event log names the touchpoints."""

    channel = "channel"
    activity = "activity"


PATHS_INPUT = typer.Argument(
    ...,
    help="Event log (CSV, Parquet, Excel, XES, URL::table), or aggregated paths in "
    "ChannelAttribution's layout (path;total_conversions;…).",
    show_default=False,
)
BY = typer.Option(
    None,
    "--by",
    help=f"{choices(By)}: the touchpoints of an event log (default: channel when the log has one).",
)
CONVERSION_ACTIVITY = typer.Option(
    None, "--conversion-activity", help="The activity that means a conversion."
)
CONVERSION_OUTCOME = typer.Option(
    None, "--conversion-outcome", help="Outcome value meaning a conversion (repeatable)."
)
ORDER = typer.Option(1, "--order", min=1, help="Markov chain order (k >= 1).")


@dataclass(frozen=True)
class PathsQuery:
    """Which paths a command takes from an event log: ``--by`` and the conversions."""

    by: By | None = None
    conversion_activity: str | None = None
    conversion_outcome: list[str] | None = None

    def paths(self, source: str, opts: LogOptions) -> Paths:
        """The paths of a ChannelAttribution paths file, or of an event log."""
        from parcours.analytics.conversion import paths_from_file, paths_of_events

        found = paths_from_file(source) if "::" not in source else None
        if found is not None:
            return found
        with progress_line() as say:
            events = opts.read(source, say)
            say("paths")
            return paths_of_events(
                events,
                by=self.by.value if self.by is not None else None,
                conversion_activity=self.conversion_activity,
                conversion_outcomes=self.conversion_outcome or None,
            )


# a command's parameter ``query: PathsQuery`` stands for --by and the conversion options
with_paths_query = grouped(
    "query",
    {
        "by": (By | None, BY),
        "conversion_activity": (str | None, CONVERSION_ACTIVITY),
        "conversion_outcome": (list[str] | None, CONVERSION_OUTCOME),
    },
    PathsQuery,
)


# ------------------------------------------------------------------------ commands
@with_log_options("case", "activity", "timestamp", "channel", "outcome", "value", "customer")
@with_output
def funnel_command(
    log: str = LOG,
    stages: str = typer.Option(
        ...,
        "--stages",
        help="Stages in order: ',' between stages, '|' between alternatives.",
        show_default=False,
    ),
    mode: Mode = typer.Option(
        Mode.eventually,
        "--mode",
        help=f"{choices(Mode)}: each stage anywhere after the previous one, or right after it.",
    ),
    window: str | None = typer.Option(
        None, "--window", help="Conversion window from entry, e.g. 7d, 12h, 30m."
    ),
    *,
    output: Output,
    opts: LogOptions,
) -> None:
    """Funnel over ordered stages: cases per stage, conversion, drop-off, time to convert."""
    from parcours.analytics import funnels
    from parcours.analytics.reports import funnel_report

    with errors():
        spec = funnels.parse_stages(stages)
        span = funnels.parse_duration(window) if window else None
        with progress_line() as say:
            events = opts.read(log, say)
            say("funnel")
            report = funnel_report(events, spec, mode=mode.value, window=span)
        output.emit(report)


@with_log_options("case", "activity", "timestamp", "channel", "outcome", "value", "customer")
@with_output
@with_paths_query
def attribution_command(
    input: str = PATHS_INPUT,
    order: int = ORDER,
    max_steps: str | None = typer.Option(
        None,
        "--max-steps",
        help="Count walks longer than N states as null, as ChannelAttribution's simulation "
        "does ('auto': its default, the longest path + 1). Default: the exact absorbing chain.",
    ),
    *,
    query: PathsQuery,
    output: Output,
    opts: LogOptions,
) -> None:
    """First / last / linear touch and exact Markov attribution per channel."""
    from parcours.analytics.reports import attribution_report

    with errors():
        paths = query.paths(input, opts)
        report = attribution_report(paths, order=order, max_steps=max_steps)
        output.emit(report)


@with_log_options("case", "activity", "timestamp", "channel", "outcome", "value", "customer")
@with_output
@with_paths_query
def next_best_action_command(
    log: str = PATHS_INPUT,
    after: str = typer.Option(
        "", "--after", help="The partial path, touchpoints joined by ' > ', e.g. 'A > B'."
    ),
    order: int = ORDER,
    top: int | None = typer.Option(None, "--top", min=1, help="Show the N best actions."),
    *,
    query: PathsQuery,
    output: Output,
    opts: LogOptions,
) -> None:
    """Next touchpoints after a partial path, ranked by conversion probability."""
    from parcours.analytics.reports import next_best_action_report

    with errors():
        paths = query.paths(log, opts)
        report = next_best_action_report(paths, after, order=order, top=top)
        output.emit(report)


@with_log_options("case", "activity", "timestamp", "channel", "customer")
@with_output
def channels_command(
    log: str = LOG,
    within: str = typer.Option("7d", "--within", help="Repeat-contact window, e.g. 7d or 48h."),
    same_activity: bool = typer.Option(
        False, "--same-activity", help="Repeat contacts only about the same activity."
    ),
    *,
    output: Output,
    opts: LogOptions,
) -> None:
    """Channel switches, the channel × channel matrix and repeat contacts."""
    from parcours.analytics.funnels import parse_duration
    from parcours.analytics.reports import channels_report

    with errors():
        span = parse_duration(within)
        with progress_line() as say:
            events = opts.read(log, say)
            say("channels")
            report = channels_report(events, within=span, same_activity=same_activity)
        output.emit(report)


def register(app: typer.Typer) -> None:
    """Add the insight commands to the root app."""
    app.command("funnel")(funnel_command)
    app.command("attribution")(attribution_command)
    app.command("next-best-action")(next_best_action_command)
    app.command("channels")(channels_command)
