"""Reading is linear in the size of a map: large but legitimate maps stay fast."""

from __future__ import annotations

import time
from pathlib import Path

from parcours.files import read


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
    small.write_text(steps_map(1000, same_name=True))
    large.write_text(steps_map(8000, same_name=True))
    cpu_seconds(small)  # warm up
    assert cpu_seconds(large) < 12 * max(cpu_seconds(small), 0.05)
