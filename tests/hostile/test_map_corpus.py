"""Every hostile map input is answered by the real CLI in under 2 s of CPU and 256 MiB of
memory added to the process, with exit 1 and a message naming the file (and the line, for
inputs that have one) — or read, when it is a legitimate if unusual map. Never a
traceback, an internal error, a crash, nor a byte of a file outside the workspace."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.map_corpus import CANARY, CORPUS, READERS, build_special, write_corpus

ROOT = Path(__file__).parent.parent.parent
MAX_CPU_SECONDS = 2.0  # CPU time of the command (the machine running the tests may be busy)
MAX_WALL_SECONDS = 10.0  # wall time: a hang, whatever the load
MAX_MIB = 256
MAX_OUTPUT = 1024 * 1024
SECRETS = (CANARY, "root:x:0:0")


def test_the_committed_corpus_is_what_the_generator_writes(tmp_path: Path) -> None:
    total = write_corpus(tmp_path)
    assert total >= 180
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    kept = sorted(
        p.relative_to(CORPUS)
        for p in CORPUS.rglob("*")
        if p.is_file() and p.relative_to(CORPUS).parts[0] in (*READERS, "canary")
    )
    assert made == kept
    for relative in made:
        assert (tmp_path / relative).read_bytes() == (CORPUS / relative).read_bytes(), (
            f"{relative} differs: the writers changed? run python -m tests.hostile.map_corpus"
        )


def _jobs(corpus: Path, special: dict[Path, tuple[str, str]], out: Path) -> list[dict[str, object]]:
    jobs: list[dict[str, object]] = []
    cases: list[tuple[Path, str, str]] = []
    for reader in READERS:
        for name, (command, expect) in json.loads(
            (corpus / reader / "expect.json").read_text()
        ).items():
            cases.append((corpus / reader / name, command, expect))
    cases += [(path, command, expect) for path, (command, expect) in special.items()]
    for n, (path, command, expect) in enumerate(cases):
        target = out / f"out{n}"
        if command == "validate":
            args, outputs = ["validate", str(path)], []
        elif command == "convert":
            args, outputs = ["convert", str(path), "-o", f"{target}.yaml"], [f"{target}.yaml"]
        elif command == "import":
            args, outputs = ["import", str(path), "-o", f"{target}.yaml"], [f"{target}.yaml"]
        else:
            args = [
                "render",
                str(path.parent / "_map.yaml"),
                "-o",
                f"{target}.svg",
                "--theme",
                str(path),
            ]
            outputs = [f"{target}.svg"]
        jobs.append({"args": args, "outputs": outputs, "path": str(path), "expect": expect})
    return jobs


def _replay(jobs: list[dict[str, object]]) -> list[dict[str, object]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    env.pop("PARCOURS_DEBUG", None)
    env = {k: v for k, v in env.items() if not k.startswith("PARCOURS_LIMIT_")}
    done = subprocess.run(
        [sys.executable, "-m", "tests.hostile.map_replay", str(MAX_WALL_SECONDS * 2)],
        input="".join(
            json.dumps({"args": j["args"], "outputs": j["outputs"]}) + "\n" for j in jobs
        ),
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=1200,
        check=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def check(job: dict[str, object], result: dict[str, object]) -> list[str]:
    path = Path(str(job["path"]))
    expect = str(job["expect"])
    said = str(result["stdout"]) + str(result["stderr"])
    wrong = []
    if "killed" in result or "signal" in result:
        wrong.append(f"ended by {result.get('killed') or 'signal ' + str(result['signal'])}")
    if "Traceback" in said or "internal error" in said:
        wrong.append(f"traceback or internal error: {said[-300:]!r}")
    code = result.get("exit")
    allowed = {"ok": (0,), "any": (0, 1)}.get(expect, (1,))
    if code not in allowed:
        wrong.append(f"exit {code}, expected {allowed}: {said[-300:]!r}")
    if expect in ("err", "loc") and path.name not in said:
        wrong.append(f"the message does not name {path.name!r}: {said[:300]!r}")
    if expect == "loc" and not re.search(r"\.(?:yaml|yml|json)[^\s:]*:\d+", said):
        wrong.append(f"the message gives no line: {said[:300]!r}")
    if float(result["cpu_seconds"]) >= MAX_CPU_SECONDS:  # type: ignore[arg-type]
        wrong.append(f"took {result['cpu_seconds']} s of CPU")
    if float(result["seconds"]) >= MAX_WALL_SECONDS:  # type: ignore[arg-type]
        wrong.append(f"took {result['seconds']} s")
    if float(result.get("peak_mib", 0)) >= MAX_MIB:  # type: ignore[arg-type]
        wrong.append(f"peak memory +{result['peak_mib']} MiB")
    if len(said) >= MAX_OUTPUT:
        wrong.append(f"printed {len(said)} characters")
    for secret in SECRETS:
        if secret in said or secret in str(result["written"]):
            wrong.append(f"{secret!r} from outside the workspace appears in the output")
    return [f"{path.parent.name}/{path.name}: {w}" for w in wrong]


@pytest.mark.slow
def test_every_hostile_map_input_is_answered_cleanly(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus, symlinks=True)
    special = build_special(tmp_path / "special")
    (tmp_path / "out").mkdir()
    jobs = _jobs(corpus, special, tmp_path / "out")
    assert len(jobs) >= 200
    results = _replay(jobs)
    assert len(results) == len(jobs)
    failures = [f for job, result in zip(jobs, results, strict=True) for f in check(job, result)]
    assert not failures, "\n".join(failures)
