"""The deck as LibreOffice draws it: no text outside its shape, measured on the PDF's words."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from pptx import Presentation

import parcours.files as files
from parcours.catalog import load_demo
from parcours.render.pptx import save_pptx
from parcours.render.pptx.units import FLOOR_PT
from tests.render.pdfs import text_sizes
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


def decks(out: Path) -> list[Path]:
    """Every built-in template (English and French) and the demo workspace's journeys."""
    made = []
    for path in TEMPLATES:
        atlas = files.load_atlas(path)
        for journey in atlas.journeys:
            made.append(save_pptx(journey, out / f"{Path(path).stem}.pptx", atlas=atlas))
    demo = load_demo()
    for journey in demo.journeys:
        made.append(save_pptx(journey, out / f"demo-{journey.id}.pptx", atlas=demo))
    return made


def test_readable_and_inside_its_shapes_in_libreoffice(tmp_path: Path) -> None:
    """No word outside its shape, and no text under the floor (8 pt) on any slide."""
    made = decks(tmp_path)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
        + [str(d) for d in made],
        capture_output=True,
        check=True,
        timeout=1800,
    )
    overflowing = {d.name: outside(d, d.with_suffix(".pdf")) for d in made}
    assert {name: words for name, words in overflowing.items() if words} == {}
    smallest, body = {}, {}
    for deck in made:
        pages = text_sizes(deck.with_suffix(".pdf"))
        smallest[deck.name] = min(size for page in pages for size, _ in page)
        maps = [page for page in pages[1:] if page]
        body[deck.name] = Counter(size for page in maps for size, _ in page).most_common(1)[0][0]
    assert {name: pt for name, pt in smallest.items() if pt < FLOOR_PT - 0.05} == {}
    assert {name: pt for name, pt in body.items() if pt < 10} == {}  # card text: 10.8 pt
