"""The deck as LibreOffice draws it: no text outside its shape, measured on the PDF's words."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation

import parcours.files as files
from parcours.render.pptx import save_pptx
from tests.render.test_xlsx import TEMPLATES

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice and poppler-utils draw the deck",
)

WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
EMU_PER_PT = 12700


def outside(pptx: Path, pdf: Path, tolerance: float = 1.5) -> list[tuple[int, str]]:
    """The words of the PDF (slide number, word) not inside any shape that holds text.

    A table counts as one shape: the words of a cell must stay within the table's frame.
    """
    deck = Presentation(str(pptx))
    text = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("<page ")[1:]
    assert len(pages) == len(deck.slides)
    found = []
    for number, (slide, page) in enumerate(zip(deck.slides, pages, strict=True), 1):
        boxes = [
            (
                s.left / EMU_PER_PT - tolerance,
                s.top / EMU_PER_PT - tolerance,
                (s.left + s.width) / EMU_PER_PT + tolerance,
                (s.top + s.height) / EMU_PER_PT + tolerance,
            )
            for s in slide.shapes
            if (s.has_text_frame and s.text_frame.text.strip()) or s.has_table
        ]
        for match in WORD.finditer(page):
            x0, y0, x1, y1 = map(float, match.groups()[:4])
            if not any(x0 >= a and y0 >= b and x1 <= c and y1 <= d for a, b, c, d in boxes):
                found.append((number, html.unescape(match.group(5))))
    return found


def test_no_text_outside_its_shape_in_libreoffice(tmp_path: Path) -> None:
    decks = []
    for path in TEMPLATES:
        if not path.endswith(".en.yaml"):
            continue
        atlas = files.load_atlas(path)
        for journey in atlas.journeys:
            decks.append(save_pptx(journey, tmp_path / f"{journey.id}.pptx", atlas=atlas))
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
        + [str(d) for d in decks],
        capture_output=True,
        check=True,
        timeout=300,
    )
    overflowing = {d.name: outside(d, d.with_suffix(".pdf")) for d in decks}
    assert {name: words for name, words in overflowing.items() if words} == {}
