"""``fresh_copy``: the copy ``apply`` works on is a deep copy sharing nothing mutable."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from parcours.catalog import load_demo
from parcours.model.copying import fresh_copy


def _mutable_ids(value: Any, seen: set[int]) -> set[int]:
    if isinstance(value, BaseModel):
        seen.add(id(value))
        for v in value.__dict__.values():
            _mutable_ids(v, seen)
    elif isinstance(value, list | dict | set):
        seen.add(id(value))
        for v in value.values() if isinstance(value, dict) else value:
            _mutable_ids(v, seen)
    return seen


def test_fresh_copy_equals_pydantic_deep_copy_and_shares_nothing() -> None:
    atlas = load_demo()
    for original in [atlas, *atlas.journeys, *atlas.personas]:
        copied = fresh_copy(original)
        reference = original.model_copy(deep=True)
        assert copied == reference == original
        assert type(copied) is type(original)
        assert copied.model_fields_set == original.model_fields_set
        assert copied.model_dump_json() == original.model_dump_json()
        assert not _mutable_ids(copied, set()) & _mutable_ids(original, set())


def test_fresh_copy_of_plain_values() -> None:
    value = {"a": [1, 2.5, None, "x", (3, [4])], "b": {5, 6}, "c": frozenset({7})}
    copied = fresh_copy(value)
    assert copied == value
    assert copied["a"] is not value["a"]
    assert copied["a"][4][1] is not value["a"][4][1]
    assert copied["b"] is not value["b"]
