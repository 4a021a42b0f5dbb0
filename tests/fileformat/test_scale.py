"""Reading is linear in the size of a map: large but legitimate maps stay fast."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from parcours.files import read
from parcours.model.journey import Journey
from tests.strategies import journeys


def steps_map(n: int, *, same_name: bool = False) -> str:
    lines = ["parcours: 1", "journey: Big", "stages:"]
    for stage in range(n // 50):
        lines.append(f"  - Stage {stage}:")
        for k in range(50):
            name = "Same" if same_name else f"Step {stage * 50 + k}"
            lines += [
                f"      - {name}:",
                f"          actions: [Does {k}]",
                f"          emotion: {k % 5 - 2}",
            ]
    return "\n".join(lines) + "\n"


def cpu_seconds(path: Path) -> float:
    start = time.process_time()  # CPU time: the machine running the tests may be busy
    result, problems = read(path)
    took = time.process_time() - start
    assert result is not None, problems[:3]
    return took


def test_a_2000_step_map_validates_in_under_a_second(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(steps_map(2000))
    assert cpu_seconds(path) < 1.0


def test_reading_is_linear_in_the_steps(tmp_path: Path) -> None:
    small, large = tmp_path / "small.yaml", tmp_path / "large.yaml"
    small.write_text(steps_map(2000, same_name=True))
    large.write_text(steps_map(8000, same_name=True))
    base = min(cpu_seconds(small) for _ in range(3))
    took = min(cpu_seconds(large) for _ in range(2))
    assert took < 10 * max(base, 0.05), (base, took)  # 4 times the steps: linear is 4 to 6


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys(branched=True))
def test_the_one_pass_successors_equal_the_step_by_step_ones(journey: Journey) -> None:
    successors = journey.successor_map()
    for step in journey.steps():
        assert successors[step.id] == journey.successors(step.id)
