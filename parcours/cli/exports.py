"""``parcours export`` and ``parcours import``: the map as office and text files, and back.

Thin: load the map, call the exporter, write the file. An expected error is one sentence
on stderr and exit status 1; problems found in an imported workbook are warnings (exit 0).
"""

from __future__ import annotations

from pathlib import Path

import typer

from parcours.atomic import write_atomic
from parcours.cli.common import errors, fail

FORMATS = ("xlsx", "pptx", "md", "csv", "json", "yaml")
SUFFIXES = {".xlsx": "xlsx", ".pptx": "pptx", ".md": "md", ".markdown": "md", ".csv": "csv",
            ".json": "json", ".yaml": "yaml", ".yml": "yaml"}  # fmt: skip


def export_map(
    source: Path, out: Path, fmt: str | None = None, journey_id: str | None = None
) -> Path:
    """Write the journey of ``source`` (a map file or a workspace) to ``out``."""
    from parcours import files
    from parcours.model.atlas import Atlas
    from parcours.render.layout import merged_library

    fmt = fmt or SUFFIXES.get(out.suffix.lower())
    if fmt not in FORMATS:
        raise typer.BadParameter(f"cannot tell the format of '{out.name}'; give --format, one of: "
                                 + ", ".join(FORMATS))  # fmt: skip
    loaded = files.load(source)
    journey = files.pick_journey(loaded, journey_id, str(source))
    atlas = loaded if isinstance(loaded, Atlas) else None
    library = atlas.library if atlas is not None else None
    if fmt == "xlsx":
        from parcours.render.xlsx import save_xlsx

        return save_xlsx(journey, out, library=library, atlas=atlas)
    if fmt == "pptx":
        from parcours.render.pptx import save_pptx

        return save_pptx(journey, out, library=library, atlas=atlas)
    if fmt == "md":
        from parcours.render.markdown import to_markdown

        text = to_markdown(journey, library)
    elif fmt == "csv":
        from parcours.render.csvexport import to_csv

        text = to_csv(journey, library)
    else:  # a journey file that stands alone: the workspace library entries come with it
        if library is not None:
            journey = journey.model_copy(update={"library": merged_library(journey, library)})
        text = files.dumps(journey, fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, text)
    return out


def register(app: typer.Typer) -> None:
    @app.command("export")
    def export(
        source: Path = typer.Argument(..., help="A map file (.yaml, .json) or a workspace."),
        output: Path = typer.Option(..., "--output", "-o", help="The file to write."),
        format: str | None = typer.Option(
            None, "--format", "-f", help="xlsx, pptx, md, csv, json or yaml (default: from -o)."
        ),
        journey: str | None = typer.Option(
            None, "--journey", "-j", help="The journey to export, when the workspace holds several."
        ),
    ) -> None:
        """Export a journey map as Excel, PowerPoint, Markdown, CSV, JSON or YAML."""
        if format is not None and format.lower() not in FORMATS:
            fail(f"unknown format '{format}'; expected one of: {', '.join(FORMATS)}")
        with errors("out of memory while exporting; export a smaller map"):
            try:
                written = export_map(source, output, format.lower() if format else None, journey)
            except typer.BadParameter as exc:
                fail(str(exc))
        typer.echo(f"wrote {written}", err=True)

    @app.command("import")
    def import_(
        workbook: Path = typer.Argument(
            ..., help="An .xlsx workbook written by 'parcours export'."
        ),
        output: Path = typer.Option(
            ..., "--output", "-o", help="The map file to write (.yaml or .json)."
        ),
    ) -> None:
        """Read an exported (and edited) Excel workbook back into a map file."""
        from parcours import files
        from parcours.render.layout import merged_library
        from parcours.render.xlsx_import import import_xlsx

        if output.suffix.lower() not in (".yaml", ".yml", ".json"):
            fail(f"cannot write '{output.name}': the map file must end in .yaml, .yml or .json")
        with errors("out of memory while exporting; export a smaller map"):
            result = import_xlsx(workbook)
            journey = result.journey
            if result.library.touchpoints or result.library.kpis or result.library.channels:
                journey = journey.model_copy(
                    update={"library": merged_library(journey, result.library)}
                )
            files.save(journey, output)
        for problem in result.problems:
            typer.echo(str(problem), err=True)
        count = len(result.problems)
        typer.echo(
            f"wrote {output}" + (f" ({count} warning{'s' if count > 1 else ''})" if count else ""),
            err=True,
        )
