r"""Pages of a map: one page, or tiles of a few steps for long maps.

A :class:`Page` is a set of :class:`Viewport`\ s, each showing a region of the map: every
tile shows the header, the lane titles (the gutter), its own columns and the legend, and
under its caption where the map goes on. :func:`paint_tiles` makes one SVG per page, which
the PDF painter (:mod:`.raster`) turns into PDF pages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from parcours.model.words import table
from parcours.render import fonts
from parcours.render.geometry import Rect, TextLine
from parcours.render.layout import Layout
from parcours.render.shapes import arrow_text, arrow_text_width, esc, num, rect, text
from parcours.render.svg import GROUPS, open_tag, paint, paint_body


@dataclass(frozen=True)
class Viewport:
    """A rectangle of a page showing a region of the map (from ``sx``, ``sy``)."""

    x: float
    y: float
    w: float
    h: float
    sx: float
    sy: float
    window: tuple[float, float] | None  # the map's x range painted in it (None: all)
    only: tuple[str, ...] = GROUPS


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    viewports: tuple[Viewport, ...]
    caption: TextLine | None = None  # "11–20 / 60 (2/6)" on tiled pages


def page_plan(lay: Layout, steps_per_page: int | None = None) -> list[Page]:
    """The pages of a map: one page, or tiles of ``steps_per_page`` columns.

    Every tile shows the header, the lane titles (the gutter), its columns and the legend.
    """
    th = lay.theme
    n = len(lay.columns)
    whole = Viewport(0, 0, lay.width, lay.height, 0, 0, None)
    if n == 0 or not steps_per_page or steps_per_page <= 0 or n <= steps_per_page:
        return [Page(lay.width, lay.height, (whole,))]
    gutter_right = lay.gutter.right + th.column_gap / 2
    tile_w = steps_per_page * (th.column_width + th.column_gap)
    page_w = round(gutter_right + tile_w + th.margin, 2)
    grid_top = lay.grid.y
    grid_bottom = round(lay.grid.bottom + 6, 2)
    head_h, gh = grid_top, round(grid_bottom - grid_top, 2)
    legend_h = round(lay.height - grid_bottom, 2)
    page_h = round(head_h + gh + legend_h, 2)
    count = (n + steps_per_page - 1) // steps_per_page
    pages = []
    size = th.small_size + 1
    for k in range(count):
        start, stop = k * steps_per_page, min(n, (k + 1) * steps_per_page)
        x0, x1 = lay.slot(start, stop)
        caption = f"{start + 1}–{stop} / {n}  ({k + 1}/{count})"
        cap_w = round(fonts.text_width(caption, size, 600), 2)
        cap = TextLine(
            caption,
            round(page_w - th.margin - cap_w, 2),
            round(th.margin + 14, 2),
            size,
            cap_w,
            600,
            th.muted,
        )
        pages.append(
            Page(
                page_w,
                page_h,
                (
                    Viewport(0, 0, page_w, head_h, 0, 0, (0, 0), ("header",)),
                    Viewport(
                        0,
                        head_h,
                        gutter_right,
                        gh,
                        0,
                        grid_top,
                        (0, gutter_right),
                        ("lanes", "flow"),
                    ),
                    Viewport(
                        gutter_right,
                        head_h,
                        round(x1 - x0, 2),
                        gh,
                        x0,
                        grid_top,
                        (x0, x1),
                        GROUPS[1:-1],
                    ),
                    Viewport(0, head_h + gh, page_w, legend_h, 0, grid_bottom, (0, 0), ("legend",)),
                ),
                cap,
            )
        )
    return pages


def shows(v: Viewport, line: TextLine) -> bool:
    """Whether some of a text line lies in what the viewport shows (the rest is clipped)."""
    return (
        line.left + line.width > v.sx
        and line.left < v.sx + v.w
        and line.y + line.size * 0.4 > v.sy
        and line.y - line.size < v.sy + v.h
    )


def continued(lay: Layout, page: Page, index: int, count: int) -> TextLine | None:
    """ "← continued from page 1 · continued on page 3 →" under a tiled page's caption."""
    if count < 2 or page.caption is None:
        return None
    words = table("MAP", lay.lang)
    said = []
    if index > 0:
        said.append(words["continued_prev"].format(n=index))
    if index + 1 < count:
        said.append(words["continued_next"].format(n=index + 2))
    text_ = " · ".join(said)
    cap = page.caption
    size = cap.size
    width = arrow_text_width(text_, size, 600)
    right = cap.x + cap.width
    return TextLine(
        text_, round(right - width, 2), round(cap.y + size * 1.5, 2), size, width, 600, cap.color
    )


def paint_tiles(lay: Layout, steps_per_page: int, *, tooltips: bool = False) -> list[str]:
    """One SVG document per page of :func:`page_plan`."""
    plan = page_plan(lay, steps_per_page)
    if len(plan) == 1:
        return [paint(lay, tooltips=tooltips)]
    family = f"'{lay.theme.font_family}', sans-serif"
    out = []
    for index, page in enumerate(plan):
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            open_tag(page.width, page.height, family=family),
            f"<title>{esc(lay.title)}{' — ' + esc(page.caption.text) if page.caption else ''}</title>",
            rect(Rect(0, 0, page.width, page.height), lay.theme.background),
        ]
        for v in page.viewports:
            body = paint_body(
                lay,
                v.window,
                background=False,
                tooltips=tooltips,
                only=v.only,
                keep=functools.partial(shows, v),
            )
            parts.append(
                f'<svg x="{num(v.x)}" y="{num(v.y)}" width="{num(v.w)}" height="{num(v.h)}" '
                f'viewBox="{num(v.sx)} {num(v.sy)} {num(v.w)} {num(v.h)}" overflow="hidden">'
                f"{body}</svg>"
            )
        if page.caption is not None:
            parts.append(text(page.caption, lay.theme))
            mark = continued(lay, page, index, len(plan))
            if mark is not None:
                parts.append(arrow_text(mark))
        parts.append("</svg>")
        out.append("\n".join(parts) + "\n")
    return out
