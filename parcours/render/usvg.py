"""What the SVG readers built on usvg (resvg for the PNG, Typst for the PDF) need of the
painter's SVG: a text mixing words and runs in another font drawn apart.

usvg 0.47 panics on an emoji sequence with joiners (👩\u200d💼) in a ``<tspan>`` that follows
other text of its ``<text>`` ("removal index should be < len"), and without the ``<tspan>``
draws the sequence in pieces; alone in its ``<text>`` it draws it whole. And a ``<text>``
with a ``<tspan>`` in the symbol font (an arrow Noto Sans lacks) is drawn wholly in that
font, regular, its words too (seen with resvg 0.47 and Typst 0.15). So before either
reader sees it, each such ``<text>`` becomes one ``<text>`` a run, placed with the
advances the layout measured the line with.
"""

from __future__ import annotations

import html
import re

from parcours.render import fonts

_TEXT = re.compile(r"<text ([^>]*)>(.*?)</text>", re.S)
_OWN_FONT = ("Emoji", "DejaVu")  # the emoji and symbol families (fonts.SYMBOL_FAMILIES)
_EMOJI_RUN = re.compile(r'(<tspan font-family="[^"]*(?:Emoji|DejaVu)[^"]*">[^<]*</tspan>)')
_ATTR = re.compile(r'\b(x|font-size|font-weight|text-anchor)="([^"]*)"')


def _split(match: re.Match[str]) -> str:
    """A ``<text>`` mixing words and an emoji or symbol ``<tspan>`` as one ``<text>`` a
    run."""
    attrs, content = match[1], match[2]
    runs = [run for run in _EMOJI_RUN.split(content) if run]
    if len(runs) < 2 or not any(_EMOJI_RUN.fullmatch(run) for run in runs):
        return match[0]
    found = dict(_ATTR.findall(attrs))
    try:
        x, size = float(found.get("x", "0")), float(found.get("font-size", "16"))
        weight = int(found.get("font-weight", "400"))
    except ValueError:
        return match[0]
    plain = [html.unescape(re.sub(r"<[^>]*>", "", run)) for run in runs]
    widths = [fonts.text_width(text, size, weight) for text in plain]
    anchor = found.get("text-anchor", "start")
    total = sum(widths)
    x -= total if anchor == "end" else total / 2 if anchor == "middle" else 0.0
    rest = _ATTR.sub(lambda m: "" if m[1] in ("x", "text-anchor") else m[0], attrs).strip()
    if "xml:space" not in rest:  # the spaces at the ends of runs are kept
        rest += ' xml:space="preserve"'
    out = []
    for run, width in zip(runs, widths, strict=True):
        out.append(f'<text x="{x:.2f}" {rest}>{run}</text>')
        x += width
    return "".join(out)


def emoji_safe(svg: str) -> str:
    """``svg`` with every text that mixes words and emoji or symbols split (see the
    module)."""
    if not any(family in svg for family in _OWN_FONT):
        return svg
    return _TEXT.sub(_split, svg)
