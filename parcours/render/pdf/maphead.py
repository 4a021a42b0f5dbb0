"""A map page's header and "continued" line, drawn in SVG over the map (the atlas PDF).

The same look as the HTML header of :func:`.mappages.journey_pages` (the journey's
number in a dark pill, its title, its chips, the part on the right, a rule), drawn by
Typst with the map: WeasyPrint only keeps an empty box, the links and the bookmark. Sizes
are CSS px (1 pt = 4/3 px, 1 mm = 96/25.4 px); text is measured with the shipped font.
"""

from __future__ import annotations

from dataclasses import dataclass

from parcours.render import fonts
from parcours.render.geometry import TextLine
from parcours.render.shapes import arrow_text, arrow_text_width, text_content

MM = 96 / 25.4
PT = 4 / 3
TITLE_SIZE = 15 * PT
META_SIZE = 8 * PT
INK, MUTED, SOFT, LINK = "#0f172a", "#475569", "#94a3b8", "#1d4ed8"
CHIP_LINE, CHIP_TEXT, PREV = "#cbd5e1", "#334155", "#64748b"
#: Where the map starts under the header, and the height of the "continued" line.
HEAD_HEIGHT = 60.5
CONTS_HEIGHT = 20.0


@dataclass(frozen=True)
class Link:
    """A clickable box of the page (CSS px from the tile's top left) and its target id."""

    target: str
    box: tuple[float, float, float, float]


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _text(
    x: float, y: float, size: float, weight: int, fill: str, text: str, anchor: str = ""
) -> str:
    end = ' text-anchor="end"' if anchor == "end" else ""
    middle = ' text-anchor="middle"' if anchor == "middle" else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" font-weight="{weight}" '
        f'fill="{fill}"{end}{middle} xml:space="preserve">{text_content(text)}</text>'
    )


def head_svg(
    number: int, title: str, chips: list[tuple[str, bool]], part: str, width: float
) -> str:
    """The header across ``width`` px: number, title (cut with "…" when too long), chips
    (text, strong) and the part on the right, over a rule; :data:`HEAD_HEIGHT` tall."""
    out = []
    digits = str(number)
    pill_h = 6 * MM
    pill_w = max(pill_h, fonts.text_width(digits, META_SIZE, 700) + 1.2 * MM)
    out.append(
        f'<rect x="0" y="0.5" width="{_n(pill_w)}" height="{_n(pill_h)}" '
        f'rx="{_n(pill_h / 2)}" fill="{INK}"/>'
    )
    out.append(
        _text(
            pill_w / 2,
            0.5 + pill_h / 2 + META_SIZE * 0.36,
            META_SIZE,
            700,
            "#ffffff",
            digits,
            "middle",
        )
    )
    x = pill_w + 2 * MM
    out.append(_text(x, 19.3, TITLE_SIZE, 700, INK, fonts.fit(title, width - x, TITLE_SIZE, 700)))
    top, chip_h = 27.5, 16.3
    baseline = top + chip_h / 2 + META_SIZE * 0.36
    right = width
    if part:
        part_w = fonts.text_width(part, META_SIZE, 400)
        out.append(_text(width, baseline, META_SIZE, 400, SOFT, part, "end"))
        right = width - part_w - 4 * MM
    x = 0.0
    for text, strong in chips:
        text_w = fonts.text_width(text, META_SIZE, 400)
        chip_w = text_w + 4 * MM
        if x + chip_w > right:  # no room left on the line: the rest is left out, as in HTML
            break
        fill, stroke, ink = (INK, INK, "#ffffff") if strong else ("none", CHIP_LINE, CHIP_TEXT)
        out.append(
            f'<rect x="{_n(x + 0.5)}" y="{_n(top)}" width="{_n(chip_w - 1)}" height="{_n(chip_h)}" '
            f'rx="{_n(2.5 * MM)}" fill="{fill}" stroke="{stroke}" stroke-width="0.94"/>'
        )
        out.append(_text(x + 2 * MM, baseline, META_SIZE, 400, ink, text))
        x += chip_w + 1.2 * MM
    rule = top + chip_h + 1.5 * MM
    out.append(
        f'<rect x="0" y="{_n(rule)}" width="{_n(width)}" height="{_n(0.4 * MM)}" fill="{INK}"/>'
    )
    return "".join(out)


def conts_svg(
    top: float,
    width: float,
    previous: tuple[str, str] | None,
    following: tuple[str, str, str] | None,
) -> tuple[str, list[Link]]:
    """The "continued" line at ``top``: ``previous`` (text, target id) on the left in grey
    with "← ", ``following`` (text, target id, "right" or "down") on the right in blue with
    " →" or " ↓"; the SVG and the boxes to make links of."""
    out, links = [], []
    baseline = top + 5.67 + 11.0
    box_top, box_h = top + 4.0, 16.0
    if previous is not None:
        text = "← " + previous[0]
        w = arrow_text_width(text, META_SIZE, 400)
        out.append(arrow_text(TextLine(text, 0.0, baseline, META_SIZE, w, 400, PREV)))
        links.append(Link(previous[1], (0.0, box_top, w, box_top + box_h)))
    if following is not None:
        text = following[0] + (" ↓" if following[2] == "down" else " →")
        w = arrow_text_width(text, META_SIZE, 600)
        out.append(arrow_text(TextLine(text, width - w, baseline, META_SIZE, w, 600, LINK)))
        links.append(Link(following[1], (width - w, box_top, width, box_top + box_h)))
    return "".join(out), links
