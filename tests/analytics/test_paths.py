"""Paths, variants and durations: one suite, identical results on every engine."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import ibis
import pyarrow as pa
import pytest

from parcours.analytics import analyze, paths
from parcours.analytics.engine import Engine

T0 = dt.datetime(2026, 1, 31, 10, 0, tzinfo=dt.UTC)

# (case, activity, seconds after T0), in source order
EVENTS = [
    ("c1", "Visit", 0),
    ("c1", "Cart", 60),
    ("c1", "Pay", 180),
    ("c2", "Visit", 0),
    ("c2", "Pay", 0),  # equal timestamps: source order decides (Pay then Cart)
    ("c2", "Cart", 0),
    ("c3", "Visit", 30),
    ("c3", "Cart", 90),
    ("c3", "Pay", 330),
    ("c4", "Call", 10),  # a one-event case
    ("c5", "Cart", 100),  # out of order in the source: time decides
    ("c5", "Visit", 40),
]


def event_table(engine: Engine, events: list[tuple[str, str, int]] = EVENTS) -> Any:
    data = pa.table(
        {
            "case_id": [e[0] for e in events],
            "activity": [e[1] for e in events],
            "timestamp": pa.array(
                [T0 + dt.timedelta(seconds=e[2]) for e in events], pa.timestamp("us", tz="UTC")
            ),
            "position": pa.array(range(len(events)), pa.int64()),
        }
    )
    return engine.from_arrow(data)


_RESULTS: dict[str, dict[str, Any]] = {}


@pytest.fixture
def result(engine: Engine) -> dict[str, Any]:
    """The analysis of EVENTS, run once per engine (Spark queries take seconds)."""
    if engine.name not in _RESULTS:
        _RESULTS[engine.name] = analyze(event_table(engine), engine=engine)
    return _RESULTS[engine.name]


def test_dfg_counts_and_order(result: dict[str, Any]) -> None:
    assert result["dfg"] == [
        ["Visit", "Cart", 3],
        ["Cart", "Pay", 2],
        ["Pay", "Cart", 1],
        ["Visit", "Pay", 1],
    ]
    assert (result["n_events"], result["n_cases"], result["n_activities"]) == (12, 5, 4)


def test_start_end_and_variants(result: dict[str, Any]) -> None:
    assert result["start_activities"] == {"Visit": 4, "Call": 1}
    assert result["end_activities"] == {"Cart": 2, "Pay": 2, "Call": 1}
    assert result["n_variants"] == 4
    assert result["variants"] == [
        {"activities": ["Visit", "Cart", "Pay"], "count": 2},
        {"activities": ["Call"], "count": 1},
        {"activities": ["Visit", "Cart"], "count": 1},
        {"activities": ["Visit", "Pay", "Cart"], "count": 1},
    ]


def test_edge_durations(result: dict[str, Any]) -> None:
    by_edge = {(e["a"], e["b"]): e for e in result["edge_durations_seconds"]}
    visit_cart = by_edge[("Visit", "Cart")]  # 60, 60, 60
    assert (visit_cart["mean"], visit_cart["median"], visit_cart["stdev"]) == (60.0, 60.0, 0.0)
    cart_pay = by_edge[("Cart", "Pay")]  # 120 and 240
    assert cart_pay["mean"] == 180.0
    assert cart_pay["median"] == 180.0
    assert (cart_pay["min"], cart_pay["max"], cart_pay["sum"]) == (120.0, 240.0, 360.0)
    # statistics.stdev([120, 240]) = 84.8528137… s, to the microsecond in every run
    assert cart_pay["stdev"] == 84.852814
    assert by_edge[("Visit", "Pay")]["stdev"] is None  # one observation
    assert [(e["a"], e["b"]) for e in result["edge_durations_seconds"]] == sorted(by_edge)


def test_case_length(result: dict[str, Any]) -> None:
    assert result["case_length"] == {
        "events": {"min": 1, "max": 3, "mean": 2.4, "median": 3.0},
        "duration_seconds": {"min": 0.0, "max": 300.0, "mean": 108.0, "median": 60.0},
    }


def test_lazy_functions_return_ibis_tables(engine: Engine) -> None:
    events = event_table(engine)
    caps = engine.capabilities
    dfg = paths.directly_follows(events, caps)
    assert list(dfg.columns) == ["a", "b", "count", "mean", "median", "min", "max", "sum", "stdev"]
    starts = engine.to_arrow(paths.start_activities(events, caps)).to_pylist()
    assert sorted((r["activity"], r["cases"]) for r in starts) == [("Call", 1), ("Visit", 4)]
    ends = engine.to_arrow(paths.end_activities(events, caps)).to_pylist()
    assert sorted((r["activity"], r["cases"]) for r in ends) == [
        ("Call", 1),
        ("Cart", 2),
        ("Pay", 2),
    ]
    lengths = engine.to_arrow(paths.case_lengths(events).order_by("case_id")).to_pylist()
    assert [r["n_events"] for r in lengths] == [3, 3, 3, 1, 2]


def test_encoded_and_plain_plans_agree() -> None:
    from parcours.analytics.engine import Capabilities, DuckDBEngine

    engine = DuckDBEngine()
    events = event_table(engine)
    plain = Capabilities(ordered_collect=False, dictionary_encode=False)
    coded = Capabilities(ordered_collect=True, dictionary_encode=True)
    for fn in (paths.directly_follows, paths.variants):
        a = sorted(map(str, engine.to_arrow(fn(events, plain)).to_pylist()))
        b = sorted(map(str, engine.to_arrow(fn(events, coded)).to_pylist()))
        assert a == b


def test_empty_log(engine: Engine) -> None:
    from parcours.analytics.sources import empty_events

    result = analyze(engine.from_arrow(empty_events()), engine=engine)
    assert (result["n_events"], result["n_cases"], result["dfg"], result["variants"]) == (
        0,
        0,
        [],
        [],
    )


def test_position_order_checked_against_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases are ordered by source position alone when none goes back in time in the
    source; one that does (c5) makes the analysis order by time. Same answers."""
    from parcours.analytics import analysis
    from parcours.analytics.engine import DuckDBEngine

    engine = DuckDBEngine()
    real = analysis.steps
    calls: list[bool] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("by_position", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis, "steps", spy)
    analyze(event_table(engine), engine=engine)
    assert calls == [True, False]  # c5 goes back in time: ordered again, by time
    in_order = [e for e in EVENTS if e[0] != "c5"]
    calls.clear()
    by_position = analyze(event_table(engine, in_order), engine=engine)
    assert calls == [True]
    assert by_position["n_cases"] == 4
    monkeypatch.setattr(analysis, "steps", lambda *a, **k: real(*a, **{**k, "by_position": False}))
    assert analyze(event_table(engine, in_order), engine=engine) == by_position


def test_hash_collision_check() -> None:
    """Two paths merged under one h1 differ in h2 or in length: seen, so exact lists."""
    from parcours.analytics.engine import DuckDBEngine

    engine = DuckDBEngine()

    def check(h2: tuple[int, int], n: tuple[int, int], rows: int = 1) -> tuple[int, int]:
        groups = pa.table(
            {
                "h1": pa.array([7], pa.uint64()),
                "h2_min": pa.array([h2[0]], pa.uint64()),
                "h2_max": pa.array([h2[1]], pa.uint64()),
                "n_min": [n[0]],
                "n_max": [n[1]],
            }
        ).slice(0, rows)
        out = engine.to_arrow(paths.variant_check_of(engine.from_arrow(groups)))
        return out.column("n")[0].as_py(), out.column("collided")[0].as_py()

    assert check((5, 5), (3, 3)) == (1, 0)
    assert check((5, 6), (3, 3)) == (1, 1)
    assert check((5, 5), (3, 4)) == (1, 1)
    assert check((1, 1), (1, 1), rows=0) == (0, 0)


@pytest.mark.parametrize("top", [None, 2, 0])
def test_hashed_variants_equal_exact_lists(monkeypatch: pytest.MonkeyPatch, top: Any) -> None:
    """Variants grouped by order-aware hashes (DuckDB) equal exact ordered lists, and a
    detected collision falls back to the exact plan with the same answer."""
    from dataclasses import replace

    from parcours.analytics import analysis
    from parcours.analytics.engine import DuckDBEngine

    engine = DuckDBEngine()
    assert engine.capabilities.order_hash is not None
    hashed = analyze(event_table(engine), engine=engine, top=top)
    exact_engine = DuckDBEngine()
    exact_engine.capabilities = replace(exact_engine.capabilities, order_hash=None)
    exact = analyze(event_table(exact_engine), engine=exact_engine, top=top)
    assert hashed == exact
    assert hashed["n_variants"] == 4
    calls: list[bool] = []

    def collided(groups: Any) -> Any:
        calls.append(True)
        return groups.aggregate(n=groups.count(), collided=ibis.literal(1))

    monkeypatch.setattr(analysis, "variant_check_of", collided)
    assert analyze(event_table(engine), engine=engine, top=top) == exact
    assert calls


def test_hashed_case_keys_checked_against_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases keyed by a hash of their id give the answers of exact case codes; when two
    ids share a key (forced here: every id hashed to one of two keys), the check sees
    fewer cases than ids and the events are ordered again with exact codes."""
    from dataclasses import replace

    from parcours.analytics import analysis
    from parcours.analytics.engine import DuckDBEngine

    engine = DuckDBEngine()
    real = analysis.steps
    keys: list[str | None] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        keys.append(kwargs.get("case_hash"))
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis, "steps", spy)
    hashed = analyze(event_table(engine), engine=engine)
    assert keys[0] == "hash" and len(keys) == 2  # c5 goes back in time: by time, same keys
    assert keys[1] == "hash"
    exact_engine = DuckDBEngine()
    exact_engine.capabilities = replace(exact_engine.capabilities, order_hash=None)
    exact = analyze(event_table(exact_engine), engine=exact_engine)
    assert hashed == exact
    assert hashed["n_cases"] == 5

    text_hash = paths._text_hash
    monkeypatch.setattr(paths, "_text_hash", lambda key, name: text_hash(key, name) % 2)
    keys.clear()
    assert analyze(event_table(engine), engine=engine) == exact
    assert keys == ["hash", None, None]  # collision seen: exact codes, then by time


@pytest.mark.parametrize("bound", [1, 2, 4])
def test_medians_in_slices_equal_one_query(monkeypatch: pytest.MonkeyPatch, bound: int) -> None:
    """With more steps than the engine's ``holistic_values``, the edge medians come from
    slices of the edges (each at most ``bound`` durations, or one edge): same result as
    one query, every edge in exactly one slice."""
    from parcours.analytics import analysis
    from parcours.analytics.engine import DuckDBEngine

    engine = DuckDBEngine()
    whole = analyze(event_table(engine), engine=engine)
    engine.holistic_values = bound
    ranges: list[tuple[int, int]] = []
    real = analysis.edge_medians_of

    def spy(s: Any, first: int, last: int) -> Any:
        ranges.append((first, last))
        return real(s, first, last)

    monkeypatch.setattr(analysis, "edge_medians_of", spy)
    sliced = analyze(event_table(engine), engine=engine)
    assert sliced == whole
    # the edges in packed-code order: Call<Cart<Pay<Visit, codes 0..3
    counts = {(1, 2): 2, (2, 1): 1, (3, 1): 3, (3, 2): 1}  # Cart→Pay ×2, Pay→Cart…
    keys = sorted(a * paths.PACK + b for a, b in counts)
    assert ranges[0][0] == keys[0] and ranges[-1][1] == keys[-1]
    for (_, last), (first, _) in itertools.pairwise(ranges):
        assert last < first  # contiguous, no edge twice
    for first, last in ranges:
        inside = [k for k in keys if first <= k <= last]
        held = sum(counts[divmod(k, paths.PACK)] for k in inside)
        assert len(inside) == 1 or held <= bound
    assert len(ranges) == {1: 4, 2: 4, 4: 2}[bound]


def test_memory_budget_split() -> None:
    """The memory limit is the analysis' budget: DuckDB's buffers get three quarters,
    medians a quarter (in values); sizes read as DuckDB reads them."""
    from parcours.analytics.engine import HOLISTIC_BYTES, DuckDBEngine, size_bytes
    from parcours.errors import BadData

    assert size_bytes("4GB") == 4 * 10**9
    assert size_bytes("512MiB") == 512 * 2**20
    assert size_bytes("1.5 gb") == 15 * 10**8
    with pytest.raises(BadData, match="not a size"):
        size_bytes("lots")
    engine = DuckDBEngine(memory_limit="400MB")
    limit = engine.con.con.sql("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit == "286.1 MiB"  # 3e8 bytes
    assert engine.holistic_values == 10**8 // HOLISTIC_BYTES


def test_the_same_log_gives_the_same_figures_in_every_run(tmp_path: Any) -> None:
    """Run twice, an analysis gives the same figures to the last digit: standard
    deviations were summed in whatever order DuckDB's threads merged (on 50,000 events,
    most edges changed in their last digits from one run to the next)."""
    import numpy as np
    import pyarrow.parquet as pq

    from parcours.analytics import read_events

    rng = np.random.default_rng(5)
    n = 50_000
    cases = rng.integers(0, n // 10, n)
    table = pa.table(
        {
            "case_id": pa.array([f"c{c}" for c in cases]),
            "activity": pa.array([f"step {a}" for a in rng.integers(0, 40, n)]),
            # lognormal gaps to the microsecond over a year
            "timestamp": pa.array(
                np.sort(rng.lognormal(20, 2, n).astype("int64") % 31_536_000_000_000),
                pa.timestamp("us", tz="UTC"),
            ),
        }
    )
    log = tmp_path / "log.parquet"
    pq.write_table(table, log)
    runs = [analyze(read_events(log), top=10) for _ in range(3)]
    assert runs[0]["n_events"] == n
    stdevs = [[e["stdev"] for e in r["edge_durations_seconds"]] for r in runs]
    assert len(stdevs[0]) > 1_000 and any(s for s in stdevs[0])
    assert runs[0] == runs[1] == runs[2]
