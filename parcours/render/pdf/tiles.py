"""Pages drawn by Typst set into the boxes of the pages WeasyPrint laid out.

WeasyPrint lays the atlas out (cover and contents, matrix, persona cards, page numbers,
links and bookmarks), leaving an empty box of the right size (an element with an id)
wherever Typst draws: each map page (its header, the map, the "continued" line: shapes
and text, tens of thousands of elements, drawn from SVG by :mod:`parcours.render.typeset`
in a thread while WeasyPrint works, Typst letting go of the GIL) and each page of the
table sections (:mod:`.typst_sections`). Every Typst page then becomes a form XObject
drawn at its box, found by the box's id on the laid-out page: the text stays real text,
in the shipped font, that ``pdftotext`` reads.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
)

from parcours.render.pdf.document import SCHEME, Resources, gc_paused, url_fetcher
from parcours.render.pdf.maptext import TextBlock, meets
from parcours.render.shapes import esc, text_content
from parcours.render.typeset import PT_PER_PX, SvgPage, svg_pages_pdf

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Tile:
    """A map picture for one page: the id of its box and the page Typst draws."""

    key: str
    page: SvgPage


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _texts(blocks: Sequence[TextBlock], region: Box) -> str:
    """The text blocks that meet ``region`` as SVG ``<text>`` lines (map coordinates)."""
    out = []
    for block in blocks:
        if not meets(block, region):
            continue
        style = (
            f'font-size="{_num(block.size)}" font-weight="{esc(block.weight)}" '
            f'fill="{esc(block.fill)}" text-anchor="{esc(block.anchor)}"'
        )
        for k, line in enumerate(block.lines):
            y = block.y + k * block.spacing
            out.append(
                f'<text x="{_num(block.x)}" y="{_num(y)}" {style} xml:space="preserve">'
                f"{text_content(line)}</text>"
            )
    return "".join(out)


def tile_svg(
    parts: Sequence[tuple[str, Box, tuple[float, float]]],
    blocks: Sequence[TextBlock],
    scale: float,
    *,
    top: float = 0.0,
) -> str:
    """The map of a page as SVG elements: each (cropped shapes, region, where) placed
    ``top`` px lower and scaled, with the text of its region."""
    body = []
    for shapes, region, (ax, ay) in parts:
        x0, y0, x1, y1 = region
        body.append(
            f'<svg x="{_num(ax)}" y="{_num(ay + top)}" width="{_num((x1 - x0) * scale)}" '
            f'height="{_num((y1 - y0) * scale)}" '
            f'viewBox="{_num(x0)} {_num(y0)} {_num(x1 - x0)} {_num(y1 - y0)}" '
            f'overflow="hidden">{shapes}{_texts(blocks, region)}</svg>'
        )
    return "".join(body)


def tile_page(*drawings: str, width: float, height: float) -> str:
    """An SVG document of ``width`` × ``height`` CSS px holding ``drawings``."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_num(width)}" '
        f'height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" '
        f"font-family=\"'Noto Sans', sans-serif\">{''.join(drawings)}</svg>"
    )


class _Drawing(threading.Thread):
    """Typst drawing the tiles while the caller lays the document out."""

    def __init__(self, tiles: Sequence[Tile]) -> None:
        super().__init__(name="parcours-map-tiles", daemon=True)
        self.tiles = tiles
        self.pdf: bytes | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.pdf = svg_pages_pdf([t.page for t in self.tiles])
        except BaseException as error:  # handed to the caller by result()
            self.error = error

    def result(self) -> bytes:
        self.join()
        if self.error is not None:
            raise self.error
        assert self.pdf is not None
        return self.pdf


def tiled_pdf(
    document: str,
    resources: Resources,
    tiles: Sequence[Tile],
    pages: Sequence[tuple[bytes, Sequence[str]]] = (),
) -> bytes:
    """The HTML ``document`` laid out by WeasyPrint with the ``tiles`` drawn in their boxes,
    and ``pages`` (a PDF, and the id of the box each of its pages goes to) set in theirs."""
    import weasyprint

    drawing = draw_tiles(tiles) if tiles else None
    keys = {tile.key for tile in tiles} | {key for _, ids in pages for key in ids}
    places: dict[str, tuple[int, Box]] = {}
    with gc_paused():
        laid_out = weasyprint.HTML(
            string=document, base_url=SCHEME, url_fetcher=url_fetcher(resources)
        ).render()
        for index, page in enumerate(laid_out.pages):
            for name, box in page.anchors.items():
                if name in keys and name not in places:
                    places[name] = (index, box)
        pdf = laid_out.write_pdf()
    assert isinstance(pdf, bytes)
    sources = list(pages)
    if drawing is not None:
        sources.insert(0, (drawing.result(), [tile.key for tile in tiles]))
    if not sources:
        return pdf
    missing = [key for _, ids in sources for key in ids if key not in places]
    if missing:  # a box WeasyPrint did not place: a bug of the layout, never user input
        raise RuntimeError(f"pictures without a place on the pages: {missing[:5]}")
    return stamp(pdf, [(drawn, [places[key] for key in ids]) for drawn, ids in sources])


def draw_tiles(tiles: Sequence[Tile]) -> _Drawing:
    """Start drawing the tiles in a thread; ``.result()`` waits for their PDF."""
    drawing = _Drawing(tiles)
    drawing.start()
    return drawing


def stamp(document: bytes, sources: Sequence[tuple[bytes, Sequence[tuple[int, Box]]]]) -> bytes:
    """``document`` with each page of each source PDF drawn in its box.

    A source is a PDF and, for each of its pages, (page index in ``document``, box x0, y0,
    x1, y1 in CSS px from the page's top left corner). Each source page becomes a form
    XObject of its target page, its content stream copied as it is (still compressed) with
    its fonts.
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(document)))
    n = 0
    for drawn, places in sources:
        tiles = PdfReader(io.BytesIO(drawn))
        if len(tiles.pages) != len(places):
            raise ValueError(f"{len(tiles.pages)} pictures for {len(places)} places")
        for tile, (index, box) in zip(tiles.pages, places, strict=True):
            page = writer.pages[index]
            height = float(tile.mediabox.height)
            form = _form(tile, writer)
            if form is None:
                continue
            n += 1
            name = NameObject(f"/ParcoursTile{n}")
            resources = _child(page, "/Resources")
            _child(resources, "/XObject")[name] = form
            x = box[0] * PT_PER_PX + float(page.mediabox.left)
            y = float(page.mediabox.top) - box[1] * PT_PER_PX - height
            _draw_over(page, writer, f"q 1 0 0 1 {x:.3f} {y:.3f} cm {name} Do Q".encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _child(parent: Any, key: str) -> Any:
    """The dictionary ``parent[key]`` (made when missing), as an object to change."""
    value = parent.get(key)
    if value is None:
        value = DictionaryObject()
        parent[NameObject(key)] = value
    return value.get_object()


def _form(tile: Any, writer: Any) -> Any:
    """The tile page as a form XObject of ``writer`` (an indirect reference), or None."""
    contents = tile.get("/Contents")
    if contents is None:
        return None
    if isinstance(contents.get_object(), ArrayObject):  # several streams: joined, compressed
        joined = DecodedStreamObject()
        joined.set_data(tile.get_contents().get_data())
        reference = writer._add_object(joined.flate_encode())
    else:  # the usual case: one stream, copied as it is
        reference = contents.clone(writer)
    form = reference.get_object()
    width, height = float(tile.mediabox.width), float(tile.mediabox.height)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [FloatObject(0), FloatObject(0), FloatObject(width), FloatObject(height)]
            ),
            NameObject("/Resources"): (
                tile["/Resources"].clone(writer) if "/Resources" in tile else DictionaryObject()
            ),
        }
    )
    return reference


def _draw_over(page: Any, writer: Any, operators: bytes) -> None:
    """Append ``operators`` to the page's content, in the page's first graphics state."""
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    after.set_data(b"\nQ\n" + operators + b"\n")
    current = page.get("/Contents")
    streams = current.get_object() if current is not None else ArrayObject()
    if not isinstance(streams, ArrayObject):
        streams = ArrayObject([current])
    page[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(before), *streams, writer._add_object(after)]
    )
