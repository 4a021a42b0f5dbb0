"""The loop shared by the fuzzers (``fuzz_readers.py``, ``fuzz_maps.py``).

:func:`fuzz` makes input ``i``, tries it, counts ``ok`` / ``refused`` / ``bug`` (any other
exception: the input is saved for the corpus) and prints a progress line to stderr every
``every`` inputs: count, rate, bugs so far, elapsed time, load (and, with ``partial``,
writes the figures so far to a JSON file). It stops early, and still
reports what it did, when the time budget is spent or on Ctrl-C / SIGTERM, so a long run
stopped to free the machine keeps its figures.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class _Stop(Exception):
    pass


class InputTimeout(Exception):
    """One input ran past ``--input-seconds``: a hang, counted as a bug and kept."""


def _raise_stop(signum: int, frame: Any) -> None:
    raise _Stop


def _raise_timeout(signum: int, frame: Any) -> None:
    raise InputTimeout("the input ran past its time limit (a hang)")


def clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"


def fuzz(
    reader: str,
    inputs: int,
    make: Callable[[int], T],
    attempt: Callable[[T], str],
    save: Callable[[int, T], None],
    *,
    every: int = 1_000,
    budget: float | None = None,
    input_seconds: int = 60,
    start_at: int = 0,
    partial: Path | None = None,
) -> dict[str, Any]:
    """Run up to ``inputs`` inputs (or ``budget`` seconds) of one reader; the figures.

    An input still running after ``input_seconds`` (wall time, SIGALRM) is stopped and
    counted as a bug (a hang), and the run goes on with the next one. With ``partial``,
    the figures so far are written there (JSON) at every progress line and at the end,
    so a run stopped by force (SIGKILL, a reboot) still has its figures."""
    counts = {"ok": 0, "refused": 0, "bug": 0}
    slowest = (0.0, -1)
    bugs: list[str] = []
    bug_inputs: list[int] = []
    stopped = None
    done = 0
    load_start = os.getloadavg()[0]
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    previous_alarm = signal.signal(signal.SIGALRM, _raise_timeout)
    start = time.perf_counter()

    def summary(stopped: str | None) -> dict[str, Any]:
        total = time.perf_counter() - start
        return {
            "reader": reader,
            "first_input": start_at,
            "inputs": done,
            "planned": inputs,
            "stopped": stopped,
            **counts,
            "seconds": round(total, 1),
            "per_second": round(done / total, 1) if total else 0.0,
            "slowest_s": round(slowest[0], 3),
            "slowest_input": slowest[1],
            "bugs": bugs,
            "bug_inputs": bug_inputs[:1000],
            "load_start": load_start,
            "load_end": os.getloadavg()[0],
            "utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "finished": stopped is not None or done == inputs,
        }

    try:
        for i in range(start_at, start_at + inputs):
            if budget is not None and time.perf_counter() - start > budget:
                stopped = "time budget"
                break
            data = make(i)
            t0 = time.perf_counter()
            signal.alarm(input_seconds)
            try:
                counts[attempt(data)] += 1
            except (_Stop, KeyboardInterrupt):
                raise
            except Exception as exc:  # a bug: keep the input for the corpus
                counts["bug"] += 1
                bug_inputs.append(i)
                save(i, data)
                if len(bugs) < 5:
                    bugs.append(f"{i}: {type(exc).__name__}: {str(exc)[:200]}")
                    traceback.print_exc(limit=4, file=sys.stderr)
            finally:
                signal.alarm(0)
            took = time.perf_counter() - t0
            if took > slowest[0]:
                slowest = (took, i)
            done = i + 1 - start_at
            if done % every == 0:
                elapsed = time.perf_counter() - start
                if partial is not None:
                    _write(partial, summary(None))
                print(
                    f"{reader}: {done:,}/{inputs:,} inputs, {done / elapsed:.1f}/s, "
                    f"{counts['bug']} bugs, {counts['refused']:,} refused, "
                    f"elapsed {clock(elapsed)}, load {os.getloadavg()[0]:.1f}",
                    file=sys.stderr,
                    flush=True,
                )
    except (_Stop, KeyboardInterrupt):
        stopped = "interrupted"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGALRM, previous_alarm)
    result = summary(stopped)
    result["finished"] = True
    if partial is not None:
        _write(partial, result)
    return result


def _write(path: Path, figures: dict[str, Any]) -> None:
    """Replace ``path`` with ``figures`` in one step (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    spare = path.with_name(path.name + ".tmp")
    spare.write_text(json.dumps(figures, indent=1) + "\n")
    spare.replace(path)


def table(rows: list[dict[str, Any]]) -> str:
    """The Markdown table of docs/benchmarks.md for these runs."""
    lines = [
        "| reader | inputs | read | refused | bugs | inputs/s | slowest (s) | time | load |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        name = r["reader"] + (f" ({r['stopped']})" if r["stopped"] else "")
        lines.append(
            f"| {name} | {r['inputs']:,} | {r['ok']:,} | {r['refused']:,} | {r['bug']} "
            f"| {r['per_second']} | {r['slowest_s']} | {clock(r['seconds'])} "
            f"| {r['load_start']:.1f} → {r['load_end']:.1f} |"
        )
    return "\n".join(lines)
