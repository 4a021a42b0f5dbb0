"""Every hostile event log is answered by ``parcours analyze`` in under 2 s of CPU and
256 MiB of memory added to the process,
with exit 1 and a message naming the file and the place — or read, when it is a
legitimate if unusual log. Never a traceback, an internal error or a crash."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.log_corpus import CORPUS, KINDS, build_large, write_corpus

ROOT = Path(__file__).parent.parent.parent
MAX_SECONDS = 2.0  # CPU time of the command (the machine running the tests may be busy)
MAX_WALL_SECONDS = 10.0  # wall time: a hang, whatever the load
MAX_MIB = 256


def _expectations() -> dict[Path, str]:
    expect: dict[Path, str] = {}
    for kind in KINDS:
        folder = CORPUS / kind
        for name, fragment in json.loads((folder / "expect.json").read_text()).items():
            expect[folder / name] = fragment
    return expect


def test_the_committed_corpus_is_what_the_generator_writes(tmp_path: Path) -> None:
    total = write_corpus(tmp_path)
    assert total == len(_expectations()) >= 120
    for kind in KINDS:
        for made in (tmp_path / kind).iterdir():
            assert made.read_bytes() == (CORPUS / kind / made.name).read_bytes(), made.name


def _replay(files: list[Path]) -> list[dict[str, object]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    env.pop("PARCOURS_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-m", "tests.hostile.log_replay", *map(str, files)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
        check=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def _check(result: dict[str, object], fragment: str) -> list[str]:
    name = Path(str(result["file"])).name
    stderr = str(result["stderr"])
    wrong = []
    if "killed" in result or "signal" in result:
        wrong.append(f"ended by {result.get('killed') or 'signal ' + str(result['signal'])}")
    if "Traceback" in stderr or "internal error" in stderr:
        wrong.append(f"traceback or internal error: {stderr[-300:]!r}")
    expected_exit = 0 if fragment == "ok" else 1
    if result.get("exit") != expected_exit:
        wrong.append(f"exit {result.get('exit')}, expected {expected_exit}: {stderr[-300:]!r}")
    if fragment != "ok" and (name not in stderr or fragment not in stderr):
        wrong.append(f"message lacks {name!r} or {fragment!r}: {stderr[:300]!r}")
    if float(result["cpu_seconds"]) >= MAX_SECONDS:  # type: ignore[arg-type]
        wrong.append(f"took {result['cpu_seconds']} s of CPU")
    if float(result["seconds"]) >= MAX_WALL_SECONDS:  # type: ignore[arg-type]
        wrong.append(f"took {result['seconds']} s")
    if float(result.get("peak_mib", 0)) >= MAX_MIB:  # type: ignore[arg-type]
        wrong.append(f"peak memory +{result['peak_mib']} MiB")
    return [f"{name}: {w}" for w in wrong]


@pytest.mark.slow
def test_every_hostile_log_is_answered_with_a_located_message(tmp_path: Path) -> None:
    expect = _expectations()
    large = {tmp_path / name: fragment for name, fragment in build_large(tmp_path).items()}
    expect.update(large)
    results = _replay(list(expect))
    assert len(results) == len(expect)
    failures = [f for r in results for f in _check(r, expect[Path(str(r["file"]))])]
    assert failures == []
