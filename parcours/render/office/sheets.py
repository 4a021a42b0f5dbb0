"""What each sheet of the workbook holds, shared by the writer and the reader.

The constants of the hidden ``parcours`` sheet, the words and headers of every sheet, and how
each item, step and link reads in a cell: the writer puts these texts, the reader compares
what a person left with them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from parcours.model.items import (
    Card,
    Emotion,
    Image,
    KpiValue,
    LaneKind,
    Metric,
    Opportunity,
    PainPoint,
)
from parcours.model.words import LANGUAGES, table

if TYPE_CHECKING:
    from parcours.model.atlas import Atlas
    from parcours.model.journey import Journey, Lane, Step
    from parcours.model.library import Library

FORMAT_VERSION = 1
META_SHEET = "parcours"
META_MARK = "parcours workbook"
CHUNK = 30_000  # characters per meta cell (Excel's cap is 32,767)

# -- words ------------------------------------------------------------------------------------
LANE_TITLES = {lang: table("SHEET_LANES", lang) for lang in LANGUAGES}
WORDS = {lang: table("SHEET", lang) for lang in LANGUAGES}
STEP_ID_LABEL = "step id"  # hidden header rows of the Map sheet
STAGE_ID_LABEL = "stage id"
STEP_HEADERS = [
    "Stage",
    "Step id",
    "Step",
    "Path",
    "Touchpoints",
    "Moment of truth",
    "Observed as",
    "Next",
    "End",
    "Entry",
    "Description",
]
PATH_HEADERS = ["Path id", "Path", "Description", "Steps"]
ITEM_KEY_HEADERS = ["Stage", "Step", "Step id", "Lane", "#"]
PAIN_HEADERS = [*ITEM_KEY_HEADERS, "Pain point", "Severity", "Evidence"]
OPPORTUNITY_HEADERS = [
    *ITEM_KEY_HEADERS,
    "Opportunity",
    "Owner",
    "Priority",
    "Status",
    "Due",
    "Value",
]
KPI_HEADERS = [
    *ITEM_KEY_HEADERS,
    "KPI id",
    "KPI",
    "Target",
    "Measured",
    "Unit",
    "Period",
    "Source",
    "Result",
]


def lang_of(journey: Journey) -> str:
    return journey.language()


def lane_label(lane: Lane, lang: str) -> str:
    return lane.title or LANE_TITLES[lang][lane.kind.value]


def emotion_label_row(lane: Lane, lang: str) -> str:
    return f"{lane_label(lane, lang)} · {WORDS[lang]['label']}"


# -- one cell's text -----------------------------------------------------------------------
def cell_text(text: str) -> str:
    """``text`` as a cell can hold it: without the control characters XML 1.0 forbids."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


# -- how each item reads on the Map sheet (shared with the import) ----------------------------
def number_text(value: float | None) -> str:
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass
class Names:
    """Display names of the library entries a journey refers to."""

    touchpoints: dict[str, str] = field(default_factory=dict)
    kpis: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # id → (name, unit)

    @classmethod
    def of(cls, journey: Journey, library: Library | None) -> Names:
        names = cls()
        for lib in (library, journey.library):
            if lib is None:
                continue
            names.touchpoints.update({t.id: t.name for t in lib.touchpoints})
            names.kpis.update({k.id: (k.name, k.unit) for k in lib.kpis})
        return names


def item_text(item: Any, names: Names, lang: str = "en") -> str | int | None:
    """What a cell of the Map sheet shows for one item (an emotion shows its score)."""
    if isinstance(item, Card | PainPoint | Opportunity):
        return item.text
    if isinstance(item, Emotion):
        return item.score
    if isinstance(item, KpiValue):
        name, unit = names.kpis.get(item.kpi, (item.kpi, None))
        text = f"{name}: {number_text(item.measured)}{_unit(unit)}"
        if item.target is not None:
            text += f" ({WORDS[lang]['target']} {number_text(item.target)}{_unit(unit)})"
        return text
    if isinstance(item, Metric):
        return f"{item.name}: {number_text(item.value)}{_unit(item.unit)}"
    if isinstance(item, Image):
        return f"{item.alt} <{item.src}>" if item.alt else item.src
    return None  # pragma: no cover


def _unit(unit: str | None) -> str:
    if not unit:
        return ""
    return unit if unit in ("%",) else f" {unit}"


def emotion_label_text(item: Emotion) -> str | None:
    parts = [p for p in (item.emoji, item.label) if p]
    return " ".join(parts) or None


def lane_rows(journey: Journey, lane: Lane) -> int:
    """How many rows a lane takes on the Map sheet: one per card, at least one."""
    if lane.kind == LaneKind.touchpoints:
        return max([len(s.touchpoints) for s in journey.steps()] + [1])
    if lane.kind == LaneKind.emotions:
        return 1
    cells = journey.cells.get(lane.id, {})
    return max([len(items) for items in cells.values()] + [1])


def flow_text(journey: Journey, step: Step, lang: str) -> str | None:
    """The way out of a step, for people: entry, branches with label and share, loops, end."""
    words = WORDS[lang]
    names = {s.id: s.name for s in journey.steps()}
    order = {s.id: i for i, s in enumerate(journey.steps())}
    lines = []
    if step.id in journey.entries:
        lines.append(f"▶ {words['entry']}")
    if step.next is not None:
        for link in step.next:
            loop = order.get(link.to, 1 << 30) <= order[step.id]
            text = ("↺ " if loop else "→ ") + names.get(link.to, link.to)
            extra = [p for p in (link.label, share_text(link.share)) if p]
            if extra:
                text += f" ({', '.join(extra)})"
            lines.append(text)
    if step.end:
        lines.append(f"■ {words['end']}")
    return "\n".join(lines) or None


def share_text(share: float | None) -> str | None:
    if share is None:
        return None
    pct = share * 100
    return f"{round(pct, 6):g} %"


def next_text(step: Step) -> str | None:
    """The Steps sheet's Next column: one link a line, ``to | label | share``."""
    if step.next is None:
        return None
    lines = []
    for link in step.next:
        parts = [link.to, link.label or "", share_text(link.share) or ""]
        while parts and not parts[-1]:
            parts.pop()
        lines.append(" | ".join(parts))
    return "\n".join(lines) or "(none)"


def step_row(
    journey: Journey, stage_name: str, step: Step, names: Names, path_names: dict[str, str]
) -> list[Any]:
    """A row of the Steps sheet, in the order of :data:`STEP_HEADERS`."""
    return [
        stage_name,
        step.id,
        step.name,
        path_names.get(step.path, step.path) if step.path else None,
        "\n".join(names.touchpoints.get(t, t) for t in step.touchpoints) or None,
        "yes" if step.moment_of_truth else None,
        "\n".join(step.observed_as) or None,
        next_text(step),
        "yes" if step.end else None,
        "yes" if step.id in journey.entries else None,
        step.description,
    ]


def pain_row(item: PainPoint) -> list[Any]:
    return [item.text, item.severity.value, item.evidence]


def opportunity_row(item: Opportunity) -> list[Any]:
    return [item.text, item.owner, item.priority.value, item.status.value, item.due, item.value]


def kpi_row(item: KpiValue, names: Names) -> list[Any]:
    name, unit = names.kpis.get(item.kpi, (item.kpi, None))
    return [item.kpi, name, item.target, item.measured, unit, item.period, item.source]


def workspace_json(atlas: Atlas, journey: Journey) -> str:
    """The workspace without its journeys, and the journey's own language and library as
    the workspace holds them (the exported journey stands alone: it carries both)."""
    import json

    own = next((j for j in atlas.journeys if j.id == journey.id), journey)
    header = atlas.model_copy(update={"journeys": []}).model_dump(mode="json")
    origin = {"lang": own.lang, "library": own.library.model_dump(mode="json")}
    return json.dumps({"workspace": header, "journey": origin}, ensure_ascii=False)


def meta_json(values: list[Any]) -> Any:
    """The JSON document spread over the cells of a meta row."""
    return json.loads("".join(v for v in values if isinstance(v, str)))
