"""PNG from the SVG painter: resvg draws the map, and its pixels are written here.

resvg-py (always installed) hands back PNG bytes that resvg compressed hard: on the 30-step
map that compression was half of the time of the PNG, with no setting to change it. When
the ``fast`` extra is installed, svg2png-py (the same resvg, which lets go of the
interpreter while it draws) hands back the pixels instead, and they are written as an
opaque RGB PNG with zlib at level 3 and no row filter, 8 % larger. The map is drawn in
vertical bands at once in forked processes (:func:`draw_bands`): the 30-step map's PNG in
0.47 s on two cores (0.75 s in one band) instead of 1.2 s. The picture is the same: same
drawing, same shipped font; the two resvg releases differ only in the antialiasing of a
few glyph edges (0.06 % of the pixels of the 30-step map).

Both read only the font files given to them, never the system's, so the picture is the
same on every machine.
"""

from __future__ import annotations

import math
import mmap
import os
import re
import struct
import sys
import threading
import zlib
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from parcours.render.usvg import emoji_safe

if TYPE_CHECKING:
    from parcours.render.layout import Layout

#: zlib level of the pixels: 3 keeps most of the size of level 6 at half its time.
ZLIB_LEVEL = 3
_HEX = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def opaque_rgb(colour: str) -> tuple[int, int, int] | None:
    """``#rgb`` or ``#rrggbb`` as integers; ``None`` for anything else."""
    if not _HEX.fullmatch(colour.strip()):
        return None
    digits = colour.strip()[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def encode_rgb(parts: Sequence[tuple[Any, int]], height: int) -> bytes:
    """Opaque RGBA bands (4 bytes a pixel, row after row; each with its width), side by
    side from the left, as one PNG (RGB, 8 bits)."""
    import numpy as np

    width = sum(w for _, w in parts)
    rows = np.empty((height, 1 + 3 * width), np.uint8)
    rows[:, 0] = 0  # filter type of each row: none
    left = 0
    for rgba, w in parts:
        pixels = np.frombuffer(rgba, np.uint8).reshape(height, w, 4)
        rows[:, 1 + 3 * left : 1 + 3 * (left + w)] = pixels[:, :, :3].reshape(height, 3 * w)
        left += w
    data = zlib.compress(rows.data, ZLIB_LEVEL)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )


def pixel_size(length: float, zoom: float = 1.0) -> int:
    """Pixels of a length of the map at ``zoom``, counted as resvg-py counts its canvas:
    the length rounded up to whole px, times the zoom, rounded."""
    return max(1, math.floor(math.ceil(length - 1e-6) * zoom + 0.5))


def band_count(width_px: int) -> int:
    """Bands drawn at once: one a processor, up to 4, none narrower than 1,000 px; one
    when this process runs other threads (see :func:`draw_bands`) or is not on Linux (a
    fork without exec is not safe with every system library elsewhere)."""
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), 4, width_px // 1000))


def band_svgs(lay: Layout, zoom: float, bands: int) -> tuple[list[tuple[str, int]], int]:
    """The map cut into ``bands`` vertical bands, each an SVG document drawing only what
    meets it, and its width in pixels; and the height in pixels.

    Cut at whole pixels, so that the bands put side by side are the picture drawn whole:
    each band's view starts where the previous one ends, on the same pixel grid. As in
    resvg-py's zoom, the map fills the picture's width and height in whole pixels.
    """
    from parcours.render.shapes import esc
    from parcours.render.svg import SVG_NS, paint_body

    width, height = pixel_size(lay.width, zoom), pixel_size(lay.height, zoom)
    family = f"'{lay.theme.font_family}', sans-serif"
    margin = 2 / zoom  # what antialiasing can spill over a band's edge
    out = []
    for i in range(bands):
        c0, c1 = width * i // bands, width * (i + 1) // bands
        x0, x1 = c0 / zoom, c1 / zoom
        window = (x0 - margin, x1 + margin)
        body = paint_body(lay, window, background=False, tooltips=False, restart_names=False)
        # the view at full precision: a rounded one would shift the band by a fraction of
        # a pixel (text edges then differ from the whole picture's)
        tag = (
            f'<svg xmlns="{SVG_NS}" width="{c1 - c0}" height="{height}" '
            f'viewBox="{x0!r} 0 {x1 - x0!r} {height / zoom!r}" preserveAspectRatio="none" '
            f'font-family="{esc(family)}">'
        )
        out.append((f"{tag}\n{body}\n</svg>\n", c1 - c0))
    return out, height


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@lru_cache(maxsize=4)
def _font_database(files: tuple[str, ...]) -> Any:
    import svg2png_py

    database = svg2png_py.FontDatabase()
    for path in files:
        database.load_font_file(path)
    return database


def draw_map(lay: Layout, zoom: float, font_files: Sequence[str], background: str) -> bytes | None:
    """The laid-out map as PNG bytes through svg2png-py, its bands drawn at once
    (:func:`draw_bands`); ``None`` when svg2png-py is not installed (the ``fast`` extra)
    or the background is not an opaque colour."""
    colour = opaque_rgb(background)
    try:
        import svg2png_py
    except ImportError:
        return None
    if colour is None:
        return None
    database = _font_database(tuple(font_files))
    options = svg2png_py.RenderOptions(font_family=lay.theme.font_family)
    fill = (*colour, 255)

    def draw(band: tuple[str, int]) -> tuple[bytes, int]:
        rgba, width, _ = svg2png_py.svg_to_rgba(
            emoji_safe(band[0]), database, bg_color=fill, options=options
        )
        return rgba, width

    bands, height = band_svgs(lay, zoom, band_count(pixel_size(lay.width, zoom)))
    return encode_rgb(draw_bands(bands, height, draw), height)


def draw_bands(
    bands: Sequence[tuple[str, int]],
    height: int,
    draw: Callable[[tuple[str, int]], tuple[bytes, int]],
) -> list[tuple[Any, int]]:
    """Each band drawn by ``draw``: all but the last in forked children that write their
    pixels into memory shared with this process, the last here, at the same time.

    Not threads: svg2png-py draws one picture at a time in a process, whatever the
    threads. Forking is safe only in a process that runs no other thread (another could
    hold a lock the child would wait for forever): :func:`band_count` gives one band
    otherwise. A child that fails has its band drawn again here.
    """
    if len(bands) == 1:
        return [draw(bands[0])]
    shared = [mmap.mmap(-1, height * width * 4) for _, width in bands[:-1]]
    children = []
    for band, memory in zip(bands[:-1], shared, strict=True):
        pid = os.fork()
        if pid == 0:  # the child: draw, copy the pixels, leave without any clean-up
            code = 1
            try:
                memory[:] = draw(band)[0]
                code = 0
            finally:
                os._exit(code)
        children.append(pid)
    try:
        last = draw(bands[-1])
    finally:  # every child reaped, whatever happened here
        statuses = [os.waitpid(pid, 0)[1] for pid in children]
    parts: list[tuple[Any, int]] = []
    for band, memory, status in zip(bands[:-1], shared, statuses, strict=True):
        parts.append((memory, band[1]) if status == 0 else draw(band))
    return [*parts, last]


def resvg_png(svg: str, font_files: Sequence[str], zoom: float, background: str) -> bytes:
    """PNG bytes through resvg-py (always installed)."""
    import resvg_py

    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=emoji_safe(svg),
            font_files=list(font_files),
            skip_system_fonts=True,
            zoom=zoom,
            background=background,
        )
    )
