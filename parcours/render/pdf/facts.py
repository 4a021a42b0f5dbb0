"""What the atlas counts: its date, touchpoints across journeys, pain points, the backlog."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from parcours.model.atlas import Atlas
from parcours.model.items import LaneKind, Opportunity, PainPoint
from parcours.model.journey import Journey, Step

SEVERITIES = ("rupture", "blocker", "irritant")
PRIORITIES = ("critical", "high", "medium", "low")


def atlas_date(atlas: Atlas) -> dt.date | None:
    """The date of the atlas: the newest ``reviewed`` date of its journeys (None if none)."""
    dates = [j.reviewed for j in atlas.journeys if j.reviewed is not None]
    return max(dates) if dates else None


def items_of(journey: Journey, kind: LaneKind, step: Step) -> list[object]:
    found: list[object] = []
    for lane in journey.lanes_of(kind):
        found.extend(journey.cell(lane.id, step.id))
    return found


def pains_at(journey: Journey, step: Step) -> list[PainPoint]:
    return [p for p in items_of(journey, LaneKind.pain_points, step) if isinstance(p, PainPoint)]


def opportunities_at(journey: Journey, step: Step) -> list[Opportunity]:
    return [
        o for o in items_of(journey, LaneKind.opportunities, step) if isinstance(o, Opportunity)
    ]


def worst_of(severities: list[str]) -> str | None:
    for severity in SEVERITIES:
        if severity in severities:
            return severity
    return None


@dataclass
class TouchpointRow:
    id: str
    name: str
    channel: str | None
    order: int
    steps: dict[int, int] = field(default_factory=dict)  # journey index → steps using it
    pains: dict[int, list[str]] = field(default_factory=dict)  # journey index → severities
    severity_counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))


def touchpoint_rows(atlas: Atlas) -> list[TouchpointRow]:
    """Every touchpoint used by a journey (and the steps without one), with its use and pains."""
    rows: dict[str, TouchpointRow] = {}
    channels = {c.id: c.name for c in atlas.library.channels}
    library = {t.id: t for t in atlas.library.touchpoints}
    order = {t.id: i for i, t in enumerate(atlas.library.touchpoints)}
    for index, journey in enumerate(atlas.journeys):
        local = {t.id: t for t in journey.library.touchpoints}
        local_channels = {c.id: c.name for c in journey.library.channels}
        for step in journey.steps():
            keys = list(dict.fromkeys(step.touchpoints)) or [""]
            severities = [p.severity.value for p in pains_at(journey, step)]
            for key in keys:
                if key not in rows:
                    found = local.get(key) or library.get(key)
                    channel = None
                    if found is not None and found.channel:
                        channel = local_channels.get(found.channel) or channels.get(found.channel)
                    rows[key] = TouchpointRow(
                        id=key,
                        name=found.name if found is not None else key,
                        channel=channel,
                        order=order.get(key, len(order) + len(rows)),
                    )
                row = rows[key]
                row.steps[index] = row.steps.get(index, 0) + 1
                row.pains.setdefault(index, []).extend(severities)
                for severity in severities:
                    row.severity_counts[severity] += 1
    return list(rows.values())


@dataclass
class BacklogItem:
    opportunity: Opportunity
    journey_index: int
    journey: Journey
    step: Step
    order: int


def backlog(atlas: Atlas) -> list[BacklogItem]:
    """Every opportunity, by priority (critical first), then value (largest first)."""
    items: list[BacklogItem] = []
    for index, journey in enumerate(atlas.journeys):
        for step in journey.steps():
            for opportunity in opportunities_at(journey, step):
                items.append(BacklogItem(opportunity, index, journey, step, len(items)))
    rank = {p: i for i, p in enumerate(PRIORITIES)}
    items.sort(
        key=lambda it: (
            rank[it.opportunity.priority.value],
            it.opportunity.value is None,
            -(it.opportunity.value or 0),
            it.order,
        )
    )
    return items


def count_pains(atlas: Atlas) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for journey in atlas.journeys:
        for step in journey.steps():
            for pain in pains_at(journey, step):
                counts[pain.severity.value] += 1
    return counts
