"""Text metrics from the shipped Noto Sans font, and wrapping that never overflows a box.

The picture must not depend on the machine's fonts: the layout measures every line with
the advance widths of ``NotoSans[wdth,wght].ttf`` from the ``fontpkg-noto-sans`` package,
the same file the PNG and PDF painters render with. Bold and semi-bold widths come from
the variable font's ``HVAR`` deltas, so a bold title is measured as drawn.

Emoji are not in Noto Sans: they are measured as one colour-emoji advance per cluster
(a ZWJ sequence, a flag or an emoji with a skin tone is one cluster) and painted with the
system emoji font where there is one (:func:`emoji_font_file`). Symbols Noto Sans lacks
either (arrows → ⇒, ✓, ★, ≥…) are measured and painted with the system's DejaVu Sans
where there is one (:func:`symbol_font_file`, :func:`symbol_runs`); a character no font
here has is measured as an empty em.

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

#: A font for the symbols Noto Sans lacks (Debian ``fonts-dejavu-core``), where it lives.
SYMBOL_FONT_NAMES = ("DejaVuSans.ttf",)
#: The font-family of a run drawn with it (the family name inside that file).
SYMBOL_FAMILIES = "'DejaVu Sans', sans-serif"

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


def _system_font(variable: str, names: tuple[str, ...]) -> Path | None:
    """The file named by the environment ``variable`` (empty: none), else the first of
    ``names`` found under the system font folders, else None."""
    override = os.environ.get(variable)
    if override is not None:
        return Path(override) if override and Path(override).is_file() else None
    for base in EMOJI_FONT_DIRS:
        root = Path(base)
        if not root.is_dir():
            continue
        for name in names:
            for found in sorted(root.rglob(name)):
                return found
    return None


@functools.cache
def emoji_font_file() -> Path | None:
    """The system's colour emoji font (``PARCOURS_EMOJI_FONT`` to choose another, empty
    for none), or None when the machine has none."""
    return _system_font("PARCOURS_EMOJI_FONT", EMOJI_FONT_NAMES)


@functools.cache
def symbol_font_file() -> Path | None:
    """The system's font for symbols Noto Sans lacks (``PARCOURS_SYMBOL_FONT`` to choose
    another, empty for none), or None when the machine has none."""
    return _system_font("PARCOURS_SYMBOL_FONT", SYMBOL_FONT_NAMES)


def _bold_symbol_file() -> Path | None:
    """The bold face beside the symbol font (``DejaVuSans-Bold.ttf``), if there is one."""
    path = symbol_font_file()
    if path is None or not path.stem.endswith("Sans"):
        return None
    bold = path.with_name(f"{path.stem}-Bold{path.suffix}")
    return bold if bold.is_file() else None


def drawing_fonts() -> list[Path]:
    """The files the PNG and PDF painters draw with: Noto Sans, then the emoji and the
    symbol fonts (regular and bold) where the machine has them."""
    symbols = (symbol_font_file(), _bold_symbol_file()) if symbol_metrics() else ()
    extra = (emoji_font_file(), *symbols)
    return [font_file(), *(f for f in extra if f is not None)]


@functools.cache
def _emoji_cmap() -> frozenset[int]:
    path = emoji_font_file()
    if path is None:
        return frozenset()
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), lazy=True) as font:
            return frozenset(font.getBestCmap())
    except Exception:  # a broken system font: as if there were none
        return frozenset()


@functools.cache
def symbol_metrics(bold: bool = False) -> FontMetrics | None:
    """The metrics of :func:`symbol_font_file` (of its bold face with ``bold``, where
    there is one: the painters pick it for weights above 500, as CSS does), or None when
    there is none (or it cannot be read)."""
    path = symbol_font_file()
    if path is None:
        return None
    if bold:
        heavy = _bold_symbol_file()
        if heavy is not None:
            try:
                return FontMetrics(heavy)
            except Exception:  # a broken bold face: the regular one is drawn
                pass
        return symbol_metrics()
    try:
        return FontMetrics(path)
    except Exception:  # a broken system font: as if there were none
        return None


def is_symbol(ch: str) -> bool:
    """True for a character Noto Sans lacks and the symbol font draws (not an emoji)."""
    cp = ord(ch)
    if cp in _metrics().cmap:
        return False
    symbols = symbol_metrics()
    return symbols is not None and cp in symbols.cmap and not is_emoji(ch)


@functools.cache
def _lacking() -> re.Pattern[str]:
    """Matches a character Noto Sans lacks (one C-speed scan of a run instead of a
    lookup per character: every text of a map goes through :func:`symbol_runs`)."""
    ranges: list[list[int]] = []
    for cp in sorted(_metrics().cmap):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    covered = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return re.compile(f"[^{covered}]")


def symbol_runs(run: str) -> list[tuple[str, bool]]:
    """A run of plain text split into runs of Noto Sans and of symbols:
    ``[(run, is_symbol), …]`` (one run, not a symbol, when it has none)."""
    if symbol_metrics() is None or _lacking().search(run) is None:
        return [(run, False)]
    out: list[tuple[str, bool]] = []
    for ch in run:
        symbol = is_symbol(ch)
        if out and out[-1][1] == symbol:
            out[-1] = (out[-1][0] + ch, symbol)
        else:
            out.append((ch, symbol))
    return out


def is_emoji(ch: str) -> bool:
    """True for characters drawn with the emoji font (pictographs, flags, joiners)."""
    cp = ord(ch)
    if cp in _MODIFIERS or ch == _ZWJ:
        return True
    if 0x1F000 <= cp <= 0x1FAFF or 0x1F1E6 <= cp <= 0x1F1FF:
        return True
    if 0x2600 <= cp <= 0x27BF or 0x2B00 <= cp <= 0x2BFF or 0x2300 <= cp <= 0x23FF:
        return cp not in _metrics().cmap and _emoji_or_nothing(cp)
    if cp in (0x3030, 0x303D, 0x3297, 0x3299, 0x00A9, 0x00AE):
        return cp not in _metrics().cmap and _emoji_or_nothing(cp)
    return False


def _emoji_or_nothing(cp: int) -> bool:
    """For a symbol that may be an emoji (✔) or not (✓, ★): drawn as an emoji unless the
    emoji font lacks it and the symbol font has it."""
    if cp in _emoji_cmap():
        return True
    symbols = symbol_metrics()
    return symbols is None or cp not in symbols.cmap


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
                symbols = symbol_metrics(weight > 500) if self.path == font_file() else None
                if ord(ch) in _MODIFIERS or ch == _ZWJ:
                    width = 0.0
                elif symbols is not None and ord(ch) in symbols.cmap:
                    width = symbols.char_width(ch)  # drawn upright, regular or bold
                else:
                    width = MISSING_ADVANCE
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
