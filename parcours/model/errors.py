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

The model's messages are also said in every language of :mod:`parcours.model.words`: a
:class:`Said` names a sentence of the ``PROBLEMS`` table by its code, with the values that
fill it; a :class:`Problem` or an error made from one keeps it (``code``, ``params``) and
says it again with :meth:`Problem.sentence` / :meth:`ParcoursError.sentence`. The English
sentence stays the ``message``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Self, TypeAlias

from parcours.model import words


@dataclass(frozen=True)
class Said:
    """A sentence of the ``PROBLEMS`` table of words, by its code, with its values.

    A value is a text (an id, a name, a number: said as is), another :class:`Said` (a word
    or a part of a sentence, said in the same language) or a tuple of them (said one after
    the other, separated by ``; ``).
    """

    code: str
    params: tuple[tuple[str, Param], ...] = ()

    @classmethod
    def of(cls, code: str, /, **params: Param) -> Said:
        return cls(code, tuple(params.items()))

    def text(self, lang: str | None = None) -> str:
        """The sentence in ``lang`` (English for an unknown language)."""
        own = words.table("PROBLEMS", lang)
        template = own.get(self.code) or words.table("PROBLEMS", "en")[self.code]
        return template.format_map(_Values({key: said(value, lang) for key, value in self.params}))


class _Values(dict[str, str]):
    """The values of a sentence; a field without one stays ``{field}`` (never a crash while
    saying an error)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


Param: TypeAlias = str | Said | tuple["Param", ...]


def said(value: Param, lang: str | None = None) -> str:
    """A value of a :class:`Said` in ``lang``."""
    if isinstance(value, Said):
        return value.text(lang)
    if isinstance(value, tuple):
        return words.table("PROBLEMS", lang)["sep"].join(said(v, lang) for v in value)
    return str(value)


@dataclass(frozen=True)
class Problem:
    """One problem found in a file or a model, with where it is when known.

    ``code`` and ``params`` (when set) say it in another language: :meth:`sentence`.
    """

    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    severity: str = "error"  # "error" | "warning"
    where: tuple[str, ...] = field(default=())  # model path, e.g. ("step", "kyc")
    code: str = ""
    params: tuple[tuple[str, Param], ...] = ()

    @classmethod
    def of(cls, code: str, /, *, where: tuple[str, ...] = (), **params: Param) -> Problem:
        """The error said by ``code`` (its message is the English sentence)."""
        return cls.said(Said(code, tuple(params.items())), where=where)

    @classmethod
    def said(cls, text: Said, *, where: tuple[str, ...] = (), severity: str = "error") -> Problem:
        """The problem that says ``text`` (its message is the English sentence)."""
        return cls(
            text.text("en"), severity=severity, where=where, code=text.code, params=text.params
        )

    def as_param(self) -> Param:
        """This problem as a value of another sentence (its message when it was not coded)."""
        return Said(self.code, self.params) if self.code else self.message

    def sentence(self, lang: str | None = None) -> str:
        """The message in ``lang`` (``fr``, ``en``); the English message when not coded."""
        if not self.code:
            return self.message
        return Said(self.code, self.params).text(lang)

    def __str__(self) -> str:
        return self.text()

    def text(self, lang: str | None = None) -> str:
        """``FILE:LINE:COL: warning: message``, the message and label in ``lang``."""
        prefix = ""
        if self.file is not None:
            prefix = self.file
            if self.line is not None:
                prefix += f":{self.line}"
                if self.column is not None:
                    prefix += f":{self.column}"
            prefix += ": "
        label = Said("label.warning").text(lang) if self.severity == "warning" else ""
        return f"{prefix}{label}{self.sentence(lang)}"

    def to_dict(self, lang: str | None = None) -> dict[str, object]:
        """The problem as JSON, its message in ``lang``, with its code and params if any."""
        out: dict[str, object] = {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.sentence(lang),
        }
        if self.code:
            out["code"] = self.code
            out["params"] = {key: said(value, lang) for key, value in self.params}
        return out


class ParcoursError(Exception):
    """Base class of every error parcours raises on purpose.

    An error made with :meth:`of` keeps its sentence's code and values: :meth:`sentence`
    says it in another language.
    """

    said: Said | None = None

    @classmethod
    def of(cls, code: str, /, **params: Param) -> Self:
        """The error said by ``code`` (its text is the English sentence)."""
        text = Said(code, tuple(params.items()))
        error = cls(text.text("en"))
        error.said = text
        return error

    def sentence(self, lang: str | None = None) -> str:
        """The error in ``lang``; its English text when it was not made with :meth:`of`."""
        return self.said.text(lang) if self.said is not None else str(self)

    @classmethod
    def like(cls, other: ParcoursError) -> Self:
        """The same sentence as ``other``, as an error of this class."""
        error = cls(str(other))
        error.said = other.said
        return error

    def as_param(self) -> Param:
        """This error as a value of another sentence (its text when it was not coded)."""
        return self.said if self.said is not None else str(self)


class InvalidJourney(ParcoursError, ValueError):
    """A journey, persona or workspace breaks a rule of the model."""

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"] or problems
        super().__init__("\n".join(str(p) for p in errors))

    def sentence(self, lang: str | None = None) -> str:
        errors = [p for p in self.problems if p.severity == "error"] or self.problems
        return "\n".join(p.text(lang) for p in errors)


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


def noun(kind: str | Said) -> Param:
    """A kind of thing (``step``, ``persona``…) as a word of the ``PROBLEMS`` table when it
    has one (``kind.step``), else as given."""
    if isinstance(kind, Said):
        return kind
    key = f"kind.{kind}"
    return Said(key) if key in words.table("PROBLEMS", "en") else kind


def thing(kind: str, id: str) -> Said:
    """``step 'kyc'``: a thing by its kind and id, said in every language."""
    return Said.of("what.thing", kind=noun(kind), id=id)


def a_noun(target: str) -> Param:
    """``a journey``, ``a workspace``… (an operation's ``target``) as a word of the table."""
    key = f"a.{target}"
    return Said(key) if key in words.table("PROBLEMS", "en") else f"a {target}"


def no_such(kind: str | Said, wanted: str, ids: Iterable[str], *, limit: int = 20) -> NotFound:
    """``no persona with id 'bob'; the ids are: ana, leo`` (close matches first).

    Lists at most ``limit`` ids; says when there are none. ``kind`` is a word of the
    ``PROBLEMS`` table (``kind.persona``) or a :class:`Said` for a longer one.
    """
    import difflib

    choices = list(dict.fromkeys(ids))
    shown = str(wanted)
    if len(shown) > 80:
        shown = shown[:79] + "…"
    what = noun(kind)
    if not choices:
        return NotFound.of("no_such.none", kind=what, wanted=shown)
    close = difflib.get_close_matches(str(wanted), choices, n=1, cutoff=0.6)
    listed = ", ".join(choices[:limit])
    more: Param = Said.of("no_such.more", n=str(len(choices))) if len(choices) > limit else ""
    if close:
        return NotFound.of(
            "no_such.close", kind=what, wanted=shown, close=close[0], ids=listed, more=more
        )
    return NotFound.of("no_such", kind=what, wanted=shown, ids=listed, more=more)
