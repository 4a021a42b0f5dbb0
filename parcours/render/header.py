"""The header of a map: title, scope, personas with their avatar, and chips for the
state, the evidence, the status, the review date and the owner. Items flow left to right
and wrap to the map's width.
"""

from __future__ import annotations

from collections.abc import Sequence

from parcours.model.journey import Journey
from parcours.model.persona import Persona
from parcours.render import fonts
from parcours.render.flow import block_height, text_block
from parcours.render.geometry import Chip, Header, PersonaBadge, Rect, TextLine
from parcours.render.labels import label
from parcours.render.theme import Theme, shade, tint


def _initials(name: str) -> str:
    parts = [p for p in name.replace("-", " ").split() if p]
    return "".join(p[0].upper() for p in parts[:2]) or "?"


def build_header(
    journey: Journey, th: Theme, lang: str, x: float, w: float, personas: Sequence[Persona]
) -> Header:
    y = x  # the top margin equals the left one
    title_w = fonts.wrap(journey.title, w, th.title_size, 700, 2)
    title = text_block(
        title_w, journey.title, x, y, th.title_size, weight=700, color=th.ink, line_height=1.2
    )
    y += block_height(title_w, th.title_size, 1.2) + 4
    subtitle = None
    sub = journey.scope or journey.description
    if sub:
        sub_w = fonts.wrap(sub, w, th.subtitle_size, 400, 2)
        subtitle = text_block(sub_w, sub, x, y, th.subtitle_size, color=th.muted)
        y += block_height(sub_w, th.subtitle_size) + 4
    y += 10
    row_h = 44.0
    by_id = {p.id: p for p in personas}
    cx = x
    badges = []
    chips = []

    def place(item_w: float) -> tuple[float, float]:
        nonlocal cx, y
        if cx > x and cx + item_w > x + w:
            cx = x
            y += row_h + 6
        at = cx, y
        cx += item_w + 14
        return at

    for i, pid in enumerate(journey.personas):
        persona = by_id.get(pid)
        name = persona.name if persona else pid.replace("-", " ").replace("_", " ").title()
        detail = None
        if persona is not None:
            detail = persona.segment or persona.occupation or persona.role
        r = 20.0
        name_f = fonts.fit(name, 260, 14, 700)
        name_w = fonts.text_width(name_f, 14, 700)
        detail_f = fonts.fit(detail, 260, th.small_size) if detail else None
        detail_w = fonts.text_width(detail_f, th.small_size) if detail_f else 0.0
        item_w = 2 * r + 10 + max(name_w, detail_w)
        px, py = place(item_w)
        cy = py + row_h / 2
        tx = px + 2 * r + 10
        name_line = TextLine(
            name_f,
            round(tx, 2),
            round(cy - (2 if detail_f else -5), 2),
            14,
            round(name_w, 2),
            700,
            th.ink,
        )
        detail_line = (
            TextLine(
                detail_f,
                round(tx, 2),
                round(cy + 13, 2),
                th.small_size,
                round(detail_w, 2),
                400,
                th.muted,
            )
            if detail_f
            else None
        )
        badges.append(
            PersonaBadge(
                pid,
                round(px + r, 2),
                round(cy, 2),
                r,
                tint(th.stage_color(i + 3), 0.22),
                persona.emoji if persona and persona.emoji else None,
                _initials(name),
                name_line,
                detail_line,
            )
        )
    chip_specs = [
        (
            "state",
            label(f"state.{journey.state.value}", lang),
            "#e0f2fe" if journey.state.value == "current" else "#ede9fe",
        ),
        (
            "evidence",
            label(f"evidence.{journey.evidence.value}", lang),
            {"hypothetical": "#fef3c7", "data-driven": "#dcfce7"}.get(
                journey.evidence.value, "#e0e7ff"
            ),
        ),
        ("status", label(f"status.{journey.status.value}", lang), "#f1f5f9"),
    ]
    if journey.reviewed is not None:
        chip_specs.append(
            ("reviewed", f"{label('reviewed', lang)} {journey.reviewed.isoformat()}", "#ffffff")
        )
    if journey.owner:
        chip_specs.append(
            (
                "owner",
                f"{label('owner', lang)} : {journey.owner}"
                if lang == "fr"
                else f"{label('owner', lang)}: {journey.owner}",
                "#ffffff",
            )
        )
    size = 12.0
    for key, text, fill in chip_specs:
        text = fonts.fit(text, min(w - 24, 420), size, 600)
        tw = fonts.text_width(text, size, 600)
        px, py = place(tw + 24)
        rect = Rect(
            round(px, 2),
            round(py + (row_h - th.chip_height) / 2, 2),
            round(tw + 24, 2),
            th.chip_height,
        )
        chips.append(
            Chip(
                rect,
                TextLine(
                    text,
                    round(px + 12, 2),
                    round(rect.y + th.chip_height / 2 + size * 0.36, 2),
                    size,
                    round(tw, 2),
                    600,
                    th.ink,
                ),
                fill,
                th.grid if fill == "#ffffff" else shade(fill, 0.08),
                key,
            )
        )
    if badges or chips:
        y += row_h
    return Header(Rect(x, x, w, round(y - x, 2)), title, subtitle, tuple(badges), tuple(chips))
