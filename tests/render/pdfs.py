"""Reading our PDFs back with real readers: pypdf for the text, pdftoppm for the pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader


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


def text_sizes(pdf: Path) -> list[list[tuple[float, str]]]:
    """Per page, each text the PDF draws with its size in points (as drawn: the font size
    times the vertical scale of the text and graphics matrices)."""
    pages = []
    for page in PdfReader(pdf).pages:
        found: list[tuple[float, str]] = []

        def visit(
            text: str,
            cm: list[float],
            tm: list[float],
            _font: object,
            size: float,
            found: list[tuple[float, str]] = found,
        ) -> None:
            if text.strip():
                c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
                found.append((round(size * (c * c + d * d) ** 0.5, 2), text.strip()))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages
