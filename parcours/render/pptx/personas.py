"""A persona slide: avatar, name and facts, summary, quote, then one box per list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Pt

from parcours.escape.xml import plain as clean
from parcours.model.words import table
from parcours.render.layout import Layout
from parcours.render.pptx.units import DECK_FONT, FIT, emu, hex6

if TYPE_CHECKING:
    from parcours.model.persona import Persona


def _e(px: float) -> Emu:
    return Emu(emu(px))


def _rgb(colour: str | None) -> RGBColor | None:
    value = hex6(colour)
    return RGBColor.from_string(value) if value else None


def persona_slide(
    slide: Any, persona: Persona, geometry: Layout, width: float, height: float
) -> None:
    """A persona card: avatar, name and facts, summary, quote, then one box per list."""
    theme = geometry.theme
    lang = geometry.lang
    shapes = slide.shapes
    margin = 48.0
    usable = width - 2 * margin
    k = max(0.8, min(1.8, usable / 1100))  # text grows with the slide

    def px(points: float) -> float:
        return points / 0.75

    def text_box(
        x: float, y: float, w: float, paragraphs: list[tuple[str, float, bool, str]]
    ) -> float:
        """A wrapped text box; returns its estimated height in px."""
        lines = 0.0
        for text, size, _bold, _colour in paragraphs:
            per_line = max(10, int(w / (px(size * k) * 0.55)))
            lines += max(1, -(-len(text) // per_line)) * px(size * k) * 1.3
        box = shapes.add_textbox(_e(x), _e(y), _e(w), _e(lines + 8))
        frame = box.text_frame
        frame.word_wrap = True
        for n, (text, size, bold, colour) in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = clean(text)
            run.font.size = Pt(round(size * k * FIT))
            run.font.bold = bold
            run.font.name = DECK_FONT
            run.font.color.rgb = _rgb(colour)
        return lines + 8

    side = 110 * k
    circle = shapes.add_shape(MSO_SHAPE.OVAL, _e(margin), _e(margin), _e(side), _e(side))
    circle.fill.solid()
    circle.fill.fore_color.rgb = _rgb("#f7cfe1")
    circle.line.fill.background()
    circle.shadow.inherit = False
    circle.text_frame.text = (
        persona.emoji or "".join(w[0] for w in persona.name.split()[:2]).upper()
    )
    circle.text_frame.paragraphs[0].runs[0].font.size = Pt(round(36 * k))
    circle.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    circle.name = f"persona {persona.id}"
    facts = [persona.segment, persona.age_range, persona.occupation, persona.location]
    name = f"{persona.emoji} {persona.name}" if persona.emoji else persona.name
    paragraphs: list[tuple[str, float, bool, str]] = [
        (name, 30, True, theme.ink),
        (" · ".join(f for f in facts if f), 15, False, theme.muted),
    ]
    if persona.summary:
        paragraphs.append((persona.summary, 15, False, theme.ink))
    used = text_box(margin + side + 24, margin, usable - side - 24, paragraphs)
    y = margin + max(side, used) + 16
    if persona.quote:
        quote = f"« {persona.quote} »" if lang == "fr" else f"“{persona.quote}”"
        y += text_box(margin, y, usable, [(quote, 17, False, theme.muted)]) + 12
    sections = [
        ("goals", persona.goals),
        ("needs", persona.needs),
        ("frustrations", persona.frustrations),
        ("motivations", persona.motivations),
        ("objections", persona.objections),
        ("channels", persona.channels),
    ]
    sections = [(key, values) for key, values in sections if values]
    titles = table("BOOK", lang)
    per_row = 3 if usable >= 900 else 2
    col_w = usable / per_row
    inner = col_w - 16 - 24
    per_line = max(10, int(inner / (px(13 * k) * 0.55)))

    def box_height(values: list[str]) -> float:
        lines = sum(max(1, -(-(len(v) + 2) // per_line)) for v in values)
        return 24 + px(16 * k) * 1.6 + lines * px(13 * k) * 1.3 + 12

    for start in range(0, len(sections), per_row):
        row = sections[start : start + per_row]
        row_h = max(box_height(values) for _, values in row)
        for n, (key, values) in enumerate(row):
            x = margin + n * col_w
            card = shapes.add_shape(
                MSO_SHAPE.ROUNDED_RECTANGLE, _e(x), _e(y), _e(col_w - 16), _e(row_h)
            )
            card.fill.solid()
            card.fill.fore_color.rgb = _rgb(theme.header_fill)
            card.line.color.rgb = _rgb(theme.grid)
            card.shadow.inherit = False
            card.adjustments[0] = min(0.08, 12 / row_h)
            frame = card.text_frame
            frame.word_wrap = True
            frame.auto_size = MSO_AUTO_SIZE.NONE
            frame.vertical_anchor = MSO_ANCHOR.TOP
            frame.margin_left = frame.margin_right = frame.margin_top = _e(12)
            frame.paragraphs[0].alignment = PP_ALIGN.LEFT
            run = frame.paragraphs[0].add_run()
            run.text = titles[key]
            run.font.bold = True
            run.font.size = Pt(round(16 * k * FIT))
            run.font.name = DECK_FONT
            run.font.color.rgb = _rgb(theme.ink)
            for value in values:
                paragraph = frame.add_paragraph()
                paragraph.alignment = PP_ALIGN.LEFT
                run = paragraph.add_run()
                run.text = f"• {clean(value)}"
                run.font.size = Pt(round(13 * k * FIT))
                run.font.name = DECK_FONT
                run.font.color.rgb = _rgb(theme.ink)
        y += row_h + 16
