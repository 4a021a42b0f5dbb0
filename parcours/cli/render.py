"""``parcours render``: a journey map as SVG, PNG or PDF; persona cards and the atlas as PDF.

::

    parcours render map MAP -o map.svg|map.png|map.pdf [--journey ID] [--theme NAME|FILE]
        [--data LOG [--case COL --activity COL --timestamp COL --channel COL …]]
    parcours render personas WORKSPACE -o personas.pdf
    parcours render atlas WORKSPACE -o atlas.pdf [--paper a3|a4]

``parcours render MAP -o …`` (without ``map``) is the same as ``parcours render map MAP``.
Thin: load, call :mod:`parcours.export`, write. An expected error is one sentence on
stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from parcours.cli.analytics import LogOptions, with_log_options
from parcours.cli.common import errors, fail

SUFFIXES = (".svg", ".png", ".pdf")


class Paper(StrEnum):
    """The size of the atlas' map pages (landscape)."""

    a3 = "a3"
    a4 = "a4"


OUT_OF_MEMORY = "out of memory while rendering; render a smaller map or a PDF in pages"


class _MapByDefault(TyperGroup):
    """A group whose first argument, when it names no command, is a map: ``render MAP``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["map", *args]
        return super().parse_args(ctx, args)


def _check_output(output: Path, suffixes: tuple[str, ...]) -> None:
    if output.suffix.lower() not in suffixes:
        fail(
            f"cannot render to '{output.name}'; give a file ending in {', '.join(suffixes)}"
            + (" (for xlsx, pptx, md or csv use 'parcours export')" if len(suffixes) > 1 else "")
        )
    if output.exists() and output.is_dir():
        fail(f"{output} is a folder; give a file name")
    if not output.parent.exists():
        fail(f"the folder {output.parent} does not exist; create it first")


def render_map(
    source: Path,
    output: Path,
    *,
    journey_id: str | None = None,
    theme: str | None = None,
    scale: float = 1.0,
    steps_per_page: int | None = None,
    text_as_paths: bool = False,
    width: float | None = None,
    data: str | None = None,
    log_options: LogOptions | None = None,
) -> Path:
    """Render the journey of ``source`` (a map file or a workspace) to ``output``; with
    ``data`` (an event log, read with ``log_options``: its columns, engine, bad rows,
    dates), the figures of ``parcours compare`` under the steps."""
    from parcours import export, files
    from parcours.render.theme import get_theme

    found = export.subject(files.load(source), journey_id, str(source))
    observed = None
    if data is not None:
        from parcours.analytics import read_events
        from parcours.analytics.compare import compare
        from parcours.errors import BadData

        if not any(s.observed_as for s in found.map.steps()):
            raise BadData(
                f"the journey '{found.map.id}' binds no step to events; give its steps "
                "'observed_as' (see docs/data-driven.md) before rendering it with --data"
            )
        events = log_options.read(data) if log_options is not None else read_events(data)
        observed = compare(found.map, events)
        if not observed["n_cases"]:
            raise BadData(
                f"no case of {Path(data).name} has an event that a step of "
                f"'{found.map.id}' observes; check the event names of 'observed_as'"
            )
    return export.save(
        found,
        output,
        observed=observed,
        theme=get_theme(theme),
        scale=scale,
        steps_per_page=steps_per_page,
        text_as_paths=text_as_paths,
        width=width,
    )


def render_book(kind: str, source: Path, output: Path, *, paper: str = "a3") -> Path:
    """Persona cards or the whole atlas of a workspace, as PDF."""
    from parcours import export, files
    from parcours.model.atlas import Atlas

    loaded = files.load(source)
    if not isinstance(loaded, Atlas):
        fail(
            f"{source} holds one journey, not a workspace; 'parcours render {kind}' needs a "
            "workspace file or folder (with personas and journeys)"
        )
    if kind == "atlas":
        return export.save(loaded, output, format=kind, paper=paper)
    return export.save(loaded, output, format=kind)


def _book_command(kind: str, what: str) -> Any:
    def command(
        workspace: Path | None = typer.Argument(
            None, metavar="WORKSPACE", help="A workspace file or folder."
        ),
        output: Path = typer.Option(..., "--output", "-o", help="The PDF file to write."),
        paper: Paper = typer.Option(
            Paper.a3,
            "--paper",
            help="atlas: the size of the map pages, landscape (a4 gives more pages; "
            "text stays at least 7 pt on either).",
            case_sensitive=False,
        ),
    ) -> None:
        if workspace is None:
            fail(f"'parcours render {kind}' needs a workspace: parcours render {kind} "
                 "WORKSPACE -o FILE.pdf")  # fmt: skip
        _check_output(output, (".pdf",))
        with errors(OUT_OF_MEMORY):
            written = render_book(kind, workspace, output, paper=paper.value)
        typer.echo(f"wrote {written}", err=True)

    command.__doc__ = f"Render {what} of a workspace as PDF."
    return command


@with_log_options("case", "activity", "timestamp", "channel")
def map_cmd(
    source: list[Path] = typer.Argument(..., metavar="MAP", help="A map file or a workspace."),
    output: Path = typer.Option(
        ..., "--output", "-o", help="The file to write: .svg, .png or .pdf."
    ),
    journey: str | None = typer.Option(
        None, "--journey", "-j", help="The journey to render, when the workspace holds several."
    ),
    theme: str | None = typer.Option(
        None, "--theme", "-t", help="default, print, contrast, or a YAML/JSON theme file."
    ),
    scale: float = typer.Option(
        1.0, "--scale", "-s", help="PNG resolution: 2 doubles it (the width stays capped)."
    ),
    steps_per_page: int | None = typer.Option(
        None, "--steps-per-page", help="PDF: steps per page for long maps (default 12)."
    ),
    text_as_paths: bool = typer.Option(
        False,
        "--text-as-paths",
        help="SVG: draw text as outlines, for tools that ignore embedded fonts "
        "(default: the font subset is embedded and text stays selectable).",
    ),
    width: float | None = typer.Option(
        None, "--width", help="SVG: displayed width in px (the drawing scales to it)."
    ),
    data: str | None = typer.Option(
        None,
        "--data",
        metavar="LOG",
        help="An event log: draw what 'parcours compare' finds under the steps (skips, "
        "loops, branch shares, unplanned events). The options below name its columns and "
        "say how to read it, as for 'parcours compare'.",
    ),
    *,
    opts: LogOptions,
) -> None:
    """Render a journey map as SVG, PNG or PDF (the suffix of -o chooses)."""
    if len(source) != 1:
        fail(f"give one map file or workspace; got {len(source)} arguments")
    _check_output(output, SUFFIXES)
    if scale <= 0 or scale > 8:
        fail(f"--scale is {scale}; give a number above 0 and at most 8")
    if steps_per_page is not None and steps_per_page < 1:
        fail(f"--steps-per-page is {steps_per_page}; give a whole number of at least 1")
    if width is not None and not 16 <= width <= 100000:
        fail(f"--width is {width:g}; give a width in px between 16 and 100000")
    if data is None and any(opts.columns.values()):
        named = [f"--{name}" for name, col in opts.columns.items() if col]
        verb = "names a column" if len(named) == 1 else "name columns"
        fail(f"{', '.join(named)} {verb} of the log given with --data; add --data LOG")
    if (text_as_paths or width is not None) and output.suffix.lower() != ".svg":
        fail("--text-as-paths and --width apply to SVG; write to a file ending in .svg")
    with errors(OUT_OF_MEMORY):
        written = render_map(
            source[0],
            output,
            journey_id=journey,
            theme=theme,
            scale=scale,
            steps_per_page=steps_per_page,
            text_as_paths=text_as_paths,
            width=width,
            data=data,
            log_options=opts,
        )
    typer.echo(f"wrote {written}", err=True)


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        cls=_MapByDefault,
        no_args_is_help=True,
        context_settings={"help_option_names": ["-h", "--help"]},
        help="Render a journey map as SVG, PNG or PDF, or persona cards and the atlas as PDF.",
        epilog="'parcours render MAP -o map.svg' is short for 'parcours render map MAP -o "
        "map.svg'. Options of the map: --journey, --theme, --scale, --steps-per-page, "
        "--text-as-paths, --width, --data and the columns of its log.",
    )
    group.command("map")(map_cmd)
    group.command("personas")(_book_command("personas", "the persona cards"))
    group.command("atlas")(_book_command("atlas", "the whole atlas (maps, pains, backlog)"))
    app.add_typer(group, name="render")
