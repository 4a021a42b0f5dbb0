"""``layout(journey) -> Layout``: the geometry of a journey map, as plain numbers.

The first of the two rendering steps: this module measures and places
everything (header, stage bands, the step band with its branches, lanes, cards with their
wrapped lines, emotion curves, the legend) and draws nothing. Painters (SVG, PNG, PDF,
PowerPoint, Excel) turn one :class:`Layout` into a file; tests check its invariants.

The picture, top to bottom::

    header       title, scope, personas (avatar + name), state, evidence, status, review date
    stage band   one coloured band per stage over its steps
    step band    step names (linear) or tracks of paths with connectors (branched)
    lanes        a title in the left gutter, one cell per step: cards, chips, curves…
    legend       what the colours, faces and markers mean

Each step owns a column (``Layout.columns``) from the step band to the last lane; every
card sits inside its lane band and its column; every text line is measured with the real
advance widths of the shipped font and is never wider than its box. Text beyond
``Theme.max_card_lines`` is cut with "…" (``Card.truncated``; the full text is in
``Card.tooltip``). The API is stable: fields are added, never renamed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from parcours.model.items import Emotion
from parcours.model.journey import Journey
from parcours.model.library import Library
from parcours.model.persona import Persona
from parcours.render import fonts
from parcours.render.badges import data_band, legend_entries
from parcours.render.cells import CellContext, build_cell
from parcours.render.flow import build_flow, text_block
from parcours.render.geometry import (
    Card,
    Column,
    DataBand,
    EmotionCurve,
    EmotionPoint,
    FlowBand,
    Header,
    LaneBand,
    Legend,
    MeasuredCurve,
    MeasuredPoint,
    Rect,
    StageBand,
    TextLine,
)
from parcours.render.header import build_header
from parcours.render.labels import label
from parcours.render.legend import build_legend
from parcours.render.measured import (
    EMOTION_LABEL_LINES,
    along_paths,
    emotion_scale,
    legend_text,
    measured_curves,
)
from parcours.render.theme import Theme, shade

__all__ = ["Layout", "PathInfo", "layout"]


@dataclass(frozen=True)
class PathInfo:
    """A named path of a branched map and the colour it is drawn in."""

    path_id: str
    name: str
    color: str


@dataclass(frozen=True)
class Layout:
    """The whole map as numbers: what every painter draws, in px, origin top left."""

    width: float
    height: float
    journey_id: str
    title: str
    lang: str  # "fr" | "en": the language of the words the picture adds
    theme: Theme
    linear: bool
    header: Header
    grid: Rect  # from the stage band to the last lane, gutter included
    gutter: Rect  # the left column of lane titles, over the grid's height
    stages: tuple[StageBand, ...]
    columns: tuple[Column, ...]
    flow: FlowBand
    lanes: tuple[LaneBand, ...]
    cards: tuple[Card, ...]
    curves: tuple[EmotionCurve, ...]
    faces: tuple[EmotionPoint, ...]  # one face per emotion cell (curves share them)
    highlights: tuple[Rect, ...]  # moment-of-truth columns, under everything else
    legend: Legend | None
    paths: tuple[PathInfo, ...] = ()
    notes: tuple[str, ...] = ()  # e.g. which cards were cut
    measured: tuple[MeasuredCurve, ...] = ()  # measured emotions (first emotions lane)
    measured_points: tuple[MeasuredPoint, ...] = ()
    data_band: DataBand | None = None  # observed figures (render --data)

    def path_curves(self, lane_id: str) -> dict[str | None, tuple[EmotionCurve, ...]]:
        """A lane's emotion curves keyed by path id (``None``: the trunk or a linear map).

        The per-path geometry every painter shares: one curve per path following that
        path's steps only, the shared trunk once (see :class:`EmotionCurve`).
        """
        out: dict[str | None, list[EmotionCurve]] = {}
        for c in self.curves:
            if c.lane_id == lane_id:
                out.setdefault(c.path_id, []).append(c)
        return {k: tuple(v) for k, v in out.items()}

    def column(self, step_id: str) -> Column:
        return next(c for c in self.columns if c.step_id == step_id)

    def lane(self, lane_id: str) -> LaneBand:
        return next(lane for lane in self.lanes if lane.lane_id == lane_id)

    def cards_in(self, lane_id: str, step_id: str | None = None) -> list[Card]:
        return [c for c in self.cards if c.lane_id == lane_id and step_id in (None, c.step_id)]

    def slot(self, start: int, stop: int) -> tuple[float, float]:
        """The x range of columns ``start`` to ``stop - 1`` (with half gaps), for tiling."""
        cols = self.columns[start:stop]
        half = self.theme.column_gap / 2
        return cols[0].x - half, cols[-1].x + cols[-1].w + half


def layout(
    journey: Journey,
    theme: Theme | None = None,
    library: Library | None = None,
    *,
    personas: Sequence[Persona] | None = None,
    lang: str | None = None,
    observed: Mapping[str, Any] | None = None,
) -> Layout:
    """Measure and place a journey map. Pure: no I/O beyond reading the font file once.

    ``library`` is the workspace's shared library (touchpoints, channels, KPI definitions)
    when the journey comes from a workspace; ``personas`` gives names and avatars to the
    journey's persona ids; ``lang`` is the workspace's language, used when the journey
    has no ``lang`` of its own.
    """
    th = theme or Theme()
    linear = journey.is_linear()
    if not linear and th.flow_column_gap > th.column_gap:
        # branched maps need room between columns for their connectors
        th = dataclasses.replace(th, column_gap=th.flow_column_gap)
    lang = journey.language(lang)
    lib = journey.library_in(library)
    m = th.margin
    gap, cw = th.column_gap, th.column_width

    # -- columns: one per step; an empty stage keeps one empty slot ----------------------
    paths = tuple(PathInfo(p.id, p.name, th.path_color(i)) for i, p in enumerate(journey.paths))
    path_color = {p.path_id: p.color for p in paths}
    entries = set() if linear else set(journey.entry_steps())
    x0 = m + th.lane_title_width + gap
    columns: list[Column] = []
    slots: list[tuple[int, int]] = []  # per stage: first slot, slot count
    slot = 0
    for stage in journey.stages:
        first = slot
        for step in stage.steps:
            columns.append(
                Column(
                    step.id,
                    stage.id,
                    len(columns),
                    x0 + slot * (cw + gap),
                    cw,
                    step.path if not linear else None,
                    path_color.get(step.path) if step.path and not linear else None,
                    step.moment_of_truth,
                    step.id in entries,
                    step.end,
                )
            )
            slot += 1
        if not stage.steps:
            slot += 1
        slots.append((first, slot - first))
    n_slots = max(slot, 1)
    grid_right = x0 + n_slots * (cw + gap) - gap
    width = max(grid_right + m, 760.0)

    # -- header --------------------------------------------------------------------------
    header = build_header(journey, th, lang, m, width - 2 * m, personas or ())
    y = header.rect.bottom + 18

    # -- stage bands ---------------------------------------------------------------------
    grid_top = y
    stages = []
    stage_colors = {}
    for i, (stage, (first, count)) in enumerate(zip(journey.stages, slots, strict=True)):
        color = th.stage_color(i)
        stage_colors[stage.id] = color
        x = x0 + first * (cw + gap)
        w = count * (cw + gap) - gap
        lines = _stage_lines(stage.name, x + 12, y, w - 24, th)
        name = lines[0]
        stages.append(
            StageBand(
                stage.id,
                i,
                Rect(x, y, w, th.stage_height),
                color,
                "#ffffff",
                name,
                stage.phase.value if stage.phase else None,
                stage.name,
                lines,
            )
        )
    y += th.stage_height + 8

    # -- step band -----------------------------------------------------------------------
    gutter_x = m
    gutter_probe = Rect(gutter_x, y, th.lane_title_width, 0)
    if columns:
        flow = build_flow(journey, columns, th, lang, y, gutter_probe, stage_colors)
    else:
        flow = FlowBand(Rect(gutter_x, y, grid_right - gutter_x, 40), linear, (), ())
    y = flow.rect.bottom + 12

    # -- observed figures (render --data), see parcours.render.badges ---------------------
    band = None
    if observed is not None and columns:
        band = data_band(journey, observed, columns, th, lang, y, gutter_x, grid_right)
        y = band.rect.bottom + 12

    # -- lanes ---------------------------------------------------------------------------
    ctx = CellContext(
        theme=th,
        lang=lang,
        touchpoints={t.id: t for t in lib.touchpoints},
        channels={c.id: c for c in lib.channels},
        kpis={k.id: k for k in lib.kpis},
    )
    lanes: list[LaneBand] = []
    cards: list[Card] = []
    curves: list[EmotionCurve] = []
    faces: list[EmotionPoint] = []
    measured: list[MeasuredCurve] = []
    measured_points: list[MeasuredPoint] = []
    notes: list[str] = []
    band_w = grid_right - gutter_x
    emotion_lane_no = 0
    for lane in journey.lanes:
        if not lane.visible:
            continue
        index = len(lanes)
        kind = lane.kind.value
        top = y
        accent = th.lane_accent(kind)
        title_text = lane.title or label(kind, lang)
        lane_cards: list[Card] = []
        if kind == "emotions":
            h = th.emotion_lane_height
            lane_curves, lane_faces = _emotions(
                journey, lane.id, columns, paths, th, top, h, emotion_lane_no, linear
            )
            if emotion_lane_no == 0:  # the measured emotions, beside the designed ones
                m_curves, m_points = measured_curves(
                    journey, lane.id, columns, paths, th, top, h, lang, linear
                )
                measured.extend(m_curves)
                measured_points.extend(m_points)
            emotion_lane_no += 1
            curves.extend(lane_curves)
            faces.extend(lane_faces)
        else:
            bottom = top + th.lane_min_height
            for col in columns:
                cy = top + th.lane_padding
                for built in build_cell(ctx, journey, lane, col, cy):
                    if built.truncated:  # the tooltip keeps the whole text and says so
                        note = label("truncated", lang)
                        built = dataclasses.replace(built, tooltip=f"{built.tooltip}\n({note})")
                        notes.append(f"{lane.id} / {col.step_id}: {note}")
                    lane_cards.append(built)
                    cy = built.rect.bottom + th.card_gap
                bottom = max(bottom, cy - th.card_gap + th.lane_padding)
            h = bottom - top
        wrapped = fonts.wrap(title_text, th.lane_title_width - 24, th.lane_title_size, 700, 4)
        title = text_block(
            wrapped,
            title_text,
            gutter_x + 14,
            top + th.lane_padding + 2,
            th.lane_title_size,
            weight=700,
            color=shade(accent, 0.25),
        )
        fill = th.lane_fill_alt if index % 2 else th.background
        cells = tuple(Rect(c.x, round(top, 2), c.w, round(h, 2)) for c in columns)
        lanes.append(
            LaneBand(
                lane.id,
                kind,
                index,
                Rect(gutter_x, round(top, 2), round(band_w, 2), round(h, 2)),
                Rect(gutter_x, round(top, 2), th.lane_title_width, round(h, 2)),
                title,
                fill,
                accent,
                cells,
            )
        )
        cards.extend(lane_cards)
        y = top + h + th.lane_gap
    grid_bottom = y

    # -- moment-of-truth highlights ------------------------------------------------------
    highlights = tuple(
        Rect(
            round(c.x - gap / 2 + 1, 2),
            round(flow.rect.y - 4, 2),
            round(c.w + gap - 2, 2),
            round(grid_bottom - flow.rect.y + 4, 2),
        )
        for c in columns
        if c.moment_of_truth
    )

    # -- legend --------------------------------------------------------------------------
    kinds = {lane.kind for lane in lanes}
    legend = build_legend(
        th,
        lang,
        m,
        grid_bottom + 20,
        min(width - 2 * m, 1500.0),
        kinds=kinds,
        moments=bool(highlights),
        paths=paths if not linear else (),
        linear=linear,
        loops=any(c.kind == "loop" for c in flow.connectors),
        ends=any(c.end for c in columns),
        measured=legend_text(measured_points, lang),
        observed=legend_entries(band, lang),
    )
    height = (legend.rect.bottom if legend else grid_bottom) + m
    grid = Rect(gutter_x, grid_top, round(band_w, 2), round(grid_bottom - grid_top, 2))
    gutter = Rect(gutter_x, grid_top, th.lane_title_width, round(grid_bottom - grid_top, 2))
    return Layout(
        width=round(width, 2),
        height=round(height, 2),
        journey_id=journey.id,
        title=journey.title,
        lang=lang,
        theme=th,
        linear=linear,
        header=header,
        grid=grid,
        gutter=gutter,
        stages=tuple(stages),
        columns=tuple(columns),
        flow=flow,
        lanes=tuple(lanes),
        cards=tuple(cards),
        curves=tuple(curves),
        faces=tuple(faces),
        highlights=highlights,
        legend=legend,
        paths=paths if not linear else (),
        notes=tuple(notes),
        measured=tuple(measured),
        measured_points=tuple(measured_points),
        data_band=band,
    )


def _stage_lines(name: str, x: float, y: float, w: float, th: Theme) -> tuple[TextLine, ...]:
    """A stage name on one line, or on two smaller lines when one is too narrow."""
    size = th.stage_size
    mid = y + th.stage_height / 2
    if fonts.text_width(name, size, 700) <= w:
        texts, sizes = [name], [size]
    else:
        size = max(th.stage_size - 2.5, 9.0)
        wrapped = fonts.wrap(name, w, size, 700, 2)
        texts, sizes = list(wrapped.lines), [size] * len(wrapped.lines)
    step = sizes[0] * 1.15
    first = mid + sizes[0] * 0.36 - step * (len(texts) - 1) / 2
    return tuple(
        TextLine(
            t,
            round(x, 2),
            round(first + i * step, 2),
            sz,
            round(fonts.text_width(t, sz, 700), 2),
            700,
            "#ffffff",
        )
        for i, (t, sz) in enumerate(zip(texts, sizes, strict=True))
    )


# -------------------------------------------------------------------------- emotions
def _emotions(
    journey: Journey,
    lane_id: str,
    columns: list[Column],
    paths: tuple[PathInfo, ...],
    th: Theme,
    top: float,
    h: float,
    lane_no: int,
    linear: bool,
) -> tuple[list[EmotionCurve], list[EmotionPoint]]:
    r = th.face_radius
    hi, lo = emotion_scale(th, top, h)  # y of +2, of −2
    neutral = (hi + lo) / 2
    unit = (lo - hi) / 4
    faces: dict[str, EmotionPoint] = {}
    for col in columns:
        items = [i for i in journey.cell(lane_id, col.step_id) if isinstance(i, Emotion)]
        if not items:
            continue
        emo = items[0]
        y = neutral - emo.score * unit
        text = " ".join(t for t in (emo.emoji, emo.label) if t)
        block = None
        if text:
            wrapped = fonts.wrap(text, col.w - 12, th.small_size, 600, EMOTION_LABEL_LINES)
            block = text_block(
                wrapped,
                text,
                round(col.cx, 2),
                y + r + 3,
                th.small_size,
                weight=600,
                color=shade(th.emotion_color(emo.score), 0.35),
                anchor="middle",
            )
        faces[col.step_id] = EmotionPoint(
            col.step_id,
            round(col.cx, 2),
            round(y, 2),
            emo.score,
            th.emotion_color(emo.score),
            block,
            emo.emoji,
        )
    common = {
        "neutral_y": round(neutral, 2),
        "top": round(hi, 2),
        "bottom": round(lo, 2),
        "face_radius": r,
    }
    colors = {p.path_id: p.color for p in paths}
    curves: list[EmotionCurve] = []
    for suffix, path_id, pts in along_paths(journey, columns, paths, faces, linear):
        if linear or not journey.paths:
            color = "#475569" if lane_no == 0 else "#7c3aed"
        else:
            color = colors[path_id] if path_id is not None else "#334155"
        curves.append(
            EmotionCurve(
                f"curve-{lane_id}{suffix}",
                lane_id,
                path_id,
                pts,
                color,
                dashed=lane_no > 0,
                **common,
            )
        )
    return curves, [faces[c.step_id] for c in columns if c.step_id in faces]
