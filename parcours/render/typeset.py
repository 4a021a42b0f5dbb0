"""PDF pages drawn from the renderer's SVG by Typst (the ``typst`` package).

Typst converts an SVG into PDF vector shapes and real text (embedded, subset fonts with
Unicode mappings, so ``pdftotext`` reads it), in Rust and with Python's GIL released: a
200-step map's 17 pages take about half a second where an HTML layout took 7–10 s.

What Typst may read is held to the minimum:

* fonts: a private folder holding links to the shipped Noto Sans (regular and italic) and
  the system's colour emoji font when there is one; system fonts are ignored, so every
  machine draws the same letters;
* files: the compilation's root is a private, empty folder, and the pictures arrive as
  bytes (``sys.inputs``), never as paths: an SVG that links an image gets an error
  (absolute paths are refused by Typst, relative ones find nothing), never a file's bytes;
* no package is imported, so nothing is downloaded.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parcours.render import fonts
from parcours.render.usvg import emoji_safe

#: CSS px (the renderer's unit, 96 per inch) to PDF points (72 per inch).
PT_PER_PX = 0.75


@dataclass(frozen=True)
class SvgPage:
    """One PDF page showing one SVG at the page's whole size (CSS px)."""

    svg: str
    width: float
    height: float


@dataclass(frozen=True)
class _Setting:
    fonts: Any  # typst.Fonts: the font files, read once per process
    root: Path


@functools.lru_cache(maxsize=1)
def _setting() -> _Setting:
    """The fonts and the empty root, made once per process."""
    import typst

    base = Path(tempfile.mkdtemp(prefix="parcours-typeset-"))
    owner = os.getpid()

    def remove() -> None:  # a forked child shares the folder: only its maker removes it
        if os.getpid() == owner:
            shutil.rmtree(base, ignore_errors=True)

    atexit.register(remove)
    font_dir, root = base / "fonts", base / "root"
    font_dir.mkdir()
    root.mkdir()
    files = [fonts.font_file().with_name("NotoSans-Italic[wdth,wght].ttf"), *fonts.drawing_fonts()]
    for file in files:
        if not file.is_file():
            continue
        link = font_dir / file.name
        try:
            os.symlink(file, link)
        except OSError:  # no symbolic links here (some Windows setups): a copy
            shutil.copyfile(file, link)
    # Typst's own fonts (Libertinus, New Computer Modern) are left out too: a character
    # Noto Sans lacks is missing everywhere alike, in the PNG as in the PDF
    found = typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(font_dir)]
    )
    return _Setting(found, root)


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def svg_pages_pdf(pages: Sequence[SvgPage], *, title: str | None = None) -> bytes:
    """A PDF with one page per SVG, each page exactly the SVG's size."""
    if not pages:
        raise ValueError("a PDF needs at least one page")
    inputs: dict[str, str] = {}
    source = ["#set document(date: none)\n"]  # the same map gives the same file
    if title:
        inputs["title"] = title
        source.append('#set document(title: sys.inputs.at("title"))\n')
    for i, page in enumerate(pages):
        inputs[f"p{i}"] = emoji_safe(page.svg)
        width, height = _number(page.width * PT_PER_PX), _number(page.height * PT_PER_PX)
        source.append(
            f"#page(width: {width}pt, height: {height}pt, margin: 0pt)"
            f'[#image(bytes(sys.inputs.at("p{i}")), format: "svg", '
            "width: 100%, height: 100%)]\n"
        )
    return compile_pdf("".join(source), inputs)


def compile_pdf(source: str, inputs: dict[str, str]) -> bytes:
    """A Typst document (``source``, given its data as ``sys.inputs``) compiled to PDF
    with the shipped fonts only and nothing to read on disk."""
    import typst

    setting = _setting()
    try:
        pdf = typst.compile(
            source.encode("utf-8"),
            root=str(setting.root),
            font_paths=setting.fonts,
            ignore_system_fonts=True,
            sys_inputs=inputs,
            # untagged, as the pictures it holds: poppler (pdfinfo, pdftotext) reports
            # Typst's tagged-PDF marks as a syntax error
            pdf_tags=False,
        )
    except BaseException as error:  # Typst's panics arrive as pyo3's PanicException
        if type(error).__name__ != "PanicException":
            raise
        raise RuntimeError(f"the PDF engine (Typst) failed on a drawing: {error}") from None
    assert isinstance(pdf, bytes)
    return pdf
