"""A journey map on paper pages: its scale, its parts, and the HTML of each page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from parcours.model.atlas import Atlas
from parcours.model.journey import Journey
from parcours.render.pdf.crop import crop_svg
from parcours.render.pdf.document import Resources
from parcours.render.pdf.maptext import (
    TextBlock,
    TextStyles,
    clip_html,
    split_svg_text,
    text_blocks,
)
from parcours.render.pdf.sections import journey_label
from parcours.render.pdf.text import esc, format_date

#: The map area of a journey page, in CSS px (96 dpi): A3 landscape (maps are posters)
#: minus the margins and the journey's header.
MAP_WIDTH = 1488.0
MAP_HEIGHT = 950.0
#: The smallest scale a map is drawn at, unless its height needs smaller: 12 px text is
#: then 5.4 pt on the A3 page. Wider maps are cut into pages of whole columns.
READABLE_SCALE = 0.6


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


def journey_pages(
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
            f'<div class="jhead"><h1>{journey_label(index)}{esc(journey.title)}</h1>'
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
