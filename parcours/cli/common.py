"""What every command shares: one error path (one sentence on stderr, an exit status, never
a traceback, user text shown with its escape sequences made visible), and words that count
(``1 journey``, ``2 journeys``).

Expected failures go through :func:`errors` (or :func:`fail` for what a command checks
itself); :func:`run` is the last net under the whole command line: a bug says how to see
its traceback and exits 2.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import NoReturn

import typer

from parcours.errors import ParcoursError
from parcours.escape.terminal import for_terminal, lines_for_terminal

#: Exit statuses: 1 is a refused input (or "different" for diff), 2 a bug or a failed diff.
FAILED = 1
INTERNAL = 2


def choices(enum: type[StrEnum]) -> str:
    """``a | b | c``: the values of a choice, for the help texts."""
    return " | ".join(e.value for e in enum)


class OnError(StrEnum):
    """What to do with bad rows."""

    fail = "fail"
    skip = "skip"


# -- options every command that reads a table or writes a report spells the same way --------
ON_ERROR = typer.Option(
    OnError.fail,
    "--on-error",
    help=f"{choices(OnError)}: stop on bad rows, or skip them and report them.",
)
SHEET = typer.Option(None, "--sheet", help="Excel sheet (default: the first).")
OUT = typer.Option(None, "-o", "--output", help="Write to this file instead of stdout.")


def fail(message: str, more: Sequence[str] = (), *, status: int = FAILED) -> NoReturn:
    """Print ``error: message`` (and up to 20 more lines) on stderr; exit with ``status``."""
    typer.echo(f"error: {for_terminal(message)}", err=True)
    for line in list(more)[:20]:
        typer.echo(f"  {for_terminal(line)}", err=True)
    raise typer.Exit(status)


def message_of(exc: BaseException) -> str | None:
    """The sentence of an expected failure, or None for a bug."""
    if isinstance(exc, ParcoursError):
        return str(exc).strip() or type(exc).__name__
    if isinstance(exc, FileNotFoundError):
        return f"{exc.filename}: no such file; check the path"
    if isinstance(exc, IsADirectoryError):
        return f"{exc.filename}: is a folder, not a file; give a file"
    if isinstance(exc, NotADirectoryError):
        return f"{exc.filename}: part of this path is not a folder; check the path"
    if isinstance(exc, PermissionError):
        return f"{exc.filename}: permission denied; check the file's permissions"
    if isinstance(exc, UnicodeDecodeError):
        return f"cannot decode the input as text ({exc.reason}); save it as UTF-8"
    if type(exc).__name__ == "OutOfMemoryException" and "duckdb" in type(exc).__module__:
        reason = str(exc).splitlines()[0][:160]
        return (
            f"the analysis needs more memory than its budget ({reason}); raise the budget, "
            "for example PARCOURS_DUCKDB_MEMORY_LIMIT=8GB"
        )
    return None


@contextmanager
def errors(
    out_of_memory: str = "out of memory; try a smaller input", *, status: int = FAILED
) -> Iterator[None]:
    """Turn expected failures into one sentence on stderr and exit ``status``."""
    try:
        yield
    except MemoryError:
        fail(out_of_memory, status=status)
    except (ParcoursError, OSError, UnicodeDecodeError) as exc:
        message = message_of(exc)
        if message is None:
            raise
        lines = message.splitlines()
        fail(lines[0], lines[1:], status=status)


def run(app: typer.Typer) -> None:
    """Run the command line: expected errors are one sentence; a bug says how to see where."""
    try:
        app()
    except Exception as exc:
        message = message_of(exc)
        if message is not None:
            typer.echo(f"error: {lines_for_terminal(message)}", err=True)
            sys.exit(FAILED)
        if os.environ.get("PARCOURS_DEBUG"):
            raise
        typer.echo(
            f"internal error: {type(exc).__name__}: {for_terminal(exc)}\n"
            "This is a bug in parcours; run again with PARCOURS_DEBUG=1 to see where, "
            "and report it.",
            err=True,
        )
        sys.exit(INTERNAL)


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``1 journey``, ``2 journeys``, ``0 journeys`` (``plural`` when not noun + s)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
