"""Shared pieces of the HTML → PDF renderers (persona cards, atlas).

* every piece of user text goes through :func:`esc` (``html.escape`` with quotes);
* the PDF is made by WeasyPrint with a :class:`ResourceFetcher` that serves only the
  resources the renderer registered in memory (the shipped Noto Sans font, the journey
  SVGs) and refuses every other URL: no network, no ``file:`` reads, no ``data:`` URLs
  coming from user text;
* user text never enters CSS: running page headers use ``string-set`` from an element.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import gc
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fontpkg_noto_sans

from parcours.atomic import write_atomic
from parcours.escape.html import text as esc
from parcours.model.words import LANGUAGES, table
from parcours.render.theme import Theme, tint

FONT_DIR = Path(fontpkg_noto_sans.ROOT) / "files"
FONT_REGULAR = FONT_DIR / "NotoSans[wdth,wght].ttf"
FONT_ITALIC = FONT_DIR / "NotoSans-Italic[wdth,wght].ttf"

#: The scheme of the in-memory resources the fetcher serves; nothing else is fetched.
SCHEME = "parcours-resource:"
FONT_URL = SCHEME + "font/noto-sans.ttf"
FONT_ITALIC_URL = SCHEME + "font/noto-sans-italic.ttf"


# -- words ------------------------------------------------------------------------------------
LABELS: dict[str, dict[str, str]] = {lang: table("BOOK", lang) for lang in LANGUAGES}

MONTHS = {lang: module.MONTHS for lang, module in LANGUAGES.items()}


def format_date(day: dt.date, lang: str) -> str:
    month = MONTHS[lang][day.month - 1]
    if lang == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{day.day} {month} {day.year}"


def short_date(day: dt.date, lang: str) -> str:
    """``3 déc. 2026`` (fr) / ``3 Dec 2026`` (en): a date for a table column."""
    return f"{day.day}\u00a0{LANGUAGES[lang].MONTHS_SHORT[day.month - 1]}\u00a0{day.year}"


def format_number(value: float | None, lang: str) -> str:
    """``12345.5`` → ``12 345,5`` (fr, narrow no-break spaces) or ``12,345.5`` (en)."""
    if value is None:
        return ""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


#: Symbols of the usual currencies; any other ISO code is written as is (``1 200 CHF``).
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}


def format_money(value: float | None, lang: str, currency: str | None) -> str:
    """An amount with its currency as the language writes it: ``12 000 €`` (fr),
    ``€12,000`` (en), ``1,200 CHF``; the bare number when no currency is known."""
    text = format_number(value, lang)
    if not text or not currency:
        return text
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    if lang == "fr" or len(symbol) > 1:
        return f"{text}\u00a0{symbol}"
    return f"{symbol}{text}"


def age_text(age_range: str, lang: str) -> str:
    """``25-34`` → ``25–34 ans``; free text is kept as written."""
    match = re.fullmatch(r"\s*(\d+)\s*[-–]\s*(\d+)\s*", age_range)
    if match:
        return f"{match[1]}–{match[2]} {LABELS[lang]['years']}"
    if re.fullmatch(r"\s*\d+\s*\+?\s*", age_range):
        return f"{age_range.strip()} {LABELS[lang]['years']}"
    return age_range


def quoted(text: str, lang: str) -> str:
    """A quote between the language's quotation marks (unless it already has some)."""
    text = text.strip()
    if text[:1] in "«“\"'‘„":
        return text
    return f"«\u00a0{text}\u00a0»" if lang == "fr" else f"“{text}”"


def initials(name: str) -> str:
    words = [w for w in name.split() if w[0].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


#: Colours come from the map's :class:`Theme` (its only owner): accents of personas and
#: journeys are the stage colours (they read well with white text), with their tints.
_THEME = Theme()
PALETTE = list(_THEME.stage_colors)
SOFT = [tint(colour, 0.15) for colour in PALETTE]
SEVERITY_COLOURS = dict(_THEME.severity_colors)
PRIORITY_COLOURS = dict(_THEME.priority_colors)


def ul(items: Iterable[str], cls: str = "") -> str:
    rows = "".join(f"<li>{esc(item)}</li>" for item in items)
    return f'<ul class="{cls}">{rows}</ul>' if rows else ""


# -- fonts and page CSS -----------------------------------------------------------------------
FONT_CSS = (
    f'@font-face {{ font-family: "Noto Sans"; src: url("{FONT_URL}"); '
    "font-style: normal; }\n"
    f'@font-face {{ font-family: "Noto Sans"; src: url("{FONT_ITALIC_URL}"); '
    "font-style: italic; }\n"
)
BASE_CSS = (
    FONT_CSS
    + """
@page { size: A4 landscape; margin: 12mm 13mm 13mm 13mm;
        @bottom-left { content: string(doc-title); font: 7.5pt "Noto Sans", sans-serif;
                       color: #94a3b8; }
        @bottom-right { content: counter(page) " / " counter(pages);
                        font: 7.5pt "Noto Sans", sans-serif; color: #94a3b8; } }
html { font-family: "Noto Sans", sans-serif; font-size: 9.5pt; color: #1e293b;
       line-height: 1.35; }
body { margin: 0; }
h1, h2, h3, h4 { margin: 0; line-height: 1.15; font-weight: 700; color: #0f172a; }
p { margin: 0; }
ul { margin: 0; padding: 0; list-style: none; }
.doc-title { string-set: doc-title content(); height: 0; overflow: hidden; margin: 0; }
.muted { color: #64748b; }
"""
)


# -- PDF --------------------------------------------------------------------------------------
class Resources:
    """In-memory resources a document may load, by URL; everything else is refused."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[bytes | Path, str]] = {
            FONT_URL: (FONT_REGULAR, "font/ttf"),
            FONT_ITALIC_URL: (FONT_ITALIC, "font/ttf"),
        }
        self.refused: list[str] = []

    def add(self, name: str, data: bytes, mime_type: str) -> str:
        url = SCHEME + name
        self._items[url] = (data, mime_type)
        return url

    def add_svg(self, svg: str) -> str:
        """A ``data:`` URL for an SVG this renderer made, served from memory."""
        url = svg_data_url(svg)
        self._items[url] = (svg.encode("utf-8"), "image/svg+xml")
        return url

    def get(self, url: str) -> tuple[bytes, str]:
        if url not in self._items:
            self.refused.append(url)
            raise ValueError(
                f"refused to fetch {url[:120]!r}: parcours renderers load nothing from the "
                "network or the disk, only their own font and pictures"
            )
        data, mime = self._items[url]
        return (data.read_bytes() if isinstance(data, Path) else data), mime


def url_fetcher(resources: Resources) -> Any:
    """A WeasyPrint URL fetcher serving ``resources`` and refusing every other URL."""
    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:  # WeasyPrint < 66: fetchers are plain functions returning a dict

        def fetch_legacy(url: str) -> dict[str, Any]:
            data, mime = resources.get(url)
            return {"string": data, "mime_type": mime, "redirected_url": url}

        return fetch_legacy

    class DenyingFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            data, mime = resources.get(url)
            return URLFetcherResponse(url, data, {"Content-Type": mime})

    return DenyingFetcher(allowed_protocols=())


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (restored after it).

    WeasyPrint builds hundreds of thousands of small objects (styles, boxes) that live
    until the document is written; Python's collector scans them again and again while
    they are built, for almost nothing to free: pausing it saves 15–20 % of an atlas
    (measured: +5 MiB peak on a 6-journey atlas). Reference counting still frees memory.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def pdf_bytes(document: str, resources: Resources | None = None) -> bytes:
    """Render an HTML document to PDF bytes with the denying fetcher."""
    import weasyprint

    resources = resources or Resources()
    with gc_paused():
        pdf = weasyprint.HTML(
            string=document, base_url=SCHEME, url_fetcher=url_fetcher(resources)
        ).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def write_pdf(document: str, path: str | Path, resources: Resources | None = None) -> Path:
    """Render an HTML document to a PDF file with the denying fetcher."""
    path = Path(path)
    pdf = pdf_bytes(document, resources)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, pdf)
    return path


def title_div(title: str) -> str:
    """The element the page footers take the document title from (``string-set``)."""
    return f'<div class="doc-title">{esc(title)}</div>'


def page(title: str, css: str, body: str, lang: str, *, footer_title: bool = True) -> str:
    """A whole HTML document; ``footer_title=False`` when ``body`` holds :func:`title_div`."""
    footer = title_div(title) if footer_title else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{BASE_CSS}{css}</style></head>"
        f"<body>{footer}\n{body}\n</body></html>\n"
    )


# -- journey maps as HTML: the SVG's shapes as an image, its text as real HTML text -------------
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
_TRANSFORM = re.compile(r"\s*(translate|scale)\(\s*([-0-9.e]+)(?:[\s,]+([-0-9.e]+))?\s*\)")


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


def _inherited(node: Any, name: str, default: str) -> str:
    while node is not None:
        value = node.get(name)
        if value is not None:
            return str(value)
        node = node.getparent()
    return default


def _placement(node: Any) -> tuple[float, float, float] | None:
    """The (dx, dy, scale) that maps the node's coordinates to the root's, or None."""
    dx, dy, scale = 0.0, 0.0, 1.0
    current = node
    while current is not None and current.getparent() is not None:
        if current is not node and current.tag == SVG_NS + "svg":
            return None  # a nested viewport: leave this text to the SVG
        own = _transform(current.get("transform"))
        if own is None:
            return None
        # the parent's transform applies after this one: p_parent = own(p)
        dx, dy, scale = own[0] + dx * own[2], own[1] + dy * own[2], scale * own[2]
        current = current.getparent()
    return dx, dy, scale


def svg_data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


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
            size = float(_inherited(node, "font-size", "16").removesuffix("px"))
        except ValueError:
            continue
        placement = _placement(node)
        if placement is None:
            continue
        dx, dy, scale = placement
        fill = _inherited(node, "fill", "#000000")
        weight = _inherited(node, "font-weight", "400")
        anchor = _inherited(node, "text-anchor", "start")
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
        last_y = block.y + block.spacing * (len(block.lines) - 1)
        if not (y0 - block.size < last_y and block.y < y1 + block.size):
            continue
        if not x0 - 1 <= block.x <= x1 + 1:
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


# -- cutting a map into page parts without drawing what is off the part ----------------------
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_ARGS = {"M": 2, "L": 2, "T": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "A": 7, "Z": 0}
Box = tuple[float, float, float, float]


def path_box(d: str) -> Box | None:
    """A box around a path (control points included, so never too small), or None."""
    tokens = _PATH_TOKEN.findall(d)
    xs: list[float] = []
    ys: list[float] = []
    x = y = start_x = start_y = 0.0
    command = ""
    i = 0
    try:
        while i < len(tokens):
            if tokens[i].isalpha():
                command = tokens[i]
                i += 1
                if command in "Zz":
                    x, y = start_x, start_y
                    continue
            upper = command.upper()
            if upper not in _PATH_ARGS or upper == "Z":
                return None
            n = _PATH_ARGS[upper]
            args = [float(t) for t in tokens[i : i + n]]
            if len(args) < n:
                return None
            i += n
            rel = command.islower()
            if upper == "H":
                x = x + args[0] if rel else args[0]
            elif upper == "V":
                y = y + args[0] if rel else args[0]
            elif upper == "A":
                rx, ry = abs(args[0]), abs(args[1])
                nx, ny = (x + args[5], y + args[6]) if rel else (args[5], args[6])
                xs.extend((x - rx, x + rx, nx - rx, nx + rx))
                ys.extend((y - ry, y + ry, ny - ry, ny + ry))
                x, y = nx, ny
            else:
                for k in range(0, n, 2):
                    px, py = (x + args[k], y + args[k + 1]) if rel else (args[k], args[k + 1])
                    xs.append(px)
                    ys.append(py)
                x, y = xs[-1], ys[-1]
                if upper == "M":
                    start_x, start_y = x, y
                    command = "l" if rel else "L"  # more pairs after M are lines
            xs.append(x)
            ys.append(y)
    except ValueError:
        return None
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def _leaf_box(node: Any, tag: str) -> Box | None:
    def num(name: str) -> float:
        return float(node.get(name, "0"))

    try:
        if tag in ("rect", "image", "use", "foreignObject"):
            if node.get("width") is None or node.get("height") is None:
                return None
            return num("x"), num("y"), num("x") + num("width"), num("y") + num("height")
        if tag == "circle":
            r = num("r")
            return num("cx") - r, num("cy") - r, num("cx") + r, num("cy") + r
        if tag == "ellipse":
            rx, ry = num("rx"), num("ry")
            return num("cx") - rx, num("cy") - ry, num("cx") + rx, num("cy") + ry
        if tag == "line":
            x1, y1, x2, y2 = num("x1"), num("y1"), num("x2"), num("y2")
            return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)
        if tag == "path":
            return path_box(node.get("d", ""))
        if tag in ("polyline", "polygon"):
            values = [
                float(v) for v in re.findall(r"[-+]?[0-9.]+(?:e[-+]?\d+)?", node.get("points", ""))
            ]
            if len(values) < 2:
                return None
            return min(values[0::2]), min(values[1::2]), max(values[0::2]), max(values[1::2])
        if tag == "text":
            size = float(_inherited(node, "font-size", "16").removesuffix("px"))
            x = num("x")
            return x - 100 * size, num("y") - 2 * size, x + 100 * size, num("y") + size
    except ValueError:
        return None
    return None


def _transform(transform: str | None) -> tuple[float, float, float] | None:
    """``translate(a b) scale(s)`` as (dx, dy, s); None when the transform is anything else."""
    dx, dy, scale = 0.0, 0.0, 1.0
    rest = transform or ""
    ops = []
    while rest.strip():
        match = _TRANSFORM.match(rest)
        if not match:
            return None
        ops.append(match)
        rest = rest[match.end() :]
    for match in reversed(ops):
        a = float(match[2])
        b = float(match[3]) if match[3] is not None else None
        if match[1] == "translate":
            dx, dy = dx + a, dy + (b or 0.0)
        else:
            if b is not None and b != a:
                return None
            dx, dy, scale = dx * a, dy * a, scale * a
    return dx, dy, scale


_DROP = {"title", "desc", "metadata"}
_KEEP = {
    "defs",
    "style",
    "clipPath",
    "mask",
    "linearGradient",
    "radialGradient",
    "pattern",
    "marker",
    "symbol",
    "filter",
}


def crop_svg(svg: str, region: Box, margin: float = 24.0) -> str:
    """The SVG without the shapes that lie wholly outside ``region`` (root coordinates).

    Only drops what it can place for sure; the picture of the region is unchanged.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(svg.encode("utf-8"), parser)
    rx0, ry0, rx1, ry1 = (
        region[0] - margin,
        region[1] - margin,
        region[2] + margin,
        region[3] + margin,
    )

    def prune(node: Any, dx: float, dy: float, scale: float) -> None:
        for child in list(node):
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            if tag in _DROP:
                node.remove(child)
                continue
            if tag in _KEEP or tag == "svg":
                continue
            own = _transform(child.get("transform"))
            if own is None:
                continue
            cdx, cdy, cs = own
            ndx, ndy, ns = dx + cdx * scale, dy + cdy * scale, scale * cs
            if tag in ("g", "a"):
                prune(child, ndx, ndy, ns)
                if len(child) == 0:
                    node.remove(child)
                continue
            box = _leaf_box(child, tag)
            if box is None:
                continue
            bx0, by0 = box[0] * ns + ndx, box[1] * ns + ndy
            bx1, by1 = box[2] * ns + ndx, box[3] * ns + ndy
            if bx1 < rx0 or bx0 > rx1 or by1 < ry0 or by0 > ry1:
                node.remove(child)

    prune(root, 0.0, 0.0, 1.0)
    return etree.tostring(root, encoding="unicode")
