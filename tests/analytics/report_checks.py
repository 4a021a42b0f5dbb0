"""For each analytics command: every figure of its table equals the one in its JSON.

Each checker knows, independently of the code that prints, which JSON figure each table
cell shows (edges by their pair of activities, attribution rows by channel…).
"""

from __future__ import annotations

from typing import Any

from tests.analytics.tables import assert_figure, block, parse_tables

STATS = ("mean", "median", "min", "max")


def check_analyze(text: str, doc: dict[str, Any]) -> None:
    blocks, _ = parse_tables(text)
    facts = block(blocks, "Event log").facts()
    for label, key in (
        ("events", "n_events"),
        ("cases", "n_cases"),
        ("activities", "n_activities"),
        ("variants", "n_variants"),
    ):
        assert_figure(facts[label], doc[key], "count")
    lengths = {r["measure"]: r for r in block(blocks, "Case length").records()}
    for k in STATS:
        assert_figure(lengths["events per case"][k], doc["case_length"]["events"][k], "count")
        seconds = doc["case_length"]["duration_seconds"][k]
        assert_figure(lengths["case duration"][k], seconds, "seconds")
    edges = block(blocks, "Directly-follows").records()
    assert len(edges) == len(doc["dfg"])
    counts = {(a, b): n for a, b, n in doc["dfg"]}
    durations = {(d["a"], d["b"]): d for d in doc["edge_durations_seconds"]}
    for row, (a, b, _) in zip(edges, doc["dfg"], strict=True):
        assert (row["from"], row["to"]) == (a, b)  # the JSON's order
        assert_figure(row["transitions"], counts[(a, b)], "count")
        for k in (*STATS, "stdev"):
            assert_figure(row["std dev" if k == "stdev" else k], durations[(a, b)][k], "seconds")
    ends = {r["activity"]: r for r in block(blocks, "Start and end").records()}
    assert set(ends) == set(doc["start_activities"]) | set(doc["end_activities"])
    for name, row in ends.items():
        assert_figure(row["starts (cases)"], doc["start_activities"].get(name), "count")
        assert_figure(row["ends (cases)"], doc["end_activities"].get(name), "count")
    variants = block(blocks, "Variants").records()
    # tables show the 20 most frequent unless --top says otherwise; the JSON has them all
    assert len(variants) == min(len(doc["variants"]), 20)
    for row, v in zip(variants, doc["variants"][: len(variants)], strict=True):
        assert_figure(row["cases"], v["count"], "count")
        assert row["path"] == " → ".join(v["activities"])


def check_funnel(text: str, doc: dict[str, Any]) -> None:
    blocks, _ = parse_tables(text)
    rows = block(blocks, "Funnel").records()
    assert len(rows) == len(doc["stages"])
    for row, s in zip(rows, doc["stages"], strict=True):
        assert_figure(row["stage"], s["stage"], "count")
        assert row["activities"] == " | ".join(s["activities"])
        assert_figure(row["cases"], s["cases"], "count")
        assert_figure(row["from previous"], s["conversion_from_previous"], "share")
        assert_figure(row["from start"], s["conversion_from_start"], "share")
        assert_figure(row["lost"], s["drop_off"], "count")
        assert_figure(row["lost (%)"], s["drop_off_rate"], "share")
        assert_figure(row["median time from entry"], s["median_seconds_from_entry"], "seconds")
    ttc = doc["time_to_convert_seconds"]
    b = block(blocks, "Time to convert")
    case_word = "case" if ttc["count"] == 1 else "cases"
    assert f"({ttc['count']:,} converting {case_word})" in b.title
    facts = b.facts()
    labels = {"p25": "25th percentile", "p50": "median", "p75": "75th percentile"}
    labels |= {"p90": "90th percentile", "p95": "95th percentile"}
    for k in ("mean", "min", "p25", "p50", "p75", "p90", "p95", "max"):
        assert_figure(facts[labels.get(k, k)], ttc[k], "seconds")


def check_attribution(text: str, doc: dict[str, Any]) -> None:
    blocks, notes = parse_tables(text)
    totals = block(blocks, "Totals").facts()
    assert_figure(totals["conversions"], doc["total_conversions"], "count")
    assert_figure(totals["distinct paths"], doc["n_paths"], "count")
    if doc["total_value"] is None:
        assert "conversion value" not in totals
        assert any("no value column" in n for n in notes)
    else:
        assert_figure(totals["conversion value"], doc["total_value"], "money")
    b = block(blocks, "Attribution")
    m = doc["markov"]
    assert f"Markov order {m['order']}," in b.title
    assert_figure(b.title.rsplit(" ", 1)[1].rstrip(")"), m["p_conversion"], "share")
    rows = b.records()
    first = b.header[0] if b.header else ""
    assert [r[first] for r in rows] == sorted(set(doc["heuristics"]) | set(m["removal_effects"]))
    for row in rows:
        ch = row[first]
        h = doc["heuristics"].get(ch, {})
        assert_figure(row["first touch"], h.get("first"), "number")
        assert_figure(row["last touch"], h.get("last"), "number")
        assert_figure(row["linear"], h.get("linear"), "number")
        assert_figure(row["removal effect"], m["removal_effects"].get(ch), "share")
        assert_figure(row["Markov conversions"], m["conversions"].get(ch), "number")
        if doc["total_value"] is not None:
            assert_figure(row["first-touch value"], h.get("first_value"), "money")
            assert_figure(row["last-touch value"], h.get("last_value"), "money")
            assert_figure(row["linear value"], h.get("linear_value"), "money")
            assert_figure(row["Markov value"], m["value"].get(ch), "money")
        else:
            assert "Markov value" not in row
    assert any(n.startswith(("A conversion is", "Conversions as counted")) for n in notes)


def check_next_best_action(text: str, doc: dict[str, Any]) -> None:
    blocks, notes = parse_tables(text)
    b = block(blocks, "After ")
    after = " → ".join(doc["after"]) or "(start)"
    assert b.title.startswith(f"After {after}: conversion probability ")
    assert_figure(b.title.rsplit(" ", 1)[1], doc["p_conversion"], "share")
    rows = b.records()
    assert len(rows) == len(doc["actions"])
    first = b.header[1] if b.header else ""
    for i, (row, a) in enumerate(zip(rows, doc["actions"], strict=True), start=1):
        assert_figure(row["rank"], i, "count")
        assert row[first] == a["touchpoint"]
        assert_figure(row["conversion probability"], a["p_conversion"], "share")
        assert_figure(row["uplift"], a["uplift"], "points")
        assert_figure(row["observed share"], a["transition_probability"], "share")
    assert any(n.startswith(("A conversion is", "Conversions as counted")) for n in notes)
    for e in doc["excluded"]:
        assert any(n.startswith("Not proposed:") and e["touchpoint"] in n for n in notes)


def check_channels(text: str, doc: dict[str, Any]) -> None:
    blocks, _ = parse_tables(text)
    facts = block(blocks, "Channel switches").facts()
    s = doc["switches"]
    assert_figure(facts["transitions"], s["transitions"], "count")
    assert_figure(facts["switches"], s["switches"], "count")
    assert_figure(facts["switch rate"], s["switch_rate"], "share")
    assert_figure(facts["cases"], s["cases"], "count")
    assert_figure(facts["cases with a switch"], s["cases_with_switch"], "count")
    grid = block(blocks, "Channel × channel")
    assert grid.header is not None
    cells = {(r[0], r[1]): r[2] for r in doc["matrix"]}
    assert {r[0] for r in grid.rows} == {k[0] for k in cells}
    assert set(grid.header[1:]) == {k[1] for k in cells}
    for row in grid.rows:
        for to, cell in zip(grid.header[1:], row[1:], strict=True):
            assert_figure(cell, cells.get((row[0], to), 0), "count")
    pairs = block(blocks, "Repeat contacts").records()
    rc = doc["repeat_contacts"]["pairs"]
    assert len(pairs) == len(rc)
    for row, p in zip(pairs, rc, strict=True):
        assert (row["previous channel"], row["channel"]) == (p["previous_channel"], p["channel"])
        assert_figure(row["repeats"], p["repeats"], "count")
        assert_figure(row["customers"], p["customers"], "count")
        assert_figure(row["median gap"], p["median_gap_seconds"], "seconds")


CHECKS = {
    "analyze": check_analyze,
    "funnel": check_funnel,
    "attribution": check_attribution,
    "next-best-action": check_next_best_action,
    "channels": check_channels,
}
