"""Next best action under the Markov chain, checked against hand-computed chains."""

from __future__ import annotations

import pytest

from parcours.analytics.markov import MarkovChain
from parcours.analytics.nba import next_best_action, parse_path
from parcours.errors import BadData

PATHS = [["A", "B"], ["A"], ["B"], ["A", "C"], ["C"]]
CONV = [1, 0, 1, 1, 0]
NULL = [0, 1, 1, 1, 2]


def test_parse_path() -> None:
    assert parse_path(" A >B >  C ") == ["A", "B", "C"]
    assert parse_path("") == []


def test_order_1_ranking_and_uplift() -> None:
    # transitions: start→A 4, start→B 2, start→C 2; A→B 1, A→C 2, A→null 1;
    # B→conv 2, B→null 1; C→conv 1, C→null 3
    chain = MarkovChain.fit(PATHS, CONV, NULL)
    p_b, p_c = 2 / 3, 1 / 4
    p_a = 1 / 4 * p_b + 2 / 4 * p_c
    nba = next_best_action(chain, ["A"])
    assert nba.p_conversion == pytest.approx(p_a, abs=1e-12)
    assert [c.touchpoint for c in nba.candidates] == ["B", "C"]  # A itself does not move
    b, c = nba.candidates
    assert b.p_conversion == pytest.approx(p_b, abs=1e-12)
    assert b.uplift == pytest.approx(p_b - p_a, abs=1e-12)
    assert b.transition_probability == pytest.approx(1 / 4)
    assert c.uplift == pytest.approx(p_c - p_a, abs=1e-12)
    # from the start: every channel is a candidate, ranked by probability
    start = next_best_action(chain, [], top=1)
    assert start.p_conversion == pytest.approx(4 / 8 * p_a + 2 / 8 * p_b + 2 / 8 * p_c)
    assert [c.touchpoint for c in start.candidates] == ["B"]


def test_order_2_short_path_averages_the_states_that_extend_it() -> None:
    chain = MarkovChain.fit(PATHS, CONV, NULL, order=2)
    # after "A" the state is (A,B) (weight 1, p 1), (A) (weight 1, p 0) or (A,C) (weight 2, p 1/2)
    nba = next_best_action(chain, ["A"])
    assert nba.p_conversion == pytest.approx((1 * 1 + 1 * 0 + 2 * 0.5) / 4)
    got = {c.touchpoint: c for c in nba.candidates}
    assert got["B"].p_conversion == pytest.approx(1.0)
    assert got["B"].transition_probability == pytest.approx(1 / 4)
    assert got["C"].p_conversion == pytest.approx(0.5)
    assert got["C"].transition_probability == pytest.approx(2 / 4)


def test_errors_name_the_problem() -> None:
    chain = MarkovChain.fit(PATHS, CONV, NULL, order=2)
    with pytest.raises(BadData, match="touchpoint 'Z' never appears in the data"):
        next_best_action(chain, ["A", "Z"])
    with pytest.raises(
        BadData, match="never seen in the data; try a shorter path or a lower --order"
    ):
        next_best_action(chain, ["B", "A"])


def test_candidates_table() -> None:
    chain = MarkovChain.fit(PATHS, CONV, NULL)
    rows = next_best_action(chain, ["A"]).table().to_pyarrow().to_pylist()
    assert [r["rank"] for r in rows] == [1, 2]
    assert rows[0]["touchpoint"] == "B"
