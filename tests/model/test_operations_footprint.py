"""Footprints: operations whose footprints are disjoint commute, and the relation is not
trivially conservative (where it says no, the order often does matter)."""

from __future__ import annotations

import zlib
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours.errors import InvalidOperation
from parcours.model import operations as ops
from parcours.model.footprint import ANY, Footprint, commute, footprint, overlaps
from parcours.model.journey import Journey
from tests.model.test_operations import KINDS, operation_for
from tests.strategies import journeys

REFUSED = "refused"


def _outcome(j: Journey, *sequence: Any) -> Journey | str:
    try:
        for op in sequence:
            j = ops.apply(j, op)
    except InvalidOperation:
        return REFUSED
    return j


KIND_PAIRS = [(a, b) for i, a in enumerate(KINDS) for b in KINDS[i:]]


def _pairs(data: st.DataObject, journey: Journey, count: int = 8) -> list[tuple[Any, Any]]:
    """``count`` pairs of operations on ``journey``, their kinds spread evenly over every pair
    of kinds (Hypothesis alone favours the first kinds); every third ``b`` is a batch."""
    start = zlib.crc32(journey.model_dump_json().encode())
    out = []
    for k in range(count):
        kind_a, kind_b = KIND_PAIRS[(start + 67 * k) % len(KIND_PAIRS)]
        a = data.draw(operation_for(journey, kind_a))
        b = data.draw(operation_for(journey, kind_b))
        if k % 3 == 2:
            b = ops.Batch(ops=[b, data.draw(operation_for(journey))])
        out.append((a, b))
    return out


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data(), journeys())
def test_operations_with_disjoint_footprints_commute(data: st.DataObject, journey: Journey) -> None:
    for a, b in _pairs(data, journey):
        on_state = commute(footprint(a, journey), footprint(b, journey))
        blind = commute(a, b)  # footprints that hold whatever the state
        assert on_state or not blind, f"{a.describe()} and {b.describe()}"
        if on_state:
            ab, ba = _outcome(journey, a, b), _outcome(journey, b, a)
            assert ab == ba, f"{a.describe()} and {b.describe()} do not commute"


@pytest.mark.slow
def test_the_relation_lets_most_independent_edits_commute_and_is_not_blind() -> None:
    """Measured over every pair of kinds of operations, on random journeys, for pairs that
    both apply: the share that commute, and among the pairs kept apart, the share where the
    order really matters."""
    seen: Counter[str] = Counter()

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data(), journeys())
    def run(data: st.DataObject, journey: Journey) -> None:
        for a, b in _pairs(data, journey):
            if REFUSED in (_outcome(journey, a), _outcome(journey, b)):
                continue
            seen["applicable"] += 1
            seen["commute without the state"] += commute(a, b)
            if commute(a, b, journey):
                seen["commute"] += 1
            else:
                seen["apart"] += 1
                if _outcome(journey, a, b) != _outcome(journey, b, a):
                    seen["order matters"] += 1

    run()
    print(
        dict(seen),
        f"commute {seen['commute'] / seen['applicable']:.0%}",
        f"without the state {seen['commute without the state'] / seen['applicable']:.0%}",
        f"order matters when apart {seen['order matters'] / seen['apart']:.0%}",
    )
    assert seen["applicable"] > 300, seen
    assert seen["commute"] / seen["applicable"] > 0.5, seen
    assert seen["order matters"] / seen["apart"] > 0.2, seen


def test_parts_overlap_by_prefix_and_wildcard() -> None:
    assert overlaps(("step", "a"), ("step", "a", "name"))
    assert not overlaps(("step", "a", "name"), ("step", "a", "path"))
    assert overlaps(("cell", ANY, "a"), ("cell", "emotions", "a"))
    assert not overlaps(("cell", ANY, "a"), ("cell", "emotions", "b"))
    assert overlaps((ANY,), ("comment", "c1"))
    edit = Footprint(writes=frozenset({("cell", "emotions", "a")}))
    other = Footprint(writes=frozenset({("cell", "emotions", "b")}))
    remove = Footprint(writes=frozenset({("step", "a"), ("cell", ANY, "a")}))
    assert commute(edit, other) and not commute(edit, remove)
    assert edit.to_dict() == {"reads": [], "writes": ["cell/emotions/a"]}
