"""Attribution against ChannelAttribution's own estimates (expected files, never the GPL code).

``tests/data/oracle/channelattribution/`` holds aggregated path files and, for each, the
heuristics and the Markov results that ChannelAttribution 2.2.x computed in a separate
environment, with the spread (mean, sd) of its simulation over 20 seeds. Its Markov
estimates come from simulated walks cut at ``max_step`` states; our exact solution of the
same truncated chain (``max_steps="auto"``) must lie within 4 standard deviations of the
simulated mean, and the heuristics must agree exactly.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcours.analytics.attribution import (
    heuristic_attribution,
    markov_attribution,
    paths_records,
    read_paths_file,
    sniff_paths_file,
)
from parcours.cli import app

HERE = Path(__file__).resolve().parent
ORACLE = HERE.parent / "data" / "oracle" / "channelattribution"
INPUTS = ("small_paths", "Data")  # ours (hard cases), ChannelAttribution's example data
KEYS = ("removal_effects", "removal_effects_value", "conversions", "value")


def _expected(name: str) -> dict:
    csv = ORACLE / f"{name}.csv"
    js = ORACLE / f"{name}.channelattribution.json"
    assert csv.is_file(), f"missing oracle input {csv}"
    assert js.is_file(), f"missing ChannelAttribution expected file {js}"
    return json.loads(js.read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=INPUTS)
def case(request: pytest.FixtureRequest) -> tuple[str, dict, object]:
    name = request.param
    exp = _expected(name)
    return name, exp, read_paths_file(ORACLE / f"{name}.csv")


def test_layout_is_recognised_without_options() -> None:
    for name in INPUTS:
        assert sniff_paths_file(ORACLE / f"{name}.csv") == ";"


def test_heuristics_equal_channelattribution(case) -> None:
    _, exp, paths = case
    got = {r["channel"]: r for r in heuristic_attribution(paths).to_pyarrow().to_pylist()}
    assert set(got) == set(exp["heuristics"])
    for ch, vals in exp["heuristics"].items():
        for key, want in vals.items():
            assert got[ch][key] == pytest.approx(want, rel=1e-12, abs=1e-9), (ch, key)


def _variants(exp: dict) -> list[tuple[str, str, dict]]:
    """(variant, order, expected) for every Markov run in the expected file.

    ``unbounded``: simulated walks may run 10,000 states, which the exact absorbing chain
    (our default, ``max_steps=None``) must match; ``default``: ChannelAttribution's own
    default cut (the longest path), matched by ``max_steps="auto"``.
    """
    out = []
    for variant, runs in exp["markov"].items():
        assert variant in {"unbounded", "default"}, f"unknown variant {variant!r}"
        for order_key, want in runs.items():
            out.append((variant, order_key, want))
    return out


def _value_cv(paths) -> float:
    """Coefficient of variation of the value per conversion (weighted by conversions)."""
    rec = paths_records(paths)
    pairs = [(c, v / c) for c, v in zip(rec["conversions"], rec["value"], strict=True) if c > 0]
    total = sum(c for c, _ in pairs)
    mean = sum(c * x for c, x in pairs) / total
    var = sum(c * (x - mean) ** 2 for c, x in pairs) / total
    return math.sqrt(var) / mean


def _run_se(got: dict, key: str, ch: str, params: dict, cv: float, totals: dict) -> float:
    """Standard error of ChannelAttribution's returned run for one quantity.

    It returns ONE of its ``nfold`` runs of ``nsim_start / nfold`` simulated walks; a
    removal effect there is the share of the run's converting walks that visit the
    channel: binomial, ``sqrt(re (1 - re) / n_conv)``, inflated by ``sqrt(1 + cv²)`` when
    each conversion carries a random value. (The spread over seeds underestimates it:
    seed ``s`` runs generators ``s … s + nfold - 1``, so consecutive seeds share runs.)
    """
    base = "removal_effects_value" if "value" in key else "removal_effects"
    n_conv = params["nsim_start"] / params["nfold"] * got["p_conversion"]
    re = got[base][ch]
    se = math.sqrt(max(re * (1 - re), 0.0) / n_conv)
    if "value" in key:
        se *= math.sqrt(1 + cv * cv)
    if key == "conversions":
        se *= totals["total_conversions"] / sum(got[base].values())
    elif key == "value":
        se *= totals["total_conversion_value"] / sum(got[base].values())
    return se


def test_markov_within_simulation_error(case) -> None:
    name, exp, paths = case
    variants = _variants(exp)
    assert {v for v, _, _ in variants} == {"unbounded", "default"}
    cv = _value_cv(paths)
    for variant, order_key, want in variants:
        order = int(order_key)
        max_steps = None if variant == "unbounded" else "auto"
        got = markov_attribution(paths, order, max_steps=max_steps).to_dict()
        assert sum(got["conversions"].values()) == pytest.approx(
            exp["totals"]["total_conversions"], rel=1e-12
        )
        assert sum(got["value"].values()) == pytest.approx(
            exp["totals"]["total_conversion_value"], rel=1e-9
        )
        spread = want["spread_over_seeds"]
        for key in KEYS:
            assert set(got[key]) == set(want[key]), (name, variant, order, key)
            for ch in want[key]:
                mean, sd = spread[key][ch]["mean"], spread[key][ch]["sd"]
                se = _run_se(got, key, ch, want["params"], cv, exp["totals"])
                tol = 4 * max(sd, se) + 1e-9
                assert abs(got[key][ch] - mean) <= tol, (name, variant, order, key, ch)
                assert abs(got[key][ch] - want[key][ch]) <= tol + 4 * se, (name, variant, key, ch)


def test_default_cut_matters_on_small_paths() -> None:
    """On small_paths.csv ChannelAttribution's default cut drops 1.7 % of simulated walks
    (order 1): its default run sides with our cut chain, not with the exact one."""
    exp = _expected("small_paths")
    paths = read_paths_file(ORACLE / "small_paths.csv")
    exact = markov_attribution(paths, 1).removal_effects
    cut = markov_attribution(paths, 1, max_steps="auto").removal_effects
    spread = exp["markov"]["default"]["1"]["spread_over_seeds"]["removal_effects"]
    for ch in ("display", "social"):
        mean = spread[ch]["mean"]
        assert abs(cut[ch] - mean) < abs(exact[ch] - mean) / 3, ch


def test_cli_reads_channelattribution_file() -> None:
    result = CliRunner().invoke(
        app, ["attribution", str(ORACLE / "small_paths.csv"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc["markov"]) >= {
        "order",
        "p_conversion",
        "removal_effects",
        "conversions",
        "value",
    }
    assert set(doc["heuristics"]["search"]) >= {"first", "last", "linear"}
    assert sum(doc["markov"]["conversions"].values()) == pytest.approx(21.0, rel=1e-12)
    exp = _expected("small_paths")
    for ch, vals in exp["heuristics"].items():  # the CLI sums in Python (math.fsum)
        for key, want in vals.items():
            assert doc["heuristics"][ch][key] == pytest.approx(want, rel=1e-12, abs=1e-9)
