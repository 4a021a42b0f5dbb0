"""The priority matrix: each journey at (customer value, business value), effort as size."""

from __future__ import annotations

import math
from dataclasses import dataclass

from parcours.model.atlas import Atlas
from parcours.model.journey import Journey
from parcours.render import fonts
from parcours.render.pdf.sections import journey_label
from parcours.render.pdf.text import esc, format_number

CURRENT, FUTURE = "#2563eb", "#16a34a"
#: The matrix's drawing, in its own units (the page shows it 140 mm wide).
SIZE, PAD, TOP = 560.0, 58.0, 16.0
PLOT = SIZE - PAD - 16
KEY_H = 44.0  # the bubble-size key under the axis title
GAP = 3.0  # between two bubbles, at least


@dataclass
class Bubble:
    """A journey on the matrix: where its values put it (``x0``, ``y0``) and where it is
    drawn (``x``, ``y``), moved as little as needed so that no bubble covers another."""

    index: int
    x0: float
    y0: float
    r: float
    colour: str
    x: float = 0.0
    y: float = 0.0

    @property
    def moved(self) -> bool:
        """Whether the bubble had to leave its exact place (its place is then outside it)."""
        return math.hypot(self.x - self.x0, self.y - self.y0) > self.r


def _px(v: float) -> float:
    return PAD + v / 100 * PLOT


def _py(v: float) -> float:
    return TOP + (1 - v / 100) * PLOT


def _radius(effort: float, top: float) -> float:
    return 11 + (13 * math.sqrt(effort / top) if top else 0)


def _spread(bubbles: list[Bubble]) -> None:
    """Push overlapping bubbles apart, pairwise, until none overlaps (kept in the plot).

    Deterministic: the same journeys give the same picture. Bubbles at the same point
    start on a small circle around it, in journey order.
    """
    seen: dict[tuple[float, float], list[Bubble]] = {}
    for b in bubbles:
        seen.setdefault((b.x0, b.y0), []).append(b)
    for group in seen.values():
        for k, b in enumerate(group):
            angle = 2 * math.pi * k / len(group) - math.pi / 2
            spread = 0.0 if len(group) == 1 else b.r
            b.x, b.y = b.x0 + spread * math.cos(angle), b.y0 + spread * math.sin(angle)
    for _ in range(400):
        moved = False
        for i, a in enumerate(bubbles):
            for b in bubbles[i + 1 :]:
                dx, dy = b.x - a.x, b.y - a.y
                d = math.hypot(dx, dy)
                need = a.r + b.r + GAP
                if d >= need - 1e-6:
                    continue
                if d < 1e-6:
                    dx, dy, d = 1.0, 0.0, 1.0
                push = (need - d) / 2 + 0.01
                a.x, a.y = a.x - dx / d * push, a.y - dy / d * push
                b.x, b.y = b.x + dx / d * push, b.y + dy / d * push
                moved = True
        for b in bubbles:
            b.x = min(max(b.x, PAD + b.r), PAD + PLOT - b.r)
            b.y = min(max(b.y, TOP + b.r), TOP + PLOT - b.r)
        if not moved:
            return


def bubbles(atlas: Atlas) -> list[Bubble]:
    """The bubbles of the valued journeys, spread so that none covers another."""
    valued = [
        (i, j)
        for i, j in enumerate(atlas.journeys)
        if j.value and j.value.customer is not None and j.value.business is not None
    ]
    efforts = [j.value.effort for _, j in valued if j.value and j.value.effort]
    top = max(efforts) if efforts else 0.0
    found = []
    for i, j in valued:
        assert j.value is not None and j.value.customer is not None
        assert j.value.business is not None
        found.append(
            Bubble(
                i,
                _px(j.value.customer),
                _py(j.value.business),
                _radius(j.value.effort or 0.0, top),
                FUTURE if j.state.value == "future" else CURRENT,
            )
        )
    _spread(found)
    return found


LABEL_SIZE = 10.5
LABEL_CHARS = 30


def _short(title: str) -> str:
    return title if len(title) <= LABEL_CHARS else title[: LABEL_CHARS - 1].rstrip() + "…"


Box = tuple[float, float, float, float]


def _hits(box: Box, b: Bubble) -> bool:
    """Whether a label's box meets a bubble (a circle)."""
    nx = min(max(b.x, box[0]), box[2])
    ny = min(max(b.y, box[1]), box[3])
    return math.hypot(nx - b.x, ny - b.y) < b.r + 1


def labels(atlas: Atlas, drawn: list[Bubble]) -> list[tuple[Box, str, str]]:
    """The journeys' titles beside their bubbles where one fits without covering a bubble
    or another title (box, anchor, text); the list beside the matrix names them all."""
    placed: list[tuple[Box, str, str]] = []
    for b in sorted(drawn, key=lambda b: b.index):
        text = _short(atlas.journeys[b.index].title)
        w = fonts.text_width(text, LABEL_SIZE)
        h = LABEL_SIZE * 1.3
        for anchor, x0, y0 in (
            ("start", b.x + b.r + 4, b.y - h / 2),
            ("end", b.x - b.r - 4 - w, b.y - h / 2),
            ("middle", b.x - w / 2, b.y + b.r + 2),
            ("middle", b.x - w / 2, b.y - b.r - 2 - h),
        ):
            box = (x0, y0, x0 + w, y0 + h)
            inside = box[0] >= PAD + 2 and box[2] <= PAD + PLOT - 2
            inside = inside and box[1] >= TOP + 18 and box[3] <= TOP + PLOT - 18
            if not inside or any(_hits(box, other) for other in drawn):
                continue
            if any(
                not (box[2] < o[0] or o[2] < box[0] or box[3] < o[1] or o[3] < box[1])
                for o, _, _ in placed
            ):
                continue
            placed.append((box, anchor, text))
            break
    return placed


def _size_key(atlas: Atlas, words: dict[str, str], lang: str, y: float) -> list[str]:
    efforts = sorted({j.value.effort for j in atlas.journeys if j.value and j.value.effort})
    if not efforts:
        return []
    top = efforts[-1]
    shown = [efforts[0], efforts[len(efforts) // 2], top] if len(efforts) > 2 else efforts
    parts = [
        f'<text x="{PAD:.1f}" y="{y + 4:.1f}" font-size="11" font-weight="700" '
        f'fill="#475569">{esc(words["effort_key"])}</text>'
    ]
    x = PAD + fonts.text_width(words["effort_key"], 11, 700) + 16
    for effort in dict.fromkeys(shown):
        r = _radius(effort, top)
        parts.append(
            f'<circle cx="{x + r:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="none" stroke="#64748b" '
            'stroke-width="1.2"/>'
            f'<text x="{x + 2 * r + 5:.1f}" y="{y + 4:.1f}" font-size="11" '
            f'fill="#475569">{esc(format_number(effort, lang))}</text>'
        )
        x += 2 * r + 5 + fonts.text_width(format_number(effort, lang), 11) + 16
    return parts


def priority_svg(atlas: Atlas, words: dict[str, str], lang: str = "en") -> str:
    """The priority matrix as SVG: customer value (x) × business value (y), effort as size."""
    drawn = bubbles(atlas)
    key = _size_key(atlas, words, lang, SIZE + KEY_H / 2)
    height = SIZE + (KEY_H if key else 0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE:.0f} {height:.0f}" '
        'font-family="Noto Sans, sans-serif">',
        f'<rect x="{PAD}" y="{TOP}" width="{PLOT}" height="{PLOT}" fill="#f8fafc" stroke="#cbd5e1"/>',
        f'<rect x="{_px(50)}" y="{TOP}" width="{PLOT / 2}" height="{PLOT / 2}" fill="#eff6ff"/>',
        f'<line x1="{_px(50)}" y1="{TOP}" x2="{_px(50)}" y2="{TOP + PLOT}" stroke="#94a3b8" stroke-dasharray="4 4"/>',
        f'<line x1="{PAD}" y1="{_py(50)}" x2="{PAD + PLOT}" y2="{_py(50)}" stroke="#94a3b8" stroke-dasharray="4 4"/>',
    ]
    quadrants = [
        (_px(98), _py(97), "end", words["q_top"], "#1d4ed8"),
        (_px(2), _py(97), "start", words["q_business"], "#64748b"),
        (_px(98), _py(2) - 4, "end", words["q_customer"], "#64748b"),
        (_px(2), _py(2) - 4, "start", words["q_low"], "#94a3b8"),
    ]
    for x, y, anchor, text, colour in quadrants:
        parts.append(
            f'<text x="{x:.1f}" y="{y + 12:.1f}" text-anchor="{anchor}" font-size="13" '
            f'font-weight="700" fill="{colour}">{esc(text)}</text>'
        )
    for v in (0, 25, 50, 75, 100):
        parts.append(
            f'<text x="{_px(v):.1f}" y="{TOP + PLOT + 16:.1f}" text-anchor="middle" '
            f'font-size="11" fill="#64748b">{v}</text>'
        )
        parts.append(
            f'<text x="{PAD - 8:.1f}" y="{_py(v) + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="#64748b">{v}</text>'
        )
    parts.append(
        f'<text x="{_px(50):.1f}" y="{SIZE - 8:.1f}" text-anchor="middle" font-size="13" '
        f'font-weight="700" fill="#0f172a">{esc(words["customer_value"])} →</text>'
    )
    parts.append(
        f'<text transform="translate(16 {_py(50):.1f}) rotate(-90)" text-anchor="middle" '
        f'font-size="13" font-weight="700" fill="#0f172a">{esc(words["business_value"])} →</text>'
    )
    for b in drawn:  # where the values are, tied to the bubble when it had to move
        if b.moved:
            parts.append(
                f'<line x1="{b.x0:.1f}" y1="{b.y0:.1f}" x2="{b.x:.1f}" y2="{b.y:.1f}" '
                f'stroke="{b.colour}" stroke-width="1.2"/>'
                f'<circle cx="{b.x0:.1f}" cy="{b.y0:.1f}" r="2.5" fill="{b.colour}"/>'
            )
    for b in sorted(drawn, key=lambda b: -b.r):
        parts.append(
            f'<circle cx="{b.x:.1f}" cy="{b.y:.1f}" r="{b.r:.1f}" fill="{b.colour}" '
            'fill-opacity="0.9" stroke="#fff" stroke-width="2"/>'
            f'<text x="{b.x:.1f}" y="{b.y + 4.5:.1f}" text-anchor="middle" font-size="12.5" '
            f'font-weight="700" fill="#fff">{b.index + 1}</text>'
        )
    for box, _anchor, text in labels(atlas, drawn):
        parts.append(
            f'<text x="{box[0]:.1f}" y="{box[3] - LABEL_SIZE * 0.35:.1f}" '
            f'font-size="{LABEL_SIZE}" fill="#0f172a">{esc(text)}</text>'
        )
    parts.extend(key)
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
        colour = FUTURE if j.state.value == "future" else CURRENT
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
    states = {b.colour for b in bubbles(atlas)}
    entries = [(CURRENT, words["state_current"]), (FUTURE, words["state_future"])]
    legend = "".join(
        f'<span class="dot" style="background: {colour}"></span>{label}'
        for colour, label in entries
        if colour in states
    )
    moved = any(b.moved for b in bubbles(atlas))
    note = f'<p class="legend">{words["moved_note"]}</p>' if moved else ""
    legend = f'<p class="legend">{legend}</p>{note}' if legend else ""
    return (
        f'<section class="section-page" id="sec-priority">{head}<table class="prio"><tr>'
        f'<td class="chart">{priority_svg(atlas, words, lang)}</td><td class="list{" compact" if compact else ""}">{legend}{table}</td>'
        "</tr></table></section>\n"
    )
