"""Commands on maps as files: templates, new, validate, convert, diff, schema, demo."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import typer

from parcours.atomic import write_atomic
from parcours.cli.common import FAILED, INTERNAL, OUT, counted, errors, fail
from parcours.escape.terminal import for_terminal


class Lang(StrEnum):
    """The languages parcours speaks."""

    fr = "fr"
    en = "en"


def register(app: typer.Typer) -> None:
    app.command("templates")(templates_cmd)
    app.command("new")(new_cmd)
    app.command("validate")(validate_cmd)
    app.command("convert")(convert_cmd)
    app.command("diff")(diff_cmd)
    app.command("schema")(schema_cmd)
    app.command("demo")(demo_cmd)


def templates_cmd(
    lang: Lang | None = typer.Option(None, "--lang", help="Only this language."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for machines."),
) -> None:
    """List the built-in journey templates, in French and English."""
    from parcours.catalog import templates

    found = [t for t in templates() if lang is None or t.lang == lang]
    if as_json:
        typer.echo(json.dumps([t.to_dict() for t in found], ensure_ascii=False, indent=2))
        return
    width = max((len(t.id) for t in found), default=10)
    for t in found:
        shape = "" if t.linear else "  [branches]"
        typer.echo(for_terminal(f"{t.id:<{width}}  {t.lang}  {t.title}{shape}"))


def new_cmd(
    template: str = typer.Option(
        ..., "--template", "-t", help="Template id (see 'parcours templates')."
    ),
    lang: Lang = typer.Option(Lang.fr, "--lang", help="The language of the template."),
    output: Path = typer.Option(
        ..., "--output", "-o", help="File to write (.yaml or .json), or a folder."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Start a new map from a template (its personas, touchpoints, KPIs and journey)."""
    from parcours.catalog import new_from_template
    from parcours.files import save

    if output.exists() and not force and not output.is_dir():
        fail(f"{output} already exists; choose another name or add --force")
    with errors():
        atlas = new_from_template(template, lang)
        written = save(atlas, output)
    journey = atlas.journeys[0]
    typer.echo(
        for_terminal(
            f"wrote {written}: '{journey.title}' ({counted(len(journey.steps()), 'step')}, "
            f"{counted(len(atlas.personas), 'persona')})"
        )
    )


def validate_cmd(
    files: list[Path] = typer.Argument(..., help="Map files (.yaml, .json) or workspace folders."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for machines."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    lang: Lang = typer.Option(
        Lang.en, "--lang", help="Language of the messages (the model's problems and the summary)."
    ),
) -> None:
    """Check maps and workspaces; list every problem as FILE:LINE:COL: message."""
    from parcours.files import read
    from parcours.model.atlas import Atlas
    from parcours.model.words import table

    said = table("PROBLEMS", lang.value)

    def count(n: int, noun: str) -> str:
        one = n == 1 or (lang == Lang.fr and n == 0)
        return said[f"count.{noun}.{'one' if one else 'other'}"].format(n=n)

    report = []
    failed = False
    for path in files:
        result, problems = read(path)
        errors = [p for p in problems if p.severity == "error"]
        warnings = [p for p in problems if p.severity == "warning"]
        if errors or (strict and warnings):
            failed = True
        summary = None
        if result is not None:
            if isinstance(result, Atlas):
                summary = said["validate.workspace"].format(
                    name=result.name,
                    journeys=count(len(result.journeys), "journey"),
                    personas=count(len(result.personas), "persona"),
                )
            else:
                summary = said["validate.journey"].format(
                    title=result.title,
                    stages=count(len(result.stages), "stage"),
                    steps=count(len(result.steps()), "step"),
                )
        report.append(
            {
                "file": str(path),
                "valid": not errors,
                "summary": summary,
                "problems": [p.to_dict(lang.value) for p in problems],
            }
        )
        if not as_json:
            for problem in problems:
                typer.echo(for_terminal(problem.text(lang.value)))
            if errors:
                typer.echo(
                    said["validate.failed"].format(
                        path=path, errors=len(errors), warnings=len(warnings)
                    )
                )
            else:
                more = count(len(warnings), "warning")
                typer.echo(
                    for_terminal(said["validate.ok"].format(path=path, summary=summary))
                    + (said["validate.warnings"].format(warnings=more) if warnings else "")
                )
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    if failed:
        raise typer.Exit(1)


def convert_cmd(
    source: Path = typer.Argument(..., help="A map or workspace (.yaml, .json, or a folder)."),
    output: Path = typer.Option(
        ..., "--output", "-o", help="The file to write: .yaml or .json (or a folder)."
    ),
    force: bool = typer.Option(
        False, "--force", help="Rewrite the source file itself (its comments are lost)."
    ),
) -> None:
    """Convert a map between YAML and JSON (the same map, written anew)."""
    from parcours.files import load, save

    if not force and source.is_file() and output.exists() and output.samefile(source):
        fail(
            f"{output} is the file being converted: writing it anew drops its comments and "
            "layout; write to another file, or add --force to rewrite it in place"
        )
    with errors():
        written = save(load(source), output)
    typer.echo(f"wrote {written}")


def diff_cmd(
    a: Path = typer.Argument(..., help="The old version."),
    b: Path = typer.Argument(..., help="The new version."),
    journey: str | None = typer.Option(
        None, "--journey", help="In workspaces, compare this journey only."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for machines."),
    lang: Lang | None = typer.Option(
        None, "--lang", help="Language of the sentences (default: the language of B)."
    ),
) -> None:
    """List what changed from A to B: exit 0 when equal, 1 when different, 2 on an error.

    Two workspaces are compared whole (personas, shared library, every journey); a journey
    is compared with a workspace's journey, and the note says what is left out.
    """
    from parcours.files import load, pick_journey
    from parcours.model.atlas import Atlas
    from parcours.model.diff import Change, diff, diff_atlas

    with errors(status=INTERNAL):
        old, new = load(a), load(b)
        changes: list[Change]
        if isinstance(old, Atlas) and isinstance(new, Atlas) and journey is None:
            changes, left_out = diff_atlas(old, new), None
        else:
            changes = diff(pick_journey(old, journey, str(a)), pick_journey(new, journey, str(b)))
            left_out = _left_out(old, new)
    if as_json:
        report = {"equal": not changes, "changes": [c.to_dict() for c in changes]}
        if left_out:
            report["left_out"] = left_out
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        said = lang.value if lang is not None else new.language()
        lines = [f"- {for_terminal(c.sentence(said))}" for c in changes]
        typer.echo("\n".join(lines) if lines else "equal")
        if left_out:
            typer.echo(f"note: {left_out}", err=True)
    if changes:
        raise typer.Exit(FAILED)


def _left_out(old: object, new: object) -> str | None:
    """What a journey-to-journey comparison does not look at, when a side is a workspace."""
    from parcours.model.atlas import Atlas

    sides = [name for name, side in (("A", old), ("B", new)) if isinstance(side, Atlas)]
    if not sides:
        return None
    return (
        f"compared one journey only; the personas, the other journeys and the shared library "
        f"of the workspace {' and '.join(sides)} are left out (compare two workspaces to see "
        "them)"
    )


def schema_cmd(
    output: Path | None = OUT,
) -> None:
    """Print the JSON Schema of the map-as-code file format."""
    from parcours.fileformat.schema import file_schema

    text = json.dumps(file_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
        typer.echo(f"wrote {output}")


def demo_cmd(
    output: Path = typer.Option(
        Path("parcours-demo"),
        "--output",
        "-o",
        "--export",
        help="Folder to write the demo to.",
    ),
) -> None:
    """Validate the demo workspace and render it: maps (SVG, PNG, PDF), persona cards, atlas;
    write example event logs (events.csv, events.xes, paths.csv) and customer comments and
    surveys (verbatims.csv, surveys.csv, mes-themes.yaml, mes-mots.yaml); write the demo
    dataset in data/ (about 50,000 events in events.parquet and events.csv, surveys.csv,
    about 2,000 comments in verbatims.csv: see docs/data-driven.md)."""
    from parcours import export
    from parcours.analytics.demo_data import write_demo_data
    from parcours.analytics.examples import write_example_logs
    from parcours.catalog import demo_path
    from parcours.files import read, save
    from parcours.model.atlas import Atlas
    from parcours.voice.examples import write_voice_examples

    result, problems = read(demo_path())
    for problem in problems:
        typer.echo(for_terminal(problem))
    if not isinstance(result, Atlas):
        fail("the demo workspace does not validate (see above)")
    typer.echo(
        f"demo workspace '{result.name}': {counted(len(result.personas), 'persona')}, "
        f"{counted(len(result.journeys), 'journey')} — valid"
    )
    with errors("out of memory while rendering the demo"):
        output.mkdir(parents=True, exist_ok=True)
        written = [save(result, output / "workspace")]
        written += write_example_logs(output)  # events.csv, events.xes, paths.csv
        written += write_voice_examples(output)  # verbatims.csv, surveys.csv, themes, lexicon
        written += write_demo_data(output / "data")  # the demo dataset
        for journey in result.journeys:
            alone = result.standalone(journey.id)
            for suffix in ("svg", "png", "pdf"):
                path = output / f"{journey.id}.{suffix}"
                written.append(export.save(alone, path, personas=result.personas))
        for book in (export.Format.personas, export.Format.atlas):
            written.append(export.save(result, output / f"{book}.pdf", format=book))
    for path in written:
        typer.echo(f"wrote {path}")
