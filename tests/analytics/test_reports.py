"""Every analytics command prints the same figures in its table and in its JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcours.cli import app
from tests.analytics.report_checks import CHECKS, check_analyze
from tests.analytics.tables import block, parse_tables

# sorted by count, visit → cart comes first; sorted by names, ad → visit does
LOG = """case_id,customer_id,activity,timestamp,channel,outcome,value
c1,k1,visit,2024-01-01T00:00:00Z,web,,
c1,k1,cart,2024-01-01T05:00:00Z,web,,
c1,k1,checkout,2024-01-02T00:00:00Z,email,converted,120.5
c2,k2,visit,2024-01-01T00:00:00Z,email,,
c2,k2,cart,2024-01-01T06:30:00Z,web,,
c3,k1,ad,2024-01-01T00:00:00Z,social,,
c3,k1,visit,2024-01-01T01:00:00Z,web,,
c3,k1,checkout,2024-01-03T00:00:00Z,web,converted,1999
c4,k3,visit,2024-01-05T00:00:00Z,phone,,
c4,k3,visit,2024-01-05T00:10:00Z,web,,
c4,k3,cart,2024-01-05T00:12:30Z,web,,
"""

COMMANDS = {
    "analyze": ["analyze", "{log}"],
    "funnel": ["funnel", "{log}", "--stages", "visit,cart,checkout"],
    "attribution": ["attribution", "{log}"],
    "next-best-action": ["next-best-action", "{log}", "--after", "email > web"],
    "channels": ["channels", "{log}"],
}


@pytest.fixture
def log(tmp_path: Path) -> Path:
    p = tmp_path / "log.csv"
    p.write_text(LOG, encoding="utf-8")
    return p


def invoke(*args: object) -> tuple[int, str, str]:
    result = CliRunner(env={"COLUMNS": "400"}).invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_the_analyze_table_pairs_durations_with_their_edge(log: Path) -> None:
    code, text, _ = invoke("analyze", log)
    assert code == 0
    edges = {
        (r["from"], r["to"]): r for r in block(parse_tables(text)[0], "Directly-follows").records()
    }
    # visit → cart: 5 h, 6 h 30 min and 2 min 30 s
    assert edges[("visit", "cart")]["mean"] == "3 h 51 min"
    assert edges[("visit", "cart")]["min"] == "2 min 30 s"
    assert edges[("ad", "visit")]["mean"] == "1 h"
    assert edges[("visit", "visit")]["mean"] == "10 min"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_table_figures_equal_json_figures(log: Path, command: str) -> None:
    args = [a.replace("{log}", str(log)) for a in COMMANDS[command]]
    code, out, err = invoke(*args, "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    code, text, err = invoke(*args)
    assert code == 0, err
    CHECKS[command](text, doc)


def test_a_wrong_pairing_would_be_seen(log: Path) -> None:
    """The check itself fails on a table whose durations belong to another edge."""
    _, out, _ = invoke("analyze", log, "--format", "json")
    doc = json.loads(out)
    _, text, _ = invoke("analyze", log)
    swapped = dict(doc)
    d = [dict(x) for x in doc["edge_durations_seconds"]]
    d[0]["mean"], d[1]["mean"] = d[1]["mean"], d[0]["mean"]
    swapped["edge_durations_seconds"] = d
    with pytest.raises(AssertionError):
        check_analyze(text, swapped)


def _same_figure(en: str, fr: str) -> bool:
    """An English cell and its French twin write the same figure."""
    english = en.replace(",", "")
    french = fr.replace("\u202fpts", " pts").replace("\u202f%", "%").replace("\u202f", "")
    french = french.replace(",", ".")
    french = re.sub(r"(\d) j\b", r"\1 d", french)
    return english == french


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_french_tables_show_the_same_figures(log: Path, command: str) -> None:
    args = [a.replace("{log}", str(log)) for a in COMMANDS[command]]
    _, en, _ = invoke(*args, "--lang", "en")
    code, fr, err = invoke(*args, "--lang", "fr")
    assert code == 0, err
    assert fr != en
    en_blocks, _ = parse_tables(en)
    fr_blocks, _ = parse_tables(fr)
    assert len(en_blocks) == len(fr_blocks)
    numeric = re.compile(r"^[+-]?[\d,.]+( ?(%|pts|s|min|h|d)( \d+ (s|min|h))?)?$")
    compared = 0
    for a, b in zip(en_blocks, fr_blocks, strict=True):
        for row_en, row_fr in zip(a.rows, b.rows, strict=True):
            for x, y in zip(row_en, row_fr, strict=True):
                if numeric.match(x):
                    assert _same_figure(x, y), (x, y)
                    compared += 1
    assert compared > 5


def test_french_columns_give_french_tables(tmp_path: Path) -> None:
    p = tmp_path / "journal.csv"
    p.write_text(
        "client,evenement,horodatage,canal\n"
        "k1,visite,2026-03-12T14:05:00Z,web\nk1,achat,2026-03-12T16:05:00Z,magasin\n",
        encoding="utf-8",
    )
    code, out, err = invoke(
        "channels", p, "--case", "client", "--activity", "evenement", "--timestamp", "horodatage"
    )
    assert code == 0, err
    assert "Changements de canal" in out and "100,0\u202f%" in out
    code, out, err = invoke(
        "channels",
        p,
        "--case",
        "client",
        "--activity",
        "evenement",
        "--timestamp",
        "horodatage",
        "--lang",
        "en",
    )
    assert "Channel switches" in out and "100.0%" in out


def test_names_are_printed_as_they_are(tmp_path: Path) -> None:
    """Activity names are data: never read as markup or emoji codes."""
    p = tmp_path / "log.csv"
    p.write_text(
        "case_id,activity,timestamp\n"
        "c,[bold]x[/bold],2026-01-01T00:00:00Z\nc,:smile: y,2026-01-01T00:01:00Z\n",
        encoding="utf-8",
    )
    code, out, err = invoke("analyze", p)
    assert code == 0, err
    assert "[bold]x[/bold] → :smile: y" in out


@pytest.mark.spark
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_table_figures_equal_json_figures_on_spark(log: Path, command: str) -> None:
    args = [a.replace("{log}", str(log)) for a in COMMANDS[command]]
    code, out, err = invoke(*args, "--format", "json", "--engine", "spark")
    assert code == 0, err
    doc = json.loads(out)
    code, text, err = invoke(*args, "--engine", "spark")
    assert code == 0, err
    CHECKS[command](text, doc)
    _, duck, _ = invoke(*args, "--format", "json")
    expected = json.loads(duck)
    for d in (doc, expected):
        d.pop("load", None)
        for e in d.get("edge_durations_seconds", []):  # float sums in the engine's order
            e.pop("stdev"), e.pop("sum")
    assert doc == expected


def test_one_is_singular(tmp_path: Path) -> None:
    p = tmp_path / "one.csv"
    p.write_text(
        "case_id,activity,timestamp\nc,a,2026-01-01T00:00:00Z\nc,b,2026-01-01T01:00:00Z\n",
        encoding="utf-8",
    )
    _, text, _ = invoke("analyze", p)
    assert "Directly-follows (1 pair)\n" in text
    _, text, _ = invoke("funnel", p, "--stages", "a,b")
    assert "Funnel (eventually, 1 case)\n" in text
    assert "Time to convert (1 converting case)\n" in text
    _, text, _ = invoke("funnel", p, "--stages", "a,b", "--lang", "fr")
    assert "Entonnoir (à terme, 1 parcours)\n" in text
