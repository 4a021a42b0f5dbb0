"""SVG of the measured figures: the measured emotion curve and the observed badges.

Called by the painter of :mod:`parcours.render.svg` (so the PDF's text goes where the
painter sends it); each function returns nothing for a map without data, so maps without
data are drawn byte for byte as before.
"""

from __future__ import annotations

from typing import Any

from parcours.render.badges import STYLE
from parcours.render.geometry import MeasuredPoint, Rect
from parcours.render.measured import MEASURED_COLOR, tooltip
from parcours.render.shapes import icon_path, num, rect, smooth_path
from parcours.render.theme import tint

DASH = "7 4"


def measured_marks(p: Any) -> list[str]:
    """The measured curves, their points with the 95 % interval, and their values."""
    lay = p.lay
    if not lay.measured_points:
        return []
    out = ['<g id="measured-emotions">']
    for c in lay.measured:
        pts = [(q.x, q.y) for q in c.points]
        if len(pts) > 1:
            out.append(
                f'<path id="{c.id}" d="{smooth_path(pts)}" fill="none" stroke="{c.color}" '
                f'stroke-width="{num(c.width)}" stroke-dasharray="{DASH}" '
                'stroke-linecap="round" stroke-opacity="0.9"/>'
            )
    color = lay.measured[0].color if lay.measured else MEASURED_COLOR
    for q in lay.measured_points:
        if p.visible(q.x - 20, q.x + 60):
            out.append(_point(p, q, color, lay.lang))
    out.append("</g>")
    return out


def _point(p: Any, q: MeasuredPoint, color: str, lang: str) -> str:
    parts = [f'<g class="measured">{p.title(tooltip(q, lang))}']
    if q.low_y is not None and q.high_y is not None:
        x = num(q.x)
        parts.append(
            f'<path d="M{x} {num(q.high_y)}V{num(q.low_y)}M{num(q.x - 4)} {num(q.high_y)}'
            f'H{num(q.x + 4)}M{num(q.x - 4)} {num(q.low_y)}H{num(q.x + 4)}" '
            f'stroke="{color}" stroke-width="1.4" stroke-opacity="0.8" fill="none"/>'
        )
    d = 5.5
    parts.append(
        f'<path d="M{num(q.x)} {num(q.y - d)}L{num(q.x + d)} {num(q.y)}L{num(q.x)} '
        f'{num(q.y + d)}L{num(q.x - d)} {num(q.y)}Z" fill="#ffffff" stroke="{color}" '
        'stroke-width="2"/>'
    )
    if q.label is not None:
        ln = q.label
        parts.append(
            rect(
                Rect(ln.left - 3, ln.y - ln.size * 0.95, ln.width + 6, ln.size * 1.3),
                "#ffffff",
                extra='fill-opacity="0.85"',
                rx=3,
            )
        )
        parts.append(p.text(ln))
    parts.append("</g>")
    return "".join(parts)


def band_frame(p: Any) -> list[str]:
    """The observed band's background and its title in the left gutter."""
    band = p.lay.data_band
    if band is None:
        return []
    th = p.th
    r, tr = band.rect, band.title_rect
    return [
        '<g id="observed-band">'
        + rect(r, tint(band.accent, 0.04))
        + rect(Rect(tr.x, tr.y + 3, tr.w, tr.h - 6), th.lane_title_fill, rx=6)
        + rect(Rect(tr.x, tr.y + 3, 4, tr.h - 6), band.accent, rx=2)
        + p.block(band.title)
        + "</g>"
    ]


def badges(p: Any) -> list[str]:
    """The observed figures under the steps."""
    band = p.lay.data_band
    if band is None:
        return []
    out = ['<g id="observed">']
    for b in band.badges:
        if not p.visible(b.rect.x, b.rect.right):
            continue
        out.append(f'<g class="observed {b.kind}">{p.title(b.tooltip)}')
        if b.kind != "more":
            out.append(rect(b.rect, b.fill, b.stroke, rx=5))
            color = b.text.lines[0].color if b.text.lines else b.stroke
            out.append(icon_path(_icon(b.kind), b.rect.x + 5, b.rect.y + 4, 14, color, 2.2))
        out.append(p.block(b.text))
        out.append("</g>")
    out.append("</g>")
    return out


def _icon(kind: str) -> str:
    return STYLE[kind][1]
