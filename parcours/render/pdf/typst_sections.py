"""The atlas' table sections set by Typst: journeys × touchpoints, pain points, backlog.

WeasyPrint took most of an atlas' time on these tables (0.5–0.8 s each for 20 journeys).
Typst sets them from JSON with ``sections.typ`` in a few tens of milliseconds, as pages of
the A4 page's content box; the atlas then reserves that many pages of its own (their
footers, the section's anchor and bookmark), and :mod:`.tiles` draws each Typst page into
its box. The rows are those of the HTML (:mod:`.tables`), the words the same.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
from dataclasses import dataclass
from importlib import resources

from parcours.model.atlas import Atlas
from parcours.render.pdf.facts import SEVERITIES, TouchpointRow
from parcours.render.pdf.tables import (
    NO_PAIN,
    backlog_tables,
    overview_rows,
    pain_rows,
    worst_pains,
)
from parcours.render.pdf.text import SEVERITY_COLOURS
from parcours.render.typeset import compile_pdf

#: The content box of an A4 landscape page of the atlas (297 × 210 mm less the margins of
#: ``document.BASE_CSS``), a little shorter so the box never spills onto the next page.
WIDTH_MM, HEIGHT_MM = 271.0, 184.0
#: The sections, by the id of their anchor in the atlas.
KINDS = {"overview": "sec-overview", "pains": "sec-pains", "backlog": "sec-backlog"}
_WORDS = [
    "overview",
    "overview_lead",
    "none",
    "touchpoint",
    "used_by",
    "no_touchpoint",
    "pain_summary",
    "pain_lead",
    "no_pains",
    "journeys",
    "total",
    "worst_pains",
    "pain_points",
    "where",
    "backlog",
    "backlog_lead",
    "no_opportunities",
    "by_owner",
    "owner",
    "count",
    "high_or_more",
    "total_value",
    "no_owner",
    "priority",
    "opportunity",
    "status",
    "due",
    "value",
]


@dataclass(frozen=True)
class TypstSection:
    """A section set by Typst: its anchor, title (for the bookmark), pages (a PDF)."""

    anchor: str
    title: str
    pdf: bytes
    pages: int


@functools.cache
def _template() -> str:
    return resources.files("parcours.render.pdf").joinpath("sections.typ").read_text("utf-8")


def _data(
    kind: str, atlas: Atlas, rows: list[TouchpointRow], words: dict[str, str], lang: str
) -> dict[str, object]:
    if kind == "overview":
        n = len(atlas.journeys)
        return {
            "kind": kind,
            "journeys": [j.title for j in atlas.journeys],
            "wide": n <= 8,
            "column_mm": min(26.0, 150.0 / max(n, 1)),
            "none_colour": NO_PAIN,
            "legend": [[SEVERITY_COLOURS[s], words[s]] for s in reversed(SEVERITIES)],
            "rows": [dataclasses.asdict(r) for r in overview_rows(atlas, rows)],
        }
    if kind == "pains":
        worst, left = worst_pains(atlas)
        return {
            "kind": kind,
            "severities": [{"colour": SEVERITY_COLOURS[s], "label": words[s]} for s in SEVERITIES],
            "rows": [dataclasses.asdict(r) for r in pain_rows(rows)],
            "worst": [
                {
                    **dataclasses.asdict(p),
                    "colour": SEVERITY_COLOURS[p.severity],
                    "label": words[p.severity],
                }
                for p in worst
            ],
            "more": f"… {words['more'].format(n=left)}" if left else "",
        }
    owners, items = backlog_tables(atlas, lang)
    return {
        "kind": kind,
        "owners": [dataclasses.asdict(o) for o in owners],
        "items": [
            {
                **dataclasses.asdict(it),
                "priority": words["prio_" + it.priority],
                "status": words["ost_" + it.status],
            }
            for it in items
        ],
    }


def typeset_sections(
    atlas: Atlas, rows: list[TouchpointRow], words: dict[str, str], lang: str
) -> dict[str, TypstSection]:
    """Each table section as Typst pages, by kind (``overview``, ``pains``, ``backlog``)."""
    from pypdf import PdfReader

    titles = {"overview": words["overview"], "pains": words["pain_summary"],
              "backlog": words["backlog"]}  # fmt: skip
    out = {}
    for kind, anchor in KINDS.items():
        document = {
            "width": WIDTH_MM,
            "height": HEIGHT_MM,
            "lang": lang,
            "words": {key: words[key] for key in _WORDS},
            "section": _data(kind, atlas, rows, words, lang),
        }
        pdf = compile_pdf(_template(), {"data": json.dumps(document, ensure_ascii=False)})
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        out[kind] = TypstSection(anchor, titles[kind], pdf, pages)
    return out


def placeholder(section: TypstSection) -> str:
    """The section in the atlas' HTML: its pages, each an empty box the size of the
    content box, the first with the section's anchor and bookmark."""
    from parcours.render.pdf.text import esc

    boxes = "".join(
        f'<div class="typst-box{" next" if k else ""}" id="{section.anchor}-typst-{k + 1}" '
        f'style="width: {WIDTH_MM}mm; height: {HEIGHT_MM}mm"></div>'
        for k in range(section.pages)
    )
    return (
        f'<section class="section-page typst" id="{section.anchor}" '
        f'data-title="{esc(section.title)}">{boxes}</section>\n'
    )
