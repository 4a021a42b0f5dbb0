"""PNG and PDF from the SVG painter, with the shipped font and no network.

* **PNG**: resvg (:mod:`.png`) draws the SVG with the Noto Sans file shipped by
  ``fontpkg-noto-sans`` and the system colour emoji font when there is one; system fonts
  are not loaded, so the picture is the same on every machine. The width is capped
  (:data:`MAX_PNG_WIDTH`) so that a 200-step map does not make a gigapixel image.
* **PDF**: WeasyPrint draws the shapes from the SVG painter as vector graphics and sets
  every line of text as HTML text at the position the layout measured (selectable,
  searchable, kerned, emoji sequences whole). Its URL fetcher refuses every fetch except
  the font file passed to it. Long maps are split into pages of a few
  steps each, the lane titles repeated on every page.
"""

from __future__ import annotations

import logging
from pathlib import Path

from parcours.escape import html as escape_html
from parcours.model.words import table
from parcours.render import fonts
from parcours.render.geometry import TextLine
from parcours.render.layout import Layout
from parcours.render.pages import Page, Viewport, page_plan
from parcours.render.pdf.document import gc_paused
from parcours.render.svg import paint, paint_body

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
#: Where the PDF's own SVG drawings are "fetched" from: memory, never a real file.
SHAPES_URL = "file:///parcours-render/shapes-{}.svg"


def _deny_all_fetcher(allowed: dict[str, Path], shapes: dict[str, bytes] | None = None) -> object:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    memory = dict(shapes or {})

    class DenyFetcher(URLFetcher):
        """Refuses every URL but the font files and in-memory drawings it was given."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file",), allow_redirects=False)

        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            if url in memory:
                return URLFetcherResponse(
                    url, body=memory[url], headers={"Content-Type": "image/svg+xml"}
                )
            path = allowed.get(url)
            if path is None:
                raise ValueError(f"parcours renderers fetch nothing; refused {url[:200]!r}")
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": "font/ttf"}
            )

        def __call__(self, url: str) -> URLFetcherResponse:
            return self.fetch(url)

    return DenyFetcher()


def _css_px(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "px"


def _span(line: TextLine, baseline: float, family: str) -> str:
    """A line of text as an absolutely placed span whose baseline sits at ``line.y``."""
    style = [
        f"left:{_css_px(line.left)}",
        f"top:{_css_px(line.y - baseline * line.size)}",
        f"font-size:{_css_px(line.size)}",
        f"line-height:{_css_px(line.size)}",
        f"color:{line.color}",
    ]
    if line.weight != 400:
        style.append(f"font-weight:{line.weight}")
    if line.italic:
        style.append("font-style:italic")
    return f'<span style="{";".join(style)}">{escape_html.xml_text(line.text)}</span>'


def _shows(v: Viewport, line: TextLine) -> bool:
    """Whether some of a text line lies in what the viewport shows (the rest is clipped)."""
    return (
        line.left + line.width > v.sx
        and line.left < v.sx + v.w
        and line.y + line.size * 0.4 > v.sy
        and line.y - line.size < v.sy + v.h
    )


def _continued(lay: Layout, page: Page, index: int, count: int) -> TextLine | None:
    """ "← continued from page 1 · continued on page 3 →" under a tiled page's caption."""
    if count < 2 or page.caption is None:
        return None
    words = table("MAP", lay.lang)
    said = []
    if index > 0:
        said.append(words["continued_prev"].format(n=index))
    if index + 1 < count:
        said.append(words["continued_next"].format(n=index + 2))
    text = " · ".join(said)
    cap = page.caption
    size = cap.size
    width = fonts.text_width(text, size, 600)
    right = cap.x + cap.width
    return TextLine(
        text, round(right - width, 2), round(cap.y + size * 1.5, 2), size, width, 600, cap.color
    )


def pages_html(lay: Layout, plan: list[Page]) -> tuple[str, dict[str, bytes]]:
    """The pages as one HTML document: shapes as SVG, text as real HTML text.

    WeasyPrint lays SVG text out one letter at a time (slow, no kerning, broken emoji
    sequences); text set as HTML is shaped whole, selectable and searchable. The shapes
    are SVG images served from memory (inline SVG would give every shape a CSS style).
    Returns the HTML and the drawings by URL.
    """
    shapes: dict[str, bytes] = {}
    font = fonts.font_file()
    m = fonts.metrics()
    # where the baseline sits in a line box as tall as the font size (CSS half-leading)
    baseline = (1 - (m.ascender + m.descender)) / 2 + m.ascender
    # emoji come from the system's fallback fonts: naming the emoji font here would make
    # Pango draw digits with it
    family = f'"{lay.theme.font_family}", sans-serif'
    body = []
    rules = []
    for i, page in enumerate(plan):
        rules.append(
            f"@page p{i} {{ size: {_css_px(page.width)} {_css_px(page.height)}; margin: 0 }}"
            f" .p{i} {{ page: p{i}; width: {_css_px(page.width)}; "
            f"height: {_css_px(page.height)} }}"
        )
        parts = [f'<div class="page p{i}">']
        for v in page.viewports:
            sink: list[TextLine] = []
            drawing = paint_body(
                lay, v.window, background=False, tooltips=False, only=v.only, sink=sink
            )
            sink = [line for line in sink if _shows(v, line)]
            url = SHAPES_URL.format(len(shapes))
            shapes[url] = (
                f'<svg xmlns="http://www.w3.org/2000/svg" width="{_css_px(lay.width)[:-2]}" '
                f'height="{_css_px(lay.height)[:-2]}">{drawing}</svg>'
            ).encode()
            parts.append(
                f'<div class="vp" style="left:{_css_px(v.x)};top:{_css_px(v.y)};'
                f'width:{_css_px(v.w)};height:{_css_px(v.h)}"><div class="in" '
                f'style="left:{_css_px(-v.sx)};top:{_css_px(-v.sy)}">'
                f'<img src="{url}" alt="" style="width:{_css_px(lay.width)};'
                f'height:{_css_px(lay.height)}">'
                + "".join(_span(line, baseline, family) for line in sink)
                + "</div></div>"
            )
        if page.caption is not None:
            parts.append(_span(page.caption, baseline, family))
            mark = _continued(lay, page, i, len(plan))
            if mark is not None:
                parts.append(_span(mark, baseline, family))
        parts.append("</div>")
        body.append("".join(parts))
    html_text = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
        f'@font-face {{ font-family: "{lay.theme.font_family}"; src: url("{font.as_uri()}"); '
        "font-weight: 100 900; }"
        + "".join(rules)
        + f"html, body {{ margin: 0; padding: 0; background: {lay.theme.background} }} "
        ".page { position: relative; overflow: hidden; break-after: page } "
        ".page:last-child { break-after: auto } "
        ".vp { position: absolute; overflow: hidden } .in { position: absolute } "
        ".in img { position: absolute; left: 0; top: 0; display: block } "
        f"span {{ position: absolute; white-space: pre; font-family: {family} }}"
        "</style></head><body>" + "".join(body) + "</body></html>"
    )
    return html_text, shapes


def html_to_pdf(html_text: str, shapes: dict[str, bytes] | None = None) -> bytes:
    """WeasyPrint, with a fetcher that refuses everything but the shipped font."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    font = fonts.font_file()
    # WeasyPrint reports unsupported details through logging; keep them quiet
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = weasyprint.HTML(
        string=html_text,
        url_fetcher=_deny_all_fetcher({font.as_uri(): font}, shapes),
        base_url=None,
    )
    with gc_paused():
        return bytes(document.write_pdf(font_config=FontConfiguration()))


def pdf_bytes(lay: Layout, *, steps_per_page: int | None = None) -> bytes:
    """The laid-out map as a vector PDF; long maps become several pages."""
    n = len(lay.columns)
    per_page = steps_per_page if steps_per_page is not None else PDF_STEPS_PER_PAGE
    if n > per_page > 0:
        # balance the pages: 13 steps at 12 per page make pages of 7 and 6, not 12 and 1
        count = -(-n // per_page)
        per_page = -(-n // count)
    else:
        per_page = 0
    return html_to_pdf(*pages_html(lay, page_plan(lay, per_page)))
