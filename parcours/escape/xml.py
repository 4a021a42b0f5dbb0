"""Text for XML (SVG, the parts of office files): inert in a text node or an attribute."""

from __future__ import annotations

import re

#: Characters XML 1.0 cannot hold at all (C0 controls but tab and line ends, lone
#: surrogates, U+FFFE/U+FFFF): dropped.
INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: Control characters a slide or a cell shows as garbage: dropped (line ends are kept).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def text(value: str) -> str:
    """Escape for an XML text node or attribute value; drop characters XML forbids."""
    value = INVALID.sub("", value)
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def valid(value: str) -> str:
    """The text without the characters XML forbids (for libraries that escape the rest)."""
    return INVALID.sub("", value)


def plain(value: str) -> str:
    """Text an office file shows as typed: line ends made ``\\n``, other controls dropped
    (python-pptx and openpyxl escape ``<``, ``&``… themselves)."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
