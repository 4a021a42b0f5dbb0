"""Short fuzz runs of the four event-log readers: generated logs, plausible and hostile,
are read or refused with a :class:`~parcours.errors.ParcoursError` — never another
exception. ``bench/fuzz_readers.py`` runs the same generators on 100,000+ inputs."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.analytics.fuzz_inputs import SEEDS, attempt, generate

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("reader", sorted(SEEDS))
def test_reader_fuzz(tmp_path: Path, reader: str) -> None:
    name = SEEDS[reader][0]

    @FUZZ
    @given(st.integers(min_value=0, max_value=2**32))
    def run(seed: int) -> None:
        path = tmp_path / name
        path.write_bytes(generate(reader, random.Random(seed)))
        start = time.perf_counter()
        attempt(path)  # raises on anything but a ParcoursError
        assert time.perf_counter() - start < 2

    run()


def test_fuzz_loop_keeps_hangs_bugs_and_figures_so_far(tmp_path: Path) -> None:
    """The long-run loop: a hang is a bug with its input number and the run goes on; a
    crash is a bug kept for the corpus; the figures so far are on disk; --start resumes."""
    from bench.fuzz_loop import fuzz

    saved: list[int] = []

    def attempt_one(i: int) -> str:
        if i == 12:
            time.sleep(5)  # stopped by the 1 s alarm
        if i == 13:
            raise ValueError("a crash")
        return "refused" if i % 2 else "ok"

    partial = tmp_path / "results" / "fuzz-x.json"
    result = fuzz(
        "x",
        6,
        lambda i: i,
        attempt_one,
        lambda i, _: saved.append(i),
        every=2,
        input_seconds=1,
        start_at=10,
        partial=partial,
    )
    assert (result["first_input"], result["inputs"], result["bug"]) == (10, 6, 2)
    assert (result["ok"], result["refused"]) == (2, 2)  # 10, 14 read; 11, 15 refused
    assert result["bug_inputs"] == saved == [12, 13]
    assert "InputTimeout" in result["bugs"][0] and "a crash" in result["bugs"][1]
    assert result["slowest_input"] == 12
    on_disk = json.loads(partial.read_text())
    assert on_disk["inputs"] == 6 and on_disk["finished"] and on_disk["bug_inputs"] == [12, 13]
