"""Docs that cannot drift: the CLI reference is generated from the commands."""

from __future__ import annotations

import re
from pathlib import Path

from parcours.cli.reference import cli_reference

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current() -> None:
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == cli_reference(), "docs/cli.md is stale: run python -m parcours.cli.reference > docs/cli.md"


def test_every_command_is_documented_with_a_sentence() -> None:
    text = cli_reference()
    for command in ("templates", "new", "validate", "convert", "diff", "schema", "demo", "render",
                    "export", "import", "analyze", "funnel", "attribution", "next-best-action"):  # fmt: skip
        assert f"## `parcours {command}`" in text, command
    blocks = text.split("## `parcours ")[1:]
    assert all(block.split("\n\n")[1].strip() for block in blocks)


def test_readme_links_point_to_existing_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(((?:docs/)?[\w./-]+\.(?:md|png|svg))\)", readme)
    assert links
    for link in links:
        assert (ROOT / link).exists(), link
