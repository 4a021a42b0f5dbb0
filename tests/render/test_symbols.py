"""Symbols Noto Sans lacks (→ ⇒ ✓ ★) are measured and drawn with the symbol font.

resvg and Typst (usvg) draw a whole ``<text>`` in the symbol font, regular, as soon as it
holds a ``<tspan>`` in that font: the words around a symbol must keep Noto Sans and their
weight, pixel for pixel, in the PNG and in the PDF.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from parcours.render import fonts
from parcours.render.raster import svg_to_png
from parcours.render.shapes import text_content
from parcours.render.typeset import SvgPage, svg_pages_pdf

WORDS = "Commande livrée"


def test_the_symbol_font_is_installed() -> None:
    assert fonts.symbol_font_file() is not None, (
        "no DejaVuSans.ttf under /usr/share/fonts: bash scripts/system-packages.sh "
        "installs fonts-dejavu-core"
    )


def test_runs_widths_and_emoji() -> None:
    assert fonts.symbol_runs("A → B ✓") == [("A ", False), ("→", True), (" B ", False), ("✓", True)]
    assert fonts.symbol_runs("Été 38 € « oui »") == [("Été 38 € « oui »", False)]
    symbols = fonts.symbol_metrics()
    assert symbols is not None
    assert fonts.text_width("→", 20) == pytest.approx(symbols.char_width("→") * 20)
    assert fonts.text_width("→", 20) < fonts.MISSING_ADVANCE * 20
    bold = fonts.symbol_metrics(bold=True)
    assert bold is not None and bold.path.name == "DejaVuSans-Bold.ttf"
    assert fonts.text_width("∑", 20, 700) == pytest.approx(bold.char_width("∑") * 20)
    assert fonts.text_width("∑", 20, 700) > fonts.text_width("∑", 20)  # wider in bold
    assert bold.path in fonts.drawing_fonts()
    # ✔ is a colour emoji; ✓ and ★ are not in the emoji font: symbols
    assert fonts.is_emoji("✔") and not fonts.is_symbol("✔")
    assert fonts.is_symbol("✓") and not fonts.is_emoji("✓")
    assert fonts.is_symbol("★") and fonts.is_symbol("⇒")
    # a character neither font has keeps its empty em, in Noto's run
    assert fonts.symbol_runs("漢") == [("漢", False)]
    assert fonts.text_width("漢", 20) == fonts.MISSING_ADVANCE * 20
    assert str(fonts.symbol_font_file()) in map(str, fonts.drawing_fonts())


def _svg() -> str:
    head = fonts.text_width(WORDS + " ", 20, 700)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="130" '
        "font-family=\"'Noto Sans', sans-serif\">"
        '<rect x="0" y="0" width="400" height="130" fill="#ffffff"/>'
        f'<text x="10" y="40" font-size="20" font-weight="700">'
        f"{text_content(WORDS + ' → ✓')}</text>"
        f'<text x="10" y="100" font-size="20" font-weight="700">{WORDS}</text>'
        f'<rect x="{10 + head + 40:.1f}" y="0" width="1" height="1" fill="#ffffff"/></svg>'
    )


def _check(picture: Any, zoom: float) -> None:
    """The words of both lines equal, the symbols drawn after them on the first line."""
    grey = np.asarray(picture.convert("L"), dtype=np.int16)
    words = fonts.text_width(WORDS, 20, 700)
    x0, x1 = int(6 * zoom), int((10 + words) * zoom)
    first, second = grey[int(18 * zoom) : int(46 * zoom)], grey[int(78 * zoom) : int(106 * zoom)]
    assert (second[:, x0:x1] < 128).sum() > 100  # the words are there
    assert np.abs(first[:, x0:x1] - second[:, x0:x1]).max() <= 8  # same font, same weight
    after = int((10 + fonts.text_width(WORDS + " ", 20, 700)) * zoom)
    end = int((10 + fonts.text_width(WORDS + " → ✓", 20, 700) + 2) * zoom)
    assert (first[:, after:end] < 128).sum() > 20  # the arrow and the tick
    assert (second[:, after:end] < 250).sum() == 0


def test_png_draws_symbols_and_keeps_the_words_font() -> None:
    _check(Image.open(io.BytesIO(svg_to_png(_svg()))), 1.0)


def test_pdf_draws_symbols_and_keeps_the_words_font(tmp_path: Path) -> None:
    pdf = tmp_path / "symbols.pdf"
    pdf.write_bytes(svg_pages_pdf([SvgPage(_svg(), 400, 130)]))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert f"{WORDS} → ✓" in text
    fonts_used = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "DejaVuSans" in fonts_used and "NotoSans" in fonts_used
    subprocess.run(["pdftoppm", "-r", "144", "-png", str(pdf), str(tmp_path / "p")], check=True)
    _check(Image.open(tmp_path / "p-1.png"), 1.5)  # 144 dpi over CSS px at 96


def test_text_as_paths_leaves_symbols_as_text_in_their_font() -> None:
    from parcours.render.geometry import TextLine
    from parcours.render.svg import _text_path

    text = "Suite → fin"
    line = TextLine(
        x=10, y=40, text=text, size=20, weight=400, color="#111111",
        width=fonts.text_width(text, 20),
    )  # fmt: skip
    out = _text_path(line)
    assert f'font-family="{fonts.SYMBOL_FAMILIES}" fill="#111111">→</text>' in out
    assert out.count("<path") == 1
