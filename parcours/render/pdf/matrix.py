"""The priority matrix: each journey at (customer value, business value), effort as size."""

from __future__ import annotations

import math

from parcours.model.atlas import Atlas
from parcours.model.journey import Journey
from parcours.render.pdf.sections import journey_label
from parcours.render.pdf.text import esc, format_number


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


def priority_section(atlas: Atlas, words: dict[str, str], lang: str) -> str:
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
            unvalued.append(f"<li>{journey_label(i)} {esc(j.title)}</li>")
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
