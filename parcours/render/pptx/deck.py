"""The deck: a title slide, the map slides, the opportunities, then the personas."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.parts.slide import NotesSlidePart
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu, Pt

from parcours.atomic import producing, target_of, write_atomic
from parcours.escape.xml import plain as clean
from parcours.model.items import Opportunity
from parcours.model.library import Library
from parcours.model.words import table
from parcours.render.fonts import text_width
from parcours.render.geometry import Rect
from parcours.render.labels import label
from parcours.render.layout import Layout, layout
from parcours.render.legend import build_legend
from parcours.render.pptx.drawing import Drawing, Run
from parcours.render.pptx.mapslide import Index, Painter
from parcours.render.pptx.personas import persona_slide
from parcours.render.pptx.plan import SHIFT, TOP, Band, View, Window, views
from parcours.render.pptx.units import DECK_FONT, FIT, SLIDE_H, SLIDE_W, emu

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
    _count_part_names(deck)
    index = Index(geometry)
    notes = _NotesMaker()
    scale = max((v.scale for v in plan), default=1.0)
    _title_slide(deck.slides.add_slide(blank), geometry, journey, len(plan), scale)
    for n, view in enumerate(plan, 1):
        slide = deck.slides.add_slide(blank)
        drawing = Drawing(view.scale)
        Painter(drawing, geometry, view, index).paint()
        _slide_title(drawing, geometry, view)
        drawing.flush(slide)
        _notes(slide, geometry, view, journey, n, len(plan), notes)
    if journey is not None:
        _opportunity_slides(deck, blank, journey, geometry.lang)
    for persona in personas:
        persona_slide(deck.slides.add_slide(blank), persona, geometry, SLIDE_W, SLIDE_H)
    deck.core_properties.title = geometry.title
    deck.core_properties.author = "parcours"
    return deck


def _count_part_names(deck: Any) -> None:
    """Name new parts (notes slides) by counting: python-pptx looks at every part for each."""
    package = deck.part.package
    taken = {str(part.partname) for part in package.iter_parts()}
    counters: dict[str, int] = {}

    def next_partname(template: str) -> Any:
        from pptx.opc.packuri import PackURI

        n = counters.get(template, 1)
        while template % n in taken:
            n += 1
        counters[template] = n + 1
        taken.add(template % n)
        return PackURI(template % n)

    package.next_partname = next_partname


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
    where = words["steps"].format(
        first=window.first + 1, last=max(window.stop, 1), total=len(g.columns)
    )
    if view.parts > 1 and view.stop_lane > view.first_lane:
        where += " · " + words["lanes"].format(
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
    lines: list[tuple[str, float, bool, str]] = [(g.title, 36, True, "1F2933")]
    if journey is not None and journey.description:
        lines.append((journey.description, 18, False, "3E4C59"))
    lines.append((facts, 14, False, "5C6B7A"))
    box = slide.shapes.add_textbox(
        Emu(emu(80)), Emu(emu(72)), Emu(emu(SLIDE_W - 160)), Emu(emu(260))
    )
    box.name = "title"
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for n, (text, size, bold, colour) in enumerate(lines):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(size / 2)
        run = paragraph.add_run()
        run.text = clean(text)
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = DECK_FONT
        run.font.color.rgb = RGBColor.from_string(colour)
    # the chips of the map's header and the legend, at the scale of the map slides
    d = Drawing(scale)
    everything = View(Window(0, 0, 0, 0, 1e9), 0, 0, 0, 1, False, scale, (Band(0, 1e7, 0),))
    painter = Painter(d, g, everything)
    chips = g.header.chips
    if chips:
        dx = SHIFT + 80 / scale - chips[0].rect.x
        dy = 350 / scale - chips[0].rect.y
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
    }
    width = SLIDE_W / scale - 2 * margin
    probe = build_legend(g.theme, g.lang, margin + SHIFT, 0, width, **legend_args)
    top = (SLIDE_H - 40) / scale - probe.rect.h
    painter.legend(build_legend(g.theme, g.lang, margin + SHIFT, top, width, **legend_args))
    d.flush(slide)


def _opportunity_slides(deck: Any, blank: Any, journey: Journey, lang: str) -> None:
    """The journey's opportunities, by priority, in a table: what, at which step, who."""
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    rows = [
        (order.get(item.priority.value, 9), n, item, step.name)
        for n, (_stage, step) in enumerate(journey.iter_steps())
        for lane in journey.lanes
        for item in journey.cell(lane.id, step.id)
        if isinstance(item, Opportunity)
    ]
    rows.sort(key=lambda r: (r[0], r[1]))
    header = [
        label("opportunities", lang),
        table("SHEET", lang)["step"],
        label("priority", lang).capitalize(),
        label("owner", lang),
    ]
    widths = [620.0, 280.0, 120.0, 180.0]
    for start in range(0, len(rows), OPPORTUNITIES_PER_SLIDE):
        part = rows[start : start + OPPORTUNITIES_PER_SLIDE]
        slide = deck.slides.add_slide(blank)
        title = slide.shapes.add_textbox(
            Emu(emu(40)), Emu(emu(24)), Emu(emu(SLIDE_W - 80)), Emu(emu(48))
        )
        title.name = "opportunities title"
        run = title.text_frame.paragraphs[0].add_run()
        run.text = clean(label("opportunities", lang))
        run.font.size, run.font.bold, run.font.name = Pt(24), True, DECK_FONT
        height = 64 * (len(part) + 1)
        shape = slide.shapes.add_table(
            len(part) + 1, 4, Emu(emu(40)), Emu(emu(96)), Emu(emu(sum(widths))), Emu(emu(height))
        )
        grid = shape.table
        for c, w in enumerate(widths):
            grid.columns[c].width = Emu(emu(w))
        for r in range(len(part) + 1):
            grid.rows[r].height = Emu(emu(64))
        values = [header] + [
            [item.text, name, label("priority." + item.priority.value, lang), item.owner or ""]
            for _o, _n, item, name in part
        ]
        for r, line in enumerate(values):
            for c, value in enumerate(line):
                frame = grid.cell(r, c).text_frame
                frame.word_wrap = True
                run = frame.paragraphs[0].add_run()
                run.text = clean(value)
                run.font.size, run.font.bold, run.font.name = Pt(11), r == 0, DECK_FONT


class _NotesMaker:
    """Notes slides from one template: python-pptx clones the notes master's placeholders
    for each (a dozen XPath searches); the first is made so, the others are copies of it."""

    def __init__(self) -> None:
        self.template: str | None = None

    def frame(self, slide: Any) -> Any:
        if self.template is None:
            notes = slide.notes_slide
            self.template = etree.tostring(notes._element, encoding="unicode")
            return notes.notes_text_frame
        package, part = slide.part.package, slide.part
        master = package.presentation_part.notes_master_part
        notes_part = NotesSlidePart._add_notes_slide_part(package, part, master)
        notes_part._element = parse_xml(self.template)
        part.relate_to(notes_part, RT.NOTES_SLIDE)
        return notes_part.notes_slide.notes_text_frame


def _notes(
    slide: Any,
    g: Layout,
    view: View,
    journey: Journey | None,
    n: int,
    total: int,
    maker: _NotesMaker | None = None,
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
    frame = (maker or _NotesMaker()).frame(slide)
    frame.text = clean("\n".join(said))
