"""Commands on maps as files: templates, new, validate, convert, diff, schema, demo."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from parcours.atomic import write_atomic
from parcours.cli.common import fail
from parcours.errors import ParcoursError


def register(app: typer.Typer) -> None:
    app.command("templates")(templates_cmd)
    app.command("new")(new_cmd)
    app.command("validate")(validate_cmd)
    app.command("convert")(convert_cmd)
    app.command("diff")(diff_cmd)
    app.command("schema")(schema_cmd)
    app.command("demo")(demo_cmd)


def templates_cmd(
    lang: str | None = typer.Option(None, "--lang", help="Only this language (fr or en)."),
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
        typer.echo(f"{t.id:<{width}}  {t.lang}  {t.title}{shape}")


def new_cmd(
    template: str = typer.Option(
        ..., "--template", "-t", help="Template id (see 'parcours templates')."
    ),
    lang: str = typer.Option("fr", "--lang", help="fr or en."),
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
    try:
        atlas = new_from_template(template, lang)
        written = save(atlas, output)
    except (ParcoursError, ValueError) as exc:
        fail(str(exc))
    journey = atlas.journeys[0]
    typer.echo(
        f"wrote {written}: '{journey.title}' ({len(journey.steps())} steps, {len(atlas.personas)} personas)"
    )


def validate_cmd(
    files: list[Path] = typer.Argument(..., help="Map files (.yaml, .json) or workspace folders."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for machines."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
) -> None:
    """Check maps and workspaces; list every problem as FILE:LINE:COL: message."""
    from parcours.files import read
    from parcours.model.atlas import Atlas

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
                summary = f"workspace '{result.name}': {len(result.journeys)} journeys, {len(result.personas)} personas"
            else:
                summary = f"journey '{result.title}': {len(result.stages)} stages, {len(result.steps())} steps"
        report.append({"file": str(path), "valid": not errors, "summary": summary,
                       "problems": [p.to_dict() for p in problems]})  # fmt: skip
        if not as_json:
            for problem in problems:
                typer.echo(str(problem))
            if errors:
                typer.echo(f"{path}: {len(errors)} error(s), {len(warnings)} warning(s)")
            else:
                typer.echo(
                    f"{path}: ok, {summary}"
                    + (f" ({len(warnings)} warning(s))" if warnings else "")
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
    try:
        written = save(load(source), output)
    except (ParcoursError, ValueError) as exc:
        fail(str(exc))
    typer.echo(f"wrote {written}")


def diff_cmd(
    a: Path = typer.Argument(..., help="The old version."),
    b: Path = typer.Argument(..., help="The new version."),
    journey: str | None = typer.Option(
        None, "--journey", help="In workspaces, compare this journey only."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for machines."),
) -> None:
    """List what changed from A to B; exit 0 when they are equal, 1 when they differ."""
    from parcours.files import load, pick_journey
    from parcours.model.atlas import Atlas
    from parcours.model.diff import Change, diff

    try:
        old, new = load(a), load(b)
        changes: list[Change] = []
        if isinstance(old, Atlas) and isinstance(new, Atlas) and journey is None:
            changes = _atlas_changes(old, new)
        else:
            changes = diff(pick_journey(old, journey, str(a)), pick_journey(new, journey, str(b)))
    except (ParcoursError, ValueError) as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps({"equal": not changes, "changes": [c.to_dict() for c in changes]},
                              ensure_ascii=False, indent=2))  # fmt: skip
    elif not changes:
        typer.echo("equal")
    else:
        for change in changes:
            typer.echo(f"- {change}")
    if changes:
        raise typer.Exit(1)


def _atlas_changes(old: object, new: object) -> list[Any]:
    from parcours.model.atlas import Atlas
    from parcours.model.diff import Change, diff

    assert isinstance(old, Atlas) and isinstance(new, Atlas)
    changes: list[Change] = []
    for field in ("id", "name", "lang", "description"):
        if getattr(old, field) != getattr(new, field):
            changes.append(
                Change(
                    "workspace", field, f"{field} {getattr(old, field)!r} → {getattr(new, field)!r}"
                )
            )
    old_p = {p.id: p for p in old.personas}
    new_p = {p.id: p for p in new.personas}
    for pid in new_p.keys() - old_p.keys():
        changes.append(Change("persona", pid, f"persona '{new_p[pid].name}' added"))
    for pid in old_p.keys() - new_p.keys():
        changes.append(Change("persona", pid, f"persona '{old_p[pid].name}' removed"))
    for pid in old_p.keys() & new_p.keys():
        if old_p[pid] != new_p[pid]:
            fields = [
                f
                for f in type(old_p[pid]).model_fields
                if getattr(old_p[pid], f) != getattr(new_p[pid], f)
            ]
            changes.append(
                Change("persona", pid, f"persona '{new_p[pid].name}': {', '.join(fields)} changed")
            )
    if old.library != new.library:
        changes.append(
            Change("library", "*", "the shared library (channels, touchpoints, KPIs) changed")
        )
    old_j = {j.id: j for j in old.journeys}
    new_j = {j.id: j for j in new.journeys}
    for jid in new_j.keys() - old_j.keys():
        changes.append(Change("journey", jid, f"journey '{new_j[jid].title}' added"))
    for jid in old_j.keys() - new_j.keys():
        changes.append(Change("journey", jid, f"journey '{old_j[jid].title}' removed"))
    for jid in [j.id for j in new.journeys if j.id in old_j]:
        for change in diff(old_j[jid], new_j[jid]):
            changes.append(
                Change(change.kind, f"{jid}:{change.target}", f"[{jid}] {change.message}")
            )
    return changes


def schema_cmd(
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout."
    ),
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
        Path("parcours-demo"), "--output", "-o", help="Folder to write the demo to."
    ),
) -> None:
    """Validate the demo workspace and render it: maps (SVG, PNG, PDF), persona cards, atlas;
    write example event logs (events.csv, events.xes, paths.csv)."""
    from parcours.catalog import demo_path
    from parcours.files import read, save

    result, problems = read(demo_path())
    for problem in problems:
        typer.echo(str(problem))
    if result is None:
        fail("the demo workspace does not validate (see above)")
    from parcours.model.atlas import Atlas

    assert isinstance(result, Atlas)
    typer.echo(f"demo workspace '{result.name}': {len(result.personas)} personas, "
               f"{len(result.journeys)} journeys — valid")  # fmt: skip
    output.mkdir(parents=True, exist_ok=True)
    save(result, output / "workspace")
    written = [output / "workspace"]
    from parcours.analytics.examples import write_example_logs

    written += write_example_logs(output)  # events.csv, events.xes, paths.csv
    try:
        from parcours import render
    except ImportError:
        render = None  # type: ignore[assignment]
    if render is not None and hasattr(render, "save_svg"):
        for journey_id in [j.id for j in result.journeys]:
            journey = result.standalone(journey_id)
            for suffix, painter in (("svg", "save_svg"), ("png", "save_png"), ("pdf", "save_pdf")):
                path = output / f"{journey.id}.{suffix}"
                getattr(render, painter)(journey, path, personas=result.personas)
                written.append(path)
    for module, function, name in (("personas", "save_personas_pdf", "personas.pdf"),
                                   ("atlas", "save_atlas_pdf", "atlas.pdf")):  # fmt: skip
        try:
            mod = __import__(f"parcours.render.{module}", fromlist=[function])
        except ImportError:
            continue
        getattr(mod, function)(result, output / name)
        written.append(output / name)
    for path in written:
        typer.echo(f"wrote {path}")
