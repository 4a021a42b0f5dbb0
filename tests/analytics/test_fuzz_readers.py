"""Short fuzz runs of the four event-log readers: generated logs, plausible and hostile,
are read or refused with a :class:`~parcours.errors.ParcoursError` — never another
exception. ``bench/fuzz_readers.py`` runs the same generators on 100,000+ inputs."""

from __future__ import annotations

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
