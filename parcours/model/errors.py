"""Every error parcours raises on purpose.

Hierarchy::

    ParcoursError
    ├── InvalidJourney (+ ValueError)   a map or workspace breaks a rule of the model
    │   └── FormatError                 a file cannot be read: each problem has FILE:LINE:COL
    ├── InvalidOperation (+ ValueError) an edit names a missing id or cannot apply
    ├── InvalidArgument (+ ValueError)  a bad option: a theme, a scale, a suffix, a limit
    ├── NotFound (+ KeyError)           a template, persona, journey… that does not exist
    ├── BadData (+ ValueError)          an input data file (event log, survey, workbook) is wrong
    │   └── TooLarge                    an input is over a size, count or ratio cap
    ├── Conflict                        an edit made on a stale version
    └── MissingExtra (+ ImportError)    an optional dependency is not installed

Input errors also subclass :class:`ValueError` so that generic callers can catch them.
Messages name the bad value, the valid choices and the fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One problem found in a file or a model, with where it is when known."""

    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    severity: str = "error"  # "error" | "warning"
    where: tuple[str, ...] = field(default=())  # model path, e.g. ("step", "kyc")

    def __str__(self) -> str:
        prefix = ""
        if self.file is not None:
            prefix = self.file
            if self.line is not None:
                prefix += f":{self.line}"
                if self.column is not None:
                    prefix += f":{self.column}"
            prefix += ": "
        label = "warning: " if self.severity == "warning" else ""
        return f"{prefix}{label}{self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }


class ParcoursError(Exception):
    """Base class of every error parcours raises on purpose."""


class InvalidJourney(ParcoursError, ValueError):
    """A journey, persona or workspace breaks a rule of the model."""

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"] or problems
        super().__init__("\n".join(str(p) for p in errors))


class FormatError(InvalidJourney):
    """A map-as-code file cannot be read; every problem carries FILE:LINE:COL."""


class InvalidOperation(ParcoursError, ValueError):
    """An operation cannot be applied (missing id, out-of-range index, bad value)."""


class InvalidArgument(ParcoursError, ValueError):
    """A bad option or argument (a theme, a scale, a file suffix, a limit): not a bad journey."""


class NotFound(ParcoursError, KeyError):
    """Something named does not exist."""

    def __str__(self) -> str:  # KeyError quotes its message otherwise
        return str(self.args[0]) if self.args else ""


class BadData(ParcoursError, ValueError):
    """An input data file is wrong; the message names file, line and fix."""


class TooLarge(BadData):
    """An input is over a size, entry-count or compression-ratio cap."""


class Conflict(ParcoursError):
    """An edit was made on a version that is no longer current."""


class MissingExtra(ParcoursError, ImportError):
    """An optional dependency is missing; the message names the extra to install."""


def no_such(kind: str, wanted: str, ids: Iterable[str], *, limit: int = 20) -> NotFound:
    """``no persona with id 'bob'; the ids are: ana, leo`` (close matches first).

    Lists at most ``limit`` ids; says when there are none.
    """
    import difflib

    choices = list(dict.fromkeys(ids))
    shown = str(wanted)
    if len(shown) > 80:
        shown = shown[:79] + "…"
    if not choices:
        return NotFound(f"no {kind} with id '{shown}'; there are none")
    close = difflib.get_close_matches(str(wanted), choices, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    listed = ", ".join(choices[:limit]) + (
        f", … ({len(choices)} in all)" if len(choices) > limit else ""
    )
    return NotFound(f"no {kind} with id '{shown}'; {hint}the ids are: {listed}")
