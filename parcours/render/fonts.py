"""Text metrics from the shipped Noto Sans font, and wrapping that never overflows a box.

The picture must not depend on the machine's fonts: the layout measures every line with
the advance widths of ``NotoSans[wdth,wght].ttf`` from the ``fontpkg-noto-sans`` package,
the same file the PNG and PDF painters render with. Bold and semi-bold widths come from
the variable font's ``HVAR`` deltas, so a bold title is measured as drawn.

Emoji are not in Noto Sans: they are measured as one colour-emoji advance per cluster
(a ZWJ sequence, a flag or an emoji with a skin tone is one cluster) and painted with the
system emoji font where there is one (:func:`emoji_font_file`).

Measurements ignore kerning and ligatures, which only ever make real text narrower: a line
that fits here fits when drawn.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

#: Where colour emoji fonts usually live (Debian ``fonts-noto-color-emoji``).
EMOJI_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
EMOJI_FONT_NAMES = ("NotoColorEmoji.ttf",)

#: Width of one emoji cluster, in em (Noto Color Emoji: 2550 / 2048 units).
EMOJI_ADVANCE = 1.25
#: Width of a character no font here has, in em (fallback fonts are often CJK, 1 em).
MISSING_ADVANCE = 1.0
ELLIPSIS = "…"
#: Where a line may break: any white space but the no-break ones (French "38 %", "« oui »").
_BREAKABLE = re.compile(r"[^\S\u00a0\u202f\u2007\u2060]+")

_ZWJ = "\u200d"
_MODIFIERS = {0xFE0F, 0xFE0E, 0x20E3} | set(range(0x1F3FB, 0x1F400)) | set(range(0xE0020, 0xE0080))


def font_file() -> Path:
    """The Noto Sans variable font shipped by ``fontpkg-noto-sans``."""
    import fontpkg_noto_sans

    return Path(fontpkg_noto_sans.__file__).parent / "files" / "NotoSans[wdth,wght].ttf"


@functools.cache
def emoji_font_file() -> Path | None:
    """The system's colour emoji font, or None when the machine has none."""
    override = os.environ.get("PARCOURS_EMOJI_FONT")
    if override is not None:
        return Path(override) if override and Path(override).is_file() else None
    for base in EMOJI_FONT_DIRS:
        root = Path(base)
        if not root.is_dir():
            continue
        for name in EMOJI_FONT_NAMES:
            for found in sorted(root.rglob(name)):
                return found
    return None


def is_emoji(ch: str) -> bool:
    """True for characters drawn with the emoji font (pictographs, flags, joiners)."""
    cp = ord(ch)
    if cp in _MODIFIERS or ch == _ZWJ:
        return True
    if 0x1F000 <= cp <= 0x1FAFF or 0x1F1E6 <= cp <= 0x1F1FF:
        return True
    if 0x2600 <= cp <= 0x27BF or 0x2B00 <= cp <= 0x2BFF or 0x2300 <= cp <= 0x23FF:
        return cp not in _metrics().cmap
    return cp in (0x3030, 0x303D, 0x3297, 0x3299, 0x00A9, 0x00AE) and cp not in _metrics().cmap


def segments(text: str) -> list[tuple[str, bool]]:
    """Split text into runs of plain text and of emoji: ``[(run, is_emoji), …]``.

    A zero-width joiner, a variation selector or a skin tone stays with its emoji.
    """
    runs: list[tuple[str, bool]] = []
    current = ""
    current_emoji = False
    for i, ch in enumerate(text):
        emoji = is_emoji(ch)
        if ch == _ZWJ or ord(ch) in _MODIFIERS:
            # a joiner belongs to the emoji around it; alone (e.g. in Arabic) it is text
            prev_emoji = current_emoji and bool(current)
            next_emoji = i + 1 < len(text) and is_emoji(text[i + 1])
            emoji = prev_emoji or (ch == _ZWJ and next_emoji)
        if current and emoji != current_emoji:
            runs.append((current, current_emoji))
            current = ""
        current += ch
        current_emoji = emoji
    if current:
        runs.append((current, current_emoji))
    return runs


def emoji_clusters(run: str) -> int:
    """How many emoji glyphs a run of emoji draws (joined sequences count once)."""
    count = 0
    joined = False
    regional = 0
    for ch in run:
        cp = ord(ch)
        if ch == _ZWJ:
            joined = True
            continue
        if cp in _MODIFIERS:
            continue
        if 0x1F1E6 <= cp <= 0x1F1FF:
            regional += 1
            if regional % 2 == 0:
                continue
        if not joined:
            count += 1
        joined = False
    return count


class FontMetrics:
    """Advance widths of a TrueType font, per character and weight, cached."""

    def __init__(self, path: Path) -> None:
        from fontTools.ttLib import TTFont

        self.path = path
        self._font = TTFont(str(path), lazy=True)
        self.units_per_em: int = self._font["head"].unitsPerEm
        self.cmap: dict[int, str] = dict(self._font.getBestCmap())
        self._axes = {a.axisTag for a in self._font["fvar"].axes} if "fvar" in self._font else set()
        self._tables: dict[int, dict[str, float]] = {}
        self._lock = threading.Lock()
        hhea = self._font["hhea"]
        self.ascender = hhea.ascent / self.units_per_em
        self.descender = -hhea.descent / self.units_per_em

    def _table(self, weight: int) -> dict[str, float]:
        table = self._tables.get(weight)
        if table is not None:
            return table
        with self._lock:
            table = self._tables.get(weight)
            if table is not None:
                return table
            if weight == 400 or "wght" not in self._axes:
                glyphs = self._font.getGlyphSet()
            else:
                glyphs = self._font.getGlyphSet(location={"wght": weight})
            upem = self.units_per_em
            table = {}
            # Latin, Latin-1, Latin Extended-A, punctuation: measured once, up front
            for cp in [*range(0x20, 0x250), *range(0x2000, 0x2070), 0x20AC]:
                name = self.cmap.get(cp)
                if name is not None:
                    table[chr(cp)] = glyphs[name].width / upem
            self._glyphs = getattr(self, "_glyphs", {})
            self._glyphs[weight] = glyphs
            self._tables[weight] = table
            return table

    def char_width(self, ch: str, weight: int = 400) -> float:
        """Advance of one character, in em."""
        table = self._table(weight)
        width = table.get(ch)
        if width is None:
            name = self.cmap.get(ord(ch))
            if name is None:
                width = 0.0 if ord(ch) in _MODIFIERS or ch == _ZWJ else MISSING_ADVANCE
            else:
                width = self._glyphs[weight][name].width / self.units_per_em
            table[ch] = width
        return width

    def width(self, text: str, size: float, weight: int = 400) -> float:
        """Width of a line of text at ``size`` px and ``weight``, emoji included."""
        table = self._table(weight)
        total = 0.0
        simple = True
        for ch in text:
            w = table.get(ch)
            if w is None:
                simple = False
                break
            total += w
        if simple:
            return total * size
        total = 0.0
        for run, emoji in segments(text):
            if emoji:
                total += emoji_clusters(run) * EMOJI_ADVANCE
            else:
                total += sum(self.char_width(ch, weight) for ch in run)
        return total * size


@functools.cache
def _metrics() -> FontMetrics:
    return FontMetrics(font_file())


def metrics() -> FontMetrics:
    """The shared metrics of the shipped text font."""
    return _metrics()


def text_width(text: str, size: float, weight: int = 400) -> float:
    """Width in px of ``text`` drawn at ``size`` px in Noto Sans of ``weight``."""
    return _metrics().width(text, size, weight)


@dataclass(frozen=True)
class Wrapped:
    """Lines of wrapped text, each with its measured width, and whether text was cut."""

    lines: tuple[str, ...]
    widths: tuple[float, ...]
    truncated: bool


def fit(text: str, width: float, size: float, weight: int = 400) -> str:
    """``text`` on one line, cut with "…" when it is wider than ``width``."""
    if text_width(text, size, weight) <= width:
        return text
    return _cut(text, width, size, weight)


def _cut(text: str, width: float, size: float, weight: int) -> str:
    ell = text_width(ELLIPSIS, size, weight)
    if ell > width:
        return ""
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip(), size, weight) + ell <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS


@functools.lru_cache(maxsize=65536)
def wrap(
    text: str, width: float, size: float, weight: int = 400, max_lines: int | None = None
) -> Wrapped:
    """Break ``text`` into lines no wider than ``width`` px (greedy, by words).

    A word wider than the box is broken between characters. Explicit newlines are kept.
    With ``max_lines``, the last kept line ends with "…" and ``truncated`` is True.
    """
    width = max(width, 1.0)
    space = text_width(" ", size, weight)
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        words = [w for w in _BREAKABLE.split(paragraph) if w]
        if not words:
            lines.append("")
            continue
        line = ""
        line_w = 0.0
        for word in words:
            word_w = text_width(word, size, weight)
            if line and line_w + space + word_w <= width:
                line += " " + word
                line_w += space + word_w
                continue
            if line:
                lines.append(line)
            if word_w <= width:
                line, line_w = word, word_w
                continue
            # a word wider than the box: break it between characters
            piece = ""
            for ch in word:
                if piece and text_width(piece + ch, size, weight) > width:
                    lines.append(piece)
                    piece = ""
                piece += ch
            line, line_w = piece, text_width(piece, size, weight)
        lines.append(line)
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    truncated = False
    if max_lines is not None and len(lines) > max_lines:
        truncated = True
        kept = lines[: max(max_lines, 1)]
        last = kept[-1]
        if text_width(last + ELLIPSIS, size, weight) <= width:
            kept[-1] = last + ELLIPSIS
        else:
            kept[-1] = _cut(last, width, size, weight)
        lines = kept
    # characters no font has could still overflow a one-character piece: cut them
    final = []
    for line in lines:
        if text_width(line, size, weight) > width:
            line = _cut(line, width, size, weight)
            truncated = True
        final.append(line)
    return Wrapped(tuple(final), tuple(text_width(line, size, weight) for line in final), truncated)
