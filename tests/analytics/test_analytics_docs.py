"""The analytics pages run as written: every ``$ parcours …`` line of their ``console``
blocks runs on the shipped example logs (in ``parcours-demo/``, as ``parcours demo``
writes them) and prints exactly the output the page shows.

After a deliberate change of output, rewrite the pages' outputs with
``PARCOURS_UPDATE_DOCS=1 pytest tests/analytics/test_analytics_docs.py``.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcours.analytics.examples import write_example_logs
from parcours.cli import app

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("docs/analytics.md", "docs/attribution.md")
BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)


def _commands(block: str) -> list[tuple[str, list[str]]]:
    """``(command, expected output lines)`` of a console block."""
    found: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            found.append((line[2:], []))
        else:
            assert found, f"output before any command: {line!r}"
            found[-1][1].append(line)
    return found


def _run(command: str) -> str:
    args = shlex.split(command)
    assert args[0] == "parcours", command
    result = CliRunner().invoke(app, args[1:])
    assert result.exit_code == 0, f"{command}\n{result.output}"
    assert "internal error" not in result.stderr
    return result.stdout


@pytest.mark.parametrize("page", PAGES)
def test_the_page_runs_as_written(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_example_logs(tmp_path / "parcours-demo")
    monkeypatch.chdir(tmp_path)
    path = ROOT / page
    text = path.read_text(encoding="utf-8")
    blocks = BLOCK.findall(text)
    assert blocks, page
    update = os.environ.get("PARCOURS_UPDATE_DOCS") == "1"
    new_text = text
    for block in blocks:
        written = []
        for command, expected in _commands(block):
            out = [line.rstrip() for line in _run(command).splitlines()]
            if update:
                written.append("\n".join([f"$ {command}", *out]))
            else:
                assert [line.rstrip() for line in expected] == out, f"{page}: {command}"
        if update:
            new_text = new_text.replace(block, "\n".join(written) + "\n", 1)
    if update and new_text != text:
        path.write_text(new_text, encoding="utf-8")


def test_the_usual_column_names_are_listed_as_the_code_has_them() -> None:
    """The mapping table of docs/analytics.md lists every usual name of every role, in the
    order they are tried."""
    from parcours.analytics.mapping import STANDARD_COLUMNS, USUAL_NAMES

    page = (ROOT / "docs" / "analytics.md").read_text(encoding="utf-8")
    for role, names in USUAL_NAMES.items():
        row = f"| {role} | `{STANDARD_COLUMNS[role]}` | " + ", ".join(f"`{n}`" for n in names)
        assert row + " |\n" in page, f"the {role} row of the mapping table is not {row!r}"
