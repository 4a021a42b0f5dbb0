"""The administration commands of docs/server.md run as written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcours.cli import app

ROOT = Path(__file__).resolve().parents[2]
LINES = [
    "export PARCOURS_DB=team.db",
    "echo 'a long passphrase' | parcours user add admin@example.org --role admin",
    "parcours token create admin@example.org",
    "parcours dump -o backup.json",
    "parcours restore backup.json --db restored.db",
]


def test_storage_section_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shlex

    doc = (ROOT / "docs" / "server.md").read_text(encoding="utf-8")
    block = doc.split("## Storage", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    assert block.splitlines() == LINES
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    env: dict[str, str] = {}
    for line in LINES:
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").partition("=")
            env[name] = value
            continue
        stdin = None
        if " | " in line:
            echo, line = line.split(" | ", 1)
            stdin = shlex.split(echo)[1] + "\n"
        args = shlex.split(line)
        assert args[0] == "parcours"
        result = runner.invoke(app, args[1:], input=stdin, env=env)
        assert result.exit_code == 0, (line, result.output)
    assert (tmp_path / "team.db").exists() and (tmp_path / "restored.db").exists()
    assert (tmp_path / "backup.json").read_text().startswith("{")
