"""Text for Markdown: inert in a table cell or a code span, and in the HTML it renders to."""

from __future__ import annotations

import re

#: Controls (but tab and newline) that a Markdown renderer would pass on raw.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: What a reader may take for the end of a line: a cell or a span must not hold one.
_LINE_ENDS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def cell(value: str) -> str:
    """Text that stays plain inside a Markdown table cell (its lines joined by ``<br>``)."""
    value = _CONTROL.sub("", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = value.replace("\\", "\\\\").replace("|", "\\|")
    for ch in "*_`[]#~":
        value = value.replace(ch, "\\" + ch)
    return "<br>".join(line.strip() for line in _LINE_ENDS.split(value))


def code(value: str) -> str:
    """A code span that holds ``value`` on one line: no backtick can close it early and no
    line end can start an HTML block (``<script>``) after it."""
    value = " ".join(_CONTROL.sub("", value).replace("`", "").split())
    return f"`{value}`" if value else ""
