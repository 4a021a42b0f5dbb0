"""Replay map inputs through the real CLI, each in a forked child with bounded memory.

``python -m tests.hostile.map_replay`` reads one JSON object per line on stdin —
``{"args": ["validate", "FILE"], "outputs": ["OUT"]}`` — imports the CLI and its readers
once, then for each input forks a child that runs ``parcours ARGS`` as the console script
does, under ``RLIMIT_AS`` (the parent's size + 768 MiB) and a CPU limit, with its stdout
and stderr sent to files. The parent measures the wall and CPU time, the peak memory the
command *added* (the kernel's high-water mark is reset just before it runs) and how the
child ended, and prints one JSON object per input with the child's output (cut to 64 KiB)
and the bytes of every output file the command wrote.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import tempfile
import time
from pathlib import Path

SHOWN = 64 * 1024


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _child(args: list[str], out: int, err: int, report: str) -> None:
    os.dup2(out, 1)
    os.dup2(err, 2)
    size = _status_kib("VmSize") * 1024
    resource.setrlimit(resource.RLIMIT_AS, (size + 768 * 1024 * 1024,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (20, 20))
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak to the current size
    base = _status_kib("VmRSS")
    sys.argv = ["parcours", *args]
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


def replay(args: list[str], outputs: list[str], timeout: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="parcours-replay-") as tmp:
        out_path, err_path, report = (os.path.join(tmp, n) for n in ("out", "err", "rep"))
        out = os.open(out_path, os.O_WRONLY | os.O_CREAT, 0o600)
        err = os.open(err_path, os.O_WRONLY | os.O_CREAT, 0o600)
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child)
            try:
                _child(args, out, err, report)
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
            time.sleep(0.005)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        result: dict[str, object] = {
            "args": args,
            "seconds": round(time.perf_counter() - start, 3),
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
        result["stdout"] = Path(out_path).read_bytes()[:SHOWN].decode("utf-8", "replace")
        result["stderr"] = Path(err_path).read_bytes()[:SHOWN].decode("utf-8", "replace")
        result["written"] = "".join(
            Path(o).read_bytes().decode("utf-8", "replace") for o in outputs if Path(o).is_file()
        )[:SHOWN]
        return result


def main() -> None:
    timeout = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0
    # imported once, before any fork
    import openpyxl  # noqa: F401
    import yaml  # noqa: F401

    import parcours.cli
    import parcours.files
    import parcours.render
    import parcours.render.office.reader
    import parcours.render.theme_file

    parcours.cli.main  # noqa: B018 (the app is built on import)
    for line in sys.stdin:
        job = json.loads(line)
        print(json.dumps(replay(job["args"], job.get("outputs", []), timeout)), flush=True)


if __name__ == "__main__":
    main()
