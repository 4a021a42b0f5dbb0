"""Persona cards ("fiches persona"): one A4 landscape page per persona, as HTML and PDF.

``personas_html(atlas)`` builds the document, ``save_personas_pdf(atlas, path)`` renders it
with WeasyPrint. The atlas PDF includes the same cards (:func:`cards_html`, :data:`CSS`).
Pictures are not fetched (see :mod:`parcours.render.pdf.document`): the avatar is the persona's
emoji, or its initials in a coloured disc.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from parcours.model.atlas import Atlas
from parcours.model.persona import Market, Persona
from parcours.render.pdf.document import page, pdf_bytes, write_pdf
from parcours.render.pdf.text import (
    LABELS,
    PALETTE,
    SOFT,
    age_text,
    esc,
    initials,
    quoted,
    ul,
)

__all__ = ["CSS", "card_html", "cards_html", "personas_html", "save_personas_pdf"]

CSS = """
.persona { page-break-before: always; width: 100%; table-layout: fixed;
            border-collapse: collapse; }
.persona > tbody > tr > td { vertical-align: top; padding: 0; }
.persona.first { page-break-before: auto; }
.persona td.side { width: 70mm; height: 170mm; background: var(--soft); border-radius: 4mm;
                 padding: 7mm 6mm 5mm 6mm; }
.persona td.gap { width: 7mm; }
.avatar { width: 26mm; height: 26mm; border-radius: 13mm; background: #fff;
          text-align: center; line-height: 26mm; font-size: 40pt; margin: 0 auto 4mm auto;
          border: 1.2mm solid var(--accent); }
.avatar.initials { background: var(--accent); color: #fff; font-size: 26pt; font-weight: 700;
                   letter-spacing: 0.5pt; }
.persona h2 { font-size: 18pt; text-align: center; color: #0f172a; }
.persona .segment { text-align: center; color: var(--accent); font-weight: 600;
                    margin-top: 1.5mm; font-size: 9.5pt; }
.badge { display: inline-block; font-size: 7pt; font-weight: 700; letter-spacing: 0.6pt;
         padding: 0.4mm 1.8mm; border-radius: 1.5mm; background: var(--accent); color: #fff;
         vertical-align: 1pt; }
.persona .summary { margin-top: 3mm; font-size: 8.8pt; color: #334155; text-align: center; }
.facts { margin-top: 4mm; border-top: 0.3mm solid rgba(15, 23, 42, 0.12); padding-top: 3mm;
         font-size: 8.6pt; }
.facts table { width: 100%; table-layout: fixed; border-collapse: collapse; }
.facts td { vertical-align: top; padding: 0.7mm 0; }
.facts td.k { width: 25mm; color: #64748b; font-size: 7.8pt; padding-top: 0.9mm; }
.facts td.v { color: #0f172a; }
.side h3 { font-size: 7.5pt; text-transform: uppercase; letter-spacing: 0.7pt;
           color: #64748b; margin: 3.5mm 0 1.5mm 0; font-weight: 700; }
.chips li { display: inline-block; background: #fff; border: 0.3mm solid var(--accent);
            color: #0f172a; border-radius: 3mm; padding: 0.3mm 2.2mm; margin: 0 1mm 1.2mm 0;
            font-size: 8pt; }
.quote { font-style: italic; font-size: 14.5pt; line-height: 1.3; color: #0f172a;
         border-left: 1.6mm solid var(--accent); padding: 1mm 0 1mm 5mm; margin: 1mm 0 5mm 0; }
.blocks { width: 100%; table-layout: fixed; border-collapse: collapse; }
.blocks td.col { vertical-align: top; padding: 0; }
.blocks td.mid { width: 4mm; }
.block { border: 0.3mm solid #e2e8f0; border-radius: 0 0 2.5mm 2.5mm;
         padding: 3mm 4mm 3.5mm 4mm; border-top: 1.2mm solid var(--tone); break-inside: avoid;
         margin-bottom: 4mm; }
.block h3 { font-size: 8pt; text-transform: uppercase; letter-spacing: 0.7pt;
            color: var(--tone); margin-bottom: 1.8mm; }
.block li { position: relative; padding-left: 3.6mm; margin-bottom: 1.1mm; }
.block li::before { content: ""; position: absolute; left: 0; top: 1.7mm; width: 1.5mm;
                    height: 1.5mm; border-radius: 0.75mm; background: var(--tone); }
.block p { color: #334155; }
.goals { --tone: #15803d; } .needs { --tone: #2563eb; } .motivations { --tone: #7c3aed; }
.frustrations { --tone: #dc2626; } .objections { --tone: #c2410c; }
.search_behaviour { --tone: #0f766e; } .journeys { --tone: #334155; }
.sources { margin-top: 3mm; font-size: 7.5pt; color: #64748b; }
.sources b { color: #475569; text-transform: uppercase; letter-spacing: 0.6pt; font-size: 7pt; }
.persona.airy { font-size: 10.5pt; } .persona.airy .quote { font-size: 17pt; }
.persona.airy .block { padding: 4mm 5mm 4.5mm 5mm; margin-bottom: 5mm; }
.persona.dense { font-size: 8.6pt; } .persona.dense .quote { font-size: 12.5pt; }
.persona.denser { font-size: 7.8pt; } .persona.denser .quote { font-size: 11pt; }
.persona.denser .block { margin-bottom: 2.5mm; }
.empty-note { font-size: 12pt; color: #64748b; margin-top: 40mm; text-align: center; }
"""


def _density(persona: Persona) -> str:
    text = sum(
        len(t)
        for t in (
            *persona.goals,
            *persona.needs,
            *persona.frustrations,
            *persona.motivations,
            *persona.objections,
        )
    )
    text += len(persona.search_behaviour or "") + len(persona.quote or "") * 2
    items = sum(
        len(x)
        for x in (
            persona.goals,
            persona.needs,
            persona.frustrations,
            persona.motivations,
            persona.objections,
        )
    )
    load = text + 45 * items
    if load > 2300:
        return " denser"
    if load > 1500:
        return " dense"
    if load < 1300:
        return " airy"
    return ""


def _facts(persona: Persona, lang: str) -> str:
    words = LABELS[lang]
    rows: list[tuple[str, str]] = []
    if persona.age_range:
        rows.append((words["age"], age_text(persona.age_range, lang)))
    order = ["gender", "occupation", "role"]
    if persona.market == Market.b2b:
        order += ["company_size", "sector"]
    order += ["location", "family", "income", "education"]
    if persona.market != Market.b2b:
        order += ["company_size", "sector"]
    for name in order:
        value = getattr(persona, name)
        if value:
            rows.append((words[name], value))
    if persona.hobbies:
        rows.append((words["hobbies"], " · ".join(persona.hobbies)))
    rows.extend(persona.attributes.items())
    facts = "".join(
        f'<tr><td class="k">{esc(k)}</td><td class="v">{esc(v)}</td></tr>' for k, v in rows
    )
    return f'<div class="facts"><table>{facts}</table></div>' if facts else ""


def avatar_html(persona: Persona, cls: str = "avatar") -> str:
    if persona.emoji:
        return f'<div class="{cls}">{esc(persona.emoji)}</div>'
    return f'<div class="{cls} initials">{esc(initials(persona.name))}</div>'


def card_html(
    persona: Persona, index: int, lang: str, *, first: bool = False, journeys: Sequence[str] = ()
) -> str:
    """One persona card, an HTML fragment (needs :data:`CSS`); ``journeys``: their titles."""
    words = LABELS[lang]
    accent, soft = PALETTE[index % len(PALETTE)], SOFT[index % len(SOFT)]
    market = "B2B" if persona.market == Market.b2b else "B2C"
    segment = f"{esc(persona.segment)} " if persona.segment else ""
    side = [
        avatar_html(persona),
        f"<h2>{esc(persona.name)}</h2>",
        f'<p class="segment">{segment}<span class="badge">{market}</span></p>',
    ]
    if persona.summary:
        side.append(f'<p class="summary">{esc(persona.summary)}</p>')
    side.append(_facts(persona, lang))
    for name in ("channels", "devices"):
        values = getattr(persona, name)
        if values:
            side.append(f"<h3>{words[name]}</h3>{ul(values, 'chips')}")
    main = []
    if persona.quote:
        main.append(f'<p class="quote">{esc(quoted(persona.quote, lang))}</p>')
    blocks: list[tuple[int, str]] = []  # (estimated height in lines, html)
    for name in ("goals", "needs", "frustrations", "motivations", "objections"):
        values = getattr(persona, name)
        if values:
            lines = 3 + sum(1 + len(v) // 44 for v in values)
            blocks.append(
                (lines, f'<div class="block {name}"><h3>{words[name]}</h3>{ul(values)}</div>')
            )
    if journeys:
        lines = 3 + sum(1 + len(t) // 44 for t in journeys)
        blocks.append(
            (
                lines,
                f'<div class="block journeys"><h3>{words["persona_journeys"]}</h3>{ul(journeys)}</div>',
            )
        )
    if persona.search_behaviour:
        blocks.append(
            (
                3 + len(persona.search_behaviour) // 48,
                f'<div class="block search_behaviour"><h3>{words["search_behaviour"]}</h3>'
                f"<p>{esc(persona.search_behaviour)}</p></div>",
            )
        )
    # Two columns balanced by estimated height, blocks kept in reading order per column.
    columns: list[list[str]] = [[], []]
    heights = [0, 0]
    for lines, block in blocks:
        side_index = 0 if heights[0] <= heights[1] else 1
        columns[side_index].append(block)
        heights[side_index] += lines
    cols = '<td class="mid"></td>'.join(f'<td class="col">{"".join(col)}</td>' for col in columns)
    main.append(f'<table class="blocks"><tr>{cols}</tr></table>')
    if persona.sources:
        main.append(
            f'<p class="sources"><b>{words["sources"]}</b>&ensp;'
            + " · ".join(esc(s) for s in persona.sources)
            + "</p>"
        )
    classes = "persona" + (" first" if first else "") + _density(persona)
    return (
        f'<table class="{classes}" id="persona-{esc(persona.id)}" '
        f'style="--accent: {accent}; --soft: {soft}"><tr>'
        f'<td class="side">{"".join(side)}</td><td class="gap"></td>'
        f'<td class="main">{"".join(main)}</td></tr></table>\n'
    )


def cards_html(atlas: Atlas, lang: str, *, first: bool = True) -> str:
    """Every persona card of the atlas, one per page, with the journeys each appears in."""
    return "".join(
        card_html(
            persona,
            i,
            lang,
            first=first and i == 0,
            journeys=[j.title for j in atlas.journeys if persona.id in j.personas],
        )
        for i, persona in enumerate(atlas.personas)
    )


def personas_html(atlas: Atlas) -> str:
    """The persona cards of a workspace as a standalone HTML document."""
    lang = atlas.language()
    words = LABELS[lang]
    body = cards_html(atlas, lang)
    if not atlas.personas:
        body = f'<p class="empty-note">{words["no_personas"]}</p>'
    return page(f"{atlas.name} — {words['persona_cards']}", CSS, body, lang)


def personas_pdf(atlas: Atlas) -> bytes:
    """The persona cards of a workspace as PDF bytes (one card per page)."""
    return pdf_bytes(personas_html(atlas))


def save_personas_pdf(atlas: Atlas, path: str | Path) -> Path:
    """Write the persona cards of a workspace to a PDF file (one card per page)."""
    return write_pdf(personas_html(atlas), path)
