"""Replay event-log inputs through ``parcours analyze``, each in a forked child.

``python -m tests.hostile.log_replay FILE...`` imports the CLI once, then for each file
forks a child that runs ``parcours analyze FILE --format json`` as the console script
does, with its stdout and stderr sent to files. The parent measures the wall time and
the CPU time the child used (on a shared, loaded machine the wall time says more about the
neighbours than about the reader), reads
the child's peak memory *added* by the command (the kernel's high-water mark reset just
before it runs: what the imports cost is not counted) and how it ended (exit status or
signal), and prints one JSON object per file. A child still running after ``--timeout``
seconds is killed and reported as such.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _child(path: str, out: int, err: int, report: str) -> None:
    os.dup2(out, 1)
    os.dup2(err, 2)
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak to the current size
    base = _status_kib("VmRSS")
    sys.argv = ["parcours", "analyze", path, "--format", "json"]
    code = 0
    try:
        from parcours.cli import main

        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    peak = _status_kib("VmHWM")
    Path(report).write_text(json.dumps({"code": code, "peak_kib": peak - base}))
    os._exit(code)


def replay(path: str, timeout: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="parcours-replay-") as tmp:
        out_path, err_path, report = (os.path.join(tmp, n) for n in ("out", "err", "rep"))
        out = os.open(out_path, os.O_WRONLY | os.O_CREAT, 0o600)
        err = os.open(err_path, os.O_WRONLY | os.O_CREAT, 0o600)
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child)
            try:
                _child(path, out, err, report)
            finally:
                os._exit(3)
        os.close(out)
        os.close(err)
        status = None
        cpu = 0.0
        while time.perf_counter() - start < timeout:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                cpu = usage.ru_utime + usage.ru_stime
                break
            time.sleep(0.01)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        seconds = time.perf_counter() - start
        result: dict[str, object] = {
            "file": path,
            "seconds": round(seconds, 3),
            "cpu_seconds": round(cpu, 3),
        }
        if status is None:
            result["killed"] = f"still running after {timeout} s"
        elif os.WIFSIGNALED(status):
            result["signal"] = os.WTERMSIG(status)
        else:
            result["exit"] = os.WEXITSTATUS(status)
        if os.path.exists(report):
            result["peak_mib"] = round(json.loads(Path(report).read_text())["peak_kib"] / 1024, 1)
        result["stderr"] = Path(err_path).read_text(errors="replace")[-4000:]
        result["stdout_bytes"] = os.path.getsize(out_path)
        return result


def main(argv: list[str]) -> None:
    timeout = 10.0
    if argv[:1] == ["--timeout"]:
        timeout, argv = float(argv[1]), argv[2:]
    # imported once, before any fork (no connection is opened, no thread started)
    import ibis.backends.duckdb
    import openpyxl
    import pyarrow.csv
    import pyarrow.parquet
    import rich.progress
    from lxml import etree

    import parcours.analytics
    import parcours.analytics.analysis
    import parcours.cli

    del ibis, openpyxl, pyarrow, rich, etree, parcours

    for path in argv:
        print(json.dumps(replay(path, timeout)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
