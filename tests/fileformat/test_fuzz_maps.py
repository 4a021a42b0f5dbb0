"""Short fuzz runs of every map reader (the long ones are ``bench/fuzz_maps.py``): plausible
documents with hostile values and mutated seeds are read or refused with problems, never
crash, and each is answered in under 2 s."""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fileformat.fuzz_inputs import READERS, attempt, generate

EXAMPLES = {"yaml": 60, "json": 60, "workspace": 40, "theme": 60, "xlsx": 25}


@pytest.mark.parametrize("reader", READERS)
def test_generated_inputs_are_read_or_refused_quickly(reader: str) -> None:
    @settings(
        max_examples=EXAMPLES[reader],
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(seed=st.integers(min_value=0, max_value=2**32))
    def run(seed: int) -> None:
        data = generate(reader, random.Random(seed))
        folder = Path(tempfile.mkdtemp(prefix="parcours-fuzz-"))
        try:
            start = time.perf_counter()
            assert attempt(reader, data, folder) in ("ok", "refused")
            assert time.perf_counter() - start < 2
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    run()


def test_generation_is_deterministic() -> None:
    for reader in READERS:
        assert generate(reader, random.Random("0:x:1")) == generate(reader, random.Random("0:x:1"))


#: Inputs the long runs of bench/fuzz_maps.py found (seed 0), each a crash before its fix.
FOUND = [
    ("theme", 6874),
    ("theme", 24700),
    ("workspace", 4870),
    ("workspace", 45856),
    ("xlsx", 4900),
    ("xlsx", 10454),  # a row number of 400 digits: the import looped up to it (a hang)
]


@pytest.mark.parametrize(("reader", "index"), FOUND)
def test_inputs_found_by_the_long_runs(reader: str, index: int, tmp_path: Path) -> None:
    data = generate(reader, random.Random(f"0:{reader}:{index}"))
    assert attempt(reader, data, tmp_path) in ("ok", "refused")
