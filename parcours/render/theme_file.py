"""Theme files are data: every value is checked against a strict grammar before use.

A theme file (YAML or JSON) overrides fields of a base theme::

    base: print              # a built-in theme, or another theme file next to this one
    column_width: 240
    good: "#00aa00"
    font_family: Noto Sans
    severity_colors: {rupture: "#b91c1c"}

Colours are ``#rgb`` or ``#rrggbb``; sizes are finite numbers in a sensible range; font
names are letters, digits, spaces and ``-_.``. Anything else (``#000" onload="…``, a size of
``.nan``, a font called ``x'; }``) is refused with ``FILE:LINE:COL``, every problem at once.
``base`` names a built-in theme or a file inside the folder of the first theme file; a
chain of bases that comes back to a file already read is refused.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from parcours.errors import BadData, InvalidArgument, Problem
from parcours.fileformat.source import Node, Problems, parse, suggest
from parcours.limits import quote
from parcours.security import read_capped

COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
FONT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.\-]{0,63}")
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
#: (lowest, highest) of each size field; the others share the default range.
RANGES: dict[str, tuple[float, float]] = {
    "line_height": (0.8, 4.0),
    "max_card_lines": (1, 100),
    "margin": (0, 1000),
    "lane_gap": (0, 500),
}
SIZE_RANGE = (1.0, 2000.0)
MAX_BASES = 8


class ThemeError(InvalidArgument):
    """A theme file or name is wrong; ``problems`` lists every problem with its place."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load_theme_file(path: Path, builtin: Mapping[str, Any], base_of: Any) -> Any:
    """The theme of the file ``path``, its bases resolved; raise :class:`ThemeError`.

    ``builtin`` maps built-in names to themes; ``base_of(name)`` gives one.
    """
    root = path.parent.resolve()
    chain: list[Path] = []
    return _load(path, root, chain, builtin, base_of)


def _load(
    path: Path, root: Path, chain: list[Path], builtin: Mapping[str, Any], base_of: Any
) -> Any:
    display = str(path)
    try:
        raw = read_capped(path, what="theme file", display=display)
        text = raw.decode("utf-8-sig")
    except BadData as exc:
        raise ThemeError([Problem(str(exc), file=display)]) from None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = "the theme is not UTF-8 text; save it as UTF-8"
        raise ThemeError([Problem(message, display, line)]) from None
    node, found = parse(text, display)
    if node is None or any(p.severity == "error" for p in found):
        raise ThemeError(found)
    problems = Problems(display, list(found))
    if not node.is_map:
        problems.add(node, f"a theme file holds a mapping of theme fields, not {node.kind()}")
        raise ThemeError(problems.found)
    chain.append(path.resolve())
    pairs = {key: (key_node, value) for key, key_node, value in node.pairs()}
    base = builtin["default"]
    if "base" in pairs:
        base = _base(pairs.pop("base")[1], path, root, chain, problems, builtin, base_of)
    changes = read_fields(pairs, base, problems)
    if problems.errors:
        raise ThemeError(problems.errors)
    return dataclasses.replace(base, **changes)


def _base(
    node: Node,
    path: Path,
    root: Path,
    chain: list[Path],
    problems: Problems,
    builtin: Mapping[str, Any],
    base_of: Any,
) -> Any:
    name = node.text() if node.is_scalar and not node.is_null else None
    if name is None:
        problems.add(node, "'base' names a built-in theme or a theme file, not " + node.kind())
        return builtin["default"]
    if name in builtin:
        return base_of(name)
    relative = Path(name)
    target = (path.parent / relative).resolve()
    if relative.is_absolute() or ".." in relative.parts or not target.is_relative_to(root):
        problems.add(
            node,
            f"'base' {quote(name)} leaves the theme's folder; name a built-in theme "
            f"({', '.join(builtin)}) or a theme file in {root}",
        )
        raise ThemeError(problems.found)
    if target in chain:
        cycle = " → ".join(p.name for p in [*chain, target])
        problems.add(node, f"'base' {quote(name)} comes back to a theme already read ({cycle})")
        raise ThemeError(problems.found)
    if len(chain) >= MAX_BASES:
        problems.add(node, f"more than {MAX_BASES} themes based on one another; flatten them")
        raise ThemeError(problems.found)
    if not target.is_file():
        problems.add(
            node,
            f"unknown base theme {quote(name)}; expected one of: {', '.join(builtin)}, or a "
            "theme file next to this one",
        )
        raise ThemeError(problems.found)
    return _load(target, root, chain, builtin, base_of)


def read_fields(
    pairs: dict[str, tuple[Node, Node]], base: Any, problems: Problems
) -> dict[str, Any]:
    """Check each field against its grammar; the changes to apply to ``base``."""
    fields = {f.name for f in dataclasses.fields(base)}
    changes: dict[str, Any] = {}
    for key, (key_node, node) in pairs.items():
        if key not in fields:
            problems.add(
                key_node,
                f"unknown theme field {quote(key)}; expected one of: "
                f"{', '.join(sorted(fields))}{suggest(key, fields)}",
            )
            continue
        value = _field(key, node, getattr(base, key), problems)
        if value is not None:
            changes[key] = value
    return changes


def _field(key: str, node: Node, current: Any, problems: Problems) -> Any:
    what = f"theme field '{key}'"
    if key == "name" or key.endswith("font_family"):
        return _font(node, problems, what)
    if isinstance(current, str):
        return _color(node, problems, what)
    if isinstance(current, tuple):
        if not node.is_seq or not 1 <= len(node.items()) <= 50:
            problems.add(node, f"{what} should be a list of 1 to 50 colours, not {node.kind()}")
            return None
        colors = [_color(item, problems, f"each of {what}") for item in node.items()]
        return tuple(colors) if all(c is not None for c in colors) else None
    if isinstance(current, Mapping):
        if not node.is_map:
            problems.add(node, f"{what} should be a mapping of names to colours, not {node.kind()}")
            return None
        out = dict(current)
        for name, name_node, value in node.pairs():
            if not KEY.fullmatch(name):
                problems.add(name_node, f"{quote(name)} in {what} is not a name (a-z, 0-9, _)")
                continue
            color = _color(value, problems, f"'{name}' of {what}")
            if color is not None:
                out[name] = color
        return out
    return _size(key, node, current, problems, what)


def _color(node: Node, problems: Problems, what: str) -> str | None:
    text = node.text().strip() if node.is_scalar and not node.is_null else None
    if text is None or not COLOR.fullmatch(text):
        problems.add(node, f"{what} should be a colour written #rrggbb or #rgb, not {node.kind()}")
        return None
    text = text.lower()
    return "#" + "".join(c * 2 for c in text[1:]) if len(text) == 4 else text


def _font(node: Node, problems: Problems, what: str) -> str | None:
    text = node.text().strip() if node.is_scalar and not node.is_null else None
    if text is None or not FONT.fullmatch(text):
        problems.add(
            node,
            f"{what} should be a name of letters, digits, spaces and - _ . (64 at most), "
            f"not {node.kind()}",
        )
        return None
    return text


def _size(key: str, node: Node, current: Any, problems: Problems, what: str) -> Any:
    low, high = RANGES.get(key, SIZE_RANGE)
    value = node.value() if node.is_scalar else None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        problems.add(node, f"{what} should be a number from {low:g} to {high:g}, not {node.kind()}")
        return None
    if not low <= value <= high:
        problems.add(node, f"{what} is {value:g}; write a number from {low:g} to {high:g}")
        return None
    if isinstance(current, int):
        if value != int(value):
            problems.add(node, f"{what} should be a whole number, not {node.kind()}")
            return None
        return int(value)
    return float(value)


def check_overrides(data: Mapping[str, Any], base: Any, where: str = "theme") -> dict[str, Any]:
    """The same checks for overrides given as Python data (no positions to report)."""
    import json

    try:
        text = json.dumps(dict(data), default=str, allow_nan=True)
    except (TypeError, ValueError) as exc:
        raise ThemeError([Problem(f"theme overrides cannot be read: {exc}", file=where)]) from None
    node, found = parse(text, where)
    if node is None:
        raise ThemeError([Problem(p.message, file=where) for p in found])
    problems = Problems(where, list(found))
    pairs = {key: (key_node, value) for key, key_node, value in node.pairs()}
    changes = read_fields(pairs, base, problems)
    if problems.errors:
        raise ThemeError([Problem(p.message, file=where) for p in problems.errors])
    return changes
