"""Functions run in a child process under limits (parcours.sandbox): results and errors
come back as data, each limit stops the child with an error naming it and its setting, and
a killed child leaves its files in the folder the caller removes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from parcours import sandbox
from parcours.errors import BadData, ParcoursError, Said, TooLarge
from parcours.sandbox import Limits

LIMITS = Limits(memory_bytes=1 << 30, cpu_seconds=5, wall_seconds=20)


def test_a_result_comes_back_as_json(tmp_path: Path) -> None:
    assert sandbox.run("os.path:basename", {"p": "/a/b/events.csv"}, LIMITS, tmp_path) == (
        "events.csv"
    )
    # the child's temporary files go to the caller's folder (removed even if it is killed)
    assert sandbox.run("tempfile:gettempdir", [], LIMITS, tmp_path) == str(tmp_path)


def test_an_error_raised_on_purpose_comes_back_the_same(tmp_path: Path) -> None:
    log = tmp_path / "events.csv"
    log.write_text("case_id,activity,timestamp\nc1,a,2026-01-01T10:00:00Z\nc2,,yesterday\n")
    with pytest.raises(ParcoursError) as here:
        from parcours.analytics.sources import read_events

        read_events(log)
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(BadData) as there:
        sandbox.run("parcours.analytics.sources:read_events", [str(log)], LIMITS, work)
    assert type(there.value) is type(here.value)
    assert str(there.value) == str(here.value) and "events.csv:3" in str(there.value)
    assert there.value.sentence("fr") == here.value.sentence("fr")


def test_sentences_travel_with_their_code_and_values() -> None:
    error = TooLarge.of("value.too_many", field=("steps", Said.of("label.warning")), n="5")
    back = sandbox.error_of_json(sandbox.error_to_json(error))
    assert type(back) is TooLarge and str(back) == str(error)
    assert back.said == error.said
    # an unknown class becomes BadData: nothing the child says picks a class to build
    assert type(sandbox.error_of_json({"class": "SystemExit", "message": "x"})) is BadData


def test_the_wall_time_limit_stops_the_child(tmp_path: Path) -> None:
    start = time.monotonic()
    limits = Limits(memory_bytes=1 << 30, cpu_seconds=5, wall_seconds=1.0)
    with pytest.raises(TooLarge, match=r"longer than .*\(1 s\); .*PARCOURS_MEASURE_WALL_SECONDS"):
        sandbox.run("time:sleep", [30], limits, tmp_path)
    assert time.monotonic() - start < 10


def test_the_cpu_limit_stops_the_child(tmp_path: Path) -> None:
    limits = Limits(memory_bytes=1 << 30, cpu_seconds=1, wall_seconds=60)
    with pytest.raises(TooLarge, match=r"1 s of CPU\); .*PARCOURS_MEASURE_CPU_SECONDS"):
        sandbox.run("math:factorial", [10**8], limits, tmp_path)


def test_the_memory_limit_stops_the_child(tmp_path: Path) -> None:
    with pytest.raises(TooLarge, match=r"memory .*\(1,024 MiB\); .*PARCOURS_MEASURE_MEMORY_BYTES"):
        sandbox.run("builtins:bytearray", [2 * 2**30], LIMITS, tmp_path)


def test_a_crash_is_a_refusal_not_a_dead_server(tmp_path: Path) -> None:
    with pytest.raises(BadData, match=r"could not be read.*\(exit -6\)"):
        sandbox.run("os:abort", [], LIMITS, tmp_path)
