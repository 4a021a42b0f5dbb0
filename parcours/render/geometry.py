"""The plain-number pieces a :class:`~parcours.render.layout.Layout` is made of.

Every painter (SVG, PNG, PDF, PowerPoint, Excel…) reads these and nothing else: rectangles,
lines of text already wrapped and measured, colours as ``#rrggbb``. Coordinates are px
(96 dpi), origin top left, ``y`` growing down; text ``y`` is the baseline.

These dataclasses are a stable API: fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def contains(self, other: Rect, tolerance: float = 0.01) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )


@dataclass(frozen=True)
class TextLine:
    """One line of text, measured: ``width`` is the drawn width at ``size`` and ``weight``."""

    text: str
    x: float  # where the line starts ("start"), its middle ("middle") or end ("end")
    y: float  # baseline
    size: float
    width: float
    weight: int = 400
    color: str = "#1e293b"
    anchor: str = "start"  # start | middle | end
    italic: bool = False

    @property
    def left(self) -> float:
        if self.anchor == "middle":
            return self.x - self.width / 2
        if self.anchor == "end":
            return self.x - self.width
        return self.x


@dataclass(frozen=True)
class TextBlock:
    """Wrapped lines, the full text they came from and whether some of it was cut."""

    lines: tuple[TextLine, ...]
    text: str
    truncated: bool = False

    @property
    def height(self) -> float:
        if not self.lines:
            return 0.0
        return self.lines[-1].y - self.lines[0].y + self.lines[0].size * 1.32


@dataclass(frozen=True)
class Badge:
    """A small pill: a priority, a severity, a tag on a step ("Moment of truth")."""

    rect: Rect
    text: TextLine
    fill: str
    stroke: str | None = None
    icon: str | None = None  # an icon name from :mod:`parcours.render.icons`


@dataclass(frozen=True)
class Icon:
    name: str  # an icon from :data:`parcours.render.icons.ICONS`
    x: float  # top left of its square box
    y: float
    size: float
    color: str
    emoji: str | None = None  # drawn as text instead, when the user gave an emoji


@dataclass(frozen=True)
class Card:
    """A box in a lane cell: a card of text, a pain point, an opportunity, a KPI, a chip.

    ``kind`` is the lane kind (``actions``, ``pain_points``, ``touchpoints``…). ``text`` is
    the main text; ``meta`` the secondary lines (evidence, owner, target…). ``tooltip`` is
    the full text, for painters that can show one (cut text is always in it).
    """

    id: str  # stable, from model ids: "<lane>--<step>--<n>"
    kind: str
    lane_id: str
    step_id: str
    index: int
    rect: Rect
    fill: str
    stroke: str
    text: TextBlock
    meta: TextBlock | None = None
    accent: str | None = None  # colour of the bar on the left edge
    badge: Badge | None = None
    icon: Icon | None = None
    tooltip: str = ""
    truncated: bool = False
    dashed: bool = False


@dataclass(frozen=True)
class Chip:
    """A label in the header: state, evidence, status, review date, owner."""

    rect: Rect
    text: TextLine
    fill: str
    stroke: str
    key: str  # "state" | "evidence" | "status" | "reviewed" | "owner" | "paths"


@dataclass(frozen=True)
class PersonaBadge:
    persona_id: str
    cx: float
    cy: float
    r: float
    fill: str
    emoji: str | None  # drawn in the circle when given
    initials: str  # drawn when there is no emoji
    name: TextLine
    detail: TextLine | None = None


@dataclass(frozen=True)
class Header:
    rect: Rect
    title: TextBlock
    subtitle: TextBlock | None
    personas: tuple[PersonaBadge, ...]
    chips: tuple[Chip, ...]


@dataclass(frozen=True)
class StageBand:
    stage_id: str
    index: int
    rect: Rect
    fill: str
    text_color: str
    name: TextLine  # fitted to the band, cut with "…" when too long
    phase: str | None = None
    full_name: str = ""  # the stage's name, uncut
    lines: tuple[TextLine, ...] = ()  # the name as drawn: one line, or two smaller ones


@dataclass(frozen=True)
class Column:
    """The vertical slot of one step, from the step band to the last lane."""

    step_id: str
    stage_id: str
    index: int  # position, left to right
    x: float
    w: float
    path_id: str | None = None  # None: on the trunk (shared by every path) or linear map
    color: str | None = None  # the path's colour on non-linear maps
    moment_of_truth: bool = False
    entry: bool = False
    end: bool = False

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


@dataclass(frozen=True)
class Port:
    """A labelled way out of a step node: the label, the share and where the line leaves."""

    target: str
    text: TextBlock  # "→ Identité vérifiée · 80 %"
    x: float  # where the connector starts (node's right edge)
    y: float
    kind: str  # next | branch | loop
    share: float | None = None


@dataclass(frozen=True)
class StepNode:
    """A step in the step band: its name, tags and (on branched maps) its ports."""

    step_id: str
    rect: Rect
    fill: str
    stroke: str
    accent: str  # stage or path colour (left bar)
    title: TextBlock
    tags: tuple[Badge, ...] = ()
    ports: tuple[Port, ...] = ()
    path_id: str | None = None
    entry: bool = False
    end: bool = False
    moment_of_truth: bool = False
    anchor_y: float = 0.0  # where incoming connectors arrive on the left edge


@dataclass(frozen=True)
class Track:
    """A row of the step band holding one path's steps (branched maps)."""

    path_id: str | None
    rect: Rect
    color: str
    name: TextBlock | None


@dataclass(frozen=True)
class Connector:
    """A drawn edge between two steps: a polyline with rounded corners and an arrow head.

    ``kind`` is ``next``, ``branch`` or ``loop``. ``label_line`` is set when the label is
    drawn on the connector itself (long corridors); otherwise the source's port shows it.
    """

    id: str
    source: str
    target: str
    kind: str
    points: tuple[tuple[float, float], ...]
    color: str
    label: str | None = None
    share: float | None = None
    label_line: TextLine | None = None
    dashed: bool = False
    width: float = 2.0  # stroke width; wider for larger shares


@dataclass(frozen=True)
class Marker:
    """An entry (start) or end marker beside a step node."""

    kind: str  # "entry" | "end"
    step_id: str
    cx: float
    cy: float
    r: float
    color: str
    arrow: tuple[tuple[float, float], ...] = ()  # a short arrow into the node (entries)


@dataclass(frozen=True)
class FlowBand:
    """The step band: one row of step names (linear) or tracks, connectors and markers."""

    rect: Rect
    linear: bool
    tracks: tuple[Track, ...]
    nodes: tuple[StepNode, ...]
    connectors: tuple[Connector, ...] = ()
    markers: tuple[Marker, ...] = ()
    title: TextBlock | None = None  # the band's title in the left gutter ("Steps")


@dataclass(frozen=True)
class LaneBand:
    lane_id: str
    kind: str
    index: int
    rect: Rect  # the whole row, gutter included
    title_rect: Rect  # the title box in the left gutter
    title: TextBlock
    fill: str
    accent: str
    cells: tuple[Rect, ...] = ()  # one per column, in column order


@dataclass(frozen=True)
class EmotionPoint:
    step_id: str
    x: float
    y: float
    score: int
    color: str  # face colour for the score
    label: TextBlock | None = None
    emoji: str | None = None  # the user's own emoji, drawn as text beside the face


@dataclass(frozen=True)
class EmotionCurve:
    """One emotion curve: a lane's scores along a path (or along the map when linear).

    On a branched map, :attr:`Layout.curves` holds, per emotion lane, one curve per path
    (``path_id`` set, ``id`` ``curve-<lane>-<path>``, drawn in that path's colour) that
    follows that path's steps only, in column order: alternative branches are never joined
    in sequence. Each run of shared steps (the trunk) is also one curve with ``path_id``
    None (``id`` ``curve-<lane>-trunk-<n>``), drawn on top. A linear map has one curve per
    lane, ``path_id`` None. ``points`` carry x, y in map px and the score; the PPTX and XLSX
    writers reuse them (see :meth:`Layout.path_curves`).
    """

    id: str
    lane_id: str
    path_id: str | None
    points: tuple[EmotionPoint, ...]
    color: str
    width: float = 2.5
    dashed: bool = False
    neutral_y: float = 0.0  # the 0 line
    top: float = 0.0  # y of +2
    bottom: float = 0.0  # y of −2
    face_radius: float = 14.0


@dataclass(frozen=True)
class LegendItem:
    """One entry of the legend: a ``swatch``, a ``face``, a ``line``, a ``marker`` or a ``badge``."""

    kind: str
    rect: Rect  # the symbol's box
    label: TextLine
    color: str
    score: int | None = None  # faces
    dashed: bool = False
    icon: str | None = None


@dataclass(frozen=True)
class Legend:
    rect: Rect
    title: TextLine | None
    items: tuple[LegendItem, ...]
    headings: tuple[TextLine, ...] = field(default=())


@dataclass(frozen=True)
class MeasuredPoint:
    """A step's measured emotion on an emotions lane (from a metric of key ``emotion``):
    ``value`` on −2 … +2 at ``y``, its interval ``low`` … ``high`` at ``low_y`` …
    ``high_y`` (``None`` when unknown), on ``n`` comments or answers. Drawn beside the
    designed face (``x`` is right of the column's middle)."""

    step_id: str
    x: float
    y: float
    value: float
    n: int | None
    low: float | None = None
    high: float | None = None
    low_y: float | None = None
    high_y: float | None = None
    label: TextLine | None = None  # the value, beside the point


@dataclass(frozen=True)
class MeasuredCurve:
    """The measured emotions of a lane along a path (or along the map when linear, or the
    trunk), as :class:`EmotionCurve` follows the designed ones."""

    id: str
    lane_id: str
    path_id: str | None
    points: tuple[MeasuredPoint, ...]
    color: str
    width: float = 2.0


@dataclass(frozen=True)
class DataBadge:
    """A figure of ``parcours compare`` drawn under a step: ``kind`` is ``skipped``,
    ``loop``, ``branch`` or ``unplanned``; ``value`` is the number of the comparison's
    JSON it shows (a share, or a volume of events) and ``key`` where it is there."""

    step_id: str
    kind: str
    rect: Rect
    text: TextBlock
    fill: str
    stroke: str
    value: float
    key: str
    tooltip: str = ""


@dataclass(frozen=True)
class DataBand:
    """The band of observed figures between the steps and the lanes (``render --data``)."""

    rect: Rect
    title_rect: Rect
    title: TextBlock
    accent: str
    badges: tuple[DataBadge, ...] = ()
