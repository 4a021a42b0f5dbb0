"""Measured emotions: emotion gaps in compare, moments of truth in discover."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from typer.testing import CliRunner

from parcours.analytics import read_events
from parcours.analytics.compare import compare, compare_report, render_markdown
from parcours.analytics.discover import discover
from parcours.analytics.emotions import designed_emotions, measured_emotions, step_resolver
from parcours.analytics.formatting import number
from parcours.analytics.overlay import overlay
from parcours.analytics.report import render_text
from parcours.catalog import demo_path
from parcours.cli import app
from parcours.files import read
from parcours.model.atlas import Atlas
from parcours.model.items import MetricKey
from parcours.model.journey import Journey
from parcours.voice import read_survey, read_verbatims, survey_kpis

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "parcours" / "examples" / "events" / "events.csv"
VOICE = ROOT / "parcours" / "examples" / "voice"
DEMO = ROOT / "parcours" / "examples" / "demo"


@cache
def journey() -> Journey:
    result, _ = read(demo_path())
    assert isinstance(result, Atlas)
    return result.standalone("achat-en-ligne")


@cache
def comments() -> list[object]:
    return list(read_verbatims(VOICE / "verbatims.csv", by_col="etape").rows)


def test_measured_emotion_is_twice_the_mean_sentiment_with_its_interval() -> None:
    rows = [r for r in comments() if r.group == "pays" and r.score is not None]  # type: ignore[attr-defined]
    found = measured_emotions(comments(), step_of=step_resolver(journey()))["pays"]
    mean = sum(r.score for r in rows) / len(rows)  # type: ignore[attr-defined]
    assert found.n == len(rows) and found.source == "verbatims"
    assert found.value == round(2 * mean, 2) < 0  # payment failures
    assert found.low is not None and found.high is not None
    assert -2 <= found.low <= found.value <= found.high <= 2


def test_csat_gives_the_emotion_of_a_step_without_comments() -> None:
    surveys = survey_kpis(read_survey(VOICE / "surveys.csv"), by="step")
    only = measured_emotions((), surveys, step_of=step_resolver(journey()))
    row = next(r for r in surveys["kpis"] if r["group"] == "pays" and r["metric"] == "csat")
    assert only["pays"].source == "csat"
    assert only["pays"].value == round(row["mean"] - 3, 2)
    # the comments win where a step has both
    both = measured_emotions(comments(), surveys, step_of=step_resolver(journey()))
    assert both["pays"].source == "verbatims"


def test_overlay_writes_the_measured_emotion_with_its_bounds() -> None:
    out = overlay(journey(), read_events(EVENTS), verbatims=comments())
    metric = next(m for m in out.cell("metrics", "pays") if m.key == MetricKey.emotion)
    assert metric.n and metric.low is not None and metric.low <= metric.value <= metric.high


def test_compare_reports_the_emotion_gaps() -> None:
    j = journey()
    emotions = measured_emotions(comments(), step_of=step_resolver(j))
    data = compare(j, read_events(EVENTS), emotions=emotions)
    gaps = {g["step"]: g for g in data["emotion_gaps"]}
    assert set(gaps) == set(emotions)
    pays = gaps["pays"]
    assert pays["designed"] == designed_emotions(j)["pays"]
    assert pays["gap"] == round(pays["measured"] - pays["designed"], 2)
    assert pays["n"] == emotions["pays"].n and pays["gap"] < 0
    assert compare(j, read_events(EVENTS))["emotion_gaps"] is None  # no comments: no gaps


def test_every_emotion_gap_in_the_table_and_markdown_is_the_json_number() -> None:
    j = journey()
    emotions = measured_emotions(comments(), step_of=step_resolver(j))
    report = compare_report(j, read_events(EVENTS), emotions=emotions)
    data = json.loads(report.to_json())
    for lang in ("en", "fr"):
        title = "Écarts d'émotion" if lang == "fr" else "Emotion gaps"
        text = render_text(report, lang).split(title)[1]  # type: ignore[arg-type]
        md = render_markdown(report, lang).split(title)[1]  # type: ignore[arg-type]
        for g in data["emotion_gaps"]:
            line = next(x for x in text.splitlines() if f" {g['step']} " in x and "│" in x)
            row = next(x for x in md.splitlines() if x.startswith(f"| {g['step']} |"))
            for key in ("designed", "measured", "low", "high", "gap"):
                shown = number(g[key], lang)  # type: ignore[arg-type]
                assert shown in line and shown in row, (g["step"], key, shown)
            assert str(g["n"]) in line and str(g["n"]) in row


def test_compare_command_takes_verbatims_and_surveys(tmp_path: Path) -> None:
    out = tmp_path / "cmp.json"
    result = CliRunner().invoke(
        app,
        ["compare", str(DEMO), str(EVENTS), "-j", "achat-en-ligne", "--format", "json",
         "-o", str(out), "--verbatims", str(VOICE / "verbatims.csv"),
         "--surveys", str(VOICE / "surveys.csv")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    steps = {g["step"] for g in data["emotion_gaps"]}
    assert {"pays", "chooses-fulfilment"} <= steps
    assert all(r["after"] is None or r["after"] in {s.id for s in journey().steps()}
               for r in data["unplanned_events"])  # fmt: skip


# ---------------------------------------------------------------- moments of truth
def _log_and_comments(tmp_path: Path) -> tuple[Path, Path]:
    """Cases a → b → c; b is where customers fall from happy to angry."""
    rows = ["case,activity,time"]
    for i in range(60):
        acts = ["a", "b", "c"] if i % 4 else ["a", "b"]  # a quarter end at b
        rows += [f"{i},{a},2026-01-{1 + i % 28:02d}T10:0{k}:00" for k, a in enumerate(acts)]
    log = tmp_path / "log.csv"
    log.write_text("\n".join(rows) + "\n", encoding="utf-8")
    texts = ["step,comment"]
    texts += ['a,"Parfait, très rapide et agréable, merci !"'] * 12
    texts += ['b,"Inadmissible, paiement refusé, arnaque, service catastrophique."'] * 12
    texts += ["c,Correct."] * 6
    comments = tmp_path / "comments.csv"
    comments.write_text("\n".join(texts) + "\n", encoding="utf-8")
    return log, comments


def test_discover_suggests_a_moment_of_truth_where_the_emotion_swings(tmp_path: Path) -> None:
    log, texts = _log_and_comments(tmp_path)
    rows = list(read_verbatims(texts, by_col="step").rows)
    found = discover(read_events(log), lang="fr", verbatims=rows)
    steps = {s.name: s for s in found.steps()}
    assert steps["b"].moment_of_truth and not steps["a"].moment_of_truth
    reason = found.cell("moments", steps["b"].id)[0].text  # type: ignore[union-attr]
    assert "Moment de vérité suggéré" in reason and "« a »" in reason and "n = 12" in reason
    assert "à −1,88 ici" in reason and "25 % d'entre eux" in reason
    emotion = next(m for m in found.cell("metrics", steps["b"].id) if m.key == MetricKey.emotion)
    assert emotion.value < -1 and emotion.n == 12
    plain = discover(read_events(log), lang="fr")  # without comments: nothing suggested
    assert not any(s.moment_of_truth for s in plain.steps())


def test_discover_command_with_verbatims(tmp_path: Path) -> None:
    log, texts = _log_and_comments(tmp_path)
    out = tmp_path / "m.yaml"
    result = CliRunner().invoke(
        app, ["discover", str(log), "-o", str(out), "--verbatims", str(texts), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    found, _ = read(out)
    assert isinstance(found, Journey)
    assert [s.name for s in found.steps() if s.moment_of_truth] == ["b"]
    assert "Suggested moment of truth" in found.cell("moments", "b")[0].text  # type: ignore[union-attr]
