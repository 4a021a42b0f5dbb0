"""``parcours funnel | attribution | next-best-action | channels``: real files, real reader."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcours.cli import app

LOG = """case_id,activity,timestamp,channel,outcome,value
c1,visit,2024-01-01T00:00:00Z,web,,
c1,signup,2024-01-01T01:00:00Z,email,,
c1,buy,2024-01-03T00:00:00Z,web,converted,30
c2,visit,2024-01-01T00:00:00+01:00,web,,
c2,signup,2024-01-01T01:00:00Z,phone,,
c3,ad,2024-01-01T00:00:00Z,social,,
c3,buy,2024-01-20T02:00:00Z,web,converted,10
"""

ENGINES = [
    pytest.param("duckdb", id="duckdb"),
    pytest.param("spark", id="spark", marks=pytest.mark.spark),
]


@pytest.fixture
def log(tmp_path: Path) -> Path:
    p = tmp_path / "log.csv"
    p.write_text(LOG, encoding="utf-8")
    return p


def run(*args: str) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _one_sentence_error(result, *needles: str) -> None:
    assert result.exit_code == 1
    err = result.stderr.strip()
    assert err.startswith("error: ") and "\n" not in err, err
    assert "Traceback" not in result.output
    for n in needles:
        assert n in err, err


def _usage_error(result, option: str, choice: str) -> None:
    """A bad choice is refused by the option parser, which names the option and the
    choices (usage errors exit with 2), never an internal error."""
    assert result.exit_code == 2, result.output
    said = " ".join(re.sub("[│╭╮╰╯─]", " ", result.output).split())
    assert f"Invalid value for '{option}'" in said, said
    assert choice in said
    assert "internal error" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("engine", ENGINES)
def test_funnel_json(log: Path, engine: str) -> None:
    doc = _json(
        run(
            "funnel",
            log,
            "--stages",
            "visit|ad,signup,buy",
            "--window",
            "7d",
            "--format",
            "json",
            "--engine",
            engine,
        )
    )
    assert doc["n_cases"] == 3
    assert doc["window_seconds"] == 7 * 86400
    assert [s["cases"] for s in doc["stages"]] == [3, 2, 1]
    assert doc["stages"][0]["activities"] == ["ad", "visit"]
    # c2's visit is 23:00 UTC the day before: signup 2 h later; c1 1 h → median 1.5 h
    assert doc["stages"][1]["median_seconds_from_entry"] == pytest.approx(5400.0)
    assert doc["time_to_convert_seconds"]["count"] == 1
    assert doc["time_to_convert_seconds"]["p50"] == pytest.approx(48 * 3600.0)


def test_funnel_table_and_output_file(log: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.txt"
    result = run("funnel", log, "--stages", "visit,signup", "--mode", "strict", "-o", out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Funnel (strict, 3 cases)" in text and "signup" in text


def test_funnel_errors(log: Path, tmp_path: Path) -> None:
    _one_sentence_error(run("funnel", log, "--stages", "a,,b"), "stage 2", "'A|B,C,D'")
    _one_sentence_error(
        run("funnel", log, "--stages", "a", "--window", "soon"), "bad duration 'soon'"
    )
    _usage_error(run("funnel", log, "--stages", "a", "--mode", "loose"), "--mode", "strict")
    _one_sentence_error(run("funnel", tmp_path / "nope.csv", "--stages", "a"), "nope.csv")
    _usage_error(run("funnel", log, "--stages", "a", "--format", "xml"), "--format", "json")


@pytest.mark.parametrize("engine", ENGINES)
def test_attribution_from_event_log(log: Path, engine: str) -> None:
    doc = _json(run("attribution", log, "--format", "json", "--engine", engine))
    assert set(doc["heuristics"]) == {"email", "phone", "social", "web"}
    assert set(doc["heuristics"]["web"]) >= {"first", "last", "linear"}
    m = doc["markov"]
    assert m["order"] == 1
    assert set(m) >= {"order", "p_conversion", "removal_effects", "conversions", "value"}
    assert sum(m["conversions"].values()) == pytest.approx(2.0)
    assert sum(m["value"].values()) == pytest.approx(40.0)
    assert m["removal_effects"]["web"] == pytest.approx(1.0)


def test_attribution_from_paths_file_with_commas(tmp_path: Path) -> None:
    p = tmp_path / "paths.csv"
    p.write_text("path,total_conversions,total_null\nA > B,1,0\nA,0,1\nB,1,1\n", encoding="utf-8")
    doc = _json(run("attribution", p, "--format", "json"))
    m = doc["markov"]
    assert m["p_conversion"] == pytest.approx(0.5)
    assert m["removal_effects"] == pytest.approx({"A": 1 / 3, "B": 1.0})
    assert m["conversions"] == pytest.approx({"A": 0.5, "B": 1.5})
    assert m["value"] == {"A": 0.0, "B": 0.0}
    table = run("attribution", p, "--order", "2")
    assert table.exit_code == 0 and "Markov order 2" in table.stdout


def test_attribution_errors(tmp_path: Path, log: Path) -> None:
    p = tmp_path / "paths.csv"
    p.write_text("path;total_conversions\nA > B;x\n", encoding="utf-8")
    _one_sentence_error(run("attribution", p), "paths.csv:2", "'x'")
    _usage_error(run("attribution", log, "--order", "0"), "--order", "greater than or equal to 1")
    _one_sentence_error(run("attribution", log, "--max-steps", "many"), "'many'")
    _one_sentence_error(
        run("attribution", log, "--conversion-activity", "nothing"), "no event is 'nothing'"
    )


def test_next_best_action(log: Path) -> None:
    doc = _json(run("next-best-action", log, "--after", "web", "--format", "json", "--top", "2"))
    assert doc["after"] == ["web"]
    assert len(doc["actions"]) == 2
    probs = [a["p_conversion"] for a in doc["actions"]]
    assert probs == sorted(probs, reverse=True)
    for a in doc["actions"]:
        assert a["uplift"] == pytest.approx(a["p_conversion"] - doc["p_conversion"])
    _one_sentence_error(run("next-best-action", log, "--after", "fax"), "'fax' never appears")


def test_channels(log: Path) -> None:
    doc = _json(run("channels", log, "--format", "json", "--within", "30d"))
    assert doc["switches"]["transitions"] == 4
    assert ["web", "email", 1, 1] in doc["matrix"]
    assert doc["repeat_contacts"]["within_seconds"] == 30 * 86400
    assert {(p["previous_channel"], p["channel"]) for p in doc["repeat_contacts"]["pairs"]} == {
        ("web", "email"),
        ("email", "web"),
        ("web", "phone"),
        ("social", "web"),
    }


def test_no_conversion_says_which_outcomes_the_log_has(tmp_path: Path) -> None:
    p = tmp_path / "log.csv"
    p.write_text(
        "case_id,activity,timestamp,channel,outcome\n"
        "c1,a,2026-01-01T00:00:00Z,web,commande validée\n"
        "c2,a,2026-01-01T00:00:00Z,web,abandon\n",
        encoding="utf-8",
    )
    for command in ("attribution", "next-best-action"):
        _one_sentence_error(
            run(command, p),
            "no case converts",
            "'abandon', 'commande validée'",
            "--conversion-outcome VALUE",
        )
    doc = _json(
        run("attribution", p, "--conversion-outcome", "Commande validée", "--format", "json")
    )
    assert doc["total_conversions"] == 1.0
    assert doc["conversion"]["events"] == {"a": 1}
    q = tmp_path / "oui.csv"
    q.write_text(p.read_text(encoding="utf-8").replace("commande validée", "Oui"), encoding="utf-8")
    assert _json(run("attribution", q, "--format", "json"))["total_conversions"] == 1.0
    _one_sentence_error(run("attribution", p, "--conversion-activity", "zz"), "no event is 'zz'")
    r = tmp_path / "nochannel.csv"
    r.write_text(
        "case_id,activity,timestamp,channel,outcome\nc1,a,2026-01-01T00:00:00Z,,converted\n"
        "c2,a,2026-01-01T00:00:00Z,web,\n",
        encoding="utf-8",
    )
    _one_sentence_error(run("attribution", r), "the 1 converting cases have no channel", "--by")


def test_next_best_action_never_proposes_the_conversion_event(tmp_path: Path) -> None:
    marked = tmp_path / "marked.csv"  # the outcome is on the converting event only
    marked.write_text(
        "case_id,activity,timestamp,outcome\n"
        "c1,visit,2026-01-01T00:00:00Z,\nc1,cart,2026-01-01T00:01:00Z,\n"
        "c1,checkout,2026-01-01T00:02:00Z,converted\n"
        "c2,visit,2026-01-01T00:00:00Z,\nc2,cart,2026-01-01T00:01:00Z,\n"
        "c3,visit,2026-01-01T00:00:00Z,\nc3,checkout,2026-01-01T00:05:00Z,converted\n",
        encoding="utf-8",
    )
    doc = _json(run("next-best-action", marked, "--after", "visit", "--format", "json"))
    assert "checkout" not in [a["touchpoint"] for a in doc["actions"]]
    assert doc["excluded"] == [{"touchpoint": "checkout", "reason": "conversion"}]
    assert doc["conversion"]["events"] == {"checkout": 2}
    text = run("next-best-action", marked, "--after", "visit").stdout
    assert "Not proposed: checkout (the conversion event itself)." in text
    assert "Converting events (cases): checkout (2)" in text
    # an outcome repeated on every event of a case: its last event is a touchpoint like
    # the others, proposed when journeys go on after it elsewhere
    attribute = tmp_path / "attribute.csv"
    attribute.write_text(
        "case_id,activity,timestamp,outcome\n"
        "c1,visit,2026-01-01T00:00:00Z,converted\nc1,cart,2026-01-01T00:01:00Z,converted\n"
        "c2,visit,2026-01-01T00:00:00Z,lost\nc2,cart,2026-01-01T00:01:00Z,lost\n"
        "c2,help,2026-01-01T00:02:00Z,lost\n"
        "c3,cart,2026-01-01T00:00:00Z,converted\nc3,visit,2026-01-01T00:03:00Z,converted\n",
        encoding="utf-8",
    )
    doc = _json(run("next-best-action", attribute, "--after", "visit", "--format", "json"))
    assert "cart" in [a["touchpoint"] for a in doc["actions"]]
    assert doc["excluded"] == []


def test_absurd_sizes_are_refused_at_once(log: Path) -> None:
    stages = ",".join(f"s{i}" for i in range(101))
    _one_sentence_error(run("funnel", log, "--stages", stages), "101 stages given", "at most 100")
    _one_sentence_error(
        run("attribution", log, "--max-steps", "1000000000000"), "from 1 to 10,000,000"
    )
    doc = _json(run("attribution", log, "--max-steps", "10000000", "--format", "json"))
    exact = _json(run("attribution", log, "--format", "json"))
    assert doc["markov"]["removal_effects"] == pytest.approx(exact["markov"]["removal_effects"])


def test_a_funnel_stage_naming_no_activity_of_the_log_is_refused(log: Path) -> None:
    """A typo in --stages is an error with the close match, not a stage of 0 cases."""
    result = run("funnel", log, "--stages", "visit,sigup|nothing")
    assert result.exit_code == 1, result.output
    assert "stage 2 ('nothing' | 'sigup') names no activity of the log" in result.output
    assert "did you mean 'signup'?" in result.output
    assert "the activities are: ad, buy, signup, visit" in result.output
    # one absent alternative in a stage that has a present one is fine
    ok = run("funnel", log, "--stages", "visit,signup|nothing", "--format", "json")
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["stages"][1]["cases"] == 2


def test_escape_sequences_in_names_are_shown_not_run(tmp_path: Path) -> None:
    """An activity named with terminal escapes (window title, clear screen) is printed
    visibly in tables; the JSON keeps the name as it is."""
    evil = "\x1b]0;pwned\x07\x1b[2Jevil"
    p = tmp_path / "log.csv"
    p.write_text(
        "case_id,activity,timestamp,channel\n"
        "c1,visit,2024-01-01T00:00:00Z,web\n"
        f"c1,{evil},2024-01-01T01:00:00Z,\x1b[31mred\n",
        encoding="utf-8",
    )
    for command in (["analyze"], ["channels"]):
        table = run(*command, p)
        assert table.exit_code == 0, table.output
        assert "\x1b" not in table.output and "\x07" not in table.output
    table = run("analyze", p)
    assert "\\x1b]0;pwned\\x07\\x1b[2Jevil" in table.output
    data = json.loads(run("analyze", p, "--format", "json").output)
    assert data["dfg"][0][:2] == ["visit", evil]
