"""Every analytics command on every hostile event log of the corpus: an answer or one
``error:`` sentence, never an exception (the commands past ``analyze`` read the same logs
and then build paths, chains, funnels and matrices from whatever survived)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcours.cli import app

CORPUS = Path(__file__).resolve().parents[1] / "hostile" / "corpus"
LOGS = sorted(
    p for p in CORPUS.rglob("*") if p.is_file() and p.name != "expect.json" and p.stat().st_size
)
COMMANDS = {
    "funnel": ["funnel", "--stages", "a|A,b|B"],
    "attribution": ["attribution", "--conversion-activity", "B"],
    "next-best-action": ["next-best-action", "--conversion-activity", "B"],
    "channels": ["channels"],
}


@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_exception_escapes(command: str) -> None:
    assert len(LOGS) > 100
    answered = 0
    runner = CliRunner()
    for i, log in enumerate(LOGS):
        name, *options = COMMANDS[command]
        for fmt in ("table", "json")[i % 2 : i % 2 + 1]:  # each format on half the logs
            result = runner.invoke(
                app, [name, str(log), *options, "--on-error", "skip", "--format", fmt]
            )
            where = f"{command} {log.relative_to(CORPUS)} ({fmt})"
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise AssertionError(where) from result.exception
            assert result.exit_code in (0, 1), (where, result.output)
            if result.exit_code == 1:
                assert result.stderr.startswith(("error: ", "warning: ", "note: ")), where
                assert "\nerror: " in "\n" + result.stderr, (where, result.stderr)
            else:
                answered += 1
    if command != "channels":  # hardly a hostile log has a channel column
        assert answered > 0  # some logs get through the reader and reach the command


EVENTS = Path(__file__).resolve().parents[2] / "parcours" / "examples" / "events" / "events.csv"


@pytest.mark.parametrize(
    ("budget", "says"),
    [
        ("1MB", "needs more memory than its budget of 1MB"),
        ("1KB", "needs more memory than its budget of 1KB"),
        ("99999999TB", "DuckDB memory limit '99999999TB' is out of range"),
        ("lots", "DuckDB memory limit 'lots' is not a size"),
    ],
)
def test_a_budget_too_small_or_too_large_is_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: str, says: str
) -> None:
    """Running out of the memory budget (or naming one DuckDB cannot take) is an error
    that says how to fix it, for a CSV log (loaded into DuckDB) as for a Parquet one (read
    by it: not taken for a torn file), in every command that runs on DuckDB."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    parquet = tmp_path / "events.parquet"
    pq.write_table(pacsv.read_csv(EVENTS), parquet)
    monkeypatch.setenv("PARCOURS_DUCKDB_MEMORY_LIMIT", budget)
    runner = CliRunner()
    for log in (EVENTS, parquet):
        for name, *options in (["analyze"], COMMANDS["channels"]):
            result = runner.invoke(app, [name, str(log), *options])
            where = (name, log.name, result.stderr)
            assert result.exit_code == 1, where
            assert result.stderr.startswith("error: ") and says in result.stderr, where
            assert "bug" not in result.stderr and "write the file again" not in result.stderr
            if "budget of" in says:
                assert "PARCOURS_DUCKDB_MEMORY_LIMIT=8GB" in result.stderr
