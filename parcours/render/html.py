"""Pieces of the PDF documents, now in :mod:`parcours.render.pdf` (names kept here)."""

from parcours.render.pdf.document import Resources, gc_paused, page, pdf_bytes, write_pdf
from parcours.render.pdf.text import (
    LABELS,
    age_text,
    esc,
    format_date,
    format_money,
    format_number,
    initials,
    quoted,
    short_date,
)

__all__ = [
    "LABELS",
    "Resources",
    "age_text",
    "esc",
    "format_date",
    "format_money",
    "format_number",
    "gc_paused",
    "initials",
    "page",
    "pdf_bytes",
    "quoted",
    "short_date",
    "write_pdf",
]
