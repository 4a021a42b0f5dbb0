"""Text for HTML documents: inert as element content or a quoted attribute value."""

from __future__ import annotations

import html

from parcours.escape.xml import INVALID


def text(value: object) -> str:
    """User text as HTML text or attribute value: ``<``, ``>``, ``&`` and quotes escaped."""
    return html.escape("" if value is None else str(value), quote=True)


def xml_text(value: str) -> str:
    """HTML text that an XML parser also reads (WeasyPrint's text of a drawn map): escaped,
    and without the characters XML forbids."""
    return html.escape(INVALID.sub("", value))
