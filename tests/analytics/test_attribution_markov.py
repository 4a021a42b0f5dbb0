"""Markov attribution equals independent exact solutions to 1e-9.

The independent solutions here rebuild the chain from the paths with their own code
and compute, instead of "conversion probability with the channel removed", the
probability of converting *and* visiting the channel — on a product chain (state,
visited?) — solved with exact fractions (tiny chains) or value iteration (larger ones).
Both equal the removal effect times p(conversion) for an absorbing chain, so agreement
checks the construction and the algebra at once.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from parcours.analytics.markov import MarkovChain, path_states
from parcours.errors import BadData

# ------------------------------------------------------------------ independent model


def _states(path: list[str], k: int) -> list[tuple[str, ...]]:
    if len(path) < k:
        raw = [tuple(path)] if path else []
    else:
        raw = [tuple(path[i : i + k]) for i in range(len(path) - k + 1)]
    out: list[tuple[str, ...]] = []
    for s in raw:
        if not out or out[-1] != s:
            out.append(s)
    return out


def _transitions(paths, conv, null, k):
    """{from: {to: count}} with 'S' start, 'C' conversion, 'N' null."""
    t: dict[object, dict[object, Fraction]] = {}

    def add(a, b, w):
        t.setdefault(a, {}).setdefault(b, Fraction(0))
        t[a][b] += w

    for p, c, n in zip(paths, conv, null, strict=True):
        w = Fraction(c) + Fraction(n)
        if w == 0:
            continue
        prev: object = "S"
        for s in _states(p, k):
            add(prev, s, w)
            prev = s
        if c:
            add(prev, "C", Fraction(c))
        if n:
            add(prev, "N", Fraction(n))
    return {a: {b: w / sum(row.values()) for b, w in row.items()} for a, row in t.items()}


def _solve_fractions(unknowns, equations):
    """Gauss-Jordan on exact fractions: equations[u] = ({v: coef}, const) for u = Σ coef v + const."""
    idx = {u: i for i, u in enumerate(unknowns)}
    n = len(unknowns)
    m = [[Fraction(0)] * (n + 1) for _ in range(n)]
    for u, (coefs, const) in equations.items():
        i = idx[u]
        m[i][i] += 1
        for v, c in coefs.items():
            m[i][idx[v]] -= c
        m[i][n] = const
    for col in range(n):
        piv = next(r for r in range(col, n) if m[r][col] != 0)
        m[col], m[piv] = m[piv], m[col]
        f = m[col][col]
        m[col] = [x / f for x in m[col]]
        for r in range(n):
            if r != col and m[r][col] != 0:
                g = m[r][col]
                m[r] = [a - g * b for a, b in zip(m[r], m[col], strict=True)]
    return {u: m[idx[u]][n] for u in unknowns}


def _joint_exact(paths, conv, null, k, channel):
    """(P(conv), P(conv and visit channel)) by exact fractions on the product chain."""
    p = _transitions(paths, conv, null, k)
    states = [s for s in p if s != "S"]
    # unknowns: x[s] = P(conv | at s), y[s] = P(conv and visit channel later-or-now | at s, not yet)
    eq_x = {
        ("x", s): (
            {("x", b): w for b, w in p[s].items() if b not in ("C", "N")},
            p[s].get("C", Fraction(0)),
        )
        for s in states
    }
    x = _solve_fractions(list(eq_x), eq_x)
    eq_y = {}
    for s in states:
        if channel in s:
            continue
        coefs = {}
        const = Fraction(0)
        for b, w in p[s].items():
            if b in ("C", "N"):
                continue
            if channel in b:
                const += w * x[("x", b)]
            else:
                coefs[("y", b)] = w
        eq_y[("y", s)] = (coefs, const)
    y = _solve_fractions(list(eq_y), eq_y) if eq_y else {}
    p_conv = sum(w * x[("x", b)] for b, w in p["S"].items() if b not in ("C", "N")) + p["S"].get(
        "C", 0
    )
    joint = Fraction(0)
    for b, w in p["S"].items():
        if b in ("C", "N"):
            continue
        joint += w * (x[("x", b)] if channel in b else y[("y", b)])
    return p_conv, joint


def _joint_iterative(paths, conv, null, k, channel, reward=None):
    """Same quantities by value iteration in floats (optionally value-weighted)."""
    p = {
        a: {b: float(w) for b, w in row.items()}
        for a, row in _transitions(paths, conv, null, k).items()
    }
    reward = reward or {}
    states = [s for s in p if s != "S"]
    x = dict.fromkeys(states, 0.0)
    for _ in range(200_000):
        new = {
            s: sum(
                w * (reward.get(s, 1.0) if b == "C" else 0.0 if b == "N" else x[b])
                for b, w in p[s].items()
            )
            for s in states
        }
        delta = max(abs(new[s] - x[s]) for s in states)
        x = new
        if delta < 1e-16:
            break
    y = {s: 0.0 for s in states if channel not in s}
    for _ in range(200_000):
        new = {}
        for s in y:
            acc = 0.0
            for b, w in p[s].items():
                if b in ("C", "N"):
                    continue
                acc += w * (x[b] if channel in b else y[b])
            new[s] = acc
        delta = max((abs(new[s] - y[s]) for s in y), default=0.0)
        y = new
        if delta < 1e-16:
            break
    p_conv = sum(w * x[b] for b, w in p["S"].items() if b not in ("C", "N"))
    joint = sum(
        w * (x[b] if channel in b else y[b]) for b, w in p["S"].items() if b not in ("C", "N")
    )
    return p_conv, joint


# ------------------------------------------------------------------------- hand-built


def test_hand_computed_order_1() -> None:
    # start→A 2, start→B 2; A→B 1, A→null 1; B→conv 2, B→null 1
    chain = MarkovChain.fit([["A", "B"], ["A"], ["B"]], [1, 0, 1], [0, 1, 1], order=1)
    res = chain.attribution()
    assert res.p_conversion == pytest.approx(0.5, abs=1e-12)
    assert res.removal_effects["A"] == pytest.approx(1 / 3, abs=1e-12)
    assert res.removal_effects["B"] == pytest.approx(1.0, abs=1e-12)
    assert res.conversions["A"] == pytest.approx(0.5, abs=1e-12)
    assert res.conversions["B"] == pytest.approx(1.5, abs=1e-12)
    assert sum(res.conversions.values()) == pytest.approx(2.0, abs=1e-12)


def test_repeated_channels_merge_like_channelattribution() -> None:
    a = MarkovChain.fit([["A", "A", "B"], ["B", "B"]], [1, 0], [0, 1]).attribution()
    b = MarkovChain.fit([["A", "B"], ["B"]], [1, 0], [0, 1]).attribution()
    assert a.removal_effects == pytest.approx(b.removal_effects, abs=1e-12)
    assert path_states(["A", "A", "A", "B"], 2) == [("A", "A"), ("A", "B")]
    assert path_states(["A", "B", "A", "B"], 2) == [("A", "B"), ("B", "A"), ("A", "B")]
    assert path_states(["A"], 3) == [("A",)]


def test_order_2_hand_computed() -> None:
    # paths A>B>C conv, B>C null, A>B null: states (A,B),(B,C)
    chain = MarkovChain.fit(
        [["A", "B", "C"], ["B", "C"], ["A", "B"]], [1, 0, 0], [0, 1, 1], order=2
    )
    res = chain.attribution()
    # start→(A,B) 2/3, start→(B,C) 1/3; (A,B)→(B,C) 1/2, (A,B)→null 1/2; (B,C)→conv 1/2, null 1/2
    assert res.p_conversion == pytest.approx(2 / 3 * 1 / 2 * 1 / 2 + 1 / 3 * 1 / 2, abs=1e-12)
    # removing A kills (A,B): p = 1/6; removing B or C kills everything
    assert res.removal_effects["A"] == pytest.approx(1 - (1 / 6) / (1 / 3), abs=1e-12)
    assert res.removal_effects["B"] == pytest.approx(1.0, abs=1e-12)
    assert res.removal_effects["C"] == pytest.approx(1.0, abs=1e-12)


# ------------------------------------------------------------------- independent checks


def _random_paths(seed: int, n_paths: int, channels: str, max_len: int):
    rng = random.Random(seed)
    paths, conv, null, value = [], [], [], []
    for _ in range(n_paths):
        length = rng.randint(1, max_len)
        paths.append([rng.choice(channels) for _ in range(length)])
        c = rng.randint(0, 3)
        conv.append(c)
        null.append(rng.randint(0 if c else 1, 4))
        value.append(round(c * rng.uniform(5, 50), 2))
    return paths, conv, null, value


@pytest.mark.parametrize("order", [1, 2])
def test_removal_effects_equal_exact_fractions(order: int) -> None:
    paths, conv, null, _ = _random_paths(7, 12, "ABC", 4)
    res = MarkovChain.fit(paths, conv, null, order=order).attribution()
    for ch in "ABC":
        p, joint = _joint_exact(paths, conv, null, order, ch)
        assert res.p_conversion == pytest.approx(float(p), abs=1e-12)
        assert abs(res.removal_effects[ch] - float(joint / p)) < 1e-9


@pytest.mark.parametrize(("order", "seed"), [(1, 1), (2, 2), (3, 3)])
def test_removal_effects_equal_value_iteration(order: int, seed: int) -> None:
    paths, conv, null, _ = _random_paths(seed, 80, "ABCDE", 6)
    res = MarkovChain.fit(paths, conv, null, order=order).attribution()
    for ch in "ABCDE":
        if ch not in res.removal_effects:
            continue
        p, joint = _joint_iterative(paths, conv, null, order, ch)
        assert abs(res.p_conversion - p) < 1e-9
        assert abs(res.removal_effects[ch] - joint / p) < 1e-9
    assert sum(res.conversions.values()) == pytest.approx(sum(conv), abs=1e-9)


def test_value_removal_effects_equal_value_iteration() -> None:
    paths, conv, null, value = _random_paths(11, 60, "ABCD", 5)
    res = MarkovChain.fit(paths, conv, null, value, order=1).attribution()
    # mean value per conversion by last state
    totals: dict[tuple[str, ...], list[float]] = {}
    for p, c, v in zip(paths, conv, value, strict=True):
        if c:
            last = _states(p, 1)[-1]
            acc = totals.setdefault(last, [0.0, 0.0])
            acc[0] += v
            acc[1] += c
    reward = {s: v / c for s, (v, c) in totals.items()}
    assert res.removal_effects_value is not None and res.value is not None
    for ch in "ABCD":
        base, joint = _joint_iterative(paths, conv, null, 1, ch, reward=reward)
        assert abs(res.removal_effects_value[ch] - joint / base) < 1e-9
    assert sum(res.value.values()) == pytest.approx(sum(value), abs=1e-9)


def test_no_conversion_is_an_error() -> None:
    with pytest.raises(BadData, match="no path converts"):
        MarkovChain.fit([["A"]], [0], [3])


def test_order_must_be_positive() -> None:
    with pytest.raises(BadData, match="order must be >= 1"):
        MarkovChain.fit([["A"]], [1], [0], order=0)


def test_a_chain_too_large_to_solve_is_refused_with_the_fix() -> None:
    from parcours.analytics.markov import MAX_STATES, MarkovChain
    from parcours.errors import BadData

    paths = [[f"t{i}", f"t{i + 1}"] for i in range(MAX_STATES)]
    with pytest.raises(BadData, match=r"has 5,001 states.*lower --order"):
        MarkovChain.fit(paths, [1.0] * len(paths), [0.0] * len(paths))
