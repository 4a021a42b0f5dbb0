"""The deck: a title slide, the map slides, the opportunities, then the personas."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pptx import Presentation
from pptx.util import Emu

from parcours.atomic import producing, target_of, write_atomic
from parcours.model.library import Library
from parcours.model.words import table
from parcours.render.fonts import text_width, wrap
from parcours.render.geometry import Rect
from parcours.render.layout import Layout, layout
from parcours.render.legend import build_legend
from parcours.render.measured import legend_text
from parcours.render.pptx.drawing import Drawing, Run
from parcours.render.pptx.mapslide import Index, Painter
from parcours.render.pptx.personas import persona_slide
from parcours.render.pptx.plan import SHIFT, TOP, Band, View, Window, views
from parcours.render.pptx.slides import (
    Notes,
    add_blank_slide,
    count_part_names,
    opportunity_slides,
)
from parcours.render.pptx.units import FIT, SLIDE_H, SLIDE_W, emu

if TYPE_CHECKING:
    from parcours.model.atlas import Atlas
    from parcours.model.journey import Journey
    from parcours.model.persona import Persona

OPPORTUNITIES_PER_SLIDE = 8
INK, MUTED = "#1e293b", "#64748b"


def pptx_bytes(
    journey: Journey, *, library: Library | None = None, atlas: Atlas | None = None
) -> bytes:
    """``journey`` as the bytes of an editable deck; ``atlas`` brings the workspace's personas."""
    if library is None and atlas is not None:
        library = atlas.library
    personas = [p for p in atlas.personas if p.id in journey.personas] if atlas is not None else []
    geometry = layout(journey, library=library, personas=personas)
    buffer = io.BytesIO()
    build_deck(geometry, personas, journey).save(buffer)
    return buffer.getvalue()


def save_pptx(
    journey: Journey,
    path: str | Path,
    *,
    library: Library | None = None,
    atlas: Atlas | None = None,
) -> Path:
    """Write ``journey`` as an editable deck (see :func:`pptx_bytes`)."""
    path = Path(path)
    target_of(path)  # refuse a device or a folder before the work
    with producing(path):
        data = pptx_bytes(journey, library=library, atlas=atlas)
    write_atomic(path, data)
    return path


def build_deck(
    geometry: Layout, personas: Sequence[Persona] = (), journey: Journey | None = None
) -> Any:
    """A 16:9 deck: a title slide, the map slides (steps × lanes), opportunities, personas."""
    deck = Presentation()
    plan = views(geometry)
    deck.slide_width = Emu(emu(SLIDE_W))
    deck.slide_height = Emu(emu(SLIDE_H))
    blank = deck.slide_layouts[6]
    count_part_names(deck)
    index = Index(geometry)
    notes = Notes()
    scale = max((v.scale for v in plan), default=1.0)
    _title_slide(add_blank_slide(deck, blank), geometry, journey, len(plan), scale)
    for n, view in enumerate(plan, 1):
        drawing = Drawing(view.scale)
        Painter(drawing, geometry, view, index).paint()
        _slide_title(drawing, geometry, view)
        slide = add_blank_slide(deck, blank, drawing)
        _notes(slide, geometry, view, journey, n, len(plan), notes)
    if journey is not None:
        opportunity_slides(deck, blank, journey, geometry.lang)
    for persona in personas:
        persona_slide(add_blank_slide(deck, blank), persona, geometry, SLIDE_W, SLIDE_H)
    deck.core_properties.title = geometry.title
    deck.core_properties.author = "parcours"
    return deck


def fitted(text: str, size_pt: float, bold: bool, width_px: float) -> str:
    """``text`` cut with "…" to fit ``width_px`` in the widest font the deck may be shown in."""
    size = size_pt / 0.75 / FIT / (0.92 if bold else 1.0)
    if text_width(text, size, 700 if bold else 400) <= width_px:
        return text
    while text and text_width(text + "…", size, 700 if bold else 400) > width_px:
        text = text[:-1]
    return text.rstrip() + "…"


def _slide_title(d: Drawing, g: Layout, view: View) -> None:
    """The title line over the map: the journey, "(continued)", which steps and lanes."""
    words = table("DECK", g.lang)
    s = view.scale
    window = view.window
    last = max(window.stop, 1)
    key = "steps" if last > window.first + 1 else "step"
    where = words[key].format(first=window.first + 1, last=last, total=len(g.columns))
    if view.parts > 1 and view.stop_lane > view.first_lane:
        key = "lanes" if view.stop_lane > view.first_lane + 1 else "lane"
        where += " · " + words[key].format(
            first=view.first_lane + 1, last=view.stop_lane, total=len(g.lanes)
        )
    elif view.stop_lane == view.first_lane and g.lanes:
        where += " · " + words["flow"]
    right_w = 440.0
    continued = f" {words['continued']}" if view.part > 0 else ""
    room = SLIDE_W - 2 * 20 - right_w - text_width(continued, 19, 400) - 16
    runs = [Run(fitted(g.title, 16, True, room), 16, True, False, INK)]
    if continued:
        runs.append(Run(continued, 14, False, False, MUTED))
    d.textbox(
        20 / s,
        8 / s,
        (SLIDE_W - 40 - right_w) / s,
        (TOP - 8) / s,
        [("start", runs)],
        name="map title",
    )
    d.textbox(
        (SLIDE_W - 20 - right_w) / s,
        12 / s,
        right_w / s,
        (TOP - 12) / s,
        [("end", [Run(where, 11, False, False, MUTED)])],
    )


def _title_slide(slide: Any, g: Layout, journey: Journey | None, pieces: int, scale: float) -> None:
    """The journey's title, its description, what the deck holds, its chips and the legend."""
    steps = len(g.columns)
    stages = len([s for s in g.stages if any(c.stage_id == s.stage_id for c in g.columns)])
    facts = table("DECK", g.lang)["facts"].format(stages=stages, steps=steps, slides=pieces)
    blocks: list[tuple[str, float, bool, str, int]] = [(g.title, 36, True, "#1F2933", 3)]
    if journey is not None and journey.description:
        blocks.append((journey.description, 18, False, "#3E4C59", 6))
    blocks.append((facts, 14, False, "#5C6B7A", 2))
    text = Drawing(1.0)
    y, width = 56.0, SLIDE_W - 160
    for n, (words, size, bold, colour, most) in enumerate(blocks):
        px = size / 0.75
        # wrapped here, narrower than the box: the widest fallback font never wraps it again
        wrapped = wrap(words, width / (1.22 if bold else 1.12), px, 700 if bold else 400, most)
        lines = "\n".join(wrapped.lines)
        height = len(wrapped.lines) * px * 1.32  # a DejaVu line box is 1.3 em
        runs = [Run(lines, size, bold, False, colour)]
        name = "title" if n == 0 else None
        text.textbox(80, y, width, height, [("start", runs)], wrap=True, name=name)
        y += height + px * 0.5
    text.flush(slide)
    # the chips of the map's header and the legend, at the scale of the map slides
    d = Drawing(scale)
    everything = View(Window(0, 0, 0, 0, 1e9), 0, 0, 0, 1, False, scale, (Band(0, 1e7, 0),))
    painter = Painter(d, g, everything)
    chips = g.header.chips
    if chips:
        dx = SHIFT + 80 / scale - chips[0].rect.x
        dy = (y + 8) / scale - chips[0].rect.y
        moved = []
        for chip in chips:
            rect = Rect(chip.rect.x + dx, chip.rect.y + dy, chip.rect.w, chip.rect.h)
            if (rect.x + rect.w - SHIFT) * scale > SLIDE_W - 80:
                break
            line = dataclasses.replace(chip.text, x=chip.text.x + dx, y=chip.text.y + dy)
            moved.append(dataclasses.replace(chip, rect=rect, text=line))
        painter.chips(moved)
    margin = 80 / scale
    legend_args: dict[str, Any] = {
        "kinds": {lane.kind for lane in g.lanes},
        "moments": bool(g.highlights),
        "paths": g.paths if not g.linear else (),
        "linear": g.linear,
        "loops": any(c.kind == "loop" for c in g.flow.connectors),
        "ends": any(c.end for c in g.columns),
        "measured": legend_text(g.measured_points, g.lang),
    }
    width = SLIDE_W / scale - 2 * margin
    probe = build_legend(g.theme, g.lang, margin + SHIFT, 0, width, **legend_args)
    top = (SLIDE_H - 40) / scale - probe.rect.h
    painter.legend(build_legend(g.theme, g.lang, margin + SHIFT, top, width, **legend_args))
    d.flush(slide)


def _notes(
    slide: Any,
    g: Layout,
    view: View,
    journey: Journey | None,
    n: int,
    total: int,
    notes: Notes,
) -> None:
    """Speaker notes: the lanes the slide shows, then each of its steps with its description."""
    steps = {s.id: s for s in journey.steps()} if journey is not None else {}
    said = [f"{g.title} ({n}/{total})"]
    lanes = g.lanes[view.first_lane : view.stop_lane]
    if view.parts > 1 and lanes:
        names = ", ".join(lane.title.text for lane in lanes)
        said.append(f"{table('DECK', g.lang)['lanes_title']}: {names}")
    for column in g.columns[view.window.first : view.window.stop]:
        step = steps.get(column.step_id)
        if step is None:
            continue
        said.append(f"{step.name}: {step.description}" if step.description else step.name)
    notes.write(slide, said)
