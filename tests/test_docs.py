"""Docs that cannot drift: the CLI reference is generated from the commands."""

from __future__ import annotations

import re
from pathlib import Path

from parcours.cli.reference import cli_reference

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current() -> None:
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == cli_reference(), (
        "docs/cli.md is stale: run python -m parcours.cli.reference > docs/cli.md"
    )


def test_every_command_is_documented_with_a_sentence() -> None:
    text = cli_reference()
    for command in (
        "templates",
        "new",
        "validate",
        "convert",
        "diff",
        "schema",
        "demo",
        "render",
        "export",
        "import",
        "analyze",
        "funnel",
        "attribution",
        "next-best-action",
    ):
        assert f"## `parcours {command}`" in text, command
    blocks = text.split("## `parcours ")[1:]
    assert all(block.split("\n\n")[1].strip() for block in blocks)


def test_readme_links_point_to_existing_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(((?:docs/)?[\w./-]+\.(?:md|png|svg))\)", readme)
    assert links
    for link in links:
        assert (ROOT / link).exists(), link


def test_the_readme_python_example_runs_as_written(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import contextlib
    import io

    from typer.testing import CliRunner

    from parcours.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```python\n", 1)[1].split("```", 1)[0]
    expected = next(line[2:] for line in block.splitlines() if line.startswith("# ["))
    monkeypatch.chdir(tmp_path)
    assert "parcours new --template bank-account-opening --lang fr -o compte.yaml" in readme
    result = CliRunner().invoke(
        app, ["new", "--template", "bank-account-opening", "--lang", "fr", "-o", "compte.yaml"]
    )
    assert result.exit_code == 0, result.output
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "README.md", "exec"), {})
    assert out.getvalue().strip() == expected
    assert (tmp_path / "compte-better.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    import parcours

    assert parcours.load("compte-better.json").cell("emotions", "verifies-identity")[0].score == 1  # type: ignore[union-attr]
