"""The demo dataset: generated once per session, it tells its story through discover,
compare and overlay."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from parcours.analytics import read_events
from parcours.analytics.compare import compare, compare_report, render_markdown
from parcours.analytics.demo_data import JOURNEYS, events_csv, generate, write_demo_data
from parcours.analytics.discover import discover
from parcours.analytics.observed import observe, step_map
from parcours.analytics.overlay import overlay
from parcours.analytics.report import render_text
from parcours.catalog import load_demo
from parcours.model.items import LaneKind
from parcours.model.journey import Journey

IDS = [j for j, _, _ in JOURNEYS]


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "data"
    write_demo_data(folder)
    return folder


@pytest.fixture(scope="session")
def logs(demo_data: Path) -> dict[str, Any]:
    return {jid: read_events(demo_data / "journeys" / f"{jid}.parquet") for jid in IDS}


def journey(jid: str) -> Journey:
    return load_demo().standalone(jid)


def test_the_generator_is_deterministic_and_sized() -> None:
    assert events_csv(generate(3000)) == events_csv(generate(3000))
    assert events_csv(generate(3000, seed=1)) != events_csv(generate(3000))


def test_the_files_hold_the_demo_names_channels_and_about_2000_french_comments(
    demo_data: Path,
) -> None:
    import pyarrow.parquet as pq

    table = pq.read_table(demo_data / "events.parquet")
    assert 45_000 <= table.num_rows <= 55_000
    with (demo_data / "events.csv").open(encoding="utf-8") as f:
        assert sum(1 for _ in f) == table.num_rows + 1
    assert set(table.column("channel").to_pylist()) == {
        "web",
        "app",
        "email",
        "phone",
        "chat",
        "shop",
        "",
    }
    observed_as = {e for j in load_demo().journeys for s in j.steps() for e in s.observed_as}
    assert set(table.column("activity").to_pylist()) <= observed_as
    with (demo_data / "verbatims.csv").open(encoding="utf-8") as f:
        comments = list(csv.DictReader(f))
    assert 1_800 <= len(comments) <= 2_200
    assert {c["langue"] for c in comments} == {"fr"}
    assert len({c["commentaire"] for c in comments}) > 1_200  # varied
    with (demo_data / "surveys.csv").open(encoding="utf-8") as f:
        answers = list(csv.DictReader(f))
    assert len(answers) > len(comments)
    steps = {s.id for j in load_demo().journeys for s in j.steps()}
    assert {a["step"] for a in answers} <= steps


def test_the_sentiment_of_the_comments_follows_the_story(demo_data: Path) -> None:
    from parcours.voice.sentiment import sentiment

    with (demo_data / "verbatims.csv").open(encoding="utf-8") as f:
        comments = list(csv.DictReader(f))
    labels: dict[str, Counter[str]] = {}
    for c in comments:
        labels.setdefault(c["etape"], Counter())[sentiment(c["commentaire"], "fr").label] += 1
    for step in ("waits-callback", "looks-for-help"):  # the ruptures
        assert labels[step]["negative"] / sum(labels[step].values()) >= 0.85, step
    pays = labels["pays"]  # failed payments, and a few customers happy with the payment
    assert pays["negative"] / sum(pays.values()) >= 0.65
    advice = labels["gets-advice"]  # the shop advice customers praise
    assert advice["positive"] / sum(advice.values()) >= 0.5


def test_the_sentiment_analyser_reads_the_mood_of_the_comments() -> None:
    import random

    from parcours.analytics.demo_comments import CORES, comment
    from parcours.voice.sentiment import sentiment

    labels = {"neg": "negative", "neu": "neutral", "pos": "positive"}
    rng = random.Random(7)
    for mood, label in labels.items():
        texts = [comment(rng, theme, mood) for theme in CORES for _ in range(20)]
        right = sum(sentiment(t, "fr").label == label for t in texts)
        assert right / len(texts) >= 0.85, mood


@pytest.mark.parametrize("jid", IDS)
def test_discover_recovers_the_designed_steps_in_order(jid: str, logs: dict[str, Any]) -> None:
    j = journey(jid)
    log = logs[jid]
    found = discover(log, lang="fr")
    position = {e: i for i, s in enumerate(found.steps()) for e in s.observed_as}
    activities = set(log.table.activity.to_pyarrow().to_pylist())
    with_events = [s for s in j.steps() if set(s.observed_as) & activities]
    recovered = {
        s.id: min(position[e] for e in s.observed_as if e in position)
        for s in with_events
        if any(e in position for e in s.observed_as)
    }
    assert len(recovered) / len(with_events) >= 0.9, {s.id for s in with_events} - set(recovered)
    order = [s.id for s in j.steps()]
    along = sorted(recovered, key=lambda sid: recovered[sid])
    # in order along the dominant path: the map's order, up to the steps of a branch
    inversions = sum(
        1 for i, a in enumerate(along) for b in along[i + 1 :] if order.index(a) > order.index(b)
    )
    pairs = len(along) * (len(along) - 1) // 2
    assert inversions / pairs <= 0.1, along


def test_compare_reports_the_planted_story(logs: dict[str, Any]) -> None:
    buy = compare(journey("achat-en-ligne"), logs["achat-en-ligne"])
    skipped = {r["step"]: r for r in buy["skipped_steps"]}
    assert skipped["checks-stock"]["share"] > 0.5  # the step customers skip
    unplanned = {r["event"]: r for r in buy["unplanned_events"]}
    assert unplanned["help_page_viewed"]["events"] > 50  # the detour after a failed payment
    assert unplanned["support_call_started"]["events"] > 30
    loops = {(r["from"], r["to"]): r for r in buy["loops"]}
    assert loops[("cart-reminder", "views-cart")]["cases"] > 100

    shop = compare(journey("visite-magasin"), logs["visite-magasin"])
    assert {r["step"]: r for r in shop["skipped_steps"]}["books-advice"]["share"] > 0.5

    help_ = compare(journey("probleme-livraison"), logs["probleme-livraison"])
    loops = {(r["from"], r["to"]): r for r in help_["loops"]}
    assert loops[("waits-callback", "looks-for-help")]["cases"] > 100  # chat again
    repeats = help_["repeat_contacts"]
    pairs = {(r["from"], r["to"]): r for r in repeats["pairs"]}
    chat_phone = pairs[("chat", "phone")]
    assert chat_phone["switch"] and chat_phone["contacts"] > chat_phone["cases"] > 300
    assert pairs[("phone", "chat")]["contacts"] > 100  # and back to the chat, again
    assert repeats["repeat_contacts"] == sum(r["contacts"] for r in repeats["pairs"])


def test_the_repeat_contacts_show_in_json_table_and_markdown(logs: dict[str, Any]) -> None:
    import json

    from parcours.analytics.report import show

    report = compare_report(journey("probleme-livraison"), logs["probleme-livraison"])
    data = json.loads(report.to_json())
    text = render_text(report, "en")
    md = render_markdown(report, "en")
    assert "Repeat contacts / channel switches" in text and "Repeat contacts" in md
    for r in data["repeat_contacts"]["pairs"]:
        for shown in (text, md):
            assert show(r["contacts"], "count", "en") in shown
    assert "Recontacts / changements de canal" in render_text(report, "fr")


@pytest.mark.parametrize("jid", IDS)
def test_overlay_fills_a_metrics_cell_at_every_step_with_events(
    jid: str, logs: dict[str, Any]
) -> None:
    j = journey(jid)
    obs = observe(logs[jid], step_map(j))
    with_events = {x.name for x in obs.stats if x.step}
    assert len(with_events) >= 0.8 * sum(1 for s in j.steps() if s.observed_as)
    result = overlay(j, logs[jid], source="events.parquet")
    lane = result.lanes_of(LaneKind.metrics)[0].id
    for sid in with_events:
        assert result.cell(lane, sid), sid
