"""``parcours render``: a journey map as SVG, PNG or PDF; persona cards and the atlas as PDF.

::

    parcours render MAP -o map.svg|map.png|map.pdf [--journey ID] [--theme NAME|FILE] [--scale 2]
    parcours render personas WORKSPACE -o personas.pdf
    parcours render atlas WORKSPACE -o atlas.pdf

Thin: load, call :mod:`parcours.render`, write. An expected error is one sentence on
stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from parcours.cli.common import errors, fail

SUFFIXES = (".svg", ".png", ".pdf")
BOOKS = ("personas", "atlas")


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
) -> Path:
    """Render the journey of ``source`` (a map file or a workspace) to ``output``."""
    from parcours import files
    from parcours.model.atlas import Atlas
    from parcours.render import save_pdf, save_png, save_svg
    from parcours.render.theme import get_theme

    loaded = files.load(source)
    journey = files.pick_journey(loaded, journey_id, str(source))
    common: dict[str, Any] = {"theme": get_theme(theme)}
    if isinstance(loaded, Atlas):
        common["library"] = loaded.library
        common["personas"] = loaded.personas
    suffix = output.suffix.lower()
    if suffix == ".svg":
        return save_svg(journey, output, **common)
    if suffix == ".png":
        return save_png(journey, output, scale=scale, **common)
    return save_pdf(journey, output, steps_per_page=steps_per_page, **common)


def _book(kind: str) -> Callable[[Any, Path], Path]:
    """The PDF writer of persona cards or of the atlas, when that module exists."""
    import importlib

    module_name, function = {
        "personas": ("parcours.render.personas", "save_personas_pdf"),
        "atlas": ("parcours.render.atlas", "save_atlas_pdf"),
    }[kind]
    try:
        module = importlib.import_module(module_name)
        writer = getattr(module, function)
    except (ImportError, AttributeError):
        fail(f"'parcours render {kind}' is not available in this version of parcours yet")
        raise AssertionError("unreachable") from None
    return writer


def render_book(kind: str, source: Path, output: Path) -> Path:
    """Persona cards or the whole atlas of a workspace, as PDF."""
    from parcours import files
    from parcours.model.atlas import Atlas

    writer = _book(kind)
    loaded = files.load(source)
    if not isinstance(loaded, Atlas):
        fail(
            f"{source} holds one journey, not a workspace; 'parcours render {kind}' needs a "
            "workspace file or folder (with personas and journeys)"
        )
    return writer(loaded, output)


def register(app: typer.Typer) -> None:
    @app.command(
        "render",
        context_settings={"help_option_names": ["-h", "--help"]},
        epilog="Also: 'parcours render personas WORKSPACE -o cards.pdf' and "
        "'parcours render atlas WORKSPACE -o atlas.pdf'.",
    )
    def render(
        target: list[str] = typer.Argument(
            ...,
            metavar="MAP | personas WORKSPACE | atlas WORKSPACE",
            help="A map file or workspace; or 'personas' / 'atlas' and a workspace.",
        ),
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
    ) -> None:
        """Render a journey map as SVG, PNG or PDF (or persona cards and the atlas as PDF)."""
        if len(target) == 2 and target[0] in BOOKS:
            _check_output(output, (".pdf",))
            with errors("out of memory while rendering; render a smaller map or a PDF in pages"):
                written = render_book(target[0], Path(target[1]), output)
            typer.echo(f"wrote {written}", err=True)
            return
        if len(target) != 1:
            fail(
                "give one map file or workspace, or 'personas WORKSPACE' or 'atlas WORKSPACE'; "
                f"got {len(target)} arguments"
            )
        if target[0] in BOOKS and not Path(target[0]).exists():
            fail(
                f"'parcours render {target[0]}' needs a workspace: parcours render {target[0]} "
                "WORKSPACE -o FILE.pdf"
            )
        _check_output(output, SUFFIXES)
        if scale <= 0 or scale > 8:
            fail(f"--scale is {scale}; give a number above 0 and at most 8")
        if steps_per_page is not None and steps_per_page < 1:
            fail(f"--steps-per-page is {steps_per_page}; give a whole number of at least 1")
        with errors("out of memory while rendering; render a smaller map or a PDF in pages"):
            written = render_map(
                Path(target[0]),
                output,
                journey_id=journey,
                theme=theme,
                scale=scale,
                steps_per_page=steps_per_page,
            )
        typer.echo(f"wrote {written}", err=True)
