"""What every command shares: one-sentence errors and exit status 1, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import NoReturn

import typer

from parcours.errors import ParcoursError


def fail(message: str, more: Sequence[str] = ()) -> NoReturn:
    """Print ``error: message`` (and up to 20 more lines) on stderr; exit with status 1."""
    typer.echo(f"error: {message}", err=True)
    for line in list(more)[:20]:
        typer.echo(f"  {line}", err=True)
    raise typer.Exit(1)


@contextmanager
def errors(out_of_memory: str = "out of memory; try a smaller input") -> Iterator[None]:
    """Turn expected failures into one sentence on stderr and exit status 1."""
    try:
        yield
    except ParcoursError as exc:
        lines = str(exc).strip().splitlines() or [type(exc).__name__]
        fail(lines[0], lines[1:])
    except FileNotFoundError as exc:
        fail(f"{exc.filename}: no such file; check the path")
    except IsADirectoryError as exc:
        fail(f"{exc.filename}: is a folder, not a file; give a file")
    except NotADirectoryError as exc:
        fail(f"{exc.filename}: part of this path is not a folder; check the path")
    except PermissionError as exc:
        fail(f"{exc.filename}: permission denied; check the file's permissions")
    except UnicodeDecodeError as exc:
        fail(f"cannot decode the input as text ({exc.reason}); save it as UTF-8")
    except MemoryError:
        fail(out_of_memory)
