"""Measured figures on the rendered map: the measured emotion curve and the observed badges."""

from __future__ import annotations

import itertools
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from parcours.analytics import read_events
from parcours.analytics.overlay import overlay
from parcours.catalog import demo_path
from parcours.cli import app
from parcours.files import load, read
from parcours.model.atlas import Atlas
from parcours.model.journey import Journey
from parcours.render import layout, to_pdf, to_png, to_svg
from parcours.render.labels import number, share
from parcours.render.shapes import esc
from parcours.voice import read_verbatims

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "parcours" / "examples" / "events" / "events.csv"
VOICE = ROOT / "parcours" / "examples" / "voice"
DEMO = ROOT / "parcours" / "examples" / "demo"
GOLDEN = Path(__file__).parent / "golden"
runner = CliRunner()


@cache
def journey(jid: str = "achat-en-ligne") -> Journey:
    result, _ = read(demo_path())
    assert isinstance(result, Atlas)
    return result.standalone(jid)


@cache
def measured() -> Journey:
    rows = read_verbatims(VOICE / "verbatims.csv", by_col="etape").rows
    return overlay(journey(), read_events(EVENTS), verbatims=rows)


@cache
def compare_json(tmp: str = "") -> dict[str, Any]:
    """What ``parcours compare --format json`` writes for the demo purchase."""
    result = runner.invoke(
        app, ["compare", str(DEMO), str(EVENTS), "-j", "achat-en-ligne", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def pointer(data: Any, key: str) -> Any:
    for part in key.strip("/").split("/"):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


# ------------------------------------------------------------------- measured curve
def test_the_measured_curve_follows_each_path_beside_the_designed_one() -> None:
    j = measured()
    lay = layout(j)
    lane = j.lanes_of("emotions")[0].id  # type: ignore[arg-type]
    points = {p.step_id: p for p in lay.measured_points}
    metrics = {sid: m for sid, row in j.cells["metrics"].items() for m in row if m.key == "emotion"}
    assert set(points) == set(metrics)
    band = lay.lane(lane).rect
    for sid, p in points.items():
        assert p.value == metrics[sid].value and p.n == metrics[sid].n
        assert band.y <= p.y <= band.bottom
        assert p.low_y is not None and p.high_y is not None and p.high_y <= p.y <= p.low_y
        assert p.x > lay.column(sid).cx  # beside the designed face, not on it
    # lower measured emotion, lower on the lane
    ordered = sorted(points.values(), key=lambda p: p.value)
    assert all(a.y >= b.y for a, b in itertools.pairwise(ordered))
    # each path's curve joins only that path's steps, in column order
    for curve in lay.measured:
        assert curve.lane_id == lane
        ids = [p.step_id for p in curve.points]
        if curve.path_id is not None:
            assert set(ids) <= {s.id for s in j.path_steps(curve.path_id)}
        xs = [p.x for p in curve.points]
        assert xs == sorted(xs)
    assert {p.path_id for p in lay.measured} >= {"click-collect", "delivery"}


@pytest.mark.parametrize(
    ("lang", "words"), [("fr", "Émotion mesurée (n = "), ("en", "Measured emotion (n = ")]
)
def test_the_legend_names_the_measured_curve_in_the_map_language(lang: str, words: str) -> None:
    j = measured().model_copy(update={"lang": lang})
    lay = layout(j)
    assert lay.legend is not None
    entry = next(i for i in lay.legend.items if i.label.text.startswith(words))
    assert entry.dashed
    svg = to_svg(j)
    assert 'id="measured-emotions"' in svg and "stroke-dasharray" in svg


def test_maps_without_data_draw_no_measured_figure() -> None:
    for name in ("linear", "branched"):
        j = load(GOLDEN / f"{name}.yaml")
        assert isinstance(j, Journey)
        lay = layout(j)
        assert lay.measured == () and lay.measured_points == () and lay.data_band is None
        svg = to_svg(j)
        assert 'id="measured-emotions"' not in svg and 'id="observed' not in svg


# ------------------------------------------------------------------- observed badges
def test_every_badge_shows_the_number_compare_writes() -> None:
    data = compare_json()
    j = journey()
    lay = layout(j, observed=data)
    assert lay.data_band is not None
    badges = [b for b in lay.data_band.badges if b.kind != "more"]
    kinds = {b.kind for b in badges}
    assert kinds == {"skipped", "loop", "branch", "unplanned"}
    svg = to_svg(j, observed=data)
    for b in badges:
        assert pointer(data, b.key) == b.value, b.key
        shown = number(b.value, "fr") if b.kind == "unplanned" else share(b.value, "fr")
        assert shown in b.text.text, (b.key, b.text.text)
        for line in b.text.lines:
            assert esc(line.text) in svg
    # the step skipped most, the planted loop, the branch after the cart, the detour
    by_key = {b.key: b for b in badges}
    skip = by_key["/skipped_steps/0/share"]
    assert skip.step_id == "checks-stock" and "Sautée par 58,3" in skip.text.text
    loop = next(b for b in badges if b.kind == "loop")
    assert loop.step_id == "cart-reminder" and "Vérifie son panier" in loop.text.text
    branch = next(b for b in badges if b.kind == "branch" and b.step_id == "views-cart")
    assert "prévu" in branch.text.text
    detour = next(b for b in badges if b.text.text.startswith("Hors carte : support_call"))
    start = next(b for b in badges if "newsletter_clicked" in b.text.text)
    assert start.text.text.startswith("Hors carte, avant la première étape")
    assert detour.step_id == "views-product"


def test_badges_sit_in_their_column_between_the_steps_and_the_lanes() -> None:
    lay = layout(journey(), observed=compare_json())
    band = lay.data_band
    assert band is not None
    assert band.rect.y >= lay.flow.rect.bottom
    assert lay.lanes[0].rect.y >= band.rect.bottom
    for b in band.badges:
        col = lay.column(b.step_id)
        assert col.x - 0.01 <= b.rect.x and b.rect.right <= col.x + col.w + 0.01
        assert band.rect.contains(b.rect)
        for line in b.text.lines:
            assert line.left >= b.rect.x and line.left + line.width <= b.rect.right + 0.01
    for a in band.badges:  # no two badges overlap
        for c in band.badges:
            if a is not c and a.step_id == c.step_id:
                assert a.rect.bottom <= c.rect.y or c.rect.bottom <= a.rect.y


def test_english_badges(tmp_path: Path) -> None:
    j = journey().model_copy(update={"lang": "en"})
    lay = layout(j, observed=compare_json())
    assert lay.data_band is not None
    texts = [b.text.text for b in lay.data_band.badges]
    assert any(t.startswith("Skipped by 58.3%") for t in texts)
    assert lay.data_band.title.text.startswith("Observed in the log")


def test_render_data_writes_svg_png_and_pdf(tmp_path: Path) -> None:
    data = compare_json()
    for suffix in ("svg", "png", "pdf"):
        out = tmp_path / f"map.{suffix}"
        result = runner.invoke(
            app,
            ["render", str(DEMO), "-j", "achat-en-ligne", "--data", str(EVENTS), "-o", str(out)],
        )
        assert result.exit_code == 0, result.output
        body = out.read_bytes()
        if suffix == "svg":
            text = body.decode()
            assert 'id="observed"' in text and ">Observé dans le<" in text
            assert esc(share(data["skipped_steps"][0]["share"], "fr")) in text
        elif suffix == "png":
            assert body.startswith(b"\x89PNG")
            assert body != to_png(journey())  # the badges are drawn
        else:
            assert body.startswith(b"%PDF")
            assert len(body) > len(to_pdf(journey())) - 1


def test_render_data_with_a_bad_log_is_one_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "log.csv"
    bad.write_text("nothing,here\n1,2\n", encoding="utf-8")
    result = runner.invoke(
        app, ["render", str(DEMO), "-j", "achat-en-ligne", "--data", str(bad), "-o",
              str(tmp_path / "m.svg")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_render_data_with_no_case_of_the_journey_says_so(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("case,activity,time\n1,x,2026-01-01T10:00:00\n", encoding="utf-8")
    result = runner.invoke(
        app, ["render", str(DEMO), "-j", "achat-en-ligne", "--data", str(log), "-o",
              str(tmp_path / "m.svg")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "no case of log.csv has an event" in result.output
    assert not (tmp_path / "m.svg").exists()


def test_a_linear_map_gets_one_measured_curve_and_signed_values() -> None:
    from parcours.model.items import LaneKind, Metric, MetricKey
    from parcours.model.journey import Lane

    j = load(GOLDEN / "linear.yaml")
    assert isinstance(j, Journey)
    steps = [s.id for s in j.steps()]
    values = {steps[0]: -1.25, steps[1]: 0.5, steps[2]: 0.0}
    cells = {
        sid: [Metric(name="Émotion mesurée", key=MetricKey.emotion, value=v, n=40, low=v - 0.3,
                     high=v + 0.3)]
        for sid, v in values.items()
    }  # fmt: skip
    j = j.model_copy(
        update={
            "lanes": [*j.lanes, Lane(id="metrics", kind=LaneKind.metrics)],
            "cells": {**j.cells, "metrics": cells},
        }
    )
    lay = layout(j)
    assert len(lay.measured) == 1 and lay.measured[0].path_id is None
    assert [p.step_id for p in lay.measured[0].points] == steps[:3]
    labels = [p.label.text for p in lay.measured_points if p.label]
    assert labels == ["−1,25", "+0,5", "0"]
    assert lay.legend is not None
    assert any(i.label.text == "Émotion mesurée (n = 40 par étape)" for i in lay.legend.items)


def test_render_data_reads_a_log_whose_columns_have_other_names(tmp_path: Path) -> None:
    """The column options of 'compare' also name the columns of the log of --data: the map
    drawn from a log with renamed columns is the map drawn from the original."""
    header, *rows = EVENTS.read_text(encoding="utf-8").splitlines()
    names = {"case_id": "ref_x", "activity": "quoi", "timestamp": "quand", "channel": "par"}
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(
        "\n".join([",".join(names.get(c, c) for c in header.split(",")), *rows]) + "\n",
        encoding="utf-8",
    )
    plain, other = tmp_path / "plain.svg", tmp_path / "other.svg"
    base = ["render", str(DEMO), "-j", "achat-en-ligne"]
    first = runner.invoke(app, [*base, "--data", str(EVENTS), "-o", str(plain)])
    assert first.exit_code == 0, first.output
    columns = ["--case", "ref_x", "--activity", "quoi", "--timestamp", "quand", "--channel", "par"]
    second = runner.invoke(app, [*base, "--data", str(renamed), *columns, "-o", str(other)])
    assert second.exit_code == 0, second.output
    assert 'id="observed"' in other.read_text(encoding="utf-8")
    assert other.read_bytes() == plain.read_bytes()
    # without the options the renamed log cannot be read: the options are what made it work
    blind = runner.invoke(app, [*base, "--data", str(renamed), "-o", str(tmp_path / "b.svg")])
    assert blind.exit_code == 1 and "Traceback" not in blind.output


def test_render_column_options_without_data_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "m.svg"
    result = runner.invoke(
        app, ["render", str(DEMO), "-j", "achat-en-ligne", "--case", "ref_x", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert "--case names a column of the log given with --data" in result.output
    assert not out.exists()
