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

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from parcours.model.atlas import Atlas
from parcours.model.items import LaneKind, Opportunity, PainPoint
from parcours.model.journey import Journey, Step
from parcours.render import personas as persona_cards
from parcours.render.html import (
    LABELS,
    MAP_CSS,
    PRIORITY_COLOURS,
    SEVERITY_COLOURS,
    Resources,
    TextBlock,
    TextStyles,
    clip_html,
    crop_svg,
    esc,
    format_date,
    format_money,
    format_number,
    gc_paused,
    page,
    pdf_bytes,
    short_date,
    split_svg_text,
    text_blocks,
    title_div,
    write_pdf,
)

__all__ = ["atlas_date", "atlas_html", "backlog", "plan_parts", "save_atlas_pdf", "touchpoint_rows"]

SEVERITIES = ("rupture", "blocker", "irritant")
PRIORITIES = ("critical", "high", "medium", "low")

#: The map area of a journey page, in CSS px (96 dpi): A3 landscape (maps are posters)
#: minus the margins and the journey's header.
MAP_WIDTH = 1488.0
MAP_HEIGHT = 950.0
#: The smallest scale a map is drawn at, unless its height needs smaller: 12 px text is
#: then 5.4 pt on the A3 page. Wider maps are cut into pages of whole columns.
READABLE_SCALE = 0.6

CSS = """
h1.section { font-size: 19pt; margin-bottom: 1.5mm; color: #0f172a; }
.lead { color: #475569; max-width: 200mm; margin-bottom: 5mm; font-size: 9.5pt; }
.section-page { page-break-before: always; }
.kicker { font-size: 7.5pt; text-transform: uppercase; letter-spacing: 1pt; color: #2563eb;
          font-weight: 700; margin-bottom: 1mm; }

/* cover */
@page cover { margin: 0; @bottom-left { content: none; } @bottom-right { content: none; } }
.cover { page: cover; height: 210mm; position: relative; background: #0f172a; color: #fff; }
.cover .band { position: absolute; left: 0; top: 0; bottom: 0; width: 9mm;
               background: #2563eb; }
.cover .inner { position: absolute; left: 28mm; right: 24mm; top: 30mm; }
.cover .kicker { color: #93c5fd; font-size: 10pt; letter-spacing: 2pt; }
.cover h1 { color: #fff; font-size: 34pt; margin: 3mm 0 5mm 0; line-height: 1.1; }
.cover .desc { color: #cbd5e1; font-size: 11.5pt; max-width: 185mm; }
.cover .date { color: #e2e8f0; font-size: 11pt; margin-top: 7mm; font-weight: 600; }
.cover .figures { position: absolute; left: 28mm; right: 24mm; bottom: 26mm; }
.cover .figures table { border-collapse: collapse; }
.cover .figures td { padding: 0 12mm 0 0; vertical-align: top; }
.cover .figure { font-size: 30pt; font-weight: 700; color: #fff; line-height: 1; }
.cover .figure.alert { color: #fca5a5; }
.cover .figlabel { font-size: 8.5pt; color: #94a3b8; text-transform: uppercase;
                   letter-spacing: 1pt; margin-top: 1.5mm; }
.cover .contents { position: absolute; right: 22mm; top: 30mm; width: 80mm; }
.cover .contents li { color: #cbd5e1; font-size: 9.5pt; padding: 1.3mm 0;
                      border-bottom: 0.2mm solid #334155; }
.cover .contents li span { color: #64748b; display: inline-block; width: 7mm; }
.cover .contents li a { color: #cbd5e1; text-decoration: none; }
.cover .contents li { position: relative; padding-right: 9mm; }
.cover .contents li a::after { content: target-counter(attr(href), page); position: absolute;
                               right: 0; top: 1.3mm; color: #64748b; }

/* tables */
table.grid { border-collapse: collapse; width: 100%; font-size: 8.6pt; table-layout: fixed; }
table.grid th { text-align: left; font-size: 7.2pt; text-transform: uppercase;
                letter-spacing: 0.5pt; color: #64748b; font-weight: 700;
                border-bottom: 0.4mm solid #0f172a; padding: 1.5mm 2mm; vertical-align: bottom; }
table.grid td { border-bottom: 0.2mm solid #e2e8f0; padding: 1.4mm 2mm; vertical-align: top; }
table.grid tr { break-inside: avoid; }
table.grid td.num, table.grid th.num { text-align: right; white-space: nowrap; }
table.grid td.c, table.grid th.c { text-align: center; }
table.grid td.nowrap { white-space: nowrap; }
.sub { color: #94a3b8; font-size: 7.2pt; }

/* journeys × touchpoints */
table.matrix th.j { text-align: center; padding: 1.5mm 0.5mm; font-size: 6.8pt;
                    text-transform: none; letter-spacing: 0; font-weight: 600; color: #334155; }
table.matrix td { padding: 1mm 2mm; }
table.matrix td.dotcell { text-align: center; padding: 0.8mm 0; }
.jnum { display: inline-block; min-width: 4.6mm; height: 4.6mm; line-height: 4.6mm;
        border-radius: 2.3mm; background: #0f172a; color: #fff; font-size: 6.6pt;
        font-weight: 700; text-align: center; padding: 0 0.6mm; }
.dot { display: inline-block; width: 4.4mm; height: 4.4mm; line-height: 4.4mm;
       border-radius: 2.2mm; color: #fff; font-size: 6.4pt; font-weight: 700;
       text-align: center; }
.share { display: inline-block; height: 2.2mm; background: #93c5fd; border-radius: 1mm;
         vertical-align: middle; margin-right: 1.5mm; }
.key { columns: 2; column-gap: 8mm; font-size: 8pt; margin: 0 0 4mm 0; }
.key li { padding: 0.5mm 0; break-inside: avoid; }
.legend { font-size: 7.6pt; color: #64748b; margin: 2mm 0 3mm 0; }
.legend .dot { width: 3.2mm; height: 3.2mm; vertical-align: -0.5mm; margin: 0 1mm 0 3mm; }

/* priority matrix */
.prio { width: 100%; border-collapse: collapse; table-layout: fixed; }
.prio > tbody > tr > td { vertical-align: top; padding: 0; }
.prio td.chart { width: 142mm; }
.prio td.list { padding-left: 6mm; }
.prio svg { width: 140mm; height: 140mm; }
.prio td.list table.grid { font-size: 7.8pt; }
.prio td.list table.grid td { padding: 0.9mm 1.5mm; }
.prio td.list.compact table.grid { font-size: 7pt; }
.prio td.list.compact table.grid td { padding: 0.4mm 1.5mm; }

/* journey pages: A3 landscape, a map is a poster */
@page map { size: A3 landscape; }
.journey-page { page-break-before: always; page: map; }
.jhead { border-bottom: 0.4mm solid #0f172a; padding-bottom: 1.5mm; margin-bottom: 2.5mm; }
.jhead h1 { font-size: 15pt; }
.jhead .jnum { vertical-align: 2pt; margin-right: 2mm; min-width: 6mm; height: 6mm;
               line-height: 6mm; border-radius: 3mm; font-size: 8pt; }
.meta { margin-top: 1.2mm; font-size: 8pt; color: #475569; }
.meta .chip { display: inline-block; border: 0.25mm solid #cbd5e1; border-radius: 2.5mm;
              padding: 0 2mm; margin-right: 1.2mm; color: #334155; }
.meta .chip.strong { background: #0f172a; border-color: #0f172a; color: #fff; }
.meta .part { float: right; color: #94a3b8; }
.mapbox { overflow: hidden; position: relative; }
.mapbox img { display: block; position: absolute; top: 0; }
.placeholder { border: 0.4mm dashed #cbd5e1; border-radius: 3mm; padding: 8mm; color: #64748b; }
.placeholder ol { margin: 3mm 0 0 5mm; padding: 0; columns: 3; font-size: 8.5pt; }

/* pain points and backlog */
.sev { display: inline-block; border-radius: 1.5mm; padding: 0 1.6mm; color: #fff;
       font-size: 7pt; font-weight: 700; white-space: nowrap; }
.bar { height: 3mm; white-space: nowrap; font-size: 0; }
.bar span { display: inline-block; height: 3mm; }
.count0 { color: #cbd5e1; }
.prio-badge { display: inline-block; border-radius: 1.5mm; padding: 0 1.6mm; color: #fff;
              font-size: 7pt; font-weight: 700; white-space: nowrap; }
.owner-none { color: #b91c1c; font-weight: 600; }
h2.sub-title { font-size: 11.5pt; margin: 6mm 0 2mm 0; }
.more { color: #64748b; font-size: 8pt; margin-top: 2mm; }
.two { width: 100%; border-collapse: collapse; }
.two > tbody > tr > td { vertical-align: top; padding: 0; }
.two td.gap { width: 8mm; }
"""


# -- facts ------------------------------------------------------------------------------------
def atlas_date(atlas: Atlas) -> dt.date | None:
    """The date of the atlas: the newest ``reviewed`` date of its journeys (None if none)."""
    dates = [j.reviewed for j in atlas.journeys if j.reviewed is not None]
    return max(dates) if dates else None


def _items(journey: Journey, kind: LaneKind, step: Step) -> list[object]:
    found: list[object] = []
    for lane in journey.lanes_of(kind):
        found.extend(journey.cell(lane.id, step.id))
    return found


def _pains(journey: Journey, step: Step) -> list[PainPoint]:
    return [p for p in _items(journey, LaneKind.pain_points, step) if isinstance(p, PainPoint)]


def _opportunities(journey: Journey, step: Step) -> list[Opportunity]:
    return [o for o in _items(journey, LaneKind.opportunities, step) if isinstance(o, Opportunity)]


def _worst(severities: list[str]) -> str | None:
    for severity in SEVERITIES:
        if severity in severities:
            return severity
    return None


@dataclass
class TouchpointRow:
    id: str
    name: str
    channel: str | None
    order: int
    steps: dict[int, int] = field(default_factory=dict)  # journey index → steps using it
    pains: dict[int, list[str]] = field(default_factory=dict)  # journey index → severities
    severity_counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))


def touchpoint_rows(atlas: Atlas) -> list[TouchpointRow]:
    """Every touchpoint used by a journey (and the steps without one), with its use and pains."""
    rows: dict[str, TouchpointRow] = {}
    channels = {c.id: c.name for c in atlas.library.channels}
    library = {t.id: t for t in atlas.library.touchpoints}
    order = {t.id: i for i, t in enumerate(atlas.library.touchpoints)}
    for index, journey in enumerate(atlas.journeys):
        local = {t.id: t for t in journey.library.touchpoints}
        local_channels = {c.id: c.name for c in journey.library.channels}
        for step in journey.steps():
            keys = list(dict.fromkeys(step.touchpoints)) or [""]
            severities = [p.severity.value for p in _pains(journey, step)]
            for key in keys:
                if key not in rows:
                    found = local.get(key) or library.get(key)
                    channel = None
                    if found is not None and found.channel:
                        channel = local_channels.get(found.channel) or channels.get(found.channel)
                    rows[key] = TouchpointRow(
                        id=key,
                        name=found.name if found is not None else key,
                        channel=channel,
                        order=order.get(key, len(order) + len(rows)),
                    )
                row = rows[key]
                row.steps[index] = row.steps.get(index, 0) + 1
                row.pains.setdefault(index, []).extend(severities)
                for severity in severities:
                    row.severity_counts[severity] += 1
    return list(rows.values())


@dataclass
class BacklogItem:
    opportunity: Opportunity
    journey_index: int
    journey: Journey
    step: Step
    order: int


def backlog(atlas: Atlas) -> list[BacklogItem]:
    """Every opportunity, by priority (critical first), then value (largest first)."""
    items: list[BacklogItem] = []
    for index, journey in enumerate(atlas.journeys):
        for step in journey.steps():
            for opportunity in _opportunities(journey, step):
                items.append(BacklogItem(opportunity, index, journey, step, len(items)))
    rank = {p: i for i, p in enumerate(PRIORITIES)}
    items.sort(
        key=lambda it: (
            rank[it.opportunity.priority.value],
            it.opportunity.value is None,
            -(it.opportunity.value or 0),
            it.order,
        )
    )
    return items


# -- sections ---------------------------------------------------------------------------------
def _count_pains(atlas: Atlas) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for journey in atlas.journeys:
        for step in journey.steps():
            for pain in _pains(journey, step):
                counts[pain.severity.value] += 1
    return counts


def _cover(
    atlas: Atlas, lang: str, words: dict[str, str], contents: list[tuple[str, str]], title: str
) -> str:
    day = atlas_date(atlas)
    date = f"{words['reviewed_on']} {format_date(day, lang)}" if day else words["not_reviewed"]
    pains = _count_pains(atlas)
    opportunities = sum(len(_opportunities(j, s)) for j in atlas.journeys for s in j.steps())
    figures = [
        (len(atlas.journeys), words["journeys"], False),
        (len(atlas.personas), words["personas"], False),
        (sum(len(j.steps()) for j in atlas.journeys), words["steps"], False),
        (sum(pains.values()), words["pain_points"], False),
        (pains["rupture"], words["ruptures"], pains["rupture"] > 0),
        (opportunities, words["opportunities"], False),
    ]
    cells = "".join(
        f'<td><div class="figure{" alert" if alert else ""}">{value}</div>'
        f'<div class="figlabel">{label}</div></td>'
        for value, label, alert in figures
    )
    toc = "".join(
        f'<li><span>{i:02d}</span><a href="#{esc(anchor)}">{esc(label)}</a></li>'
        for i, (label, anchor) in enumerate(contents, 1)
    )
    description = f'<p class="desc">{esc(atlas.description)}</p>' if atlas.description else ""
    return (
        f'<section class="cover">{title_div(title)}<div class="band"></div>'
        '<div class="inner" style="right: 108mm">'
        f'<div class="kicker">{words["atlas"]}</div><h1>{esc(atlas.name)}</h1>{description}'
        f'<p class="date">{esc(date)}</p></div>'
        f'<div class="contents"><div class="kicker">{words["contents"]}</div><ul>{toc}</ul></div>'
        f'<div class="figures"><table><tr>{cells}</tr></table></div></section>\n'
    )


def _journey_label(index: int) -> str:
    return f'<span class="jnum">{index + 1}</span>'


def _overview(atlas: Atlas, rows: list[TouchpointRow], words: dict[str, str]) -> str:
    n = len(atlas.journeys)
    head = (
        f'<h1 class="section">{words["overview"]}</h1><p class="lead">{words["overview_lead"]}</p>'
    )
    if not rows:
        return f'<section class="section-page" id="sec-overview">{head}</section>'
    wide = n <= 8
    key = ""
    if not wide:
        key = (
            '<ul class="key">'
            + "".join(
                f"<li>{_journey_label(i)} {esc(j.title)}</li>" for i, j in enumerate(atlas.journeys)
            )
            + "</ul>"
        )
    col_width = min(26.0, 150.0 / max(n, 1))
    heads = "".join(
        f'<th class="j" style="width: {col_width:.1f}mm">{_journey_label(i)}'
        + (f"<br>{esc(j.title)}" if wide else "")
        + "</th>"
        for i, j in enumerate(atlas.journeys)
    )
    ordered = sorted(rows, key=lambda r: (r.id == "", -len(r.steps), r.order, r.name))
    body = []
    for row in ordered:
        name = esc(row.name) if row.id else f'<span class="muted">{words["no_touchpoint"]}</span>'
        channel = f'<br><span class="sub">{esc(row.channel)}</span>' if row.channel else ""
        cells = []
        for i in range(n):
            count = row.steps.get(i, 0)
            if not count:
                cells.append('<td class="dotcell"></td>')
                continue
            worst = _worst(row.pains.get(i, []))
            colour = SEVERITY_COLOURS[worst] if worst else "#334155"
            label = str(count) if count > 1 else ""
            cells.append(
                f'<td class="dotcell"><span class="dot" style="background: {colour}">{label}</span></td>'
            )
        share = len(row.steps)
        bar = f'<span class="share" style="width: {share / max(n, 1) * 14:.1f}mm"></span>'
        body.append(
            f"<tr><td>{name}{channel}</td>{''.join(cells)}"
            f'<td class="num nowrap">{bar}{share}</td></tr>'
        )
    legend = (
        f'<p class="legend"><span class="dot" style="background: #334155"></span>{words["none"]}'
        + "".join(
            f'<span class="dot" style="background: {SEVERITY_COLOURS[s]}"></span>{words[s]}'
            for s in reversed(SEVERITIES)
        )
        + "</p>"
    )
    table = (
        f'<table class="grid matrix"><thead><tr><th>{words["touchpoint"]}</th>{heads}'
        f'<th class="num" style="width: 24mm">{words["used_by"]}</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
    return f'<section class="section-page" id="sec-overview">{head}{key}{legend}{table}</section>\n'


def priority_svg(atlas: Atlas, words: dict[str, str]) -> str:
    """The priority matrix as SVG: customer value (x) × business value (y), effort as size."""
    size, pad = 560.0, 58.0
    plot = size - pad - 16
    x0, y0 = pad, 16.0

    def px(v: float) -> float:
        return x0 + v / 100 * plot

    def py(v: float) -> float:
        return y0 + (1 - v / 100) * plot

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size:.0f} {size:.0f}" '
        'font-family="Noto Sans, sans-serif">',
        f'<rect x="{x0}" y="{y0}" width="{plot}" height="{plot}" fill="#f8fafc" stroke="#cbd5e1"/>',
        f'<rect x="{px(50)}" y="{y0}" width="{plot / 2}" height="{plot / 2}" fill="#eff6ff"/>',
        f'<line x1="{px(50)}" y1="{y0}" x2="{px(50)}" y2="{y0 + plot}" stroke="#94a3b8" stroke-dasharray="4 4"/>',
        f'<line x1="{x0}" y1="{py(50)}" x2="{x0 + plot}" y2="{py(50)}" stroke="#94a3b8" stroke-dasharray="4 4"/>',
    ]
    quadrants = [
        (px(98), py(97), "end", words["q_top"], "#1d4ed8"),
        (px(2), py(97), "start", words["q_business"], "#64748b"),
        (px(98), py(2) - 4, "end", words["q_customer"], "#64748b"),
        (px(2), py(2) - 4, "start", words["q_low"], "#94a3b8"),
    ]
    for x, y, anchor, text, colour in quadrants:
        parts.append(
            f'<text x="{x:.1f}" y="{y + 12:.1f}" text-anchor="{anchor}" font-size="13" '
            f'font-weight="700" fill="{colour}">{esc(text)}</text>'
        )
    for v in (0, 25, 50, 75, 100):
        parts.append(
            f'<text x="{px(v):.1f}" y="{y0 + plot + 16:.1f}" text-anchor="middle" '
            f'font-size="11" fill="#64748b">{v}</text>'
        )
        parts.append(
            f'<text x="{x0 - 8:.1f}" y="{py(v) + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="#64748b">{v}</text>'
        )
    parts.append(
        f'<text x="{px(50):.1f}" y="{size - 8:.1f}" text-anchor="middle" font-size="13" '
        f'font-weight="700" fill="#0f172a">{esc(words["customer_value"])} →</text>'
    )
    parts.append(
        f'<text transform="translate(16 {py(50):.1f}) rotate(-90)" text-anchor="middle" '
        f'font-size="13" font-weight="700" fill="#0f172a">{esc(words["business_value"])} →</text>'
    )
    valued = [
        (i, j)
        for i, j in enumerate(atlas.journeys)
        if j.value and j.value.customer is not None and j.value.business is not None
    ]
    efforts = [j.value.effort for _, j in valued if j.value and j.value.effort]
    top = max(efforts) if efforts else 0.0
    # Journeys at the same point are spread on a small circle so each stays visible.
    spots: dict[tuple[float, float], list[int]] = {}
    for i, j in valued:
        assert j.value is not None and j.value.customer is not None and j.value.business is not None
        spots.setdefault((j.value.customer, j.value.business), []).append(i)
    bubbles = []
    for (cx, cy), indexes in spots.items():
        for k, i in enumerate(indexes):
            value = atlas.journeys[i].value
            assert value is not None
            effort = value.effort or 0.0
            r = 11 + (13 * math.sqrt(effort / top) if top else 0)
            dx = dy = 0.0
            if len(indexes) > 1:
                angle = 2 * math.pi * k / len(indexes)
                dx, dy = 18 * math.cos(angle), 18 * math.sin(angle)
            colour = "#16a34a" if atlas.journeys[i].state.value == "future" else "#2563eb"
            bubbles.append((r, px(cx) + dx, py(cy) + dy, i, colour))
    for r, x, y, i, colour in sorted(bubbles, key=lambda b: -b[0]):  # small ones on top
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}" fill-opacity="0.85" '
            'stroke="#fff" stroke-width="2"/>'
            f'<text x="{x:.1f}" y="{y + 4.5:.1f}" text-anchor="middle" font-size="12.5" '
            f'font-weight="700" fill="#fff">{i + 1}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _state_words(journey: Journey, words: dict[str, str]) -> str:
    return words[f"state_{journey.state.value}"]


def _priority(atlas: Atlas, words: dict[str, str], lang: str) -> str:
    head = (
        f'<h1 class="section">{words["priority_matrix"]}</h1>'
        f'<p class="lead">{words["priority_lead"]}</p>'
    )
    rows = []
    unvalued = []
    compact = len(atlas.journeys) > 10  # one line a journey, so that the list fits the page
    for i, j in enumerate(atlas.journeys):
        v = j.value
        if not v or v.customer is None or v.business is None:
            unvalued.append(f"<li>{_journey_label(i)} {esc(j.title)}</li>")
            continue
        colour = "#16a34a" if j.state.value == "future" else "#2563eb"
        title = f"<td>{esc(j.title)}</td>"
        if not compact:
            owner = f" · {esc(j.owner)}" if j.owner else ""
            title = (
                f'<td>{esc(j.title)}<br><span class="sub">'
                f"{esc(_state_words(j, words))}{owner}</span></td>"
            )
        rows.append(
            f'<tr><td><span class="jnum" style="background: {colour}">{i + 1}</span></td>{title}'
            f'<td class="num">{format_number(v.customer, lang)}</td>'
            f'<td class="num">{format_number(v.business, lang)}</td>'
            f'<td class="num">{format_number(v.effort, lang)}</td></tr>'
        )
    table = (
        f'<table class="grid"><thead><tr><th style="width: 8mm"></th><th>{words["journey"]}</th>'
        f'<th class="num" style="width: 15mm">{words["short_customer"]}</th>'
        f'<th class="num" style="width: 17mm">{words["short_business"]}</th>'
        f'<th class="num" style="width: 13mm">{words["effort"]}</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )
    if unvalued:
        table += f'<h2 class="sub-title">{words["not_valued"]}</h2><ul class="key">{"".join(unvalued)}</ul>'
    legend = (
        f'<p class="legend"><span class="dot" style="background: #2563eb"></span>{words["state_current"]}'
        f'<span class="dot" style="background: #16a34a"></span>{words["state_future"]}</p>'
    )
    return (
        f'<section class="section-page" id="sec-priority">{head}<table class="prio"><tr>'
        f'<td class="chart">{priority_svg(atlas, words)}</td><td class="list{" compact" if compact else ""}">{legend}{table}</td>'
        "</tr></table></section>\n"
    )


# -- journey pages ----------------------------------------------------------------------------
@dataclass(frozen=True)
class MapPicture:
    """A journey's map for the atlas: the SVG without its text, the text, and the geometry."""

    svg: str  # the map without its text
    blocks: list[TextBlock]
    width: float
    height: float
    grid: tuple[float, float]  # y range of the stage band and lanes
    gutter: tuple[float, float]  # x range of the lane titles
    slots: list[tuple[float, float]]  # x range of each column, left to right


MapMaker = Callable[[Journey, Atlas], "MapPicture | None"]


def journey_map(journey: Journey, atlas: Atlas) -> MapPicture | None:
    """The map of a journey, or None when the map renderer is not installed."""
    try:
        from parcours.render.layout import layout
        from parcours.render.svg import paint
    except ImportError:  # the SVG painter is not there: a placeholder page
        return None
    lay = layout(journey, None, atlas.library, personas=atlas.personas, lang=atlas.lang)
    shapes, runs = split_svg_text(paint(lay))
    half = lay.theme.column_gap / 2
    return MapPicture(
        svg=shapes,
        blocks=text_blocks(runs),
        width=lay.width,
        height=lay.height,
        grid=(lay.grid.y, lay.grid.bottom),
        gutter=(0.0, lay.gutter.right + half),
        slots=[lay.slot(i, i + 1) for i in range(len(lay.columns))],
    )


def plan_parts(picture: MapPicture) -> tuple[float, list[tuple[int, int]]]:
    """The scale of a map on its pages and the columns of each page (start, stop).

    The scale fits the lanes (and the legend) in the page's height; the columns are then
    cut into as few pages as fit the width, balanced so that the last page is not a stub.
    """
    lanes_h = picture.height - picture.grid[0]  # the lanes and the legend under them
    largest = min(1.0, MAP_HEIGHT / lanes_h) if lanes_h > 0 else 1.0
    scale = min(largest, READABLE_SCALE)
    n = len(picture.slots)
    if n == 0:
        return min(largest, MAP_WIDTH / picture.width), [(0, 0)]
    gutter = picture.gutter[1] - picture.gutter[0]

    def fits(start: int, stop: int, s: float) -> bool:
        x0, x1 = picture.slots[start][0], picture.slots[stop - 1][1]
        return (gutter + x1 - x0) * s <= MAP_WIDTH + 0.5

    whole = min(largest, MAP_WIDTH / picture.slots[-1][1])
    if whole >= scale:  # the whole map fits one page, readable
        return whole, [(0, n)]
    greedy: list[tuple[int, int]] = []
    start = 0
    while start < n:
        stop = start + 1
        while stop < n and fits(start, stop + 1, scale):
            stop += 1
        greedy.append((start, stop))
        start = stop
    count = len(greedy)
    per = -(-n // count)
    balanced = [(i, min(n, i + per)) for i in range(0, n, per)]
    if len(balanced) == count and all(fits(a, b, scale) for a, b in balanced):
        return scale, balanced
    return scale, greedy


def _journey_meta(atlas: Atlas, journey: Journey, words: dict[str, str], lang: str) -> str:
    chips = []
    names = {p.id: p for p in atlas.personas}
    for pid in journey.personas:
        persona = names.get(pid)
        if persona is not None:
            emoji = f"{esc(persona.emoji)} " if persona.emoji else ""
            chips.append(f'<span class="chip strong">{emoji}{esc(persona.name)}</span>')
    chips.append(f'<span class="chip">{words["state_" + journey.state.value]}</span>')
    chips.append(f'<span class="chip">{words["evidence_" + journey.evidence.value]}</span>')
    chips.append(f'<span class="chip">{words["status_" + journey.status.value]}</span>')
    if journey.owner:
        chips.append(
            f'<span class="chip">{words["owner"]} : {esc(journey.owner)}</span>'
            if lang == "fr"
            else f'<span class="chip">{words["owner"]}: {esc(journey.owner)}</span>'
        )
    if journey.reviewed:
        chips.append(
            f'<span class="chip">{words["reviewed_on"]} {format_date(journey.reviewed, lang)}</span>'
        )
    return "".join(chips)


def _journey_pages(
    atlas: Atlas,
    index: int,
    journey: Journey,
    words: dict[str, str],
    lang: str,
    resources: Resources,
    make_map: MapMaker,
    styles: TextStyles,
) -> str:
    meta = _journey_meta(atlas, journey, words, lang)
    picture = make_map(journey, atlas)

    def head(part: str = "") -> str:
        part_html = f'<span class="part">{part}</span>' if part else ""
        return (
            f'<div class="jhead"><h1>{_journey_label(index)}{esc(journey.title)}</h1>'
            f'<div class="meta">{part_html}{meta}</div></div>'
        )

    if picture is None:
        steps = "".join(f"<li>{esc(s.name)}</li>" for s in journey.steps())
        return (
            f'<section class="journey-page" id="journey-{index + 1}">{head()}<div class="placeholder">'
            f"{words['map_missing']}<ol>{steps}</ol></div></section>\n"
        )
    scale, parts = plan_parts(picture)
    size = (picture.width, picture.height)
    top, bottom = picture.grid
    g0, g1 = picture.gutter
    legend_w = min(picture.width, MAP_WIDTH / scale)
    pages = []
    for k, (start, stop) in enumerate(parts):
        part = ""
        regions = []  # (x0, y0, x1, y1) of the map, and where it goes on the page (px)
        if len(parts) == 1:  # the whole width, lane titles included, in one piece
            x1 = picture.slots[-1][1] if picture.slots else picture.width
            regions.append(((0.0, top, x1, bottom), (0.0, 0.0)))
            width = x1 * scale
        else:
            part = f"{words['part']} {k + 1}/{len(parts)} · {words['steps'].lower()} {start + 1}–{stop}"
            x0, x1 = picture.slots[start][0], picture.slots[stop - 1][1]
            gutter_w = (g1 - g0) * scale
            regions.append(((g0, top, g1, bottom), (0.0, 0.0)))
            regions.append(((x0, top, x1, bottom), (gutter_w, 0.0)))
            width = gutter_w + (x1 - x0) * scale
        if picture.height > bottom and k == len(parts) - 1:  # the legend, once
            regions.append(((0.0, bottom, legend_w, picture.height), (0.0, (bottom - top) * scale)))
        clips = []
        for region, at in regions:
            # each part draws only its own shapes: drawing the whole map clipped, part after
            # part, would cost the whole map each time
            url = resources.add_svg(crop_svg(picture.svg, region))
            clips.append(clip_html(url, size, picture.blocks, region, at, scale, styles))
        width = max(width, legend_w * scale)
        height = ((picture.height if k == len(parts) - 1 else bottom) - top) * scale
        anchor = f' id="journey-{index + 1}"' if k == 0 else ""
        pages.append(
            f'<section class="journey-page"{anchor}>{head(part)}'
            f'<div class="mapwrap" style="width: {width:.1f}px; height: {height:.1f}px">'
            f"{''.join(clips)}</div></section>\n"
        )
    return "".join(pages)


# -- pain points and backlog ------------------------------------------------------------------
def _pain_section(atlas: Atlas, rows: list[TouchpointRow], words: dict[str, str]) -> str:
    head = (
        f'<h1 class="section">{words["pain_summary"]}</h1><p class="lead">{words["pain_lead"]}</p>'
    )
    counted = [r for r in rows if sum(r.severity_counts.values())]
    if not counted:
        return f'<section class="section-page" id="sec-pains">{head}<p>{words["no_pains"]}</p></section>\n'
    counted.sort(key=lambda r: (tuple(-r.severity_counts[s] for s in SEVERITIES), r.order, r.name))
    top = max(sum(r.severity_counts.values()) for r in counted)
    body = []
    for r in counted:
        name = esc(r.name) if r.id else f'<span class="muted">{words["no_touchpoint"]}</span>'
        journeys = sum(1 for sev in r.pains.values() if sev)
        total = sum(r.severity_counts.values())
        nums = "".join(
            f'<td class="num{" count0" if not r.severity_counts[s] else ""}">{r.severity_counts[s]}</td>'
            for s in SEVERITIES
        )
        bar = "".join(
            f'<span style="width: {r.severity_counts[s] / top * 60:.1f}mm; '
            f'background: {SEVERITY_COLOURS[s]}"></span>'
            for s in SEVERITIES
            if r.severity_counts[s]
        )
        body.append(
            f"<tr><td>{name}</td><td class='num'>{journeys}</td>{nums}"
            f'<td class="num"><b>{total}</b></td><td><div class="bar">{bar}</div></td></tr>'
        )
    heads = "".join(
        f'<th class="num" style="width: 20mm"><span class="sev" style="background: {SEVERITY_COLOURS[s]}">{words[s]}</span></th>'
        for s in SEVERITIES
    )
    table = (
        f'<table class="grid"><thead><tr><th>{words["touchpoint"]}</th>'
        f'<th class="num" style="width: 20mm">{words["journeys"]}</th>{heads}'
        f'<th class="num" style="width: 16mm">{words["total"]}</th>'
        f'<th style="width: 64mm"></th></tr></thead><tbody>{"".join(body)}</tbody></table>'
    )
    # The worst pain points themselves: every rupture and blocker, worst first.
    worst = []
    for i, journey in enumerate(atlas.journeys):
        for step in journey.steps():
            for pain in _pains(journey, step):
                if pain.severity.value in ("rupture", "blocker"):
                    worst.append((SEVERITIES.index(pain.severity.value), i, journey, step, pain))
    worst.sort(key=lambda w: (w[0], w[1]))
    limit = 60
    lines = []
    for _, i, _journey, step, pain in worst[:limit]:
        sev = pain.severity.value
        evidence = f'<br><span class="sub">{esc(pain.evidence)}</span>' if pain.evidence else ""
        lines.append(
            f'<tr><td><span class="sev" style="background: {SEVERITY_COLOURS[sev]}">{words[sev]}</span></td>'
            f"<td>{esc(pain.text)}{evidence}</td>"
            f"<td>{_journey_label(i)} {esc(step.name)}</td></tr>"
        )
    more = ""
    if len(worst) > limit:
        more = f'<p class="more">… {words["more"].format(n=len(worst) - limit)}</p>'
    details = ""
    if lines:
        details = (
            f'<h2 class="sub-title">{words["worst_pains"]}</h2><table class="grid"><thead><tr>'
            f'<th style="width: 22mm"></th><th>{words["pain_points"]}</th>'
            f'<th style="width: 75mm">{words["where"]}</th></tr></thead><tbody>{"".join(lines)}</tbody></table>{more}'
        )
    return f'<section class="section-page" id="sec-pains">{head}{table}{details}</section>\n'


def _currency(atlas: Atlas, item: BacklogItem) -> str | None:
    """The currency of an opportunity's value: its journey's, else the workspace's."""
    return item.journey.currency or atlas.currency


def _backlog_section(atlas: Atlas, words: dict[str, str], lang: str) -> str:
    head = f'<h1 class="section">{words["backlog"]}</h1><p class="lead">{words["backlog_lead"]}</p>'
    items = backlog(atlas)
    if not items:
        return f'<section class="section-page" id="sec-backlog">{head}<p>{words["no_opportunities"]}</p></section>\n'
    owners: dict[str | None, list[Opportunity]] = {}
    for it in items:
        owners.setdefault(it.opportunity.owner, []).append(it.opportunity)
    owner_rows = []
    for owner, opportunities in sorted(
        owners.items(), key=lambda kv: (kv[0] is not None, -len(kv[1]), kv[0] or "")
    ):
        urgent = sum(1 for o in opportunities if o.priority.value in ("critical", "high"))
        values = [o.value for o in opportunities if o.value is not None]
        currencies = {_currency(atlas, it) for it in items if it.opportunity in opportunities}
        total = sum(values) if values else None
        shown = format_money(total, lang, currencies.pop() if len(currencies) == 1 else None)
        name = esc(owner) if owner else f'<span class="owner-none">{words["no_owner"]}</span>'
        owner_rows.append(
            f'<tr><td>{name}</td><td class="num">{len(opportunities)}</td>'
            f'<td class="num">{urgent}</td>'
            f'<td class="num">{esc(shown)}</td></tr>'
        )
    by_owner = (
        f'<h2 class="sub-title" style="margin-top: 0">{words["by_owner"]}</h2>'
        '<table class="grid" style="width: 170mm; margin-bottom: 6mm">'
        f'<thead><tr><th>{words["owner"]}</th><th class="num" style="width: 22mm">{words["count"]}</th>'
        f'<th class="num" style="width: 32mm">{words["high_or_more"]}</th>'
        f'<th class="num" style="width: 30mm">{words["total_value"]}</th>'
        f"</tr></thead><tbody>{''.join(owner_rows)}</tbody></table>"
    )
    rows = []
    for it in items:
        o = it.opportunity
        prio = o.priority.value
        owner = esc(o.owner) if o.owner else f'<span class="owner-none">{words["no_owner"]}</span>'
        rows.append(
            f'<tr><td><span class="prio-badge" style="background: {PRIORITY_COLOURS[prio]}">'
            f"{words['prio_' + prio]}</span></td>"
            f"<td>{esc(o.text)}</td>"
            f"<td>{_journey_label(it.journey_index)} {esc(it.step.name)}</td>"
            f"<td>{owner}</td>"
            f'<td class="nowrap">{words["ost_" + o.status.value]}</td>'
            f'<td class="nowrap">{short_date(o.due, lang) if o.due else ""}</td>'
            f'<td class="num nowrap">{esc(format_money(o.value, lang, _currency(atlas, it)))}</td></tr>'
        )
    table = (
        f'<table class="grid"><thead><tr><th style="width: 19mm">{words["priority"]}</th>'
        f'<th>{words["opportunity"]}</th><th style="width: 62mm">{words["where"]}</th>'
        f'<th style="width: 45mm">{words["owner"]}</th><th style="width: 18mm">{words["status"]}</th>'
        f'<th style="width: 19mm">{words["due"]}</th><th class="num" style="width: 17mm">{words["value"]}</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    # the owners first: who has what to do is the question an executive asks
    return f'<section class="section-page" id="sec-backlog">{head}{by_owner}{table}</section>\n'


# -- the document -----------------------------------------------------------------------------
def _document(atlas: Atlas, resources: Resources, make_map: MapMaker = journey_map) -> str:
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
    body = [
        _cover(atlas, lang, words, contents, title),
        _overview(atlas, rows, words),
        _priority(atlas, words, lang),
    ]
    for index, journey in enumerate(atlas.journeys):
        body.append(_journey_pages(atlas, index, journey, words, lang, resources, make_map, styles))
    if atlas.personas:
        body.append(persona_cards.cards_html(atlas, lang, first=False))
    body.append(_pain_section(atlas, rows, words))
    body.append(_backlog_section(atlas, words, lang))
    css = persona_cards.CSS + CSS + MAP_CSS + styles.css()
    return page(title, css, "".join(body), lang, footer_title=False)


def atlas_html(atlas: Atlas) -> str:
    """The whole atlas as one self-contained HTML document (journey maps as data URLs)."""
    return _document(atlas, Resources())


def atlas_pdf(atlas: Atlas) -> bytes:
    """The whole atlas of a workspace as PDF bytes."""
    resources = Resources()
    with gc_paused():  # the maps' layouts and SVGs too (see gc_paused)
        document = _document(atlas, resources)
    return pdf_bytes(document, resources)


def save_atlas_pdf(atlas: Atlas, path: str | Path) -> Path:
    """Write the whole atlas of a workspace to a PDF file."""
    resources = Resources()
    with gc_paused():  # the maps' layouts and SVGs too (see gc_paused)
        document = _document(atlas, resources)
    return write_pdf(document, path, resources)
