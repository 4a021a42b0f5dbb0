"""``parcours export`` and ``parcours import``: the map as office and text files, and back.

Thin: load the map, call :mod:`parcours.export`, write the file. An expected error is one
sentence on stderr and exit status 1; problems found in an imported workbook are warnings
(exit 0).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from parcours.cli.common import errors, fail
from parcours.escape.terminal import for_terminal

if TYPE_CHECKING:
    from parcours.export import Format

#: What ``parcours export`` writes (pictures are ``parcours render``'s): names of
#: :class:`parcours.export.Format`, which is imported only when a command exports (it
#: brings the whole model: a tenth of a second at the start of every other command).
FORMATS = ("xlsx", "pptx", "md", "csv", "json", "yaml")
MAP_SUFFIXES = (".yaml", ".yml", ".json")


def export_format(out: Path, fmt: str | None) -> Format:
    """The format asked for, or the one of ``out``'s suffix; one sentence when neither fits."""
    from parcours.export import SUFFIXES, Format

    if fmt is not None:
        if fmt.lower() not in FORMATS:
            fail(f"unknown format '{fmt}'; expected one of: {', '.join(FORMATS)}")
        return Format(fmt.lower())
    found = SUFFIXES.get(out.suffix.lower())
    if found not in FORMATS:
        fail(f"cannot tell the format of '{out.name}'; give --format, one of: {', '.join(FORMATS)}")
    assert found is not None
    return found


def export_map(
    source: Path, out: Path, fmt: str | None = None, journey_id: str | None = None
) -> Path:
    """Write the journey of ``source`` (a map file or a workspace) to ``out``."""
    from parcours import export, files

    chosen = export_format(out, fmt)
    found = export.subject(files.load(source), journey_id, str(source))
    return export.save(found, out, format=chosen)


def register(app: typer.Typer) -> None:
    @app.command("export")
    def export(
        source: Path = typer.Argument(..., help="A map file (.yaml, .json) or a workspace."),
        output: Path = typer.Option(..., "--output", "-o", help="The file to write."),
        format: str | None = typer.Option(
            None,
            "--format",
            "-f",
            help=f"One of: {', '.join(FORMATS)} (default: from the suffix of -o).",
        ),
        journey: str | None = typer.Option(
            None, "--journey", "-j", help="The journey to export, when the workspace holds several."
        ),
    ) -> None:
        """Export a journey map as Excel, PowerPoint, Markdown, CSV, JSON or YAML."""
        chosen = export_format(output, format)
        with errors("out of memory while exporting; export a smaller map"):
            written = export_map(source, output, chosen, journey)
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
        from parcours.render.office.reader import import_xlsx

        if output.suffix.lower() not in MAP_SUFFIXES:
            fail(f"cannot write '{output.name}': the map file must end in .yaml, .yml or .json")
        if workbook.suffix.lower() in (*MAP_SUFFIXES, ".xml") or workbook.is_dir():
            fail(
                f"{workbook} is not a workbook: 'parcours import' reads .xlsx; to read a map "
                "use 'parcours validate' or 'parcours convert'"
            )
        with errors("out of memory while importing; import a smaller workbook"):
            result = import_xlsx(workbook)
            files.save(result.document(), output)
        for problem in result.problems:
            typer.echo(for_terminal(problem), err=True)
        count = len(result.problems)
        typer.echo(
            f"wrote {output}" + (f" ({count} warning{'s' if count > 1 else ''})" if count else ""),
            err=True,
        )
