"""discover, overlay and compare on the demo data; the measured fields of the model."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from parcours.analytics import read_events
from parcours.analytics.compare import compare, compare_report, render_markdown
from parcours.analytics.discover import discover
from parcours.analytics.observed import observe, step_map
from parcours.analytics.overlay import overlay, overlay_operations
from parcours.analytics.report import render_text
from parcours.catalog import demo_path
from parcours.files import dumps, loads, read
from parcours.model.apply import apply
from parcours.model.atlas import Atlas
from parcours.model.items import KpiValue, LaneKind, Metric, MetricKey
from parcours.model.journey import Journey
from parcours.model.operations import operation_from_json, operation_to_json

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "parcours" / "examples" / "events" / "events.csv"
VOICE = ROOT / "parcours" / "examples" / "voice"


@cache
def demo() -> Atlas:
    result, _ = read(demo_path())
    assert isinstance(result, Atlas)
    return result


@cache
def log():  # type: ignore[no-untyped-def]
    return read_events(EVENTS)


def journey(jid: str = "achat-en-ligne") -> Journey:
    return demo().standalone(jid)


def _reaches(j: Journey, a: str, b: str) -> bool:
    nexts = {s: {ln.to for ln in links} for s, links in j.successor_map().items()}
    seen, todo = {a}, [a]
    while todo:
        for y in nexts.get(todo.pop(), ()):
            if y == b:
                return True
            if y not in seen:
                seen.add(y)
                todo.append(y)
    return False


# -------------------------------------------------------------------------- discover
def test_discover_recovers_the_designed_steps_in_order() -> None:
    j = journey()
    found = discover(log(), lang="fr", source="events.csv")
    position = {s.observed_as[0]: i for i, s in enumerate(found.steps())}
    activities = set(log().table.activity.to_pyarrow().to_pylist())
    with_events = [s for s in j.steps() if set(s.observed_as) & activities]
    recovered = {
        s.id: min(position[e] for e in s.observed_as if e in position)
        for s in with_events
        if any(e in position for e in s.observed_as)
    }
    assert len(recovered) / len(with_events) >= 0.9, (len(recovered), len(with_events))
    # in order: a step the map leads to (and never back from) comes after it
    checked = 0
    for a in recovered:
        for b in recovered:
            if a != b and _reaches(j, a, b) and not _reaches(j, b, a):
                assert recovered[a] < recovered[b], (a, b)
                checked += 1
    assert checked > 50
    assert found.evidence.value == "data-driven"
    assert loads(dumps(found)) == found  # an editable map: written and read back unchanged


def test_discover_marks_branches_loops_pain_points_and_opportunities() -> None:
    found = discover(log(), lang="en")
    branching = [s for s in found.steps() if s.next and len(s.next) > 1]
    assert branching and all(ln.share is not None for s in branching for ln in s.next or [])
    assert found.lanes_of(LaneKind.pain_points) and found.lanes_of(LaneKind.opportunities)
    keys = {m.key for row in found.cells["metrics"].values() for m in row}
    assert {MetricKey.volume, MetricKey.reach, MetricKey.conversion, MetricKey.drop_off} <= keys
    # cart abandonment is where the demo loses cases: suggested as a pain point
    assert "cart_reminder_sent" in {
        found.step(sid).observed_as[0] for sid in found.cells["pain_points"]
    }
    opportunity = next(iter(found.cells["opportunities"].values()))[0]
    assert opportunity.value and opportunity.value > 0  # the log has a value column


def test_discover_refuses_a_coverage_out_of_range() -> None:
    from parcours.errors import BadData

    with pytest.raises(BadData, match="coverage"):
        discover(log(), coverage=1.5)


# -------------------------------------------------------------------------- overlay
@pytest.mark.parametrize(
    "jid", ["achat-en-ligne", "probleme-livraison", "visite-magasin", "compte-pro-devis"]
)
def test_overlay_fills_a_metrics_cell_at_every_step_with_events(jid: str) -> None:
    j = journey(jid)
    obs = observe(log(), step_map(j))
    with_events = {x.name for x in obs.stats if x.step}
    assert with_events
    result = overlay(j, log(), source="events.csv")
    lane = result.lanes_of(LaneKind.metrics)[0].id
    for sid in with_events:
        assert result.cell(lane, sid), sid
    assert set(result.cells[lane]) == with_events


def test_overlay_operations_apply_as_one_revision_and_serialise() -> None:
    from parcours.voice import read_survey, read_verbatims, survey_kpis

    j = journey()
    surveys = survey_kpis(read_survey(VOICE / "surveys.csv"), by="step")
    rows = read_verbatims(VOICE / "verbatims.csv", by_col="etape").rows
    ops = overlay_operations(j, log(), surveys=surveys, verbatims=rows)
    again = [operation_from_json(operation_to_json(op)) for op in ops]
    assert again == ops
    out = j
    for op in again:
        out = apply(out, op)  # type: ignore[assignment]
    assert out == overlay(j, log(), surveys=surveys, verbatims=rows)
    pays = out.cell("metrics", "pays")
    csat = next(m for m in pays if m.key == MetricKey.csat)
    assert csat.n and csat.low is not None and csat.low <= csat.value <= csat.high
    emotion = next(m for m in pays if m.key == MetricKey.emotion)
    assert -2 <= emotion.value < 0  # payment failures: a negative measured emotion
    assert out.cell("verbatims", "pays")  # the top verbatims of the step
    texts = [c.text for c in out.cell("verbatims", "pays")]
    assert len(texts) == len(set(texts))


# -------------------------------------------------------------------------- compare
def test_compare_reports_the_skip_the_loop_and_the_detour() -> None:
    data = compare(journey(), log())
    assert data["n_cases"] == 300
    skipped = {r["step"]: r for r in data["skipped_steps"]}
    assert skipped["checks-stock"]["cases"] > 100  # most cases go straight to the cart
    loops = {(r["from"], r["to"]): r for r in data["loops"]}
    assert loops[("cart-reminder", "views-cart")]["cases"] > 0  # back to the cart
    unplanned = {r["event"]: r for r in data["unplanned_events"]}
    assert unplanned["support_chat_started"]["events"] == 26  # the question before buying
    assert unplanned["support_call_started"]["events"] == 31
    assert 0 < data["share_following"] < 1
    assert sum(b["cases"] for b in data["conformance"]["buckets"]) == data["n_cases"]


def test_compare_table_and_markdown_show_the_json_numbers() -> None:
    report = compare_report(journey(), log())
    data = json.loads(report.to_json())
    text = render_text(report, "en")
    md = render_markdown(report, "en")
    for shown in (text, md.replace("\\", "")):  # Markdown escapes the underscores
        assert f"{data['cases_following']}" in shown
        assert f"{100 * data['share_following']:.1f}%" in shown
        for r in data["unplanned_events"]:
            assert r["event"] in shown and str(r["events"]) in shown


def test_cases_of_a_journey_are_the_cases_with_one_of_its_events() -> None:
    j = journey("compte-pro-devis")
    data = compare(j, log())
    assert data["n_log_cases"] == 300
    assert data["n_cases"] < data["n_log_cases"]


# -------------------------------------------------------------------------- the model
MAP = """\
parcours: 1
journey: Test
lanes: [kpis, metrics]
kpis:
  - {name: Abandon, unit: "%", higher_is_better: false}
stages:
  - S:
      steps:
        - A:
            observed_as: [a]
            kpis:
              - {kpi: abandon, measured: 38%, n: 412, low: 33.5%, high: 42.7%, period: T3 2026}
            metrics:
              - {name: Conversion, key: conversion, value: 80, unit: "%", n: 300, low: 75, high: 85}
        - B:
            observed_as: [b]
"""


def test_measured_fields_round_trip_through_yaml_json_and_excel(tmp_path: Path) -> None:
    from parcours.render.office.reader import read_xlsx
    from parcours.render.office.writer import save_xlsx

    j = loads(MAP)
    assert isinstance(j, Journey)
    kpi = j.cell("kpis", "a")[0]
    assert isinstance(kpi, KpiValue) and (kpi.n, kpi.low, kpi.high) == (412, 33.5, 42.7)
    metric = j.cell("metrics", "a")[0]
    assert isinstance(metric, Metric) and metric.key == MetricKey.conversion
    assert loads(dumps(j)) == j and loads(dumps(j, "json")) == j
    save_xlsx(j, tmp_path / "m.xlsx")
    back, problems = read_xlsx(tmp_path / "m.xlsx")
    assert back == j, problems


def test_bounds_out_of_order_and_an_event_on_two_steps_are_refused() -> None:
    from parcours.errors import FormatError

    with pytest.raises(FormatError, match="swap 'low' and 'high'"):
        loads(MAP.replace("low: 75", "low: 95"))
    with pytest.raises(FormatError, match="event 'a' observes step 'a' and step 'b'"):
        loads(MAP.replace("observed_as: [b]", "observed_as: [a]"))
    j = loads(MAP)
    with pytest.raises(ValueError, match="event 'x' observes step 'a' and step 'b'"):
        Journey.model_validate(
            j.model_dump()
            | {
                "stages": [
                    {
                        "id": "s",
                        "name": "S",
                        "steps": [
                            {"id": "a", "name": "A", "observed_as": ["x"]},
                            {"id": "b", "name": "B", "observed_as": ["x"]},
                        ],
                    }
                ]
            }
        )


def test_every_metric_key_has_a_label_in_each_language() -> None:
    from parcours.model import words

    for lang in ("en", "fr"):
        for key in MetricKey:
            assert words.table("MAP", lang)[f"metric.{key.value}"]
