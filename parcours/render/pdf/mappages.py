"""A journey map on paper pages: its scale, its parts, and the HTML of each page.

A map is drawn at the largest scale that keeps its smallest text at :data:`MIN_TEXT_PT`
on paper when it does not fit one page whole. It is then cut into pages of whole columns
and, when its lanes are taller than the page, of whole lanes: every page repeats the lane
titles on the left and the stage band with the step names on top, and says where the map
goes on ("continued in part 3/8 →", always the next page: a page number would make
WeasyPrint lay every map page out twice).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from parcours.model.atlas import Atlas
from parcours.model.journey import Journey
from parcours.render.pdf.crop import Cropper
from parcours.render.pdf.document import Resources
from parcours.render.pdf.maphead import CONTS_HEIGHT, HEAD_HEIGHT, Link, conts_svg, head_svg
from parcours.render.pdf.maptext import (
    TextBlock,
    TextStyles,
    clip_html,
    split_svg_text,
    text_blocks,
)
from parcours.render.pdf.sections import journey_label
from parcours.render.pdf.text import esc, format_date
from parcours.render.pdf.tiles import Tile, tile_page, tile_svg
from parcours.render.typeset import SvgPage

#: The smallest text on a map page, in points (1 CSS px = 0.75 pt).
MIN_TEXT_PT = 7.0


@dataclass(frozen=True)
class Paper:
    """A page size for the map pages: its CSS name and the map area, in CSS px (96 dpi),
    that is left under the journey's header and above the "continued" line."""

    name: str
    css: str
    map_width: float
    map_height: float


PAPERS = {
    "a3": Paper("a3", "A3 landscape", 1488.0, 925.0),
    "a4": Paper("a4", "A4 landscape", 1020.0, 590.0),
}
A3 = PAPERS["a3"]
#: The A3 map area (kept for callers).
MAP_WIDTH = A3.map_width
MAP_HEIGHT = A3.map_height


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
    band: tuple[float, float] | None = None  # y range of the stage band and step row
    rows: list[tuple[float, float]] = field(default_factory=list)  # y range of each lane
    stages: list[tuple[float, float, float, float]] = field(default_factory=list)  # their boxes

    @property
    def band_range(self) -> tuple[float, float]:
        return self.band or (self.grid[0], self.grid[0])

    @property
    def lane_rows(self) -> list[tuple[float, float]]:
        """The rows that may go to separate pages: the lanes (the whole grid if unknown)."""
        return self.rows or [(self.band_range[1], self.grid[1])]


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
    rows = [(lane.rect.y, lane.rect.bottom) for lane in lay.lanes]
    # the stage band and the step row end where the first lane starts
    band_end = rows[0][0] if rows else lay.flow.rect.bottom
    return MapPicture(
        svg=shapes,
        blocks=text_blocks(runs),
        width=lay.width,
        height=lay.height,
        grid=(lay.grid.y, lay.grid.bottom),
        gutter=(0.0, lay.gutter.right + half),
        slots=[lay.slot(i, i + 1) for i in range(len(lay.columns))],
        band=(lay.grid.y, band_end),
        rows=rows,
        stages=[(s.rect.x, s.rect.y, s.rect.right, s.rect.bottom) for s in lay.stages],
    )


@dataclass(frozen=True)
class Part:
    """One page of a map: its columns (start, stop), its lanes (start, stop), the legend."""

    columns: tuple[int, int]
    lanes: tuple[int, int]
    legend: bool = False


@dataclass(frozen=True)
class Plan:
    scale: float
    parts: list[Part]
    column_groups: int = 1
    lane_groups: int = 1

    @property
    def whole(self) -> bool:
        return len(self.parts) == 1


def readable_scale(picture: MapPicture) -> float:
    """The smallest scale at which the map's smallest text is :data:`MIN_TEXT_PT` on paper."""
    sizes = [b.size for b in picture.blocks if b.size > 0]
    return MIN_TEXT_PT / (0.75 * min(sizes)) if sizes else 0.6


def _balanced(count: int, fits: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """``range(count)`` cut into as few runs as ``fits``, balanced so the last is no stub."""
    greedy: list[tuple[int, int]] = []
    start = 0
    while start < count:
        stop = start + 1
        while stop < count and fits(start, stop + 1):
            stop += 1
        greedy.append((start, stop))
        start = stop
    per = -(-count // len(greedy))
    balanced = [(i, min(count, i + per)) for i in range(0, count, per)]
    if len(balanced) == len(greedy) and all(fits(a, b) for a, b in balanced):
        return balanced
    return greedy


def plan_pages(picture: MapPicture, paper: Paper = A3) -> Plan:
    """The scale of a map on its pages and what each page shows.

    A map that fits one page at a scale that keeps its text readable is drawn whole, as
    large as fits (never above 1). Otherwise it is drawn at the readable scale and cut into
    pages of whole columns, and of whole lanes when the lanes are taller than a page
    (pages go down the lanes of a set of steps before the next steps).
    """
    readable = readable_scale(picture)
    n = len(picture.slots)
    top, bottom = picture.grid
    right = picture.slots[-1][1] if picture.slots else picture.width
    tall = picture.height - top
    whole = min(1.0, paper.map_width / right, paper.map_height / tall) if tall > 0 else 1.0
    lanes = picture.lane_rows
    if n == 0 or whole >= readable:
        return Plan(whole, [Part((0, n), (0, len(lanes)), True)])
    scale = readable
    g0, g1 = picture.gutter
    b0, b1 = picture.band_range
    legend_h = picture.height - bottom

    def columns_fit(start: int, stop: int) -> bool:
        x0, x1 = picture.slots[start][0], picture.slots[stop - 1][1]
        return (g1 - g0 + x1 - x0) * scale <= paper.map_width + 0.5

    room = paper.map_height / scale - (b1 - b0)
    # the legend goes under the last lanes: a row of its own when counting heights
    heights = [y1 - y0 for y0, y1 in lanes] + [legend_h]
    if max(heights) > room:  # one lane taller than a page: smaller, or it would be cut
        scale = paper.map_height / (b1 - b0 + max(heights))
        room = paper.map_height / scale - (b1 - b0)

    def lanes_fit(start: int, stop: int) -> bool:
        return sum(heights[start:stop]) <= room + 0.5

    column_groups = _balanced(n, columns_fit)
    lane_groups = _balanced(len(heights), lanes_fit)
    # the legend's pseudo-row ends the last group (it may make a group of its own)
    rows: list[tuple[int, int, bool]] = []
    for a, b in lane_groups:
        legend = b == len(heights)
        b = min(b, len(lanes))
        if a < b or legend:
            rows.append((a, b, legend))
    parts = [Part(c, (a, b), legend) for c in column_groups for a, b, legend in rows]
    return Plan(scale, parts, len(column_groups), len(rows))


def plan_parts(picture: MapPicture, paper: Paper = A3) -> tuple[float, list[tuple[int, int]]]:
    """The scale and the column groups of :func:`plan_pages` (each once, in order)."""
    plan = plan_pages(picture, paper)
    return plan.scale, list(dict.fromkeys(p.columns for p in plan.parts))


def _journey_chips(
    atlas: Atlas, journey: Journey, words: dict[str, str], lang: str
) -> list[tuple[str, bool]]:
    """The chips under a map page's title: (text, strong), personas first."""
    chips = []
    names = {p.id: p for p in atlas.personas}
    for pid in journey.personas:
        persona = names.get(pid)
        if persona is not None:
            emoji = f"{persona.emoji} " if persona.emoji else ""
            chips.append((f"{emoji}{persona.name}", True))
    chips.append((words["state_" + journey.state.value], False))
    chips.append((words["evidence_" + journey.evidence.value], False))
    chips.append((words["status_" + journey.status.value], False))
    if journey.owner:
        colon = " : " if lang == "fr" else ": "
        chips.append((f"{words['owner']}{colon}{journey.owner}", False))
    if journey.reviewed:
        chips.append((f"{words['reviewed_on']} {format_date(journey.reviewed, lang)}", False))
    return chips


def _journey_meta(chips: list[tuple[str, bool]]) -> str:
    return "".join(
        f'<span class="chip{" strong" if strong else ""}">{esc(text)}</span>'
        for text, strong in chips
    )


def _carry_stage_names(picture: MapPicture, x0: float) -> list[TextBlock]:
    """The text blocks, with the name of a stage cut by a page moved to the page's left."""
    blocks = []
    for block in picture.blocks:
        for sx0, sy0, sx1, sy1 in picture.stages:
            if (
                block.anchor == "start"
                and sy0 <= block.y <= sy1
                and sx0 <= block.x < x0 < sx1 - 40
                and block.x - sx0 < 40
            ):
                block = replace(block, x=x0 + (block.x - sx0))
                break
        blocks.append(block)
    return blocks


def _span(words: dict[str, str], start: int, stop: int, total: int, kind: str) -> str:
    """``étapes 7–12`` or ``étape 7``; nothing when the page shows them all."""
    if stop - start == total:
        return ""
    if stop - start == 1:
        return f"{words[kind + '_one']} {stop}"
    return f"{words[kind + 's_range']} {start + 1}–{stop}"


def journey_pages(
    atlas: Atlas,
    index: int,
    journey: Journey,
    words: dict[str, str],
    lang: str,
    resources: Resources,
    make_map: MapMaker,
    styles: TextStyles,
    paper: Paper = A3,
    tiles: list[Tile] | None = None,
) -> str:
    """The HTML of a journey's map pages. With ``tiles``, each page's picture is an empty
    box and its drawing (an SVG) is added to ``tiles`` for :mod:`.tiles` to set in the PDF;
    without, the picture is HTML text over the shapes (a self-contained document)."""
    chips = _journey_chips(atlas, journey, words, lang)
    meta = _journey_meta(chips)
    picture = make_map(journey, atlas)
    anchor = f"journey-{index + 1}"

    def head(part: str = "") -> str:
        part_html = f'<span class="part">{esc(part)}</span>' if part else ""
        return (
            f'<div class="jhead"><h1>{journey_label(index)}{esc(journey.title)}</h1>'
            f'<div class="meta">{part_html}{meta}</div></div>'
        )

    if picture is None:
        steps = "".join(f"<li>{esc(s.name)}</li>" for s in journey.steps())
        return (
            f'<section class="journey-page" id="{anchor}">{head()}<div class="placeholder">'
            f"{words['map_missing']}<ol>{steps}</ol></div></section>\n"
        )
    plan = plan_pages(picture, paper)
    scale = plan.scale
    size = (picture.width, picture.height)
    top, bottom = picture.grid
    g0, g1 = picture.gutter
    b0, b1 = picture.band_range
    lanes = picture.lane_rows
    legend_w = min(picture.width, paper.map_width / scale)
    ids = [anchor if k == 0 else f"{anchor}-p{k + 1}" for k in range(len(plan.parts))]
    crops: dict[tuple[float, float, float, float], str] = {}
    cropper: Cropper | None = None
    added: dict[tuple[float, float, float, float], str] = {}

    def urls(region: tuple[float, float, float, float]) -> str:
        if region not in added:
            added[region] = resources.add_svg(crops[region])
        return added[region]

    pages = []
    for k, part in enumerate(plan.parts):
        regions = []  # (x0, y0, x1, y1) of the map, and where it goes on the page (px)
        blocks = picture.blocks
        label = ""
        marks = []
        previous: tuple[str, str] | None = None
        following: tuple[str, str, str] | None = None
        if plan.whole:  # the whole width, lane titles included, in one piece
            x1 = picture.slots[-1][1] if picture.slots else picture.width
            regions.append(((0.0, top, x1, bottom), (0.0, 0.0)))
            width, height = x1 * scale, (bottom - top) * scale
        else:
            (c0, c1), (l0, l1) = part.columns, part.lanes
            x0, x1 = picture.slots[c0][0], picture.slots[c1 - 1][1]
            gutter_w, band_h = (g1 - g0) * scale, (b1 - b0) * scale
            height = band_h
            y1 = lanes[l1 - 1][1] if l0 < l1 else b1
            if l0 == 0 or l0 == l1:  # the band and the first lanes touch: one piece each
                regions.append(((g0, b0, g1, y1), (0.0, 0.0)))
                regions.append(((x0, b0, x1, y1), (gutter_w, 0.0)))
            else:  # the band again, over lanes further down
                y0 = lanes[l0][0]
                regions.append(((g0, b0, g1, b1), (0.0, 0.0)))
                regions.append(((x0, b0, x1, b1), (gutter_w, 0.0)))
                regions.append(((g0, y0, g1, y1), (0.0, band_h)))
                regions.append(((x0, y0, x1, y1), (gutter_w, band_h)))
            if l0 < l1:
                height += (y1 - lanes[l0][0]) * scale
            width = gutter_w + (x1 - x0) * scale
            blocks = _carry_stage_names(picture, x0)
            spans = [
                _span(words, c0, c1, len(picture.slots), "step"),
                _span(words, l0, l1, len(lanes), "lane") if l0 < l1 else "",
            ]
            label = " · ".join(
                [f"{words['part']} {k + 1}/{len(plan.parts)}", *[s for s in spans if s]]
            )
            if k + 1 < len(plan.parts):
                way = "down" if plan.parts[k + 1].columns == part.columns else "right"
                following = (f"{words['continued']} {k + 2}/{len(plan.parts)}", ids[k + 1], way)
                marks.append(
                    f'<a class="cont next {way}" href="#{ids[k + 1]}">{esc(following[0])}</a>'
                )
            if k > 0:
                previous = (f"{words['continued_from']} {k}/{len(plan.parts)}", ids[k - 1])
                marks.insert(0, f'<a class="cont prev" href="#{ids[k - 1]}">{esc(previous[0])}</a>')
        if part.legend and picture.height > bottom:  # the legend, once
            regions.append(((0.0, bottom, legend_w, picture.height), (0.0, height)))
            height += (picture.height - bottom) * scale
            width = max(width, legend_w * scale)
        # each part draws only its own shapes: drawing the whole map clipped, part after
        # part, would cost the whole map each time; the lane titles and the band recur
        for region, _at in regions:
            if region not in crops:
                cropper = cropper or Cropper(picture.svg)
                crops[region] = cropper.crop(region)
        if tiles is not None:  # the whole page drawn by Typst; WeasyPrint keeps a box
            drawn = [(crops[region], region, at) for region, at in regions]
            pages.append(
                _tiled_page(
                    tiles,
                    (ids[k], k == 0),
                    (index + 1, journey.title, chips, label),
                    tile_svg(drawn, blocks, scale, top=HEAD_HEIGHT),
                    (max(width, paper.map_width), height),
                    (previous, following),
                )
            )
            continue
        clips = "".join(
            clip_html(urls(region), size, blocks, region, at, scale, styles)
            for region, at in regions
        )
        line = f'<div class="conts">{"".join(marks)}</div>' if marks else ""
        pages.append(
            f'<section class="journey-page" id="{ids[k]}">{head(label)}'
            f'<div class="mapwrap" style="width: {width:.1f}px; height: {height:.1f}px">'
            f"{clips}</div>{line}</section>\n"
        )
    return "".join(pages)


def _tiled_page(
    tiles: list[Tile],
    page_id: tuple[str, bool],
    heading: tuple[int, str, list[tuple[str, bool]], str],
    drawing: str,
    size: tuple[float, float],
    conts: tuple[tuple[str, str] | None, tuple[str, str, str] | None],
) -> str:
    """A map page for :mod:`.tiles`: the header, the map and the "continued" line as one
    SVG added to ``tiles``; in the HTML an empty box of its size, the links over their
    words, and the journey's bookmark on its first page."""
    number, title, chips, part = heading
    width, map_height = size
    total = HEAD_HEIGHT + map_height
    line, links = "", list[Link]()
    if conts != (None, None):
        line, links = conts_svg(total, width, *conts)
        total += CONTS_HEIGHT
    key = f"map-tile-{len(tiles) + 1}"
    svg = tile_page(
        drawing, head_svg(number, title, chips, part, width), line, width=width, height=total
    )
    tiles.append(Tile(key, SvgPage(svg, width, total)))
    hits = "".join(
        f'<a class="hit" href="#{link.target}" style="left: {link.box[0]:.1f}px; '
        f"top: {link.box[1]:.1f}px; width: {link.box[2] - link.box[0]:.1f}px; "
        f'height: {link.box[3] - link.box[1]:.1f}px"></a>'
        for link in links
    )
    anchor, first = page_id
    mark = f' data-title="{number}. {esc(title)}"' if first else ""
    return (
        f'<section class="journey-page tiled{" first" if first else ""}" id="{anchor}"{mark}>'
        f'<div class="mapwrap" id="{key}" style="width: {width:.1f}px; height: {total:.1f}px">'
        f"</div>{hits}</section>\n"
    )
