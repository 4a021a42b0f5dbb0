"""The whole-atlas PDF: what an executive reads about every journey of a workspace.

Sections, in order: a cover (name, date of the atlas, key figures, contents), journeys ×
touchpoints (where journeys overlap), the priority matrix (customer × business value),
every journey map (scaled to a landscape page, or cut into parts when too long), the
persona cards, the pain points by touchpoint, and the opportunity backlog with owners.

The atlas is dated by the newest ``reviewed`` date of its journeys, never by today, so the
same workspace gives the same document. The journey pictures come from
:func:`parcours.render.to_svg`; they are embedded as ``data:`` URLs that the fetcher serves
from memory (only the URLs this module made: user text is always escaped and never
becomes a URL).
"""

from __future__ import annotations

import functools
from pathlib import Path

from parcours.atomic import write_atomic
from parcours.model.atlas import Atlas
from parcours.render.pdf import personas as persona_cards
from parcours.render.pdf.css import ATLAS_CSS
from parcours.render.pdf.document import Resources, gc_paused, page
from parcours.render.pdf.facts import atlas_date, backlog, touchpoint_rows
from parcours.render.pdf.mappages import (
    PAPERS,
    MapMaker,
    Paper,
    journey_map,
    journey_pages,
    plan_parts,
)
from parcours.render.pdf.maptext import MAP_CSS, TextStyles
from parcours.render.pdf.matrix import priority_section
from parcours.render.pdf.sections import backlog_section, cover, overview, pain_section
from parcours.render.pdf.text import LABELS
from parcours.render.pdf.tiles import Tile, tiled_pdf
from parcours.render.pdf.typst_sections import TypstSection, placeholder, typeset_sections

__all__ = [
    "atlas_date",
    "atlas_html",
    "atlas_pdf",
    "backlog",
    "plan_parts",
    "save_atlas_pdf",
    "touchpoint_rows",
]


# -- the document -----------------------------------------------------------------------------
def paper_of(name: str) -> Paper:
    """The paper of the map pages by name (``a3``, ``a4``); anything else is refused."""
    try:
        return PAPERS[name.lower()]
    except KeyError:
        from parcours.model.errors import InvalidArgument

        raise InvalidArgument(
            f"no paper size {name!r}; the sizes are {', '.join(PAPERS)}"
        ) from None


def _document(
    atlas: Atlas,
    resources: Resources,
    make_map: MapMaker = journey_map,
    paper: str = "a3",
    tiles: list[Tile] | None = None,
    typst: dict[str, TypstSection] | None = None,
) -> str:
    """The atlas' HTML. With ``tiles``, the map pages are boxes whose drawings are added
    to it; with ``typst``, the table sections are boxes for those Typst pages."""
    sheet = paper_of(paper)
    lang = atlas.language()
    words = LABELS[lang]
    journeys = [(j.title, f"journey-{i + 1}") for i, j in enumerate(atlas.journeys)]
    if len(journeys) > 10:  # a long atlas lists its sections, not every journey
        journeys = [(f"{words['journeys']} ({len(journeys)})", "journey-1")]
    contents = [
        (words["overview"], "sec-overview"),
        (words["priority_matrix"], "sec-priority"),
        *journeys,
    ]
    if atlas.personas:
        contents.append((words["persona_cards"], f"persona-{atlas.personas[0].id}"))
    contents += [(words["pain_summary"], "sec-pains"), (words["backlog"], "sec-backlog")]
    rows = touchpoint_rows(atlas)
    styles = TextStyles()
    title = f"{atlas.name} — {words['atlas']}"
    sections = {
        "overview": lambda: overview(atlas, rows, words),
        "pains": lambda: pain_section(atlas, rows, words),
        "backlog": lambda: backlog_section(atlas, words, lang),
    }
    if typst is not None:
        typst.update(typeset_sections(atlas, rows, words, lang))
        sections = {kind: functools.partial(placeholder, typst[kind]) for kind in sections}
    body = [
        cover(atlas, lang, words, contents, title),
        sections["overview"](),
        priority_section(atlas, words, lang),
    ]
    for index, journey in enumerate(atlas.journeys):
        body.append(
            journey_pages(
                atlas, index, journey, words, lang, resources, make_map, styles, sheet, tiles
            )
        )
    if atlas.personas:
        body.append(persona_cards.cards_html(atlas, lang, first=False))
    body.append(sections["pains"]())
    body.append(sections["backlog"]())
    page_size = f"@page map {{ size: {sheet.css}; }}\n"
    css = persona_cards.CSS + ATLAS_CSS + page_size + MAP_CSS + styles.css()
    return page(title, css, "".join(body), lang, footer_title=False)


def atlas_html(atlas: Atlas, *, paper: str = "a3") -> str:
    """The whole atlas as one self-contained HTML document (journey maps as data URLs).

    ``paper`` is the size of the map pages, landscape: ``a3`` (the default: maps are
    posters) or ``a4`` (more pages); the other pages are A4 landscape."""
    return _document(atlas, Resources(), paper=paper)


def atlas_pdf(atlas: Atlas, *, paper: str = "a3") -> bytes:
    """The whole atlas of a workspace as PDF bytes (``paper``: see :func:`atlas_html`).

    The maps and the table sections are set by Typst into the pages WeasyPrint lays out
    (see :mod:`parcours.render.pdf.tiles` and :mod:`parcours.render.pdf.typst_sections`)."""
    resources = Resources()
    tiles: list[Tile] = []
    typst: dict[str, TypstSection] = {}
    with gc_paused():  # the maps' layouts and SVGs too (see gc_paused)
        document = _document(atlas, resources, paper=paper, tiles=tiles, typst=typst)
    pages = [
        (section.pdf, [f"{section.anchor}-typst-{k + 1}" for k in range(section.pages)])
        for section in typst.values()
    ]
    return tiled_pdf(document, resources, tiles, pages)


def save_atlas_pdf(atlas: Atlas, path: str | Path, *, paper: str = "a3") -> Path:
    """Write the whole atlas of a workspace to a PDF file (``paper``: see :func:`atlas_html`)."""
    path = Path(path)
    data = atlas_pdf(atlas, paper=paper)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, data)
