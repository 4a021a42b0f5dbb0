"""The cards of one lane cell: text cards, touchpoint chips, pain points, opportunities, KPIs.

Each builder measures its text with the real font metrics and returns :class:`Card` boxes
stacked from a given ``y`` inside the column; the lane grows to hold the tallest cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from parcours.model.items import Card as CardItem
from parcours.model.items import Image, KpiValue, Metric, Opportunity, PainPoint
from parcours.model.journey import Journey, Lane
from parcours.model.library import Channel, KpiDefinition, Touchpoint
from parcours.render import fonts
from parcours.render.flow import block_height, text_block
from parcours.render.geometry import Badge, Card, Column, Icon, Rect, TextBlock, TextLine
from parcours.render.icons import channel_icon
from parcours.render.labels import label, number, with_unit
from parcours.render.theme import Theme, shade, tint

BADGE_H = 18.0


@dataclass(frozen=True)
class CellContext:
    theme: Theme
    lang: str
    touchpoints: dict[str, Touchpoint]
    channels: dict[str, Channel]
    kpis: dict[str, KpiDefinition]


def build_cell(ctx: CellContext, journey: Journey, lane: Lane, col: Column, y: float) -> list[Card]:
    """The cards of the cell (``lane``, ``col``), stacked from ``y``."""
    kind = lane.kind.value
    th = ctx.theme
    out: list[Card] = []
    if kind == "touchpoints":
        step = journey.step(col.step_id)
        for n, tid in enumerate(step.touchpoints):
            card = _touchpoint(ctx, lane.id, col, n, tid, y)
            out.append(card)
            y = card.rect.bottom + th.card_gap
        return out
    for n, item in enumerate(journey.cell(lane.id, col.step_id)):
        if isinstance(item, PainPoint):
            card = _pain(ctx, lane.id, col, n, item, y)
        elif isinstance(item, Opportunity):
            card = _opportunity(ctx, lane.id, col, n, item, y)
        elif isinstance(item, KpiValue):
            card = _kpi(ctx, lane.id, col, n, item, y)
        elif isinstance(item, Metric):
            text = f"{item.name}"
            value = with_unit(item.value, item.unit, ctx.lang)
            card = _text_card(
                ctx, kind, lane.id, col, n, y, value, meta=text, bold=True, extra=item.source
            )
        elif isinstance(item, Image):
            # images are never fetched (no network, no file reads): a captioned placeholder
            text = item.alt or item.src
            card = _text_card(
                ctx, kind, lane.id, col, n, y, text, icon="image", meta=label("image", ctx.lang)
            )
        elif isinstance(item, CardItem):
            card = _text_card(ctx, kind, lane.id, col, n, y, item.text, meta=item.detail)
        else:
            continue
        out.append(card)
        y = card.rect.bottom + th.card_gap
    return out


def _id(lane_id: str, step_id: str, n: int) -> str:
    return f"{lane_id}--{step_id}--{n}"


def _text_card(
    ctx: CellContext,
    kind: str,
    lane_id: str,
    col: Column,
    n: int,
    y: float,
    text: str,
    *,
    meta: str | None = None,
    bold: bool = False,
    extra: str | None = None,
    icon: str | None = None,
) -> Card:
    th = ctx.theme
    pad = th.card_padding
    x = col.x + pad
    inner = col.w - 2 * pad
    cy = y + pad
    icon_obj = None
    if icon is not None:
        icon_obj = Icon(icon, x, cy, th.icon_size, th.muted)
        cy += th.icon_size + 4
    meta_block = None
    if meta and bold:  # metrics: the name above the value
        mw = fonts.wrap(meta, inner, th.small_size, 400, 3)
        meta_block = text_block(mw, meta, x, cy, th.small_size, color=th.muted)
        cy += block_height(mw, th.small_size)
    weight = 700 if bold else 400
    size = th.font_size + (2 if bold else 0)
    wrapped = fonts.wrap(text, inner, size, weight, th.max_card_lines)
    block = text_block(wrapped, text, x, cy, size, weight=weight, color=th.ink)
    cy += block_height(wrapped, size)
    truncated = wrapped.truncated
    tail = extra if bold else meta
    if tail:
        tw = fonts.wrap(tail, inner, th.small_size, 400, 4)
        tail_block = text_block(tw, tail, x, cy + 2, th.small_size, color=th.muted)
        cy += 2 + block_height(tw, th.small_size)
        truncated = truncated or tw.truncated
        if meta_block is None:
            meta_block = tail_block
        else:
            meta_block = TextBlock(
                meta_block.lines + tail_block.lines, f"{meta_block.text}\n{tail_block.text}"
            )
    rect = Rect(col.x, round(y, 2), col.w, round(cy + pad - y, 2))
    tooltip = "\n".join(t for t in (meta if bold else None, text, tail) if t)
    return Card(
        _id(lane_id, col.step_id, n),
        kind,
        lane_id,
        col.step_id,
        n,
        rect,
        th.card_fill(kind),
        th.card_stroke(kind),
        block,
        meta_block,
        accent=None,
        icon=icon_obj,
        tooltip=tooltip,
        truncated=truncated,
        dashed=kind == "thoughts",
    )


def _touchpoint(ctx: CellContext, lane_id: str, col: Column, n: int, tid: str, y: float) -> Card:
    th = ctx.theme
    tp = ctx.touchpoints.get(tid)
    channel = ctx.channels.get(tp.channel) if tp is not None and tp.channel else None
    name = tp.name if tp is not None else tid
    icon_name, emoji = channel_icon(
        channel.icon if channel else None,
        channel.id if channel else None,
        channel.name if channel else None,
        channel.kind.value if channel else None,
        name,
    )
    pad = 7.0
    size = th.font_size - 0.5
    isz = th.icon_size + 2
    x = col.x + pad
    inner = col.w - 2 * pad - isz - 8
    wrapped = fonts.wrap(name, inner, size, 600, 3)
    h = max(isz, block_height(wrapped, size)) + 2 * pad
    block = text_block(wrapped, name, x + isz + 8, y + pad, size, weight=600, color=th.ink)
    # centre a single line on the icon
    if len(wrapped.lines) == 1:
        shift = (h - 2 * pad - block_height(wrapped, size)) / 2
        block = TextBlock(
            tuple(_moved(line, shift) for line in block.lines), block.text, block.truncated
        )
    color = th.lane_accent("touchpoints")
    icon = Icon(icon_name, round(x, 2), round(y + (h - isz) / 2, 2), isz, color, emoji)
    tooltip = name if channel is None else f"{name} — {channel.name}"
    if tp is not None and tp.description:
        tooltip += f"\n{tp.description}"
    return Card(
        _id(lane_id, col.step_id, n),
        "touchpoints",
        lane_id,
        col.step_id,
        n,
        Rect(col.x, round(y, 2), col.w, round(h, 2)),
        th.card_fill("touchpoints"),
        th.card_stroke("touchpoints"),
        block,
        None,
        accent=None,
        icon=icon,
        tooltip=tooltip,
        truncated=wrapped.truncated,
    )


def _moved(line: TextLine, dy: float) -> TextLine:
    return TextLine(
        line.text,
        line.x,
        round(line.y + dy, 2),
        line.size,
        line.width,
        line.weight,
        line.color,
        line.anchor,
        line.italic,
    )


def _badge(
    th: Theme,
    text: str,
    x: float,
    y: float,
    color: str,
    max_w: float,
    icon: str | None = None,
    solid: bool = True,
) -> Badge:
    size = th.small_size - 0.5
    room = max_w - (26 if icon else 14)
    fitted = fonts.fit(text, room, size, 700)
    tw = fonts.text_width(fitted, size, 700)
    w = tw + (26 if icon else 14)
    tx = x + (20 if icon else 7)
    ink = "#ffffff" if solid else shade(color, 0.35)
    return Badge(
        Rect(round(x, 2), round(y, 2), round(w, 2), BADGE_H),
        TextLine(fitted, round(tx, 2), round(y + 12.6, 2), size, round(tw, 2), 700, ink),
        color if solid else tint(color, 0.16),
        None if solid else tint(color, 0.5),
        icon,
    )


def _pain(ctx: CellContext, lane_id: str, col: Column, n: int, item: PainPoint, y: float) -> Card:
    th = ctx.theme
    pad = th.card_padding
    color = th.severity_colors.get(item.severity.value, th.bad)
    x = col.x + pad + 3
    inner = col.w - 2 * pad - 3
    icon = {"irritant": "warning", "blocker": "bolt", "rupture": "break"}[item.severity.value]
    badge = _badge(
        th, label(f"severity.{item.severity.value}", ctx.lang), x, y + pad, color, inner, icon
    )
    cy = y + pad + BADGE_H + 5
    wrapped = fonts.wrap(item.text, inner, th.font_size, 500, th.max_card_lines)
    block = text_block(wrapped, item.text, x, cy, th.font_size, weight=500, color=th.ink)
    cy += block_height(wrapped, th.font_size)
    meta = None
    truncated = wrapped.truncated
    if item.evidence:
        mw = fonts.wrap(item.evidence, inner, th.small_size, 400, 4)
        meta = text_block(mw, item.evidence, x, cy + 3, th.small_size, color=th.muted)
        cy += 3 + block_height(mw, th.small_size)
        truncated = truncated or mw.truncated
    tooltip = "\n".join(t for t in (badge.text.text, item.text, item.evidence) if t)
    return Card(
        _id(lane_id, col.step_id, n),
        "pain_points",
        lane_id,
        col.step_id,
        n,
        Rect(col.x, round(y, 2), col.w, round(cy + pad - y, 2)),
        tint(color, 0.09),
        tint(color, 0.45),
        block,
        meta,
        accent=color,
        badge=badge,
        tooltip=tooltip,
        truncated=truncated,
    )


def _opportunity(
    ctx: CellContext, lane_id: str, col: Column, n: int, item: Opportunity, y: float
) -> Card:
    th, lang = ctx.theme, ctx.lang
    pad = th.card_padding
    color = th.priority_colors.get(item.priority.value, th.muted)
    x = col.x + pad + 3
    inner = col.w - 2 * pad - 3
    badge = _badge(th, label(f"priority.{item.priority.value}", lang), x, y + pad, color, inner)
    cy = y + pad + BADGE_H + 5
    wrapped = fonts.wrap(item.text, inner, th.font_size, 500, th.max_card_lines)
    block = text_block(wrapped, item.text, x, cy, th.font_size, weight=500, color=th.ink)
    cy += block_height(wrapped, th.font_size)
    parts = []
    if item.owner:
        parts.append(item.owner)
    extra = [label(f"status.{item.status.value}", lang)]
    if item.due is not None:
        extra.append(f"{label('due', lang)} {item.due.isoformat()}")
    if item.value is not None:
        extra.append(f"{label('value', lang)} {number(item.value, lang)}")
    parts.append(" · ".join(extra))
    lines: list[TextLine] = []
    truncated = wrapped.truncated
    cy += 3
    if item.owner:
        ow = fonts.wrap(item.owner, inner, th.small_size, 700, 3)
        lines.extend(
            text_block(
                ow, item.owner, x, cy, th.small_size, weight=700, color=shade(color, 0.3)
            ).lines
        )
        cy += block_height(ow, th.small_size)
        truncated = truncated or ow.truncated
    ew = fonts.wrap(parts[-1], inner, th.small_size, 400, 3)
    lines.extend(text_block(ew, parts[-1], x, cy, th.small_size, color=th.muted).lines)
    cy += block_height(ew, th.small_size)
    truncated = truncated or ew.truncated
    meta = TextBlock(tuple(lines), "\n".join(parts), truncated)
    tooltip = "\n".join([badge.text.text, item.text, *parts])
    return Card(
        _id(lane_id, col.step_id, n),
        "opportunities",
        lane_id,
        col.step_id,
        n,
        Rect(col.x, round(y, 2), col.w, round(cy + pad - y, 2)),
        th.card_fill("opportunities"),
        th.card_stroke("opportunities"),
        block,
        meta,
        accent=color,
        badge=badge,
        tooltip=tooltip,
        truncated=truncated,
    )


def _kpi(ctx: CellContext, lane_id: str, col: Column, n: int, item: KpiValue, y: float) -> Card:
    th, lang = ctx.theme, ctx.lang
    pad = th.card_padding
    x = col.x + pad + 3
    inner = col.w - 2 * pad - 3
    definition = ctx.kpis.get(item.kpi)
    name = definition.name if definition else item.kpi
    unit = definition.unit if definition else None
    good = None
    if item.measured is not None:
        if definition is not None:
            good = definition.is_good(item.measured, item.target)
        elif item.target is not None:
            good = item.measured >= item.target
    color = th.no_target if good is None else (th.good if good else th.bad)
    icon = (
        None
        if good is None
        else Icon(
            "check" if good else "cross",
            round(col.x + col.w - pad - 16, 2),
            round(y + pad, 2),
            16,
            color,
        )
    )
    cy = y + pad
    nw = fonts.wrap(name, inner - 20, th.small_size, 600, 3)
    name_block = text_block(nw, name, x, cy, th.small_size, weight=600, color=th.muted)
    cy += block_height(nw, th.small_size) + 2
    measured = with_unit(item.measured, unit, lang)
    big = th.font_size + 5
    mw = fonts.wrap(measured, inner, big, 700, 2)
    value_block = text_block(mw, measured, x, cy, big, weight=700, color=color)
    cy += block_height(mw, big)
    lines = list(name_block.lines) + list(value_block.lines)
    target_text = (
        f"{label('target', lang)} {with_unit(item.target, unit, lang)}"
        if item.target is not None or (definition and definition.target is not None)
        else label("no_target", lang)
    )
    if item.target is None and definition is not None and definition.target is not None:
        target_text = f"{label('target', lang)} {with_unit(definition.target, unit, lang)}"
    tw = fonts.text_width(target_text, th.small_size, 400)
    last = value_block.lines[-1] if value_block.lines else None
    if last is not None and last.width + 8 + tw <= inner:  # beside the value
        lines.append(
            TextLine(
                target_text,
                round(x + last.width + 8, 2),
                last.y,
                th.small_size,
                round(tw, 2),
                400,
                th.muted,
            )
        )
    else:
        tb = text_block(
            fonts.wrap(target_text, inner, th.small_size, 400, 2),
            target_text,
            x,
            cy,
            th.small_size,
            color=th.muted,
        )
        lines.extend(tb.lines)
        cy += tb.height
    text = f"{name}: {measured} ({target_text})"
    block = TextBlock(tuple(lines), text, nw.truncated)
    meta = None
    info = " · ".join(t for t in (item.period, item.source) if t)
    if info:
        iw = fonts.wrap(info, inner, th.small_size - 1, 400, 3)
        meta = text_block(iw, info, x, cy + 2, th.small_size - 1, color=th.faint)
        cy += 2 + block_height(iw, th.small_size - 1)
    return Card(
        _id(lane_id, col.step_id, n),
        "kpis",
        lane_id,
        col.step_id,
        n,
        Rect(col.x, round(y, 2), col.w, round(cy + pad - y, 2)),
        th.card_fill("kpis") if good is None else tint(color, 0.06),
        th.card_stroke("kpis") if good is None else tint(color, 0.4),
        block,
        meta,
        accent=color,
        icon=icon,
        tooltip="\n".join(t for t in (text, info) if t),
        truncated=nw.truncated,
    )
