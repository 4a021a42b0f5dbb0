"""Typst-drawn PDF pages: sizes, fonts, real text, same bytes twice, and the map pictures
set into WeasyPrint's pages at their boxes, links and bookmarks kept."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from parcours.render.geometry import TextLine
from parcours.render.pdf.document import Resources, page
from parcours.render.pdf.tiles import Tile, tile_page, tiled_pdf
from parcours.render.shapes import arrow_text, arrow_text_width
from parcours.render.typeset import SvgPage, svg_pages_pdf
from tests.render.pdfs import word_boxes

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120" '
    "font-family=\"'Noto Sans', sans-serif\">"
    '<rect x="0" y="0" width="400" height="120" fill="#e0f2fe"/>'
    '<text x="10" y="40" font-size="20" font-weight="700">Étape déçue</text>'
    '<text x="10" y="80" font-size="14">Réclamation <tspan '
    "font-family=\"'Noto Color Emoji'\">👩‍💼</tspan> ok</text></svg>"
)


def _fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


def test_pages_have_the_svg_size_real_text_and_only_the_shipped_fonts(tmp_path: Path) -> None:
    data = svg_pages_pdf([SvgPage(SVG, 400, 120), SvgPage(SVG, 800, 240)], title="Carte « A »")
    assert data == svg_pages_pdf(
        [SvgPage(SVG, 400, 120), SvgPage(SVG, 800, 240)], title="Carte « A »"
    )
    out = tmp_path / "t.pdf"
    out.write_bytes(data)
    reader = PdfReader(out)
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    assert sizes == [(300, 90), (600, 180)]  # CSS px × 0.75
    assert reader.metadata is not None and reader.metadata.title == "Carte « A »"
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert text.count("Étape déçue") == 2 and "Réclamation" in text and "👩\u200d💼" in text
    fonts = _fonts(out)
    assert "NotoSans" in fonts
    for other in ("Libertinus", "NewCM", "DejaVu"):  # nor Typst's own, nor the system's
        assert other not in fonts


def test_an_empty_document_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one page"):
        svg_pages_pdf([])


def test_arrows_are_strokes_and_the_width_counts_them() -> None:
    line = TextLine("← suite page 3 →", 100, 50, 12, 0, 600, "#1d4ed8", "end")
    svg = arrow_text(line)
    assert "←" not in svg and "→" not in svg and svg.count("<path") == 2
    assert ">suite page 3 </text>" in svg.replace("> suite", ">suite")
    assert arrow_text_width("→", 12) == pytest.approx(0.9 * 12)


def test_tiles_are_drawn_in_their_boxes_with_links_and_bookmarks_kept(tmp_path: Path) -> None:
    css = (
        "@page map { size: A4 landscape; } .j { page-break-before: always; page: map; "
        "position: relative; bookmark-level: 1; bookmark-label: attr(data-title); } "
        ".box { width: 400px; height: 120px; margin-left: 50px; } "
        "a.hit { position: absolute; display: block; }"
    )
    body = "".join(
        f'<section class="j" id="j{i}" data-title="Parcours {i}"><p>avant</p>'
        f'<div class="box" id="tile-{i}"></div>'
        f'<a class="hit" href="#j{1 - i}" style="left: 0; top: 200px; width: 90px; '
        'height: 20px"></a></section>'
        for i in range(2)
    )
    tiles = [
        Tile(f"tile-{i}", SvgPage(tile_page(SVG.split(">", 1)[1].rsplit("</svg>", 1)[0],
                                            width=400, height=120), 400, 120))
        for i in range(2)
    ]  # fmt: skip
    data = tiled_pdf(page("Essai", css, body, "fr"), Resources(), tiles)
    out = tmp_path / "tiled.pdf"
    out.write_bytes(data)
    pages = word_boxes(out)
    reader = PdfReader(io.BytesIO(data))
    assert [o.title for o in reader.outline if not isinstance(o, list)] == [
        "Parcours 0",
        "Parcours 1",
    ]
    for number in (1, 2):  # the tiles land on the sections' pages, inside the boxes
        _, _, words = pages[number]
        avant = next(box for box, w in words if w == "avant")
        etape = next(box for box, w in words if w == "Étape")
        assert etape[0] == pytest.approx(avant[0] + 50 * 0.75 + 10 * 0.75, abs=1.5)
        assert avant[3] < etape[1] < avant[3] + 40
        annots = [a.get_object() for a in reader.pages[number].get("/Annots", [])]
        assert len(annots) == 1 and annots[0]["/Subtype"] == "/Link"


def test_emoji_sequences_inside_words_draw_whole_in_png_and_pdf(tmp_path: Path) -> None:
    """usvg (under resvg and Typst) panicked on 👩‍💼 after other words of a text line."""
    from parcours import files
    from parcours.model.journey import Journey
    from parcours.render import layout, to_pdf, to_png
    from parcours.render.png import resvg_png
    from parcours.render.raster import font_files
    from parcours.render.svg import paint
    from tests.render.test_raster import png_size

    doc = (
        "parcours: 1\njourney: Carte 👩‍💼 test\nlanes: [actions]\nstages:\n  - Étape:\n"
        '      - "Réclamation 👩‍💼 ok 👨‍👩‍👧 fin":\n'
        '          actions: ["Appelle 👍🏽 le service 🇫🇷 puis attend"]\n'
    )
    journey = files.loads(doc, "emoji.yaml")
    assert isinstance(journey, Journey)
    assert png_size(to_png(journey))[0] > 100
    svg = paint(layout(journey), background=False, tooltips=False)
    assert png_size(resvg_png(svg, font_files(), 1.0, "#ffffff"))[0] > 100
    out = tmp_path / "emoji.pdf"
    out.write_bytes(to_pdf(journey))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    for word in ("Réclamation", "👩\u200d💼", "👨\u200d👩\u200d👧", "fin", "Appelle", "👍🏽"):
        assert word in text


def test_emoji_safe_splits_runs_into_well_formed_texts() -> None:
    from lxml import etree

    from parcours.render.shapes import EMOJI_FAMILIES, esc
    from parcours.render.usvg import emoji_safe

    emoji = f'<tspan font-family="{esc(EMOJI_FAMILIES)}">👩‍💼</tspan>'
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg">'
        f'<text x="100" y="10" font-size="12" text-anchor="end" xml:space="preserve">A &amp; B {emoji} c</text>'
        f'<text x="5" y="30" font-size="12">{emoji}</text><text x="5" y="50">plain</text></svg>'
    )
    out = emoji_safe(svg)
    texts = etree.fromstring(out.encode()).findall("{http://www.w3.org/2000/svg}text")
    assert ["".join(t.itertext()) for t in texts] == ["A & B ", "👩‍💼", " c", "👩‍💼", "plain"]
    first = [float(t.get("x")) for t in texts[:3]]
    assert first == sorted(first) and first[0] < 100  # ends at x = 100, runs left to right
    assert all("text-anchor" not in t.attrib for t in texts[:3])
