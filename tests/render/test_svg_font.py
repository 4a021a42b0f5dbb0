"""The SVG does not depend on the viewer: the font subset it embeds, text as paths, width.

The browser test opens our SVG of a template in Debian's Chromium with a fontconfig that
holds no Noto Sans (only DejaVu and the emoji font), so the only Noto the browser can use
is the one embedded in the SVG, screenshots it at the PNG's size and compares it with our
own PNG of the same map (resvg with the shipped font). The same SVG without the embedded
font is compared too: it must be clearly worse, or the test proves nothing.

The fontconfig asks for unhinted text (as macOS and Windows draw it): with hinting,
Chromium on Linux snaps glyph advances to whole pixels, which moves long lines by a few
pixels whatever the font.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from parcours import export
from parcours.catalog import template
from parcours.files import load_atlas
from parcours.model.atlas import Atlas
from parcours.render import layout, svg_font, to_svg

TEMPLATE = "hospitality-visit"
#: Mean absolute difference per channel (0-255) between Chromium's picture and our PNG.
EMBEDDED_MAX = 2.0
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>/usr/share/fonts/truetype/dejavu</dir>
  {emoji}
  <cachedir>{cache}</cachedir>
  <match target="pattern">
    <edit name="hinting" mode="assign"><bool>false</bool></edit>
    <edit name="hintstyle" mode="assign"><const>hintnone</const></edit>
    <edit name="antialias" mode="assign"><bool>true</bool></edit>
    <edit name="rgba" mode="assign"><const>none</const></edit>
  </match>
</fontconfig>
"""


def _atlas() -> Atlas:
    return load_atlas(template(TEMPLATE, "en").path)


def _svg(**options: Any) -> str:
    a = _atlas()
    return to_svg(a.journeys[0], library=a.library, personas=a.personas, **options)


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    path = shutil.which("chromium")
    assert path, "this test needs Debian's chromium (bash scripts/test.sh installs it)"
    folder = tmp_path_factory.mktemp("fontconfig")
    emoji = Path("/usr/share/fonts/truetype/noto")
    conf = folder / "fonts.conf"
    conf.write_text(
        FONTS_CONF.format(
            emoji=f"<dir>{emoji}</dir>" if emoji.is_dir() else "", cache=folder / "cache"
        )
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    listed = subprocess.run(["fc-list"], env=env, capture_output=True, text=True).stdout
    assert not re.search(r"Noto Sans[^M]", listed.replace("Noto Sans Mono", "")), listed
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=path, args=["--headless", "--no-sandbox", "--disable-gpu"], env=env
        )
        yield browser
        browser.close()


def _shot(browser: Any, svg: str, size: tuple[int, int], folder: Path) -> tuple[Any, Any]:
    """Chromium's screenshot of ``svg`` and the page, fonts loaded."""
    from PIL import Image

    file = folder / "map.svg"
    file.write_text(svg, encoding="utf-8")
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(file.as_uri())
    page.evaluate(
        "Promise.all(Array.from(document.fonts).map(f => f.load()))"
        ".then(() => document.fonts.ready).then(() => true)"
    )
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    return shot, page


def _difference(a: Any, b: Any) -> float:
    import numpy as np

    assert a.size == b.size
    return float(np.abs(np.asarray(a, np.int16) - np.asarray(b, np.int16)).mean())


def test_chromium_without_noto_sans_draws_the_embedded_svg_like_our_png(
    chromium: Any, tmp_path: Path
) -> None:
    from PIL import Image

    a = _atlas()
    png = Image.open(io.BytesIO(export.export(a, "png"))).convert("RGB")
    embedded, page = _shot(chromium, _svg(), png.size, tmp_path)
    # the embedded faces loaded, and a bold line is as wide as the layout measured it
    # (a synthesised bold from the 400 face would be narrower)
    faces = page.evaluate("Array.from(document.fonts).map(f => f.family + ' ' + f.status)")
    assert faces and all(f == f"{svg_font.FAMILY} loaded" for f in faces), faces
    title = layout(a.journeys[0], None, a.library, personas=a.personas).header.title
    assert title is not None and title.lines[0].weight == 700
    drawn = page.evaluate(
        "document.querySelector('text[font-weight=\"700\"]').getComputedTextLength()"
    )
    assert drawn == pytest.approx(title.lines[0].width, rel=0.005)
    page.close()
    plain, page = _shot(chromium, _svg(embed_font=False), png.size, tmp_path)
    page.close()
    with_font, without = _difference(embedded, png), _difference(plain, png)
    print(f"mean abs difference to our PNG: embedded {with_font:.3f}, without {without:.3f}")
    assert with_font < EMBEDDED_MAX
    assert without > 2.5 * with_font  # the test can fail: the viewer's fallback font shows


def test_text_as_paths_matches_our_png_too(chromium: Any, tmp_path: Path) -> None:
    from PIL import Image

    png = Image.open(io.BytesIO(export.export(_atlas(), "png"))).convert("RGB")
    svg = _svg(text_as_paths=True)
    shot, page = _shot(chromium, svg, png.size, tmp_path)
    page.close()
    assert _difference(shot, png) < EMBEDDED_MAX


def test_embedded_font_is_byte_stable_and_text_stays_selectable() -> None:
    first = _svg()
    svg_font._union.cache_clear()
    assert _svg() == first
    assert first.count("@font-face") == 4  # 400, 500, 600 and 700 are used
    assert "data:font/woff2;base64," in first
    assert "<text " in first and "Spots the hotel on" in first
    assert 'font-family="&#39;parcours-noto&#39;, &#39;Noto Sans&#39;' in first


def test_text_as_paths_has_no_text_but_emoji_and_keeps_the_words_as_labels() -> None:
    svg = _svg(text_as_paths=True)
    assert "@font-face" not in svg
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert all(svg_font.fonts.segments(t)[0][1] for t in texts if t), texts  # emoji only
    assert 'aria-label="Spots the hotel on"' in svg


def test_width_scales_the_drawing_and_keeps_the_view_box() -> None:
    svg = _svg(embed_font=False, width=800)
    head = svg.split("\n")[1]
    assert 'width="800"' in head and 'viewBox="0 0 3476 ' in head


def test_cli_renders_text_as_paths_and_a_width(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from parcours.cli import app

    out = tmp_path / "map.svg"
    args = ["render", "map", str(template(TEMPLATE, "en").path), "-o", str(out)]
    result = CliRunner().invoke(app, [*args, "--text-as-paths", "--width", "1200"])
    assert result.exit_code == 0, result.output
    assert 'width="1200"' in out.read_text() and "@font-face" not in out.read_text()
    bad = CliRunner().invoke(app, [*args[:-1], str(tmp_path / "m.png"), "--width", "900"])
    assert bad.exit_code == 1 and "apply to SVG" in bad.output
