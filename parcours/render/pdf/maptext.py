"""A journey map as HTML: the SVG's shapes as an image, its text as real HTML text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from parcours.escape.html import text as esc
from parcours.render import fonts
from parcours.render.pdf.crop import inherited, simple_transform

# WeasyPrint draws SVG <text> one letter at a time (slow: ~10 ms a line, and it splits emoji
# sequences); HTML text is laid out once per line, shaped, selectable and searchable. So the
# atlas takes the map's text out of the SVG and sets it over the picture, at the same
# baselines, in the same shipped font.
SVG_NS = "{http://www.w3.org/2000/svg}"
#: Noto Sans vertical metrics (typo ascender 1069, descender 293 per 1000 units).
ASCENT = 1.069
LINE = 1.362
_SAFE_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-z]{3,20}")
_SAFE_WEIGHT = re.compile(r"[1-9]00|normal|bold")


@dataclass(frozen=True)
class TextRun:
    """One line of text of a map, at its baseline, in SVG px."""

    x: float
    y: float
    size: float
    weight: str
    fill: str
    anchor: str  # start | middle | end
    text: str


def _placement(node: Any) -> tuple[float, float, float] | None:
    """The (dx, dy, scale) that maps the node's coordinates to the root's, or None."""
    dx, dy, scale = 0.0, 0.0, 1.0
    current = node
    while current is not None and current.getparent() is not None:
        if current is not node and current.tag == SVG_NS + "svg":
            return None  # a nested viewport: leave this text to the SVG
        own = simple_transform(current.get("transform"))
        if own is None:
            return None
        # the parent's transform applies after this one: p_parent = own(p)
        dx, dy, scale = own[0] + dx * own[2], own[1] + dy * own[2], scale * own[2]
        current = current.getparent()
    return dx, dy, scale


def split_svg_text(svg: str) -> tuple[str, list[TextRun]]:
    """The SVG without its plain ``<text>`` lines, and those lines (root coordinates).

    Text the function cannot place exactly (with ``tspan`` children, in a nested viewport,
    under a rotation…) stays in the SVG.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(svg.encode("utf-8"), parser)
    runs: list[TextRun] = []
    for node in list(root.iter(SVG_NS + "text")):
        if len(node) or not node.text or node.get("transform"):
            continue
        try:
            x, y = float(node.get("x", "0")), float(node.get("y", "0"))
            size = float(inherited(node, "font-size", "16").removesuffix("px"))
        except ValueError:
            continue
        placement = _placement(node)
        if placement is None:
            continue
        dx, dy, scale = placement
        fill = inherited(node, "fill", "#000000")
        weight = inherited(node, "font-weight", "400")
        anchor = inherited(node, "text-anchor", "start")
        runs.append(
            TextRun(
                x=x * scale + dx,
                y=y * scale + dy,
                size=size * scale,
                weight=weight if _SAFE_WEIGHT.fullmatch(weight) else "400",
                fill=fill if _SAFE_COLOUR.fullmatch(fill) else "#000000",
                anchor=anchor if anchor in ("start", "middle", "end") else "start",
                text=node.text,
            )
        )
        parent = node.getparent()
        parent.remove(node)
    _simplify(root)
    return etree.tostring(root, encoding="unicode"), runs


def _simplify(root: Any) -> None:
    """Drop tooltips and unwrap groups that only carry an id: WeasyPrint pays per node."""
    for node in list(root.iter(SVG_NS + "title", SVG_NS + "desc")):
        if node.getparent() is not None and node.getparent() is not root:
            node.getparent().remove(node)
    for group in list(root.iter(SVG_NS + "g")):
        parent = group.getparent()
        if parent is None or set(group.attrib) - {"id"}:
            continue
        index = parent.index(group)
        for offset, child in enumerate(list(group)):
            parent.insert(index + offset, child)
        parent.remove(group)


MAP_CSS = f"""
.mapwrap {{ position: relative; }}
.clip {{ position: absolute; overflow: hidden; }}
.clip img {{ position: absolute; display: block; }}
.clip .t {{ position: absolute; white-space: pre; line-height: {LINE}; margin: 0;
            width: 3000px; }}
.clip .t.m {{ text-align: center; }}
.clip .t.e {{ text-align: right; }}
"""


@dataclass(frozen=True)
class TextBlock:
    """Consecutive lines of one card (same place, font and colour, evenly spaced)."""

    x: float
    y: float  # baseline of the first line
    size: float
    weight: str
    fill: str
    anchor: str
    lines: tuple[str, ...]
    spacing: float  # between baselines (0 for one line)


def text_blocks(runs: list[TextRun]) -> list[TextBlock]:
    """Runs merged into blocks: fewer, larger elements are much cheaper to lay out."""
    blocks: list[TextBlock] = []
    for run in runs:
        if blocks:
            last = blocks[-1]
            gap = run.y - (last.y + last.spacing * (len(last.lines) - 1))
            same = (last.x, last.size, last.weight, last.fill, last.anchor) == (
                run.x,
                run.size,
                run.weight,
                run.fill,
                run.anchor,
            )
            if (
                same
                and 0 < gap < 2 * run.size
                and (len(last.lines) == 1 or abs(gap - last.spacing) < 0.05)
            ):
                blocks[-1] = TextBlock(
                    last.x,
                    last.y,
                    last.size,
                    last.weight,
                    last.fill,
                    last.anchor,
                    (*last.lines, run.text),
                    gap,
                )
                continue
        blocks.append(
            TextBlock(run.x, run.y, run.size, run.weight, run.fill, run.anchor, (run.text,), 0.0)
        )
    return blocks


class TextStyles:
    """CSS classes for the (size, weight, colour) of map text: one rule, not one style each."""

    def __init__(self) -> None:
        self._names: dict[tuple[str, str, str], str] = {}

    def name(self, size: float, weight: str, fill: str) -> str:
        key = (f"{size:.2f}", weight, fill)
        if key not in self._names:
            self._names[key] = f"k{len(self._names)}"
        return self._names[key]

    def css(self) -> str:
        return "".join(
            f".clip .{name} {{ font-size: {size}px; font-weight: {weight}; color: {fill}; }}\n"
            for (size, weight, fill), name in self._names.items()
        )


def extent(block: TextBlock) -> tuple[float, float]:
    """The x range the block's widest line covers (measured with the shipped font)."""
    weight = {"normal": 400, "bold": 700}.get(block.weight) or int(block.weight)
    w = max(fonts.text_width(line, block.size, weight) for line in block.lines)
    if block.anchor == "middle":
        return block.x - w / 2, block.x + w / 2
    if block.anchor == "end":
        return block.x - w, block.x
    return block.x, block.x + w


def meets(block: TextBlock, region: tuple[float, float, float, float]) -> bool:
    """Whether some of the block lies in ``region`` (x0, y0, x1, y1 in SVG px)."""
    x0, y0, x1, y1 = region
    last_y = block.y + block.spacing * (len(block.lines) - 1)
    if not (y0 - block.size < last_y and block.y < y1 + block.size):
        return False
    left_x, right_x = extent(block)
    return right_x > x0 + 0.5 and left_x < x1 - 0.5


def clip_html(
    url: str,
    size: tuple[float, float],
    blocks: list[TextBlock],
    region: tuple[float, float, float, float],
    at: tuple[float, float],
    scale: float,
    styles: TextStyles,
) -> str:
    """The part ``region`` (x0, y0, x1, y1 in SVG px) of a map, placed ``at`` (px), scaled."""
    x0, y0, x1, y1 = region
    width, height = size
    parts = [
        f'<div class="clip" style="left: {at[0]:.2f}px; top: {at[1]:.2f}px; '
        f'width: {(x1 - x0) * scale:.2f}px; height: {(y1 - y0) * scale:.2f}px">'
        f'<img src="{url}" alt="" style="left: {-x0 * scale:.2f}px; top: {-y0 * scale:.2f}px; '
        f'width: {width * scale:.2f}px; height: {height * scale:.2f}px">'
    ]
    for block in blocks:
        if not meets(block, region):
            continue
        font = block.size * scale
        left = (block.x - x0) * scale
        extra = ""
        first_baseline = ASCENT * font
        if len(block.lines) > 1:
            line = block.spacing * scale
            extra = f"; line-height: {line:.2f}px"
            first_baseline += (line - LINE * font) / 2
        top = (block.y - y0) * scale - first_baseline
        cls = "t " + styles.name(font, block.weight, block.fill)
        if block.anchor == "middle":
            cls, left = cls + " m", left - 1500
        elif block.anchor == "end":
            cls, left = cls + " e", left - 3000
        text = "<br>".join(esc(line) for line in block.lines)
        parts.append(
            f'<p class="{cls}" style="left: {left:.2f}px; top: {top:.2f}px{extra}">{text}</p>'
        )
    parts.append("</div>")
    return "".join(parts)
