"""Run one function in a child process under limits of memory, CPU time and wall time.

The server reads files people upload with parsers written in C, C++ and Rust (DuckDB,
pyarrow, lxml, openpyxl's zip reader). A parser bug, a file built to exhaust memory or a
pathological input must cost a child process, never the server: :func:`run` has a fork
server (started once as a fresh interpreter, so no fork of the server's threads, with the
readers imported ahead) fork a child, which caps its own address space and CPU time
(``RLIMIT_AS``, ``RLIMIT_CPU``; no core file) before it calls the function and writes its
JSON result to a file; the server waits at most the wall time, then kills it.

What comes back is data only (JSON, never pickle): the result, or the error the function
raised on purpose (a :class:`~parcours.errors.ParcoursError` of a known class, with its
message and, when it has one, its sentence's code and values, so that it is said in the
reader's language as if raised in the server). Running out of a limit, or dying, is a
:class:`~parcours.errors.TooLarge` that says which limit and the setting that raises it;
what the child wrote on its standard error goes to the server's log, not to the user.
"""

from __future__ import annotations

import importlib
import json
import logging
import multiprocessing
import os
import resource
import signal
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parcours import errors
from parcours.errors import ParcoursError, Said, TooLarge

log = logging.getLogger("parcours.sandbox")

#: The errors a child may send back, by class name (any other becomes BadData).
KNOWN = {
    name: getattr(errors, name)
    for name in ("BadData", "TooLarge", "InvalidArgument", "InvalidOperation", "NotFound")
}
RESULT = "result.json"
OUT_OF_MEMORY = 3  # the child's exit status on MemoryError
#: What an allocator says, on the child's standard error, when the address space is full.
MEMORY_WORDS = (
    "MemoryError",
    "bad_alloc",
    "Cannot allocate memory",
    "cannot allocate memory",
    "Out of Memory",
    "out of memory",
    "std::bad_alloc",
    "failed to map segment",
)
REQUEST = "request.json"
ERRORS = "stderr.txt"


@dataclass(frozen=True)
class Limits:
    """What one child may use, and the settings that raise each (named in the errors)."""

    memory_bytes: int
    cpu_seconds: int
    wall_seconds: float
    memory_setting: str = "PARCOURS_MEASURE_MEMORY_BYTES"
    cpu_setting: str = "PARCOURS_MEASURE_CPU_SECONDS"
    wall_setting: str = "PARCOURS_MEASURE_WALL_SECONDS"

    def over_memory(self) -> TooLarge:
        return TooLarge.of(
            "limit.memory", size=_mib(self.memory_bytes), setting=self.memory_setting
        )

    def over_time(self, cpu: bool) -> TooLarge:
        if cpu:
            cpu_time = Said.of("limit.cpu", n=str(self.cpu_seconds))
            return TooLarge.of("limit.time", took=cpu_time, setting=self.cpu_setting)
        wall = f"{self.wall_seconds:g} s"
        return TooLarge.of("limit.time", took=wall, setting=self.wall_setting)


def _mib(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


# ---------------------------------------------------------------------------------------
# Errors as data


def _said_to_json(value: Any) -> Any:
    if isinstance(value, Said):
        return {"code": value.code, "params": [[k, _said_to_json(v)] for k, v in value.params]}
    if isinstance(value, tuple):
        return {"tuple": [_said_to_json(v) for v in value]}
    return str(value)


def _said_of_json(value: Any) -> Any:
    if isinstance(value, dict) and "code" in value:
        params = tuple((str(k), _said_of_json(v)) for k, v in value.get("params", []))
        return Said(str(value["code"]), params)
    if isinstance(value, dict) and "tuple" in value:
        return tuple(_said_of_json(v) for v in value["tuple"])
    return str(value)


def error_to_json(exc: ParcoursError) -> dict[str, Any]:
    """An error raised on purpose, as data: its class, message and sentence."""
    out: dict[str, Any] = {"class": type(exc).__name__, "message": str(exc)}
    if exc.said is not None:
        out["said"] = _said_to_json(exc.said)
    return out


def error_of_json(data: dict[str, Any]) -> ParcoursError:
    """The error :func:`error_to_json` wrote, of a known class (else :class:`BadData`)."""
    cls = KNOWN.get(str(data.get("class")), errors.BadData)
    error: ParcoursError = cls(str(data.get("message", "")))
    if "said" in data:
        said = _said_of_json(data["said"])
        error.said = said if isinstance(said, Said) else None
    return error


# ---------------------------------------------------------------------------------------
# The server's side


_server = threading.Lock()
_context: Any = None


def _forkserver(preload: tuple[str, ...]) -> Any:
    """The fork server's context: a process started once (a fresh interpreter, not a fork
    of the server's threads) that imports ``preload``, then forks one child per call —
    each child starts with those modules loaded, in milliseconds."""
    global _context
    with _server:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(list(preload))
            _context = context
        return _context


def warm(preload: tuple[str, ...] = ()) -> None:
    """Start the fork server now, if it is not running: it loads ``preload`` in its own
    process meanwhile, so that the first :func:`run` does not wait for it."""
    from multiprocessing import forkserver

    _forkserver(preload)
    forkserver.ensure_running()


def run(
    target: str,
    args: dict[str, Any] | list[Any],
    limits: Limits,
    folder: Path,
    preload: tuple[str, ...] = (),
) -> Any:
    """Call ``target`` (``"module:function"``, one of ours) with ``args`` (JSON values: by
    name, or in order when a list) in a child process under ``limits``; return its result
    (JSON values).

    ``folder``: a private folder the caller removes afterwards; the child's temporary
    files (``TMPDIR``), its error output and its result go there, so that a killed child
    leaves nothing behind. ``preload``: the modules the fork server imports once, before
    its first child (those of the first call are kept). Raises what the function raised on
    purpose, or :class:`TooLarge` for a limit.
    """
    (folder / REQUEST).write_text(
        json.dumps({"target": target, "args": args, "limits": limits.__dict__})
    )
    child_process = _forkserver(preload).Process(target=forked, args=(str(folder),), daemon=True)
    child_process.start()
    child_process.join(limits.wall_seconds)
    if child_process.is_alive():
        child_process.kill()
        child_process.join()
        log.warning("sandboxed %s: over the wall time of %ss", target, limits.wall_seconds)
        raise limits.over_time(cpu=False)
    code = child_process.exitcode
    child_process.close()
    errors_file = folder / ERRORS
    stderr = errors_file.read_text("utf-8", "replace")[-2000:] if errors_file.exists() else ""
    result_file = folder / RESULT
    if code == 0 and result_file.exists():
        answer = json.loads(result_file.read_text(encoding="utf-8"))
        if "error" in answer:
            raise error_of_json(answer["error"])
        return answer["result"]
    log.warning("sandboxed %s ended with %s: %s", target, code, stderr.strip())
    if code == -signal.SIGXCPU:
        raise limits.over_time(cpu=True)
    if code == OUT_OF_MEMORY or any(m in stderr for m in MEMORY_WORDS):
        raise limits.over_memory()
    raise errors.BadData.of("limit.crash", code=str(code))


# ---------------------------------------------------------------------------------------
# The child's side


def _limit(kind: int, value: int) -> None:
    _soft, hard = resource.getrlimit(kind)
    cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
    resource.setrlimit(kind, (cap, cap if kind != resource.RLIMIT_CPU else hard))


def _answer(folder: Path, answer: dict[str, Any]) -> None:
    with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, encoding="utf-8") as f:
        json.dump(answer, f)
    os.replace(f.name, folder / RESULT)


def child(folder: Path) -> int:
    """The child's whole life: limits first, then the call, then the answer."""
    request = json.loads((folder / REQUEST).read_text(encoding="utf-8"))
    limits = request["limits"]
    _limit(resource.RLIMIT_CORE, 0)
    _limit(resource.RLIMIT_CPU, int(limits["cpu_seconds"]))
    _limit(resource.RLIMIT_AS, int(limits["memory_bytes"]))
    module, _, name = str(request["target"]).partition(":")
    try:
        function = getattr(importlib.import_module(module), name)
        args = request["args"]
        result = function(*args) if isinstance(args, list) else function(**args)
    except ParcoursError as exc:
        _answer(folder, {"error": error_to_json(exc)})
        return 0
    except MemoryError:
        return OUT_OF_MEMORY
    _answer(folder, {"result": result})
    return 0


def forked(folder: str) -> None:
    """The child's entry in the fork server: its error output and temporary files go to
    ``folder``, then :func:`child`."""
    errors_fd = os.open(Path(folder) / ERRORS, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(errors_fd, 2)
    os.close(errors_fd)
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = folder
    sys.exit(child(Path(folder)))
