"""Shapes written as PresentationML, many at a time: the fast way to fill a slide.

python-pptx builds each shape through its object model (a fill, a colour, a run: each an
XPath search and an element insertion), about 1 ms a shape; a 200-step map has thousands.
:class:`Drawing` writes the same XML as text (an autoshape, a text box, a freeform line)
and adds every shape of a slide to it in one parse. No ``<p:style>`` is written, so no
theme effect (shadow) or theme colour applies: every fill, line and font is explicit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pptx.oxml import parse_xml

from parcours.escape.xml import plain
from parcours.escape.xml import text as xml_text
from parcours.render.pptx.units import DECK_FONT, emu, hex6

NAMESPACES = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
ALIGN = {"start": "l", "middle": "ctr", "end": "r"}


@dataclass(frozen=True)
class Run:
    """A run of text: its size in points, weight, slant and colour (``#rrggbb``)."""

    text: str
    size: float
    bold: bool = False
    italic: bool = False
    colour: str | None = None


def _run(run: Run, font: str) -> str:
    attrs = f'lang="en-US" sz="{round(run.size * 100)}" b="{int(run.bold)}" i="{int(run.italic)}"'
    colour = hex6(run.colour)
    fill = f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>' if colour else ""
    props = f'<a:rPr {attrs} dirty="0">{fill}<a:latin typeface="{font}"/></a:rPr>'
    pieces = plain(run.text).split("\n")
    return "<a:br/>".join(f"<a:r>{props}<a:t>{xml_text(piece)}</a:t></a:r>" for piece in pieces)


def _line(stroke: str | None, width_pt: float, dashed: bool, arrow: bool = False) -> str:
    colour = hex6(stroke)
    if colour is None:
        return "<a:ln><a:noFill/></a:ln>"
    dash = '<a:prstDash val="dash"/>' if dashed else ""
    tail = '<a:tailEnd type="triangle" w="med" len="med"/>' if arrow else ""
    return (
        f'<a:ln w="{round(width_pt * 12700)}"><a:solidFill><a:srgbClr val="{colour}"/>'
        f"</a:solidFill>{dash}{tail}</a:ln>"
    )


def _fill(fill: str | None) -> str:
    colour = hex6(fill)
    return f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>' if colour else "<a:noFill/>"


class Drawing:
    """The shapes of one slide, in layout px at ``scale`` (1 px = ``scale``/96 in)."""

    def __init__(self, scale: float, font: str = DECK_FONT) -> None:
        self.scale = scale
        self.font = font
        self.parts: list[str] = []
        self.next_id = 2  # 1 is the slide's shape tree

    def emu(self, px: float) -> int:
        return emu(px, self.scale)

    def _xfrm(self, x: float, y: float, w: float, h: float) -> str:
        return (
            f'<a:xfrm><a:off x="{self.emu(x)}" y="{self.emu(y)}"/>'
            f'<a:ext cx="{max(self.emu(w), 1)}" cy="{max(self.emu(h), 1)}"/></a:xfrm>'
        )

    def _head(self, name: str | None, textbox: bool = False) -> str:
        n = self.next_id
        self.next_id += 1
        label = xml_text(name) if name else f"Shape {n}"
        sp = '<p:cNvSpPr txBox="1"/>' if textbox else "<p:cNvSpPr/>"
        return f'<p:nvSpPr><p:cNvPr id="{n}" name="{label}"/>{sp}<p:nvPr/></p:nvSpPr>'

    def body(
        self,
        paragraphs: Sequence[tuple[str, Sequence[Run]]],
        *,
        wrap: bool = True,
        insets: tuple[float, float, float, float] = (0, 0, 0, 0),
        anchor: str = "t",
    ) -> str:
        """A text body: ``paragraphs`` of (alignment ``start|middle|end``, runs)."""
        left, top, right, bottom = (self.emu(max(v, 0)) for v in insets)
        out = [
            f'<p:txBody><a:bodyPr wrap="{"square" if wrap else "none"}" lIns="{left}" '
            f'tIns="{top}" rIns="{right}" bIns="{bottom}" anchor="{anchor}" rtlCol="0">'
            "<a:noAutofit/></a:bodyPr><a:lstStyle/>"
        ]
        for align, runs in paragraphs:
            text = "".join(_run(run, self.font) for run in runs)
            out.append(f'<a:p><a:pPr algn="{ALIGN.get(align, "l")}"/>{text}</a:p>')
        if not paragraphs:
            out.append("<a:p/>")  # a text body holds at least one paragraph
        out.append("</p:txBody>")
        return "".join(out)

    def shape(
        self,
        prst: str,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: str | None = None,
        stroke: str | None = None,
        line_width: float = 0.75,
        dashed: bool = False,
        adjust: float | None = None,
        name: str | None = None,
        body: str | None = None,
        textbox: bool = False,
    ) -> None:
        """An autoshape (``rect``, ``roundRect``, ``ellipse``, ``smileyFace``…), maybe with text."""
        guide = (
            f'<a:avLst><a:gd name="adj" fmla="val {round(adjust * 100000)}"/></a:avLst>'
            if adjust is not None
            else "<a:avLst/>"
        )
        self.parts.append(
            f"<p:sp>{self._head(name, textbox)}<p:spPr>{self._xfrm(x, y, w, h)}"
            f'<a:prstGeom prst="{prst}">{guide}</a:prstGeom>{_fill(fill)}'
            f"{_line(stroke, line_width, dashed)}<a:effectLst/></p:spPr>"
            f"{body or self.body([])}</p:sp>"
        )

    def textbox(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        paragraphs: Sequence[tuple[str, Sequence[Run]]],
        *,
        wrap: bool = False,
        name: str | None = None,
    ) -> None:
        """A text box without margins, fill or line."""
        self.shape(
            "rect", x, y, w, h, name=name, textbox=True, body=self.body(paragraphs, wrap=wrap)
        )

    def freeform(
        self,
        points: Sequence[tuple[float, float]],
        colour: str | None,
        width_px: float,
        *,
        dashed: bool = False,
        arrow: bool = False,
        name: str | None = None,
    ) -> None:
        """An open polyline (a connector, an emotion curve), ``width_px`` thick."""
        if len(points) < 2:
            return
        xs = [self.emu(x) for x, _ in points]
        ys = [self.emu(y) for _, y in points]
        left, top = min(xs), min(ys)
        w, h = max(max(xs) - left, 1), max(max(ys) - top, 1)
        path = [f'<a:moveTo><a:pt x="{xs[0] - left}" y="{ys[0] - top}"/></a:moveTo>']
        path += [
            f'<a:lnTo><a:pt x="{px - left}" y="{py - top}"/></a:lnTo>'
            for px, py in zip(xs[1:], ys[1:], strict=True)
        ]
        self.parts.append(
            f"<p:sp>{self._head(name)}<p:spPr>"
            f'<a:xfrm><a:off x="{left}" y="{top}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'
            '<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="l" t="t" r="r" b="b"/>'
            f'<a:pathLst><a:path w="{w}" h="{h}">{"".join(path)}</a:path></a:pathLst></a:custGeom>'
            f"<a:noFill/>{_line(colour or '#334155', width_px * 0.75, dashed, arrow)}"
            f"<a:effectLst/></p:spPr>{self.body([])}</p:sp>"
        )

    def table(
        self,
        x: float,
        y: float,
        widths: Sequence[float],
        row_height: float,
        rows: Sequence[Sequence[Run]],
        *,
        name: str | None = None,
    ) -> None:
        """A table (the theme's table style, header row first), one run a cell."""
        n = self.next_id
        self.next_id += 1
        label = xml_text(name) if name else f"Table {n}"
        grid = "".join(f'<a:gridCol w="{self.emu(w)}"/>' for w in widths)
        body = "".join(
            f'<a:tr h="{self.emu(row_height)}">'
            + "".join(
                f"<a:tc><a:txBody><a:bodyPr/><a:lstStyle/><a:p>{_run(run, self.font)}</a:p>"
                "</a:txBody><a:tcPr/></a:tc>"
                for run in row
            )
            + "</a:tr>"
            for row in rows
        )
        self.parts.append(
            f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{n}" name="{label}"/>'
            '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/>'
            f'</p:nvGraphicFramePr><p:xfrm><a:off x="{self.emu(x)}" y="{self.emu(y)}"/>'
            f'<a:ext cx="{self.emu(sum(widths))}" cy="{self.emu(row_height * len(rows))}"/>'
            '</p:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/'
            'drawingml/2006/table"><a:tbl><a:tblPr firstRow="1" bandRow="1"><a:tableStyleId>'
            "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}</a:tableStyleId></a:tblPr>"
            f"<a:tblGrid>{grid}</a:tblGrid>{body}</a:tbl></a:graphicData></a:graphic>"
            "</p:graphicFrame>"
        )

    def flush(self, slide: Any) -> None:
        """Add every shape written so far to ``slide`` (one parse), and start afresh."""
        if not self.parts:
            return
        tree = parse_xml(f"<p:spTree {NAMESPACES}>{''.join(self.parts)}</p:spTree>")
        target = slide.shapes._spTree
        base = max((int(i) for i in target.xpath("//p:cNvPr/@id")), default=1)
        for element in list(tree):
            if base > 1:  # the slide has shapes already: ours follow theirs
                for props in element.iter("{*}cNvPr"):
                    props.set("id", str(int(props.get("id")) + base - 1))
            target.append(element)
        self.parts = []
        self.next_id = 2
