"""The rows of the atlas' tables, in the order and with the figures they are printed with.

Journeys × touchpoints, pain points by touchpoint (and the worst of them), the backlog by
owner and in full: computed once here, then written as HTML (:mod:`.sections`) or set by
Typst (:mod:`.typst_sections`). Texts are the user's, unescaped; figures already formatted.
"""

from __future__ import annotations

from dataclasses import dataclass

from parcours.model.atlas import Atlas
from parcours.render.pdf.facts import (
    SEVERITIES,
    BacklogItem,
    TouchpointRow,
    backlog,
    pains_at,
    worst_of,
)
from parcours.render.pdf.text import (
    PRIORITY_COLOURS,
    SEVERITY_COLOURS,
    format_money,
    short_date,
)

#: The colour of a touchpoint used by a journey without any pain point there.
NO_PAIN = "#334155"
#: The worst pain points listed by name in the pain section.
WORST_LIMIT = 60


@dataclass(frozen=True)
class Dot:
    colour: str
    label: str  # the number of steps when more than one


@dataclass(frozen=True)
class OverviewRow:
    name: str | None  # None: the steps without a touchpoint
    channel: str
    cells: list[Dot | None]  # one a journey
    share: int  # journeys using it


def overview_rows(atlas: Atlas, rows: list[TouchpointRow]) -> list[OverviewRow]:
    """Touchpoints used by the most journeys first; a dot per journey using each."""
    n = len(atlas.journeys)
    ordered = sorted(rows, key=lambda r: (r.id == "", -len(r.steps), r.order, r.name))
    out = []
    for row in ordered:
        cells: list[Dot | None] = []
        for i in range(n):
            count = row.steps.get(i, 0)
            if not count:
                cells.append(None)
                continue
            worst = worst_of(row.pains.get(i, []))
            colour = SEVERITY_COLOURS[worst] if worst else NO_PAIN
            cells.append(Dot(colour, str(count) if count > 1 else ""))
        out.append(
            OverviewRow(row.name if row.id else None, row.channel or "", cells, len(row.steps))
        )
    return out


@dataclass(frozen=True)
class PainRow:
    name: str | None  # None: the steps without a touchpoint
    journeys: int
    counts: list[int]  # by severity, worst first (SEVERITIES)
    total: int
    bars: list[tuple[float, str]]  # (share of the longest row's total, colour)


@dataclass(frozen=True)
class WorstPain:
    severity: str
    text: str
    evidence: str
    journey: int  # index
    step: str


def pain_rows(rows: list[TouchpointRow]) -> list[PainRow]:
    """Touchpoints with pain points, the most ruptures first (then blockers, irritants)."""
    counted = [r for r in rows if sum(r.severity_counts.values())]
    counted.sort(key=lambda r: (tuple(-r.severity_counts[s] for s in SEVERITIES), r.order, r.name))
    top = max((sum(r.severity_counts.values()) for r in counted), default=1)
    return [
        PainRow(
            r.name if r.id else None,
            sum(1 for sev in r.pains.values() if sev),
            [r.severity_counts[s] for s in SEVERITIES],
            sum(r.severity_counts.values()),
            [
                (r.severity_counts[s] / top, SEVERITY_COLOURS[s])
                for s in SEVERITIES
                if r.severity_counts[s]
            ],
        )
        for r in counted
    ]


def worst_pains(atlas: Atlas) -> tuple[list[WorstPain], int]:
    """Every rupture and blocker, worst first, at most :data:`WORST_LIMIT`; and how many
    more there are."""
    worst = []
    for i, journey in enumerate(atlas.journeys):
        for step in journey.steps():
            for pain in pains_at(journey, step):
                if pain.severity.value in ("rupture", "blocker"):
                    rank = SEVERITIES.index(pain.severity.value)
                    worst.append(
                        (rank, i, WorstPain(pain.severity.value, pain.text, pain.evidence or "",
                                            i, step.name))
                    )  # fmt: skip
    worst.sort(key=lambda w: (w[0], w[1]))
    return [w[2] for w in worst[:WORST_LIMIT]], max(0, len(worst) - WORST_LIMIT)


@dataclass(frozen=True)
class OwnerRow:
    owner: str | None
    count: int
    urgent: int  # high or critical
    total: str  # their value, formatted ("" when none has one)


@dataclass(frozen=True)
class BacklogRow:
    priority: str
    colour: str
    text: str
    journey: int  # index
    step: str
    owner: str | None
    status: str
    due: str
    value: str


def _currency(atlas: Atlas, item: BacklogItem) -> str | None:
    """The currency of an opportunity's value: its journey's, else the workspace's."""
    return item.journey.currency or atlas.currency


def backlog_tables(atlas: Atlas, lang: str) -> tuple[list[OwnerRow], list[BacklogRow]]:
    """The owners (no owner first, then the busiest) and every opportunity by priority
    then value."""
    items = backlog(atlas)
    owners: dict[str | None, list[BacklogItem]] = {}
    for it in items:
        owners.setdefault(it.opportunity.owner, []).append(it)
    owner_rows = []
    for owner, mine in sorted(
        owners.items(), key=lambda kv: (kv[0] is not None, -len(kv[1]), kv[0] or "")
    ):
        urgent = sum(1 for it in mine if it.opportunity.priority.value in ("critical", "high"))
        values = [it.opportunity.value for it in mine if it.opportunity.value is not None]
        currencies = {_currency(atlas, it) for it in mine}
        total = sum(values) if values else None
        shown = format_money(total, lang, currencies.pop() if len(currencies) == 1 else None)
        owner_rows.append(OwnerRow(owner, len(mine), urgent, shown))
    rows = []
    for it in items:
        o = it.opportunity
        rows.append(
            BacklogRow(
                o.priority.value,
                PRIORITY_COLOURS[o.priority.value],
                o.text,
                it.journey_index,
                it.step.name,
                o.owner,
                o.status.value,
                short_date(o.due, lang) if o.due else "",
                format_money(o.value, lang, _currency(atlas, it)),
            )
        )
    return owner_rows, rows
