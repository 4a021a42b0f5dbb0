"""The step band of the layout: step names, and on branched maps the flow between steps.

A linear map gets one row of step headers. A branched map gets one **track** per named
path (a row of that path's steps); steps on no path (the trunk) span every track. Each
step keeps its own column, so the lanes below stay a plain grid. Connectors join the
steps:

* a branch leaves from a **port** on its source node, a row that shows the branch's label
  and share; its line is wider the larger the share;
* a forward connector runs along the target's track, or the source's, or, when both are
  blocked by other steps, along a **corridor** above the tracks;
* a loop leaves to the right, runs back along a corridor below the tracks and enters
  its target from below (a return arrow);
* entry steps get a start marker and a tag, end steps an end marker and a tag.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parcours.model.journey import Edge, Journey
from parcours.render import fonts
from parcours.render.geometry import (
    Badge,
    Column,
    Connector,
    FlowBand,
    Marker,
    Port,
    Rect,
    StepNode,
    TextBlock,
    TextLine,
    Track,
)
from parcours.render.labels import label, share
from parcours.render.link_paths import blocked, corridor, entry_ports, link_ends, simplify
from parcours.render.theme import Theme, shade, tint

PAD = 8.0
TAG_H = 18.0
PORT_GAP = 4.0


@dataclass
class _Content:
    """A node's content measured before it is placed (offsets from the node's top)."""

    name: str = ""
    tags: list[tuple[str, str, str]] = field(default_factory=list)  # (text, colour, icon)
    title: fonts.Wrapped | None = None
    description: fonts.Wrapped | None = None
    ports: list[tuple[Edge, fonts.Wrapped]] = field(default_factory=list)
    height: float = 0.0


def text_block(
    wrapped: fonts.Wrapped,
    full: str,
    x: float,
    top: float,
    size: float,
    *,
    weight: int = 400,
    color: str,
    line_height: float = 1.32,
    anchor: str = "start",
) -> TextBlock:
    """Place wrapped lines: the first baseline sits one ascent below ``top``."""
    step = round(size * line_height, 2)
    base = top + size * 1.02
    lines = tuple(
        TextLine(text, x, round(base + i * step, 2), size, round(width, 2), weight, color, anchor)
        for i, (text, width) in enumerate(zip(wrapped.lines, wrapped.widths, strict=True))
    )
    return TextBlock(lines, full, wrapped.truncated)


def block_height(wrapped: fonts.Wrapped, size: float, line_height: float = 1.32) -> float:
    return len(wrapped.lines) * round(size * line_height, 2) if wrapped.lines else 0.0


def build_flow(
    journey: Journey,
    columns: list[Column],
    theme: Theme,
    lang: str,
    top: float,
    gutter: Rect,
    stage_colors: dict[str, str],
) -> FlowBand:
    """The step band, starting at ``top``, for these columns."""
    linear = journey.is_linear()
    first = _build(journey, columns, theme, lang, 0.0, gutter, stage_colors, linear)
    # the first pass measured the corridors above the tracks; place everything for real
    return _build(journey, columns, theme, lang, top - first.rect.y, gutter, stage_colors, linear)


def _build(
    journey: Journey,
    columns: list[Column],
    th: Theme,
    lang: str,
    top: float,
    gutter: Rect,
    stage_colors: dict[str, str],
    linear: bool,
) -> FlowBand:
    col_of = {c.step_id: c for c in columns}
    steps = {s.id: s for s in journey.steps()}
    edges = (
        [] if linear else [e for e in journey.edges() if e.source in col_of and e.target in col_of]
    )
    entries = set() if linear else set(journey.entry_steps())
    out_edges: dict[str, list[Edge]] = {}
    for e in edges:
        out_edges.setdefault(e.source, []).append(e)
    names = {s.id: s.name for s in journey.steps()}

    # -- measure every node ------------------------------------------------------------
    inner_w = (columns[0].w if columns else th.column_width) - 2 * PAD - 4
    contents: dict[str, _Content] = {}
    for col in columns:
        step = steps[col.step_id]
        c = _Content(name=step.name)
        if col.step_id in entries:
            c.tags.append((label("entry", lang), th.entry_color, "dot"))
        if step.moment_of_truth:
            c.tags.append((label("moment_of_truth", lang), th.moment_of_truth, "star"))
        if step.end and not linear:
            c.tags.append((label("end", lang), th.end_color, "cross"))
        c.title = fonts.wrap(step.name, inner_w, th.step_size, 700, 4)
        h = PAD + len(c.tags) * (TAG_H + 3) + block_height(c.title, th.step_size)
        if step.description and linear:
            c.description = fonts.wrap(step.description, inner_w, th.small_size, 400, 3)
            h += 2 + block_height(c.description, th.small_size)
        outs = out_edges.get(col.step_id, [])
        show_ports = len(outs) > 1 or any(
            e.label or e.share is not None or e.kind == "loop" for e in outs
        )
        if show_ports:
            h += 6
            for e in outs:
                parts = [e.label or names.get(e.target, e.target)]
                if e.share is not None:
                    parts.append(share(e.share, lang))
                text = " · ".join(parts)
                wrapped = fonts.wrap(text, inner_w - 10, th.small_size, 400, 3)
                c.ports.append((e, wrapped))
                h += block_height(wrapped, th.small_size) + PORT_GAP
        c.height = h + PAD
        contents[col.step_id] = c

    # -- tracks ------------------------------------------------------------------------
    path_ids = [p.id for p in journey.paths if any(c.path_id == p.id for c in columns)]
    path_index = {p.id: i for i, p in enumerate(journey.paths)}
    if linear or not path_ids:
        track_keys: list[str | None] = [None]
    else:
        track_keys = list(path_ids)
    track_of = {c.step_id: (c.path_id if c.path_id in track_keys else None) for c in columns}
    spans_all = {sid for sid, t in track_of.items() if t is None}
    heights = {}
    for key in track_keys:
        own = [contents[s].height for s, t in track_of.items() if t == key]
        heights[key] = max([*own, 40.0])
    total = sum(heights.values()) + th.flow_track_gap * (len(track_keys) - 1)
    trunk_need = max([contents[s].height for s in spans_all] or [0.0])
    if trunk_need > total:
        heights[track_keys[-1]] += trunk_need - total
        total = trunk_need

    # corridors are assigned below; tracks start at ``tracks_top``
    tracks_top = top
    track_rects: dict[str | None, Rect] = {}
    y = tracks_top
    for key in track_keys:
        track_rects[key] = Rect(
            gutter.x,
            y,
            columns[-1].x + columns[-1].w - gutter.x if columns else gutter.w,
            heights[key],
        )
        y += heights[key] + th.flow_track_gap
    tracks_bottom = tracks_top + total

    # -- nodes -------------------------------------------------------------------------
    nodes: dict[str, StepNode] = {}
    for col in columns:
        c = contents[col.step_id]
        key = track_of[col.step_id]
        if key is None and not linear and len(track_keys) > 1:
            rect = Rect(col.x, tracks_top, col.w, total)
        elif key is None:
            rect = Rect(col.x, tracks_top, col.w, heights[track_keys[0]])
        else:
            tr = track_rects[key]
            rect = Rect(col.x, tr.y, col.w, tr.h)
        nodes[col.step_id] = _node(col, c, rect, th, lang, linear, stage_colors, path_index)

    # -- connectors --------------------------------------------------------------------
    top_corr: list[list[tuple[float, float]]] = []
    bottom_corr: list[list[tuple[float, float]]] = []
    connectors: list[Connector] = []
    incoming: dict[str, int] = {}
    gap = th.column_gap
    ends = link_ends(edges, nodes, spans_all, len(track_keys) > 1)
    entry, descent = entry_ports(edges, nodes, col_of, ends, gap)
    # short links take the corridors nearest the tracks first, so corridors nest as arches
    order = sorted(
        range(len(edges)),
        key=lambda i: abs(col_of[edges[i].target].index - col_of[edges[i].source].index),
    )
    placed: dict[int, Connector] = {}
    for i_edge in order:
        e = edges[i_edge]
        s, t = nodes[e.source], nodes[e.target]
        outs = out_edges.get(e.source, [])
        k = outs.index(e)
        spread = (k - (len(outs) - 1) / 2) * min(6.0, gap / (len(outs) + 2))
        x1 = s.rect.right
        y1 = ends[id(e)][0]
        y2 = entry.get(id(e), ends[id(e)][1])
        x2 = t.rect.x
        color = _edge_color(e, col_of, th, path_index)
        width = 1.6 + (2.4 * e.share if e.share is not None else 0.6)
        points: list[tuple[float, float]]
        label_line = None
        if e.kind == "loop":
            xs = x1 + gap / 2 + spread
            ty = t.rect.bottom
            tx = t.rect.cx + 6 * incoming.get(e.target, 0)
            incoming[e.target] = incoming.get(e.target, 0) + 1
            lane = corridor(bottom_corr, min(tx, xs), max(tx, xs))
            cy = tracks_bottom + (lane + 0.6) * th.connector_corridor
            points = [(x1, y1), (xs, y1), (xs, cy), (tx, cy), (tx, ty)]
            text = " · ".join(
                p for p in (e.label, share(e.share, lang) if e.share is not None else None) if p
            )
            if text and abs(xs - tx) > 60:
                fitted = fonts.fit(text, abs(xs - tx) - 30, th.small_size, 600)
                if fitted:
                    label_line = TextLine(
                        fitted,
                        round((xs + tx) / 2, 2),
                        round(cy + th.small_size * 0.36, 2),
                        th.small_size,
                        round(fonts.text_width(fitted, th.small_size, 600), 2),
                        600,
                        th.loop_color,
                        "middle",
                    )
            color = th.loop_color
        else:
            ci_s, ci_t = col_of[e.source].index, col_of[e.target].index
            xs = x1 + gap / 2 + spread
            xt = x2 - gap / 2 + descent.get(id(e), 0.0)
            if not blocked(nodes, col_of, ci_s, ci_t, y2, e.target):
                points = (
                    [(x1, y1), (xs, y1), (xs, y2), (x2, y2)]
                    if abs(y1 - y2) > 0.5
                    else [(x1, y1), (x2, y2)]
                )
            elif not blocked(nodes, col_of, ci_s, ci_t, y1, e.target):
                points = [(x1, y1), (xt, y1), (xt, y2), (x2, y2)]
            else:
                lane = corridor(top_corr, xs, xt)
                cy = tracks_top - (lane + 0.6) * th.connector_corridor
                points = [(x1, y1), (xs, y1), (xs, cy), (xt, cy), (xt, y2), (x2, y2)]
        placed[i_edge] = Connector(
            id=f"edge-{e.source}--{e.target}",
            source=e.source,
            target=e.target,
            kind=e.kind,
            points=tuple(simplify([(round(px, 2), round(py, 2)) for px, py in points])),
            color=color,
            label=e.label,
            share=e.share,
            label_line=label_line,
            width=round(width, 2),
        )
    connectors = [placed[i] for i in range(len(edges))]

    # -- markers -----------------------------------------------------------------------
    markers: list[Marker] = []
    for sid in [c.step_id for c in columns]:
        node = nodes[sid]
        if node.entry:
            cx = node.rect.x - gap / 2 - 1
            markers.append(Marker("entry", sid, round(cx, 2), node.anchor_y, 6.5, th.entry_color))
        if node.end:
            cx = node.rect.right + gap / 2 + 1
            markers.append(Marker("end", sid, round(cx, 2), node.anchor_y, 6.5, th.end_color))

    # -- tracks, titles ----------------------------------------------------------------
    tracks = []
    for key in track_keys:
        r = track_rects[key]
        if key is None:
            color, name = th.trunk_color, None
            if linear or not path_ids:
                wrapped = fonts.wrap(
                    label("steps", lang), gutter.w - 16, th.lane_title_size, 700, 2
                )
                name = text_block(
                    wrapped,
                    label("steps", lang),
                    gutter.x + 12,
                    r.y + 6,
                    th.lane_title_size,
                    weight=700,
                    color=th.ink,
                )
        else:
            path = next(p for p in journey.paths if p.id == key)
            color = th.path_color(path_index[key])
            wrapped = fonts.wrap(path.name, gutter.w - 16, th.lane_title_size, 700, 3)
            name = text_block(
                wrapped,
                path.name,
                gutter.x + 12,
                r.y + 6,
                th.lane_title_size,
                weight=700,
                color=shade(color, 0.15),
            )
        tracks.append(Track(key, r, color, name))
    band_top = tracks_top - len(top_corr) * th.connector_corridor - (4 if top_corr else 0)
    band_bottom = (
        tracks_bottom
        + len(bottom_corr) * th.connector_corridor
        + (th.connector_corridor * 0.4 if bottom_corr else 0)
    )
    right = columns[-1].x + columns[-1].w if columns else gutter.right
    rect = Rect(
        gutter.x, round(band_top, 2), round(right - gutter.x, 2), round(band_bottom - band_top, 2)
    )
    return FlowBand(
        rect,
        linear,
        tuple(tracks),
        tuple(nodes[c.step_id] for c in columns),
        tuple(connectors),
        tuple(markers),
    )


def _node(
    col: Column,
    c: _Content,
    rect: Rect,
    th: Theme,
    lang: str,
    linear: bool,
    stage_colors: dict[str, str],
    path_index: dict[str, int],
) -> StepNode:
    if col.path_id is not None and not linear:
        accent = th.path_color(path_index[col.path_id])
        fill = tint(accent, 0.08)
    else:
        accent = stage_colors.get(col.stage_id, th.trunk_color) if linear else th.trunk_color
        fill = "#ffffff"
    stroke = tint(accent, 0.45)
    x = rect.x + PAD + 4
    y = rect.y + PAD
    tags = []
    for text, color, icon in c.tags:
        w = fonts.text_width(text, th.small_size - 0.5, 700)
        tw = min(w + 28, rect.w - 2 * PAD - 4)
        fitted = fonts.fit(text, tw - 28, th.small_size - 0.5, 700)
        tags.append(
            Badge(
                Rect(x, round(y, 2), round(tw, 2), TAG_H),
                TextLine(
                    fitted,
                    round(x + 22, 2),
                    round(y + 12.6, 2),
                    th.small_size - 0.5,
                    round(fonts.text_width(fitted, th.small_size - 0.5, 700), 2),
                    700,
                    color,
                ),
                tint(color, 0.14),
                tint(color, 0.5),
                icon,
            )
        )
        y += TAG_H + 3
    assert c.title is not None
    title = text_block(c.title, "", x, y, th.step_size, weight=700, color=th.ink)
    anchor_y = round(y + th.step_size * 0.66, 2)
    y += block_height(c.title, th.step_size)
    title = TextBlock(title.lines, c.name, c.title.truncated)
    if c.description is not None:
        desc = text_block(c.description, "", x, y + 2, th.small_size, color=th.muted)
        title = TextBlock(
            title.lines + desc.lines, title.text, title.truncated or c.description.truncated
        )
        y += 2 + block_height(c.description, th.small_size)
    ports = []
    if c.ports:
        y += 6
        for e, wrapped in c.ports:
            block = text_block(
                wrapped,
                " ".join(wrapped.lines),
                x,
                y,
                th.small_size,
                color=th.loop_color if e.kind == "loop" else th.ink,
            )
            py = block.lines[0].y - th.small_size * 0.35 if block.lines else y
            ports.append(Port(e.target, block, round(rect.right, 2), round(py, 2), e.kind, e.share))
            y += block_height(wrapped, th.small_size) + PORT_GAP
    return StepNode(
        col.step_id,
        Rect(round(rect.x, 2), round(rect.y, 2), round(rect.w, 2), round(rect.h, 2)),
        fill,
        stroke,
        accent,
        title,
        tuple(tags),
        tuple(ports),
        col.path_id,
        col.entry,
        col.end,
        col.moment_of_truth,
        anchor_y,
    )


def _edge_color(e: Edge, col_of: dict[str, Column], th: Theme, path_index: dict[str, int]) -> str:
    src, dst = col_of[e.source], col_of[e.target]
    path = src.path_id or dst.path_id
    if path is None or path not in path_index:
        return th.trunk_color
    return th.path_color(path_index[path])
