"""Text printed to a terminal: escape sequences shown, never run.

An activity named ``"\\x1b]0;pwned\\x07"`` would set the window title, ``"\\x1b[2J"`` clear
the screen; bidirectional overrides reorder what the reader sees. :func:`for_terminal`
shows each such character as a visible ``\\x1b`` / ``\\u202e`` and keeps every other
character, so a table stays aligned and readable.
"""

from __future__ import annotations

import re

#: C0 and C1 controls (tab kept), DEL, and the bidirectional formatting characters.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(value: object) -> str:
    """``value`` as text a terminal prints as is: controls become ``\\x..`` / ``\\u....``."""
    return _UNSAFE.sub(_shown, "" if value is None else str(value))


def lines_for_terminal(value: object) -> str:
    """Like :func:`for_terminal`, keeping line ends (for messages of several lines)."""
    return "\n".join(for_terminal(line) for line in str(value).split("\n"))
