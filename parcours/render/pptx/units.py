"""Slide size, the deck's font and the conversions from layout px to EMU and points."""

from __future__ import annotations

from functools import cache

EMU_PER_PX = 9525  # 914400 EMU per inch / 96 px per inch
SLIDE_W = 1280.0  # 13.33 in: every slide is 16:9, as a presenter's screen expects
SLIDE_H = 720.0  # 7.5 in
# The font the deck names: every Office has Arial, and LibreOffice maps it to Liberation Sans
# (metric-compatible) or, without it, to DejaVu Sans. Text is placed with the shipped Noto
# Sans metrics, as in the SVG; DejaVu Sans, the widest of these, runs up to 8% wider than
# Noto Sans, and its bold up to 17% wider than Noto Sans semibold, so sizes are set that much
# smaller and every text stays in its box.
DECK_FONT = "Arial"
FIT = 0.92
BOLD_FIT = 0.92  # on top of FIT for bold text
# The smallest text a map slide shows, in points: the deck's scale is chosen so that the
# smallest text of the layout (a badge's 10.5 px bold) is set at this size; card text (13 px)
# is then 10.8 pt, the size of body text on a slide read from a screen share.
FLOOR_PT = 8.0


def emu(px: float, scale: float = 1.0) -> int:
    """Layout px (1/96 in) at ``scale`` as EMU."""
    return round(px * scale * EMU_PER_PX)


def points(size_px: float, bold: bool, scale: float = 1.0) -> float:
    """The point size a layout text of ``size_px`` is set at, to the tenth of a point."""
    return max(1.0, round(size_px * 0.75 * FIT * scale * (BOLD_FIT if bold else 1.0), 1))


@cache
def hex6(colour: str | None) -> str | None:
    """``#abc`` or ``#aabbcc`` as ``AABBCC``; None for anything else (``none``, a gradient)."""
    if not colour or not colour.startswith("#"):
        return None
    value = colour[1:]
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    value = value[:6].upper()
    if len(value) != 6 or any(c not in "0123456789ABCDEF" for c in value):
        return None
    return value
