"""The whole-atlas PDF; it lives in :mod:`parcours.render.pdf` (the names callers use are kept
here: the web app's atlas pages read the same facts and the same matrix)."""

from parcours.render.pdf.atlas import atlas_html, atlas_pdf, save_atlas_pdf
from parcours.render.pdf.facts import SEVERITIES, atlas_date, backlog, touchpoint_rows
from parcours.render.pdf.facts import pains_at as _pains
from parcours.render.pdf.mappages import plan_parts
from parcours.render.pdf.matrix import priority_svg

__all__ = [
    "SEVERITIES",
    "_pains",
    "atlas_date",
    "atlas_html",
    "atlas_pdf",
    "backlog",
    "plan_parts",
    "priority_svg",
    "save_atlas_pdf",
    "touchpoint_rows",
]
