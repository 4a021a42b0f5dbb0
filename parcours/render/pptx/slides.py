"""Slides, speaker notes and the opportunities table, made without python-pptx's searches.

python-pptx looks up every relationship of the deck for each new slide, every placeholder
of the notes master for each notes page, and builds tables cell by cell through its object
model: on a deck of a few hundred slides, most of the time. These make the same parts
directly (python-pptx still reads, relates and saves them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.parts.slide import NotesSlidePart, SlidePart

from parcours.escape.xml import plain
from parcours.escape.xml import text as xml_text
from parcours.model.items import Opportunity
from parcours.model.words import table
from parcours.render.labels import label
from parcours.render.pptx.drawing import NAMESPACES, Drawing, Run
from parcours.render.pptx.units import SLIDE_W

if TYPE_CHECKING:
    from parcours.model.journey import Journey

OPPORTUNITIES_PER_SLIDE = 8
MARK = "PARCOURS-NOTES-TEXT"


SLIDE = (
    f'<p:sld {NAMESPACES} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/>'
    "<p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>{shapes}</p:spTree></p:cSld><p:clrMapOvr>"
    "<a:masterClrMapping/></p:clrMapOvr></p:sld>"
)


def add_blank_slide(deck: Any, layout: Any, drawing: Drawing | None = None) -> Any:
    """A new slide on ``layout`` (one with nothing to clone, like the blank one), holding
    the shapes of ``drawing`` (parsed once with the slide)."""
    part = deck.part
    rels: Any = getattr(part, "_rels", None)
    if (
        rels is None
        or not hasattr(rels, "_add_relationship")
        or list(layout.iter_cloneable_placeholders())
    ):
        slide = deck.slides.add_slide(layout)  # another python-pptx: its own way
        if drawing is not None:
            drawing.flush(slide)
        return slide
    shapes = "".join(drawing.parts) if drawing is not None else ""
    element = parse_xml(SLIDE.replace("{shapes}", shapes))
    slide_part = SlidePart(part._next_slide_partname, CT.PML_SLIDE, part.package, element)
    slide_part.relate_to(layout.part, RT.SLIDE_LAYOUT)
    rid = rels._add_relationship(RT.SLIDE, slide_part)
    deck.slides._sldIdLst.add_sldId(rid)
    if drawing is not None:
        drawing.parts, drawing.next_id = [], 2
    return slide_part.slide


def count_part_names(deck: Any) -> None:
    """Name new parts (notes pages) by counting: python-pptx looks at every part for each."""
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


class Notes:
    """Speaker notes from one template: the first notes page is made by python-pptx (which
    clones the notes master's placeholders), the others are copies with their own text."""

    def __init__(self) -> None:
        self.head: str | None = None
        self.tail = ""

    def write(self, slide: Any, lines: Sequence[str]) -> None:
        if self.head is None:
            frame = slide.notes_slide.notes_text_frame
            frame.text = MARK
            xml = etree.tostring(slide.notes_slide._element, encoding="unicode")
            at = xml.index(MARK)
            start, end = xml.rindex("<a:p>", 0, at), xml.index("</a:p>", at) + len("</a:p>")
            self.head, self.tail = xml[:start], xml[end:]
            frame.text = plain("\n".join(lines))
            return
        package, part = slide.part.package, slide.part
        master = package.presentation_part.notes_master_part
        notes_part = NotesSlidePart._add_notes_slide_part(package, part, master)
        paragraphs = "".join(
            f'<a:p><a:r><a:rPr lang="en-US" dirty="0"/><a:t>{xml_text(line)}</a:t></a:r></a:p>'
            for line in plain("\n".join(lines)).split("\n")
        )
        notes_part._element = parse_xml(self.head + paragraphs + self.tail)
        part.relate_to(notes_part, RT.NOTES_SLIDE)


def opportunity_slides(deck: Any, blank: Any, journey: Journey, lang: str) -> None:
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
        d = Drawing(1.0)
        title = [("start", [Run(label("opportunities", lang), 24, True)])]
        d.textbox(40, 24, SLIDE_W - 80, 48, title, name="opportunities title")
        values = [[Run(text, 11, True) for text in header]] + [
            [
                Run(text, 11)
                for text in (
                    item.text,
                    name,
                    label("priority." + item.priority.value, lang),
                    item.owner or "",
                )
            ]
            for _o, _n, item, name in part
        ]
        d.table(40, 96, widths, 64, values, name="opportunities")
        add_blank_slide(deck, blank, d)
