"""PNG and PDF from the SVG painter, with the shipped font and no network.

* **PNG**: resvg (:mod:`.png`) draws the SVG with the Noto Sans file shipped by
  ``fontpkg-noto-sans`` and the system colour emoji font when there is one; system fonts
  are not loaded, so the picture is the same on every machine. The width is capped
  (:data:`MAX_PNG_WIDTH`) so that a 200-step map does not make a gigapixel image.
* **PDF**: Typst (:mod:`.typeset`) turns the painter's SVG into vector shapes and real
  text (selectable, searchable, in the shipped font, emoji sequences whole), reading no
  file but the fonts. Long maps are split into pages of a few steps each
  (:func:`.pages.paint_tiles`), the lane titles repeated on every page.
"""

from __future__ import annotations

from parcours.render import fonts
from parcours.render.layout import Layout
from parcours.render.pages import page_plan, paint_tiles
from parcours.render.svg import paint

#: The widest PNG we write, in px; wider maps are scaled down to it.
MAX_PNG_WIDTH = 16000
#: Maps with more steps than this are split into PDF pages of this many steps.
PDF_STEPS_PER_PAGE = 12


def font_files() -> list[str]:
    """The font files the renderers may read: Noto Sans, and the emoji and symbol fonts
    if any."""
    return [str(f) for f in fonts.drawing_fonts()]


def svg_to_png(svg: str, *, zoom: float = 1.0, background: str = "#ffffff") -> bytes:
    """Rasterise an SVG string with resvg (resvg-py) and the shipped fonts only."""
    from parcours.render.png import resvg_png

    return resvg_png(svg, font_files(), zoom, background)


def png_zoom(width: float, scale: float, max_width: int) -> float:
    """The zoom that applies ``scale`` but keeps the image at most ``max_width`` px wide."""
    if scale <= 0:
        from parcours.errors import InvalidJourney

        raise InvalidJourney(f"scale is {scale}; give a positive number such as 1 or 2")
    return min(scale, max_width / width) if width > 0 else scale


def png_bytes(lay: Layout, *, scale: float = 1.0, max_width: int = MAX_PNG_WIDTH) -> bytes:
    """The laid-out map as PNG bytes (see :mod:`parcours.render.png`)."""
    from parcours.render.png import draw_map

    zoom = png_zoom(lay.width, scale, max_width)
    fast = draw_map(lay, zoom, font_files(), lay.theme.background)
    if fast is not None:
        return fast
    svg = paint(lay, background=False, tooltips=False)  # resvg fills the background
    return svg_to_png(svg, zoom=zoom, background=lay.theme.background)


# ------------------------------------------------------------------------------- PDF
def pdf_bytes(lay: Layout, *, steps_per_page: int | None = None) -> bytes:
    """The laid-out map as a vector PDF; long maps become several pages."""
    from parcours.render.typeset import SvgPage, svg_pages_pdf

    n = len(lay.columns)
    per_page = steps_per_page if steps_per_page is not None else PDF_STEPS_PER_PAGE
    if n > per_page > 0:
        # balance the pages: 13 steps at 12 per page make pages of 7 and 6, not 12 and 1
        count = -(-n // per_page)
        per_page = -(-n // count)
    else:
        per_page = 0
    plan = page_plan(lay, per_page)
    svgs = paint_tiles(lay, per_page)
    pages = [SvgPage(svg, page.width, page.height) for page, svg in zip(plan, svgs, strict=True)]
    return svg_pages_pdf(pages, title=lay.title)
