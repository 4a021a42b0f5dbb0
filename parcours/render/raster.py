"""PNG and PDF from the SVG painter, with the shipped font and no network.

* **PNG**: resvg (``resvg-py``) draws the SVG with the Noto Sans file shipped by
  ``fontpkg-noto-sans`` and the system colour emoji font when there is one; system fonts
  are not loaded, so the picture is the same on every machine. The width is capped
  (:data:`MAX_PNG_WIDTH`) so that a 200-step map does not make a gigapixel image.
* **PDF**: WeasyPrint lays the SVG out as vector graphics with real, selectable text.
  Its URL fetcher refuses every fetch except the font files passed to it (RELIABILITY
  S16). Long maps are split into pages of a few steps each, the lane titles repeated on
  every page.
"""

from __future__ import annotations

import logging
from pathlib import Path

from parcours.render import fonts
from parcours.render.layout import Layout
from parcours.render.svg import paint, paint_tiles

#: The widest PNG we write, in px; wider maps are scaled down to it.
MAX_PNG_WIDTH = 16000
#: Maps with more steps than this are split into PDF pages of this many steps.
PDF_STEPS_PER_PAGE = 12


def font_files() -> list[str]:
    """The font files the renderers may read: Noto Sans, and the emoji font if any."""
    files = [str(fonts.font_file())]
    emoji = fonts.emoji_font_file()
    if emoji is not None:
        files.append(str(emoji))
    return files


def svg_to_png(svg: str, *, zoom: float = 1.0, background: str = "#ffffff") -> bytes:
    """Rasterise an SVG string with resvg and the shipped fonts only."""
    import resvg_py

    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            font_files=font_files(),
            skip_system_fonts=True,
            zoom=zoom,
            background=background,
        )
    )


def png_zoom(width: float, scale: float, max_width: int) -> float:
    """The zoom that applies ``scale`` but keeps the image at most ``max_width`` px wide."""
    if scale <= 0:
        from parcours.errors import InvalidJourney

        raise InvalidJourney(f"scale is {scale}; give a positive number such as 1 or 2")
    return min(scale, max_width / width) if width > 0 else scale


def png_bytes(lay: Layout, *, scale: float = 1.0, max_width: int = MAX_PNG_WIDTH) -> bytes:
    """The laid-out map as PNG bytes."""
    svg = paint(lay, background=False, tooltips=False)  # resvg fills the background
    return svg_to_png(
        svg, zoom=png_zoom(lay.width, scale, max_width), background=lay.theme.background
    )


# ------------------------------------------------------------------------------- PDF
def _deny_all_fetcher(allowed: dict[str, Path]) -> object:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class DenyFetcher(URLFetcher):
        """Refuses every URL except the font files it was given (no network, no files)."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file",), allow_redirects=False)

        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            path = allowed.get(url)
            if path is None:
                raise ValueError(f"parcours renderers fetch nothing; refused {url[:200]!r}")
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": "font/ttf"}
            )

        def __call__(self, url: str) -> URLFetcherResponse:
            return self.fetch(url)

    return DenyFetcher()


def svgs_to_pdf(pages: list[str]) -> bytes:
    """One PDF page per SVG document, each page the size of its SVG, vector throughout."""
    import weasyprint
    from lxml import etree
    from weasyprint.text.fonts import FontConfiguration

    font = fonts.font_file()
    allowed = {font.as_uri(): font}
    bodies = []
    sizes = []
    for i, svg in enumerate(pages):
        root = etree.fromstring(svg.encode("utf-8"))
        width, height = root.get("width"), root.get("height")
        sizes.append((width, height))
        body = svg.split("?>", 1)[1] if svg.startswith("<?xml") else svg
        bodies.append(f'<div class="page p{i}">{body}</div>')
    page_rules = "".join(
        f"@page p{i} {{ size: {w}px {h}px; margin: 0 }} .p{i} {{ page: p{i} }}"
        for i, (w, h) in enumerate(sizes)
    )
    html = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
        f'@font-face {{ font-family: "Noto Sans"; src: url("{font.as_uri()}"); '
        "font-weight: 100 900; }"
        f"{page_rules}"
        "html, body { margin: 0; padding: 0 } .page { break-after: page } "
        ".page:last-child { break-after: auto } svg { display: block }"
        "</style></head><body>" + "".join(bodies) + "</body></html>"
    )
    # WeasyPrint reports unsupported SVG details through logging; keep them quiet
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, url_fetcher=_deny_all_fetcher(allowed), base_url=None)
    return bytes(document.write_pdf(font_config=FontConfiguration()))


def pdf_bytes(lay: Layout, *, steps_per_page: int | None = None) -> bytes:
    """The laid-out map as a vector PDF; long maps become several pages."""
    n = len(lay.columns)
    per_page = steps_per_page if steps_per_page is not None else PDF_STEPS_PER_PAGE
    if n > per_page > 0:
        # balance the pages: 13 steps at 12 per page make pages of 7 and 6, not 12 and 1
        count = -(-n // per_page)
        per_page = -(-n // count)
        return svgs_to_pdf(paint_tiles(lay, per_page))
    return svgs_to_pdf([paint(lay, tooltips=False)])
