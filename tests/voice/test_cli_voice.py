"""The sentiment and surveys commands: outputs, one structure for table and JSON, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from parcours.cli import app
from parcours.voice.examples import write_voice_examples

DATA = Path(__file__).parent.parent / "data" / "voice"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_sentiment_json_csv_and_table_agree(tmp_path: Path) -> None:
    source = str(DATA / "verbatims.csv")
    code, out, err = _run(
        "sentiment", source, "--text-col", "commentaire", "--lang-col", "langue", "--format", "json"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert [r["line"] for r in doc["rows"]] == [2, 3, 4, 5, 6, 7, 9, 10]
    code, _, err = _run(
        "sentiment", source, "--text-col", "commentaire", "-o", str(tmp_path / "out.csv")
    )
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8"))))
    assert [int(r["line"]) for r in rows] == [r["line"] for r in doc["rows"]]
    assert [r["label"] or None for r in rows] == [r["label"] for r in doc["rows"]]
    assert [float(r["score"]) if r["score"] else None for r in rows] == [
        r["score"] for r in doc["rows"]
    ]
    assert [r["themes"].split("|") if r["themes"] else [] for r in rows] == [
        r["themes"] for r in doc["rows"]
    ]
    code, table, err = _run(
        "sentiment", source, "--text-col", "commentaire", "--lang-col", "langue"
    )
    assert code == 0, err
    lines = table.splitlines()
    for row in doc["rows"]:
        line = next(x for x in lines if x.startswith(f"│ {row['line']:>4} │"))
        assert (row["label"] or "—") in line and str(
            row["score"] if row["score"] is not None else "—"
        ) in line
    for label, n in doc["summary"]["labels"].items():
        assert any(x.startswith(f"│ {label} ") and f" {n} " in x for x in lines), label
    for theme in doc["summary"]["themes"]:
        line = next(x for x in lines if x.startswith(f"│ {theme['theme']} "))
        assert f" {theme['n']} " in line and str(theme["mean_score"]) in line
    assert "[téléphone]" in table and "06 12" not in table  # placeholders are not markup


def test_sentiment_table_shows_the_summary_per_label_and_theme() -> None:
    code, table, _ = _run("sentiment", str(DATA / "verbatims.csv"), "--text-col", "commentaire")
    assert code == 0
    assert "Sentiment (8 rows, 1 blank)" in table
    assert "Themes (" in table


def test_csv_output_escapes_formulas(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text('text\n"=HYPERLINK(""http://x"")"\n', encoding="utf-8")
    code, out, _ = _run("sentiment", str(path), "--format", "csv")
    assert code == 0
    assert list(csv.reader(io.StringIO(out)))[1][5].startswith("'=")


def test_sentiment_errors_are_one_located_sentence(tmp_path: Path) -> None:
    code, _, err = _run("sentiment", str(DATA / "verbatims.csv"), "--text-col", "comment")
    assert code == 1
    assert err.startswith(
        "error: verbatims.csv: column 'comment' (given with --text-col) does not exist;"
    )
    assert "columns are: client, etape, commentaire, langue" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("text,lang\nBonjour,de\n", encoding="utf-8")
    code, _, err = _run("sentiment", str(bad))
    assert code == 1
    assert "bad.csv:2: language 'de' is not handled" in err and "(column 'lang')" in err
    assert "Traceback" not in err
    code, _, err = _run("sentiment", str(tmp_path / "missing.csv"))
    assert code == 1 and "missing.csv: no such file" in err
    code, _, err = _run("sentiment", str(bad), "--format", "xml")
    assert code == 1 and "unknown format 'xml'; expected one of: table, json, csv" in err
    themes = tmp_path / "t.yaml"
    themes.write_text("themes: [\n", encoding="utf-8")
    code, _, err = _run("sentiment", str(bad), "--themes", str(themes), "--on-error", "skip")
    assert code == 1 and "t.yaml:2:1:" in err and "fix the YAML syntax" in err


def test_surveys_table_figures_equal_the_json(tmp_path: Path) -> None:
    source = str(DATA / "surveys.csv")
    code, out, err = _run("surveys", source, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    code, table, _ = _run("surveys", source)
    assert code == 0
    lines = table.splitlines()
    for k in doc["kpis"]:
        name = "NPS" if k["metric"] == "nps" else k["metric"].upper()
        line = next(x for x in lines if x.startswith(f"│ {k['group']} ") and f"│ {name}" in x)
        cells = [c.strip() for c in line.strip("│").split("│")]
        assert cells[2:5] == [str(k["n"]), str(k["value"]), f"{k['low']} – {k['high']}"], line
    code, _, _ = _run("surveys", source, "--by", "touchpoint", "-o", str(tmp_path / "k.json"))
    assert code == 0
    assert json.loads((tmp_path / "k.json").read_text(encoding="utf-8"))["by"] == "touchpoint"


def test_surveys_errors(tmp_path: Path) -> None:
    bad = tmp_path / "answers.csv"
    bad.write_text("id,step,nps\n1,a,12\n2,a,9\n", encoding="utf-8")
    code, _, err = _run("surveys", str(bad))
    assert code == 1
    assert (
        err.splitlines()[0]
        == "error: answers.csv: 1 bad row (use --on-error skip to leave them out):"
    )
    assert "answers.csv:2: nps score 12 (column 'nps') is not a whole number in 0–10" in err
    code, out, _ = _run("surveys", str(bad), "--on-error", "skip")
    assert code == 0 and "1 bad rows left out" in out and "answers.csv:2:" in out
    code, _, err = _run("surveys", str(bad), "--by", "channel")
    assert code == 1 and "unknown --by 'channel'; expected one of: step, touchpoint, all" in err


def test_commands_shown_in_the_docs_run_as_written(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shlex

    docs = (Path(__file__).parents[2] / "docs" / "voice.md").read_text(encoding="utf-8")
    commands = [line.strip() for line in docs.splitlines() if line.strip().startswith("parcours ")]
    assert len(commands) >= 4
    # the page starts with `parcours demo -o parcours-demo` (slow: it renders the demo); its
    # voice files are written here by the function it calls
    assert commands.pop(0) == "parcours demo -o parcours-demo"
    write_voice_examples(tmp_path / "parcours-demo")
    monkeypatch.chdir(tmp_path)
    for command in commands:
        code, _, err = _run(*shlex.split(command)[1:])
        assert code == 0, (command, err)


def test_the_python_example_of_the_docs_prints_what_it_says(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import contextlib

    docs = (Path(__file__).parents[2] / "docs" / "voice.md").read_text(encoding="utf-8")
    block = docs.split("```python\n", 1)[1].split("```", 1)[0]
    expected = [line[2:] for line in block.splitlines() if line.startswith("# ")]
    write_voice_examples(tmp_path / "parcours-demo")
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "voice.md", "exec"), {})
    assert out.getvalue().splitlines() == expected
