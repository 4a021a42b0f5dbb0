"""SVG building blocks: escaping, numbers, text with emoji runs, boxes, icons, arrows,
curves and vector emotion faces.

Everything here returns markup built from escaped values only: user
text goes through :func:`esc`, which also drops the characters XML cannot hold.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from parcours.escape.xml import text as esc
from parcours.render import fonts
from parcours.render.geometry import Badge, Icon, Rect, TextBlock, TextLine
from parcours.render.icons import ICONS
from parcours.render.theme import Theme

SVG_NS = "http://www.w3.org/2000/svg"
EMOJI_FAMILIES = "'Noto Color Emoji', 'Apple Color Emoji', 'Segoe UI Emoji', sans-serif"
_ID_SAFE = re.compile(r"[^A-Za-z0-9_\-.]")


def num(value: float) -> str:
    """A number with at most two decimals and no trailing zeros: ``12.5``, ``3``, ``-0.25``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def safe_id(text: str) -> str:
    """An id attribute value built from model ids (which are already ``[a-z0-9_-]``)."""
    return _ID_SAFE.sub("-", text)


# ------------------------------------------------------------------------- primitives
def text(line: TextLine, theme: Theme, extra: str = "") -> str:
    attrs = [f'x="{num(line.x)}"', f'y="{num(line.y)}"', f'font-size="{num(line.size)}"']
    if line.weight != 400:
        attrs.append(f'font-weight="{line.weight}"')
    attrs.append(f'fill="{line.color}"')
    if line.anchor != "start":
        attrs.append(f'text-anchor="{line.anchor}"')
    if line.italic:
        attrs.append('font-style="italic"')
    if extra:
        attrs.append(extra)
    return f"<text {' '.join(attrs)}>{text_content(line.text)}</text>"


#: Arrows the shipped font lacks, drawn as strokes: (dx, dy) of the head's direction.
ARROWS = {"→": (1, 0), "←": (-1, 0), "↓": (0, 1), "↑": (0, -1)}
#: An arrow's advance, in em.
ARROW_EM = 0.9


def arrow_text_width(value: str, size: float, weight: int = 400) -> float:
    """The width of :func:`arrow_text` of ``value``."""
    plain = "".join(ch for ch in value if ch not in ARROWS)
    arrows = len(value) - len(plain)
    return fonts.text_width(plain, size, weight) + arrows * ARROW_EM * size


def arrow_text(line: TextLine) -> str:
    """A text line whose arrows (→ ← ↓ ↑, which Noto Sans lacks) are drawn as strokes.

    The line starts at ``line.left`` (its anchor is taken into account with the width of
    :func:`arrow_text_width`); the runs between arrows are ordinary ``<text>``.
    """
    size, weight = line.size, line.weight
    x = line.left if line.anchor == "start" else line.x
    if line.anchor != "start":
        width = arrow_text_width(line.text, size, weight)
        x -= width if line.anchor == "end" else width / 2
    out = []
    run = ""
    stroke = max(0.6, size * 0.075)
    bold = f' font-weight="{weight}"' if weight != 400 else ""
    for ch in line.text + "\0":
        if ch not in ARROWS and ch != "\0":
            run += ch
            continue
        if run:
            out.append(
                f'<text x="{num(x)}" y="{num(line.y)}" font-size="{num(size)}"{bold} '
                f'fill="{line.color}" xml:space="preserve">{text_content(run)}</text>'
            )
            x += fonts.text_width(run, size, weight)
            run = ""
        if ch == "\0":
            break
        dx, dy = ARROWS[ch]
        half = size * 0.3
        cx, cy = x + ARROW_EM * size / 2, line.y - size * 0.32
        tip_x, tip_y = cx + dx * half, cy + dy * half
        tail_x, tail_y = cx - dx * half, cy - dy * half
        head = size * 0.2
        # the two strokes of the head, back from the tip and to each side
        a = (tip_x - dx * head - dy * head, tip_y - dy * head - dx * head)
        b = (tip_x - dx * head + dy * head, tip_y - dy * head + dx * head)
        out.append(
            f'<path d="M{num(tail_x)} {num(tail_y)}L{num(tip_x)} {num(tip_y)}'
            f'M{num(a[0])} {num(a[1])}L{num(tip_x)} {num(tip_y)}L{num(b[0])} {num(b[1])}" '
            f'fill="none" stroke="{line.color}" stroke-width="{num(stroke)}" '
            'stroke-linecap="round" stroke-linejoin="round"/>'
        )
        x += ARROW_EM * size
    return "".join(out)


def text_content(value: str) -> str:
    """Escaped text, with emoji runs in a tspan that asks for the colour emoji font and
    symbols Noto Sans lacks (→, ✓, ★) in one that asks for the symbol font."""
    out = []
    for run, emoji in fonts.segments(value):
        if emoji:
            out.append(f'<tspan font-family="{EMOJI_FAMILIES}">{esc(run)}</tspan>')
            continue
        for part, symbol in fonts.symbol_runs(run):
            if symbol:
                out.append(f'<tspan font-family="{fonts.SYMBOL_FAMILIES}">{esc(part)}</tspan>')
            else:
                out.append(esc(part))
    return "".join(out)


def block(b: TextBlock | None, theme: Theme) -> str:
    if b is None:
        return ""
    return "".join(text(line, theme) for line in b.lines)


def rect(
    r: Rect,
    fill: str,
    stroke: str | None = None,
    *,
    rx: float = 0,
    width: float = 1,
    dashed: bool = False,
    extra: str = "",
) -> str:
    attrs = [f'x="{num(r.x)}"', f'y="{num(r.y)}"', f'width="{num(r.w)}"', f'height="{num(r.h)}"']
    if rx:
        attrs.append(f'rx="{num(rx)}"')
    attrs.append(f'fill="{fill}"')
    if stroke:
        attrs.append(f'stroke="{stroke}" stroke-width="{num(width)}"')
        if dashed:
            attrs.append('stroke-dasharray="5 4"')
    if extra:
        attrs.append(extra)
    return f"<rect {' '.join(attrs)}/>"


def icon(i: Icon | None) -> str:
    if i is None:
        return ""
    if i.emoji:
        size = i.size * 0.9
        return (
            f'<text x="{num(i.x + i.size / 2)}" y="{num(i.y + i.size * 0.82)}" '
            f'font-size="{num(size)}" text-anchor="middle" '
            f'font-family="{EMOJI_FAMILIES}">{esc(i.emoji)}</text>'
        )
    return icon_path(i.name, i.x, i.y, i.size, i.color)


def icon_path(name: str, x: float, y: float, size: float, color: str, width: float = 2) -> str:
    d = ICONS.get(name, ICONS["dot"])
    s = size / 24
    return (
        f'<path d="{d}" transform="translate({num(x)} {num(y)}) scale({s:.4g})" '
        f'fill="none" stroke="{color}" stroke-width="{num(width)}" stroke-linecap="round" '
        'stroke-linejoin="round"/>'
    )


def title(tooltip: str) -> str:
    return f"<title>{esc(tooltip)}</title>" if tooltip else ""


def rounded_path(points: Iterable[tuple[float, float]], radius: float = 7) -> str:
    """Path data for a polyline whose corners are rounded."""
    pts = list(points)
    if len(pts) < 2:
        return ""
    d = [f"M{num(pts[0][0])} {num(pts[0][1])}"]
    for i in range(1, len(pts) - 1):
        (x0, y0), (x1, y1), (x2, y2) = pts[i - 1], pts[i], pts[i + 1]
        d1 = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        d2 = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
        r = min(radius, d1 / 2, d2 / 2)
        if r < 0.5 or d1 == 0 or d2 == 0:
            d.append(f"L{num(x1)} {num(y1)}")
            continue
        ax, ay = x1 - (x1 - x0) / d1 * r, y1 - (y1 - y0) / d1 * r
        bx, by = x1 + (x2 - x1) / d2 * r, y1 + (y2 - y1) / d2 * r
        d.append(f"L{num(ax)} {num(ay)}Q{num(x1)} {num(y1)} {num(bx)} {num(by)}")
    d.append(f"L{num(pts[-1][0])} {num(pts[-1][1])}")
    return "".join(d)


def arrow_head(points: tuple[tuple[float, float], ...], size: float, color: str) -> str:
    (x0, y0), (x1, y1) = points[-2], points[-1]
    length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 or 1
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    bx, by = x1 - ux * size, y1 - uy * size
    px, py = -uy * size * 0.55, ux * size * 0.55
    return (
        f'<path d="M{num(x1)} {num(y1)}L{num(bx + px)} {num(by + py)}L{num(bx - px)} {num(by - py)}Z" '
        f'fill="{color}"/>'
    )


def smooth_path(points: list[tuple[float, float]]) -> str:
    """A smooth curve through points with increasing x: flat at every point, no overshoot.

    Each piece is a cubic whose tangents are horizontal at both ends, so a piece depends
    only on its two points: curves sharing steps (the trunk of a branched map) coincide.
    """
    if not points:
        return ""
    d = [f"M{num(points[0][0])} {num(points[0][1])}"]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        mx = (x0 + x1) / 2
        d.append(f"C{num(mx)} {num(y0)} {num(mx)} {num(y1)} {num(x1)} {num(y1)}")
    return "".join(d)


def face(cx: float, cy: float, r: float, score: int, color: str, ring: str = "#ffffff") -> str:
    """An emotion face drawn with shapes: a disc, two eyes and a mouth curved by the score."""
    ink = "#1f2937"
    eye_dx, eye_y, eye_r = r * 0.36, cy - r * 0.2, max(r * 0.12, 1.2)
    mouth_y = cy + r * 0.34
    mouth_w = r * 0.46
    bend = score * r * 0.2  # > 0: a smile (the control point is below the corners)
    parts = [
        f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}" fill="{color}" stroke="{ring}" '
        f'stroke-width="{num(max(r * 0.14, 1))}"/>',
        f'<circle cx="{num(cx - eye_dx)}" cy="{num(eye_y)}" r="{num(eye_r)}" fill="{ink}"/>',
        f'<circle cx="{num(cx + eye_dx)}" cy="{num(eye_y)}" r="{num(eye_r)}" fill="{ink}"/>',
        f'<path d="M{num(cx - mouth_w)} {num(mouth_y - bend * 0.3)}Q{num(cx)} {num(mouth_y + bend)} '
        f'{num(cx + mouth_w)} {num(mouth_y - bend * 0.3)}" fill="none" stroke="{ink}" '
        f'stroke-width="{num(max(r * 0.13, 1))}" stroke-linecap="round"/>',
    ]
    if score <= -2:  # frowning brows
        bw = r * 0.24
        by = eye_y - r * 0.28
        sw = num(max(r * 0.11, 1))
        parts.append(
            f'<path d="M{num(cx - eye_dx - bw)} {num(by - bw * 0.5)}L{num(cx - eye_dx + bw)} '
            f"{num(by + bw * 0.3)}M{num(cx + eye_dx + bw)} {num(by - bw * 0.5)}L"
            f'{num(cx + eye_dx - bw)} {num(by + bw * 0.3)}" stroke="{ink}" stroke-width="{sw}" '
            'stroke-linecap="round" fill="none"/>'
        )
    return "".join(parts)


def badge_shapes(b: Badge) -> str:
    """A badge's pill and icon, without its text."""
    out = [rect(b.rect, b.fill, b.stroke, rx=b.rect.h / 2)]
    if b.icon:
        color = b.text.color
        if b.icon == "dot":
            out.append(entry_marker(b.rect.x + 10, b.rect.cy, 5.5, b.text.color, b.fill))
        else:
            out.append(icon_path(b.icon, b.rect.x + 4, b.rect.y + 3, 12, color, 2.4))
    return "".join(out)


def badge(b: Badge | None, theme: Theme) -> str:
    if b is None:
        return ""
    return badge_shapes(b) + text(b.text, theme)


def entry_marker(cx: float, cy: float, r: float, color: str, inner: str = "#ffffff") -> str:
    t = r * 0.45
    return (
        f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}" fill="{color}"/>'
        f'<path d="M{num(cx - t * 0.7)} {num(cy - t)}L{num(cx + t)} {num(cy)}L{num(cx - t * 0.7)} '
        f'{num(cy + t)}Z" fill="{inner}"/>'
    )


def end_marker(cx: float, cy: float, r: float, color: str) -> str:
    return (
        f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}" fill="#ffffff" stroke="{color}" '
        f'stroke-width="2"/><circle cx="{num(cx)}" cy="{num(cy)}" r="{num(r * 0.45)}" '
        f'fill="{color}"/>'
    )
