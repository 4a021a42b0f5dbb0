"""The PNG writer: svg2png-py's pixels in bands, written here; resvg-py when it is absent."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from parcours.catalog import new_from_template
from parcours.render import layout, png, to_png
from parcours.render.raster import font_files


def pixels(data: bytes) -> Any:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


@pytest.fixture(scope="module")
def journey() -> Any:
    atlas = new_from_template("bank-account-opening", "fr")
    return atlas.standalone(atlas.journeys[0].id)


def test_the_extra_is_installed_and_used(journey: Any) -> None:
    """The test command installs the ``fast`` extra: the PNG comes from its path."""
    data = png.draw_map(layout(journey), 1.0, font_files(), "#ffffff")
    assert data is not None and data.startswith(b"\x89PNG\r\n\x1a\n")
    assert data == to_png(journey)


@pytest.mark.parametrize("scale", [1.0, 2.0, 0.37])
def test_same_picture_as_resvg_py(
    journey: Any, scale: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same size and the same drawing as resvg-py's own PNG: the two resvg releases differ
    only in the antialiasing of glyph edges (more in text 5 px high), never by a shape or
    a word: averaged over 4 × 4 pixels, no block differs by more than a quarter of the
    range (a word missing or moved would)."""
    fast = pixels(to_png(journey, scale=scale))
    monkeypatch.setattr(png, "draw_map", lambda *args: None)
    slow = pixels(to_png(journey, scale=scale))
    assert fast.shape == slow.shape
    if scale >= 1:
        assert (np.abs(fast - slow).max(axis=2) > 8).mean() < 0.005  # measured 0.03–0.07 %
    h, w = fast.shape[0] // 4 * 4, fast.shape[1] // 4 * 4

    def blocks(image: Any) -> Any:
        return image[:h, :w].reshape(h // 4, 4, w // 4, 4, 3).mean(axis=(1, 3))

    difference = np.abs(blocks(fast) - blocks(slow)).max(axis=2)
    assert difference.max() < 64  # measured 14–28
    assert difference.mean() < 2  # measured 0.01 (scale 1, 2) and 0.75 (0.37)


def isolated(code: str) -> Any:
    """Run ``code`` in a new Python process (one thread: forking is safe there, whatever
    threads earlier tests left in this one) and return what it prints, read as JSON."""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("bands", [2, 3])
def test_bands_make_the_whole_picture(bands: int) -> None:
    """Bands drawn in forked children and put side by side: the picture drawn whole, to
    the antialiasing of edges (no stage name repeated at a cut, nothing left out)."""
    found = isolated(
        f"""
        import io, json
        import numpy as np
        from PIL import Image
        from parcours.catalog import new_from_template
        from parcours.render import layout, png
        from parcours.render.raster import png_bytes

        atlas = new_from_template("bank-account-opening", "fr")
        lay = layout(atlas.standalone(atlas.journeys[0].id))
        read = lambda data: np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)
        png.band_count = lambda width: 1
        whole = read(png_bytes(lay))
        png.band_count = lambda width: {bands}
        cut = read(png_bytes(lay))
        difference = np.abs(whole - cut).max(axis=2)
        print(json.dumps({{"same_size": whole.shape == cut.shape,
                           "over_8": float((difference > 8).mean()),
                           "max": int(difference.max())}}))
        """
    )
    assert found["same_size"]
    assert found["over_8"] < 0.001
    assert found["max"] < 64


def test_no_fork_beside_other_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process running other threads (the server) draws in one band: a forked child
    could wait forever for a lock another thread held."""
    with monkeypatch.context() as alone:
        alone.setattr(threading, "active_count", lambda: 1)
        assert png.band_count(6716) == min(len(os.sched_getaffinity(0)), 4)
        assert png.band_count(900) == 1  # narrow: not worth a fork
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert png.band_count(6716) == 1
    finally:
        stop.set()
        other.join()


def test_a_failed_child_band_is_drawn_again_here() -> None:
    found = isolated(
        """
        import json, os
        from parcours.render import png

        parent = os.getpid()

        def draw(band):
            if os.getpid() != parent:
                raise RuntimeError("the child fails")
            return bytes([7]) * (band[1] * 2 * 4), band[1]

        parts = png.draw_bands([("a", 3), ("b", 5)], 2, draw)
        print(json.dumps([[bytes(p).hex(), w] for p, w in parts]))
        """
    )
    assert found == [["07" * 24, 3], ["07" * 40, 5]]


def test_encoder_writes_the_pixels_it_is_given() -> None:
    rng = np.random.default_rng(5)
    left = rng.integers(0, 256, (7, 3, 4), dtype=np.uint8)
    right = rng.integers(0, 256, (7, 2, 4), dtype=np.uint8)
    data = png.encode_rgb([(left.tobytes(), 3), (right.tobytes(), 2)], 7)
    image = Image.open(io.BytesIO(data))
    assert image.mode == "RGB" and image.size == (5, 7)
    expected = np.concatenate([left, right], axis=1)[:, :, :3]
    assert (np.asarray(image) == expected).all()


def test_only_opaque_colours_take_the_fast_path(journey: Any) -> None:
    assert png.opaque_rgb("#fff") == (255, 255, 255)
    assert png.opaque_rgb(" #1e293b ") == (30, 41, 59)
    for colour in ("transparent", "#ffffff80", "rgb(1,2,3)", "#ggg"):
        assert png.opaque_rgb(colour) is None
        assert png.draw_map(layout(journey), 1.0, font_files(), colour) is None
