"""Reading our PDFs back with real readers: pypdf for the text, pdftoppm for the pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader

from parcours.render import fonts


def pdf_text(pdf: Path) -> str:
    """The text of a PDF, lines joined (a title or name may wrap at a hyphen or a space)."""
    text = "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)
    return re.sub(r"\s+", " ", re.sub(r"-\n", "-", text))


def rasterise(pdf: Path, out: Path, *, dpi: int, min_bytes: int) -> list[Path]:
    """Every page as PNG; pdftoppm (Debian poppler-utils) missing is a failure, not a skip."""
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is missing: apt-get install poppler-utils"
    subprocess.run([pdftoppm, "-png", "-r", str(dpi), str(pdf), str(out / "page")], check=True)
    pages = sorted(out.glob("page-*.png"))
    assert len(pages) == PdfReader(pdf).get_num_pages()
    assert all(p.stat().st_size > min_bytes for p in pages)
    return pages


def _times(m: list[float], n: list[float]) -> list[float]:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return [
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    ]


def text_sizes(pdf: Path) -> list[list[tuple[float, str]]]:
    """Per page, every piece of text with its size in points as printed on that page.

    The size is the font size of the text operator times the vertical scale of the text
    and current transformation matrices: what a ruler would measure on the paper.
    """
    pages = []
    for page in PdfReader(pdf).pages:
        found: list[tuple[float, str]] = []
        page.extract_text(visitor_text=_collector(found))
        pages.append(found)
    return pages


def _collector(found: list[tuple[float, str]]) -> Callable[..., None]:
    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            m = _times(tm, cm)
            found.append((round(size * (m[2] ** 2 + m[3] ** 2) ** 0.5, 2), text.strip()))

    return visit


def min_text_pt(pdf: Path) -> list[float]:
    """The smallest text of each page, in points (0 for a page without text)."""
    return [min((size for size, _ in page), default=0.0) for page in text_sizes(pdf)]


Box = tuple[float, float, float, float]


def word_boxes(pdf: Path) -> list[tuple[float, float, list[tuple[Box, str]]]]:
    """Per page: its width and height in points and every word's box, from pdftotext."""
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is missing: apt-get install poppler-utils"
    out = subprocess.run(
        [pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [
            ((float(a), float(b), float(c), float(d)), w)
            for a, b, c, d, w in re.findall(
                r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">'
                r"(.*?)</word>",
                page[3],
            )
        ]
        pages.append((float(page[1]), float(page[2]), words))
    return pages


def outside_words(pdf: Path, tolerance: float = 0.5) -> list[tuple[int, str, Box]]:
    """The words whose box leaves its page (page number from 1, word, box).

    A word of colour emoji only is checked across the page, not down it: the emoji are
    glyphs of a Type 3 font, to which pdftotext gives a height of several lines (the
    font's whole box), whatever the glyph drawn."""
    found = []
    for number, (width, height, words) in enumerate(word_boxes(pdf), 1):
        for box, word in words:
            x0, y0, x1, y1 = box
            emoji = all(fonts.is_emoji(ch) or ch in "\u200d\ufe0f" for ch in word)
            if (
                x0 < -tolerance
                or x1 > width + tolerance
                or (not emoji and (y0 < -tolerance or y1 > height + tolerance))
            ):
                found.append((number, word, box))
    return found
