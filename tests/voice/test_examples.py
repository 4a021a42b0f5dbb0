"""The example comments and surveys shipped in the package: deterministic, consistent
with the demo workspace and the example event log, and telling the story they claim."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import yaml
from typer.testing import CliRunner

from parcours.analytics.examples import example_logs_folder
from parcours.catalog import load_demo
from parcours.cli import app
from parcours.voice import read_survey, survey_kpis
from parcours.voice.examples import (
    FILES,
    example_voice_folder,
    render_files,
    write_voice_examples,
)

PERSONAL = re.compile(r"@example\.(fr|com)|\b0[16] ?\d\d ?\d\d ?\d\d ?\d\d\b|\+44 ?7700")


def rows(name: str) -> list[dict[str, str]]:
    with (example_voice_folder() / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_shipped_files_are_what_the_generator_writes() -> None:
    rendered = render_files()
    assert sorted(rendered) == sorted(FILES)
    for name, text in rendered.items():
        shipped = (example_voice_folder() / name).read_text(encoding="utf-8")
        assert shipped == text, f"{name} differs: run python -m parcours.voice.examples"


def test_write_voice_examples(tmp_path: Path) -> None:
    written = write_voice_examples(tmp_path / "demo")
    assert [p.name for p in written] == list(FILES)
    for path in written:
        assert path.read_bytes() == (example_voice_folder() / path.name).read_bytes()


def test_the_data_speaks_of_the_demo_journeys_and_the_event_log() -> None:
    steps: dict[str, set[str]] = {}
    touchpoints: dict[str, set[str]] = {}  # step id → the touchpoints of that step
    for journey in load_demo().journeys:
        for stage in journey.stages:
            for step in stage.steps:
                steps.setdefault(journey.id, set()).add(step.id)
                touchpoints.setdefault(step.id, set()).update(step.touchpoints)
    with (example_logs_folder() / "events.csv").open(encoding="utf-8") as fh:
        cases = {(r["customer_id"], r["case_id"]) for r in csv.DictReader(fh)}

    verbatims = rows("verbatims.csv")
    assert 300 <= len(verbatims) <= 600
    for r in verbatims:
        assert r["etape"] in steps[r["parcours"]], r
        assert (r["id_client"], r["id_parcours"]) in cases
    assert {r["langue"] for r in verbatims} == {"fr", "en", ""}
    french = sum(r["langue"] == "fr" for r in verbatims)
    assert french > 2 * sum(r["langue"] == "en" for r in verbatims)
    assert 5 <= sum(bool(PERSONAL.search(r["commentaire"])) for r in verbatims) <= 40

    surveys = rows("surveys.csv")
    assert 200 <= len(surveys) <= 600
    for r in surveys:
        assert r["touchpoint"] in touchpoints[r["step"]], r
        assert (r["customer_id"], r["case_id"]) in cases
    # the customers who comment on the call-back are the ones who score it
    commented = {r["id_parcours"] for r in verbatims if r["etape"] == "waits-callback"}
    scored = {r["case_id"] for r in surveys if r["step"] == "waits-callback"}
    assert len(commented & scored) >= 0.5 * len(scored)


def test_sentiment_gives_a_row_per_comment_with_personal_data_masked(tmp_path: Path) -> None:
    folder = example_voice_folder()
    result = CliRunner().invoke(
        app,
        [
            "sentiment",
            str(folder / "verbatims.csv"),
            "--lang-col",
            "langue",
            "--themes",
            str(folder / "mes-themes.yaml"),
            "--lexicon",
            str(folder / "mes-mots.yaml"),
            "--suggest",
            "0",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)["rows"]
    given = rows("verbatims.csv")
    assert len(out) == len(given)
    assert [r["line"] for r in out] == list(range(2, len(given) + 2))  # one line per row
    masked = 0
    for row, source in zip(out, given, strict=True):
        assert not PERSONAL.search(row["text"]), row
        if PERSONAL.search(source["commentaire"]):
            assert re.search(r"\[(email|téléphone|phone)\]", row["text"]), row
            masked += 1
    assert masked >= 5
    # the themes of the file are the ones used, and the story reads in the labels
    themes = yaml.safe_load((folder / "mes-themes.yaml").read_text(encoding="utf-8"))["themes"]
    assert {t for r in out for t in r["themes"]} == set(themes)
    by_step: dict[str, list[str]] = {}
    for row, source in zip(out, given, strict=True):
        by_step.setdefault(source["etape"], []).append(row["label"])

    def negative(step: str) -> float:
        return by_step[step].count("negative") / len(by_step[step])

    assert negative("waits-callback") > 0.6 and negative("pays") > 0.6
    assert negative("picks-up") < 0.3 and negative("gets-advice") < 0.3


def test_surveys_score_payment_and_the_call_back_worst() -> None:
    kpis = survey_kpis(read_survey(example_voice_folder() / "surveys.csv"))
    assert kpis["by"] == "step"
    for metric in ("csat", "nps", "ces"):
        ranked = sorted((k["value"], k["group"]) for k in kpis["kpis"] if k["metric"] == metric)
        assert {group for _, group in ranked[:2]} == {"pays", "waits-callback"}, ranked
        best = {group for _, group in ranked[-4:]}
        assert {"picks-up", "gets-advice"} & best, ranked


def test_the_files_shown_in_the_docs_are_the_shipped_ones() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "voice.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in docs.split("```yaml\n")[1:]]
    for name in ("mes-themes.yaml", "mes-mots.yaml"):
        assert (example_voice_folder() / name).read_text(encoding="utf-8") in blocks, name


def test_the_outputs_shown_in_the_docs_are_the_real_ones(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Each ```text block of docs/voice.md is the output of the command before it, whole or
    cut where it shows « … »: the figures on the page cannot drift from the program's."""
    docs = (Path(__file__).parents[2] / "docs" / "voice.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in docs.split("```text\n")[1:]]
    write_voice_examples(tmp_path / "parcours-demo")
    monkeypatch.chdir(tmp_path)
    first = "sentiment parcours-demo/verbatims.csv --text-col commentaire --lang-col langue"
    themes = "--themes parcours-demo/mes-themes.yaml"
    commands = [
        first,
        first,
        f"sentiment parcours-demo/verbatims.csv --by etape {themes} --suggest 0",
        "surveys parcours-demo/surveys.csv",
    ]
    assert len(blocks) == len(commands)
    for block, command in zip(blocks, commands, strict=True):
        assert f"parcours {command}\n" in docs
        result = CliRunner().invoke(app, command.split())
        assert result.exit_code == 0, result.output
        output = result.stdout.splitlines()
        at = 0
        for line in block.splitlines():
            if line == "…":
                continue
            assert line in output[at:], (command, line)
            at = output.index(line, at) + 1
