"""The step diagram of the SVG map: path tracks, links with their arrow heads and
tooltips, step nodes with their ports, entry and end markers, loop labels.

Functions of the painter ``p`` of :mod:`parcours.render.svg` (its ``lay``, ``th``, ``text``,
``block``, ``badge``, ``title``, ``visible``), like :mod:`parcours.render.svg_data`.
"""

from __future__ import annotations

from typing import Any

from parcours.render.geometry import Connector, Rect, StepNode
from parcours.render.shapes import (
    arrow_head,
    end_marker,
    entry_marker,
    num,
    rect,
    rounded_path,
    safe_id,
)
from parcours.render.theme import tint


def flow(p: Any) -> list[str]:
    """The step diagram: path tracks, connectors, step nodes, entry and end markers, and the
    loop labels over everything."""
    f = p.lay.flow
    out = ['<g id="steps">']
    if not f.linear:
        for t in f.tracks:
            if t.path_id is not None:
                out.append(
                    rect(
                        Rect(t.rect.x, t.rect.y - 4, t.rect.w, t.rect.h + 8),
                        tint(t.color, 0.05),
                        rx=8,
                    )
                )
                out.append(rect(Rect(t.rect.x, t.rect.y - 4, 4, t.rect.h + 8), t.color, rx=2))
    for t in f.tracks:
        if t.name is not None:
            out.append(p.block(t.name))
    for c in f.connectors:
        xs = [pt[0] for pt in c.points]
        if p.visible(min(xs), max(xs)):
            out.append(connector(p, c))
    for n in f.nodes:
        if p.visible(n.rect.x - 20, n.rect.right + 20):
            out.append(node(p, n))
    for m in f.markers:
        if not p.visible(m.cx - m.r, m.cx + m.r):
            continue
        if m.kind == "entry":
            out.append(entry_marker(m.cx, m.cy, m.r, m.color))
        else:
            out.append(end_marker(m.cx, m.cy, m.r, m.color))
    for c in f.connectors:  # loop labels over everything
        if c.label_line is not None and p.visible(
            c.label_line.left, c.label_line.left + c.label_line.width
        ):
            ln = c.label_line
            pad = 5
            out.append(
                rect(
                    Rect(ln.left - pad, ln.y - ln.size * 0.95, ln.width + 2 * pad, ln.size * 1.35),
                    "#ffffff",
                    tint(c.color, 0.5),
                    rx=4,
                )
            )
            out.append(p.text(ln))
    out.append("</g>")
    return out


def connector(p: Any, c: Connector) -> str:
    """A link between two steps: its rounded path, arrow head and tooltip."""
    dash = ' stroke-dasharray="6 4"' if c.dashed else ""
    pts = c.points
    # stop the line at the base of the arrow head
    head = 7 + c.width
    (x0, y0), (x1, y1) = pts[-2], pts[-1]
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 or 1
    trimmed = (
        *pts[:-1],
        (x1 - (x1 - x0) / length * head * 0.8, y1 - (y1 - y0) / length * head * 0.8),
    )
    return (
        f'<g id="{safe_id(c.id)}" class="{c.kind}">{p.title(edge_title(c))}'
        f'<path d="{rounded_path(trimmed)}" fill="none" stroke="{c.color}" '
        f'stroke-width="{num(c.width)}" stroke-linejoin="round" stroke-linecap="round"{dash}/>'
        f"{arrow_head(pts, head, c.color)}</g>"
    )


def edge_title(c: Connector) -> str:
    """The tooltip of a link: source → target · label · share."""
    parts = [f"{c.source} → {c.target}"]
    if c.label:
        parts.append(c.label)
    if c.share is not None:
        parts.append(f"{num(c.share * 100)} %")
    return " · ".join(parts)


def node(p: Any, n: StepNode) -> str:
    """A step of the diagram: its box, accent, tags, name and the ports of its ways out."""
    th = p.th
    r = n.rect
    out = [f'<g id="step-{safe_id(n.step_id)}">', p.title(n.title.text)]
    out.append(rect(r, n.fill, n.stroke, rx=8, width=1.2))
    out.append(rect(Rect(r.x, r.y, 5, r.h), n.accent, rx=2.5))
    for t in n.tags:
        out.append(p.badge(t))
    out.append(p.block(n.title))
    if n.ports:
        top = n.ports[0].text.lines[0].y - th.small_size * 1.25 if n.ports[0].text.lines else r.y
        out.append(
            f'<line x1="{num(r.x + 10)}" y1="{num(top)}" x2="{num(r.right - 8)}" y2="{num(top)}" '
            f'stroke="{th.grid}" stroke-width="1"/>'
        )
        for port in n.ports:
            out.append(p.block(port.text))
            color = th.loop_color if port.kind == "loop" else n.accent
            out.append(
                f'<circle cx="{num(port.x)}" cy="{num(port.y)}" r="3.5" fill="{color}" '
                'stroke="#ffffff" stroke-width="1.5"/>'
            )
    out.append("</g>")
    return "".join(out)
