"""The shipped font inside the SVG: an embedded subset, or text drawn as paths.

An SVG that only names its font family looks different wherever the viewer lacks Noto
Sans. By default :func:`font_face_style` embeds, for each weight and style the map uses,
a static instance of the shipped variable font cut down to the characters drawn at that
weight (``fontTools.subset`` + ``fontTools.varLib.instancer``), as WOFF2 (TTF when
``brotli`` is missing) in an ``@font-face`` with a ``data:`` URL and the private family
:data:`FAMILY`. The text stays ``<text>``: selectable, searchable. Same characters, same
bytes: the font's own ``head`` dates are kept (no time of the day is stamped) and
nothing depends on the machine.

:func:`text_path` draws a line of text as one ``<path>`` from the glyph outlines, for
tools that ignore ``@font-face`` (advances only, no kerning: what the layout measured).
"""

from __future__ import annotations

import base64
import functools
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from parcours.render import fonts
from parcours.render.geometry import TextLine

#: The private family name of the embedded subset, first in the map's font-family list.
FAMILY = "parcours-noto"


def italic_font_file() -> Path:
    """The italic Noto Sans variable font beside the upright one."""
    return fonts.font_file().with_name("NotoSans-Italic[wdth,wght].ttf")


def _woff2() -> bool:
    try:
        import brotli  # noqa: F401
    except ImportError:
        return False
    return True


def used(lines: Iterable[TextLine]) -> dict[tuple[int, bool], str]:
    """The characters drawn at each (weight, italic), emoji left out, sorted."""
    chars: dict[tuple[int, bool], set[str]] = {}
    for line in lines:
        bucket = chars.setdefault((line.weight, line.italic), set())
        for run, emoji in fonts.segments(line.text):
            if not emoji:
                bucket.update(run)
    return {key: "".join(sorted(value)) for key, value in sorted(chars.items()) if value}


#: The layout tables are left out: no kerning, no ligatures, no mark positioning. The
#: layout measures each line with the advance widths alone, so a viewer that draws the
#: embedded font places every glyph where it was measured; and cutting a font without
#: them takes a tenth of a second instead of seconds (decoding Noto Sans' GSUB and GPOS).
_LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF")


def _options() -> Any:
    from fontTools import subset

    options = subset.Options()
    options.name_IDs = [1, 2]  # family and style only
    options.notdef_outline = True
    options.hinting = False  # screens and printers render the outlines unhinted alike
    options.recalc_timestamp = False
    return options


def _cut(font: Any, text: str) -> Any:
    from fontTools import subset

    subsetter = subset.Subsetter(_options())
    subsetter.populate(text=text)
    subsetter.subset(font)
    return font


def _load(data: bytes) -> Any:
    from fontTools.ttLib import TTFont

    return TTFont(io.BytesIO(data), recalcTimestamp=False)


def _save(font: Any) -> bytes:
    buf = io.BytesIO()
    font.save(buf, reorderTables=True)
    return buf.getvalue()


@functools.lru_cache(maxsize=64)
def _union(text: str, italic: bool) -> bytes:
    """The variable font cut to ``text`` (every weight's characters at once)."""
    path = italic_font_file() if italic else fonts.font_file()
    font = _load(path.read_bytes())
    for tag in _LAYOUT_TABLES:
        if tag in font:
            del font[tag]
    return _save(_cut(font, text))


def subset_font(text: str, weight: int, italic: bool = False, union: str = "") -> tuple[bytes, str]:
    """The shipped font at ``weight``, only the glyphs of ``text``: (bytes, "woff2"|"ttf").

    ``union``, the characters of every weight of the map, lets the weights share one cut.
    """
    from fontTools.varLib import instancer

    font = _load(_union(union or text, italic))
    if "fvar" in font:
        axes = {a.axisTag for a in font["fvar"].axes}
        location = {tag: v for tag, v in (("wght", weight), ("wdth", 100)) if tag in axes}
        font = instancer.instantiateVariableFont(font, location, updateFontNames=False)
    if union and union != text:
        font = _cut(font, text)
    flavor = "woff2" if _woff2() else "ttf"
    if flavor == "woff2":
        font.flavor = "woff2"
    return _save(font), flavor


def font_face_style(lines: Iterable[TextLine]) -> str:
    """A ``<style>`` with one ``@font-face`` per weight and style used, or "" with no text."""
    rules = []
    chars_of = used(lines)
    unions = {
        italic: "".join(
            sorted({ch for (_, it), cs in chars_of.items() if it == italic for ch in cs})
        )
        for italic in (False, True)
    }
    for (weight, italic), chars in chars_of.items():
        data, flavor = subset_font(chars, weight, italic, unions[italic])
        mime = "font/woff2" if flavor == "woff2" else "font/ttf"
        fmt = "woff2" if flavor == "woff2" else "truetype"
        encoded = base64.b64encode(data).decode("ascii")
        rules.append(
            f"@font-face{{font-family:'{FAMILY}';font-weight:{weight};"
            f"font-style:{'italic' if italic else 'normal'};"
            f"src:url(data:{mime};base64,{encoded}) format('{fmt}')}}"
        )
    if not rules:
        return ""
    return "<style>" + "\n".join(rules) + "</style>"


# ------------------------------------------------------------------------ text as paths
class _Outlines:
    """Glyph outlines and advances of the shipped font at one weight, in font units."""

    def __init__(self, weight: int, italic: bool) -> None:
        from fontTools.ttLib import TTFont

        path = italic_font_file() if italic else fonts.font_file()
        self.font = TTFont(str(path), lazy=True)
        self.upem: int = self.font["head"].unitsPerEm
        self.cmap: dict[int, str] = dict(self.font.getBestCmap())
        axes = {a.axisTag for a in self.font["fvar"].axes} if "fvar" in self.font else set()
        location = {"wght": weight} if "wght" in axes and weight != 400 else None
        self.glyphs: Any = (
            self.font.getGlyphSet(location=location) if location else self.font.getGlyphSet()
        )
        self._paths: dict[str, list[tuple[str, tuple[tuple[float, float], ...]]]] = {}

    def outline(self, name: str) -> list[tuple[str, tuple[tuple[float, float], ...]]]:
        found = self._paths.get(name)
        if found is None:
            from fontTools.pens.recordingPen import DecomposingRecordingPen

            pen = DecomposingRecordingPen(self.glyphs)
            self.glyphs[name].draw(pen)
            found = [(op, tuple(args)) for op, args in pen.value]
            self._paths[name] = found
        return found


@functools.lru_cache(maxsize=8)
def _outlines(weight: int, italic: bool) -> _Outlines:
    return _Outlines(weight, italic)


def text_path_data(line: TextLine) -> tuple[str, float, float, list[tuple[float, str, bool]]]:
    """``line`` as path data in font units from the line's origin, with y up.

    Returns (data, x0, scale, runs left as text as (x in px, run, is_emoji)): the path is
    drawn with ``transform="translate(x0 y) scale(scale -scale)"``; emoji and the symbols
    Noto Sans lacks stay text, in their own fonts. Coordinates are whole font units,
    relative (1/1000 em: invisible, and the path stays small).
    """
    o = _outlines(line.weight, line.italic)
    scale = line.size / o.upem
    pen_x = 0.0
    placed: list[tuple[str, float]] = []
    as_text: list[tuple[float, str, bool]] = []
    for run, emoji in fonts.segments(line.text):
        if emoji:
            as_text.append((pen_x, run, True))
            pen_x += fonts.emoji_clusters(run) * fonts.EMOJI_ADVANCE * o.upem
            continue
        for part, symbol in fonts.symbol_runs(run):
            if symbol:
                as_text.append((pen_x, part, False))
                pen_x += fonts.text_width(part, o.upem)
                continue
            for ch in part:
                name = o.cmap.get(ord(ch), ".notdef")
                placed.append((name, pen_x))
                pen_x += o.glyphs[name].width
    width = pen_x * scale
    if line.anchor == "middle":
        x0 = line.x - width / 2
    elif line.anchor == "end":
        x0 = line.x - width
    else:
        x0 = line.x
    parts: list[str] = []
    cur = (0, 0)

    def rel(points: Iterable[tuple[float, float]], gx: float) -> str:
        nonlocal cur
        out = []
        for px, py in points:
            p = (round(gx + px), round(py))
            out.append(f"{p[0] - cur[0]} {p[1] - cur[1]}")
            cur = p
        return " ".join(out).replace(" -", "-")

    for name, gx in placed:
        start = cur
        for op, args in o.outline(name):
            if op == "moveTo":
                parts.append("m" + rel(args, gx))
                start = cur
            elif op == "lineTo":
                parts.append("l" + rel(args, gx))
            elif op == "curveTo":
                before = cur
                pts = [(round(gx + px), round(py)) for px, py in args]
                parts.append(
                    "c"
                    + " ".join(f"{x - before[0]} {y - before[1]}" for x, y in pts).replace(
                        " -", "-"
                    )
                )
                cur = pts[-1]
            elif op == "qCurveTo":
                # TrueType: an on-curve point is implied between two off-curve ones
                off = list(args[:-1])
                end = args[-1] if args[-1] is not None else off[0]
                for i, q in enumerate(off):
                    nxt = (
                        ((q[0] + off[i + 1][0]) / 2, (q[1] + off[i + 1][1]) / 2)
                        if i + 1 < len(off)
                        else end
                    )
                    before = cur
                    c = (round(gx + q[0]), round(q[1]))
                    e = (round(gx + nxt[0]), round(nxt[1]))
                    parts.append(
                        f"q{c[0] - before[0]} {c[1] - before[1]} {e[0] - before[0]} {e[1] - before[1]}".replace(
                            " -", "-"
                        )
                    )
                    cur = e
            elif op in ("closePath", "endPath"):
                parts.append("z")
                cur = start
    return "".join(parts), x0, scale, [(x0 + x * scale, run, e) for x, run, e in as_text]
