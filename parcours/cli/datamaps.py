"""``parcours discover``, ``overlay`` and ``compare``: journey maps and event logs together.

Thin: parse, read the map and the log, call :mod:`parcours.analytics.discover`,
:mod:`~parcours.analytics.overlay` or :mod:`~parcours.analytics.compare`, write or print.
"""

from __future__ import annotations

import dataclasses
from enum import StrEnum
from pathlib import Path

import typer

from parcours.atomic import write_atomic
from parcours.cli.analytics import LOG, LogOptions, progress_line, with_log_options
from parcours.cli.common import OUT, errors

MAP = typer.Argument(..., help="Journey map file, or a workspace (choose with -j).")
JOURNEY = typer.Option(None, "-j", "--journey", help="The journey of a workspace.")
OUT_MAP = typer.Option(..., "-o", "--output", help="The map to write (.yaml or .json).")


SURVEYS = typer.Option(
    None, "--surveys", help="Survey responses (CSAT, NPS, CES) with a step column."
)
VERBATIMS = typer.Option(None, "--verbatims", help="Customer comments with a step column.")
STEP_COL = typer.Option(
    None, "--step-col", help="Column of the step in the verbatims (default: step, etape)."
)


class CompareFormat(StrEnum):
    table = "table"
    json = "json"
    md = "md"


class MapLang(StrEnum):
    en = "en"
    fr = "fr"


def _save(journey: object, out: Path) -> None:
    from parcours.files import dumps

    fmt = "json" if out.suffix.lower() == ".json" else "yaml"
    write_atomic(out, dumps(journey, fmt))  # type: ignore[arg-type]
    typer.echo(f"wrote {out}", err=True)


@with_log_options("case", "activity", "timestamp", "channel", "value")
def discover_command(
    log: str = LOG,
    output: Path = OUT_MAP,
    stage: str | None = typer.Option(
        None, "--stage", help="Column of the stage (default: stages inferred from time gaps)."
    ),
    coverage: float = typer.Option(
        0.8, "--coverage", min=0.01, max=1.0, help="Share of cases the steps must cover."
    ),
    lang: MapLang = typer.Option(MapLang.en, "--lang", help="Language of the map's words."),
    title: str | None = typer.Option(None, "--title", help="Title of the map."),
    surveys: Path | None = SURVEYS,
    verbatims: Path | None = VERBATIMS,
    step_col: str | None = STEP_COL,
    *,
    opts: LogOptions,
) -> None:
    """Build an editable, data-driven journey map from an event log (with --verbatims or
    --surveys whose step column names events: measured emotions, moments of truth)."""
    from parcours.analytics.discover import discover

    with errors("out of memory; convert the log to Parquet or use --engine spark"):
        with progress_line() as say:
            columns = dict(opts.columns, stage=stage)
            events = dataclasses.replace(opts, columns=columns).read(log, progress=say)
            say("discovering the journey")
            journey = discover(
                events,
                coverage=coverage,
                lang=lang.value,
                title=title,
                source=Path(log).name,
                verbatims=_verbatims(verbatims, step_col) if verbatims else (),
                surveys=_surveys(surveys) if surveys else None,
            )
        _save(journey, output)


@with_log_options("case", "activity", "timestamp", "channel")
def overlay_command(
    map_file: Path = MAP,
    log: str = LOG,
    output: Path = OUT_MAP,
    journey_id: str | None = JOURNEY,
    surveys: Path | None = SURVEYS,
    verbatims: Path | None = VERBATIMS,
    step_col: str | None = STEP_COL,
    operations: Path | None = typer.Option(
        None, "--operations", help="Also write the edits as a JSON list of operations."
    ),
    *,
    opts: LogOptions,
) -> None:
    """Put measured values on a map: metrics lane, KPI values, top verbatims per step."""
    import json

    from parcours.analytics.overlay import overlay_operations
    from parcours.files import load_journey
    from parcours.model.apply import apply
    from parcours.model.operations import Batch, operation_to_json

    with errors("out of memory; convert the log to Parquet or use --engine spark"):
        journey = load_journey(map_file, journey_id)
        survey_kpis = _surveys(surveys) if surveys else None
        rows = _verbatims(verbatims, step_col) if verbatims else []
        with progress_line() as say:
            events = opts.read(log, progress=say)
            say("measuring the steps")
            ops = overlay_operations(
                journey,
                events,
                surveys=survey_kpis,
                verbatims=rows,
                source=Path(log).name,
                survey_source=surveys.name if surveys else None,
            )
        result = apply(journey, Batch(ops=ops)) if ops else journey
        _save(result, output)
        if operations is not None:
            items = [json.loads(operation_to_json(op)) for op in ops]
            write_atomic(operations, json.dumps(items, ensure_ascii=False, indent=1) + "\n")
            typer.echo(f"wrote {operations}", err=True)


def _surveys(path: Path) -> dict[str, object]:
    from parcours.voice import read_survey, survey_kpis

    return survey_kpis(read_survey(path), by="step")


def _emotions(
    journey: object, surveys: Path | None, verbatims: Path | None, step_col: str | None
) -> dict[str, object] | None:
    """The measured emotions of the journey's steps, or None without comments or answers."""
    if surveys is None and verbatims is None:
        return None
    from parcours.analytics.emotions import measured_emotions, step_resolver

    return measured_emotions(  # type: ignore[return-value]
        _verbatims(verbatims, step_col) if verbatims else [],
        _surveys(surveys) if surveys else None,
        step_of=step_resolver(journey),  # type: ignore[arg-type]
    )


def _verbatims(path: Path, step_col: str | None) -> list[object]:
    from parcours.voice.verbatims import read_step_verbatims

    return read_step_verbatims(path, step_col)


@with_log_options("case", "activity", "timestamp", "channel")
def compare_command(
    map_file: Path = MAP,
    log: str = LOG,
    journey_id: str | None = JOURNEY,
    fmt: CompareFormat = typer.Option(
        CompareFormat.table, "--format", help="table | json | md: the same figures."
    ),
    lang: MapLang | None = typer.Option(
        None, "--lang", help="Language of the tables (default: the map's)."
    ),
    out: Path | None = OUT,
    surveys: Path | None = SURVEYS,
    verbatims: Path | None = VERBATIMS,
    step_col: str | None = STEP_COL,
    *,
    opts: LogOptions,
) -> None:
    """Designed vs observed: conformance, skipped steps, unplanned events, loops, branches,
    and with --verbatims or --surveys the emotion gaps."""
    import sys

    from parcours.analytics.compare import compare_report, render_markdown
    from parcours.analytics.formatting import Lang
    from parcours.analytics.report import render_text
    from parcours.files import load_journey

    with errors("out of memory; convert the log to Parquet or use --engine spark"):
        journey = load_journey(map_file, journey_id)
        emotions = _emotions(journey, surveys, verbatims, step_col)
        with progress_line() as say:
            events = opts.read(log, progress=say)
            say("comparing")
            report = compare_report(journey, events, emotions=emotions)
        chosen: Lang = "fr" if (lang.value if lang else journey.language()) == "fr" else "en"
        if fmt is CompareFormat.json:
            text = report.to_json()
        elif fmt is CompareFormat.md:
            text = render_markdown(report, chosen)
        else:
            text = render_text(report, chosen)
        if out is None:
            sys.stdout.write(text)
        else:
            write_atomic(out, text)


def register(app: typer.Typer) -> None:
    """Add ``discover``, ``overlay`` and ``compare`` to the root command."""
    app.command("discover")(discover_command)
    app.command("overlay")(overlay_command)
    app.command("compare")(compare_command)
