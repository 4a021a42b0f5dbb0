"""PNG and PDF: real files read back by real readers, with the shipped font, and no fetch."""

from __future__ import annotations

import functools
import http.server
import shutil
import struct
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from pypdf import PdfReader

from parcours import files
from parcours.errors import InvalidJourney
from parcours.model.journey import Journey
from parcours.render import layout, render, save_pdf, save_png, to_pdf, to_png
from parcours.render.raster import font_files, png_zoom
from parcours.render.typeset import SvgPage, svg_pages_pdf

from .test_layout import generated

GOLDEN = Path(__file__).parent / "golden"


def _require_poppler(function):  # type: ignore[no-untyped-def]
    """Tests that read PDFs back need poppler-utils: they fail, never skip, without it."""

    @functools.wraps(function)
    def check(*args, **kwargs):  # type: ignore[no-untyped-def]
        missing = [tool for tool in ("pdftoppm", "pdftotext") if shutil.which(tool) is None]
        assert not missing, (
            f"poppler-utils is not installed ({', '.join(missing)}); run scripts/test.sh"
        )
        return function(*args, **kwargs)

    return check


needs_poppler = _require_poppler


def load(name: str) -> Journey:
    journey = files.load(GOLDEN / name)
    assert isinstance(journey, Journey)
    return journey


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_png_is_a_real_png_of_the_layout_size(tmp_path: Path) -> None:
    journey = load("linear.yaml")
    lay = layout(journey)
    out = save_png(journey, tmp_path / "map.png")
    width, height = png_size(out.read_bytes())
    assert width == round(lay.width) and height == round(lay.height)
    double = png_size(to_png(journey, scale=2))
    assert double == (round(lay.width * 2), round(lay.height * 2))


def test_png_width_is_capped_for_long_maps() -> None:
    journey = generated(40, 3)
    lay = layout(journey)
    assert lay.width > 4000
    width, height = png_size(to_png(journey, max_width=2000))
    assert width == 2000
    assert height == pytest.approx(lay.height * 2000 / lay.width, abs=1)
    assert png_zoom(10000, 2, 16000) == 1.6
    with pytest.raises(InvalidJourney, match="scale"):
        png_zoom(100, 0, 1000)


def test_png_draws_text_with_the_shipped_font() -> None:
    from PIL import Image

    journey = load("linear.yaml")
    data = to_png(journey)
    import io

    image = Image.open(io.BytesIO(data)).convert("L")
    lay = layout(journey)
    # the title's box has dark pixels: text was drawn (no system font was available to resvg)
    title = lay.header.title.lines[0]
    box = (int(title.x), int(title.y - title.size), int(title.x + title.width), int(title.y))
    assert image.crop(box).getextrema()[0] < 80
    assert font_files()[0].endswith("NotoSans[wdth,wght].ttf")


@needs_poppler
def test_pdf_is_vector_rasterises_and_keeps_accents(tmp_path: Path) -> None:
    out = save_pdf(load("linear.yaml"), tmp_path / "map.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for word in ("Résiliation", "Exaspérée", "Décision", "Démarche", "sérieusement"):
        assert word in text
    # vector: the only bitmaps are the colour emoji glyphs (🤔 and 😤), no picture of the map
    images = list(reader.pages[0].images)
    assert len(images) <= 2
    assert all(len(image.data) < 40_000 for image in images)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True)
    assert "NotoSans" in fonts.stdout
    poppler = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    )
    assert "Résiliation" in poppler.stdout
    subprocess.run(
        ["pdftoppm", "-r", "20", "-png", str(out), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1 and png_size(pages[0].read_bytes())[0] > 100


@needs_poppler
def test_long_maps_become_pages_with_lane_titles_repeated(tmp_path: Path) -> None:
    journey = generated(30, 4)
    out = tmp_path / "long.pdf"
    out.write_bytes(to_pdf(journey, steps_per_page=8))
    reader = PdfReader(out)
    assert len(reader.pages) == 4  # 30 steps: pages of 8, 8, 7, 7
    for page in reader.pages:
        text = page.extract_text()
        assert "Points de contact" in text and "Émotions" in text  # the lane titles
        assert "Carte générée" in text  # the header
    assert "Étape 0" in reader.pages[0].extract_text()
    assert "Étape 29" in reader.pages[3].extract_text()
    assert "Étape 29" not in reader.pages[0].extract_text()
    subprocess.run(
        ["pdftoppm", "-r", "10", "-png", str(out), str(tmp_path / "p")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert len(list(tmp_path.glob("p*.png"))) == 4


@needs_poppler
def test_branched_map_pdf_holds_labels_and_shares(tmp_path: Path) -> None:
    out = render(load("branched.yaml"), tmp_path / "branched.pdf")
    text = PdfReader(out).pages[0].extract_text()
    for word in (
        "Dossier complet",
        "70",
        "Renvoie une pièce",
        "Entrée",
        "Fin",
        "Parcours en agence",
    ):
        assert word in text


# ------------------------------------------------------------------------ no fetch
class _Canary(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Canary.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"CANARY-BYTES")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def canary() -> Iterator[str]:
    _Canary.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_renderers_fetch_nothing(tmp_path: Path, canary: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-FILE-CONTENT", encoding="utf-8")
    doc = f"""\
parcours: 1
journey: Carte piégée
lanes: [images, notes]
stages:
  - Étape:
      - Une:
          images:
            - {{src: "{canary}/img.png", alt: "image distante"}}
            - {{src: "{secret.as_uri()}"}}
          notes: ["<img src='{canary}/note.png'>", "<link rel=stylesheet href='{canary}/x.css'>"]
"""
    journey = files.loads(doc, "trap.yaml")
    assert isinstance(journey, Journey)
    png = to_png(journey)
    pdf = to_pdf(journey)
    svg_path = render(journey, tmp_path / "trap.svg")
    assert _Canary.hits == []
    for data in (png, pdf, svg_path.read_bytes()):
        assert b"CANARY-BYTES" not in data and b"SECRET-FILE-CONTENT" not in data


def test_the_pdf_typesetter_reads_no_file_but_its_fonts(tmp_path: Path, canary: str) -> None:
    """Pictures linked from an SVG are refused: absolute paths, file URLs, relative names,
    and the network; the error says which link, and no byte of the file is in any PDF."""
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\nSECRET-FILE-CONTENT")
    for link in (str(secret), secret.as_uri(), "secret.png", f"{canary}/img.png"):
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
            f'<image href="{link}" width="50" height="50"/><text x="60" y="50">A</text></svg>'
        )
        try:
            pdf = svg_pages_pdf([SvgPage(svg, 200, 100)])
        except Exception as error:  # refused: the message names the link
            assert "image" in str(error) and link.rsplit("/", 1)[-1] in str(error)
        else:
            assert b"SECRET-FILE-CONTENT" not in pdf and b"CANARY-BYTES" not in pdf
    assert _Canary.hits == []


def test_render_chooses_the_format_by_suffix(tmp_path: Path) -> None:
    journey = load("linear.yaml")
    assert render(journey, tmp_path / "a.svg").read_bytes().startswith(b"<?xml")
    assert render(journey, tmp_path / "a.PNG").read_bytes().startswith(b"\x89PNG")
    assert render(journey, tmp_path / "a.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(InvalidJourney, match=r"cannot render to '\.docx'"):
        render(journey, tmp_path / "a.docx")
