"""What a cell holds, by lane kind.

A cell (lane × step) holds a list of items whose type follows the lane's kind:

==================  =========================================
lane kind           item type
==================  =========================================
actions, thoughts,  :class:`Card`
backstage, notes
emotions            :class:`Emotion` (at most one per cell)
pain_points         :class:`PainPoint`
opportunities       :class:`Opportunity`
kpis                :class:`KpiValue`
metrics             :class:`Metric` (filled from data)
images              :class:`Image`
touchpoints         no cell: the lane shows each step's touchpoints
==================  =========================================
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from parcours.model.base import Id, Model


class LaneKind(StrEnum):
    touchpoints = "touchpoints"
    actions = "actions"
    thoughts = "thoughts"
    emotions = "emotions"
    pain_points = "pain_points"
    opportunities = "opportunities"
    kpis = "kpis"
    backstage = "backstage"
    notes = "notes"
    metrics = "metrics"
    images = "images"


class Severity(StrEnum):
    """How bad a pain point is: a rupture is where the customer is lost."""

    irritant = "irritant"
    blocker = "blocker"
    rupture = "rupture"


class Priority(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


class OpportunityStatus(StrEnum):
    idea = "idea"
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


Text = Annotated[str, Field(min_length=1, max_length=4000)]


class Card(Model):
    """A piece of text on the map: an action, a thought, a backstage process, a note."""

    type: Literal["card"] = "card"
    text: Text
    detail: str | None = None


#: The emoji drawn for each score when the author gives none.
EMOJI_BY_SCORE = {-2: "😡", -1: "🙁", 0: "😐", 1: "🙂", 2: "😄"}


class Emotion(Model):
    """How the customer feels at a step: −2 (exasperated) … +2 (delighted)."""

    type: Literal["emotion"] = "emotion"
    score: int = Field(ge=-2, le=2)
    label: str | None = None
    emoji: str | None = None

    @property
    def shown_emoji(self) -> str:
        return self.emoji or EMOJI_BY_SCORE[self.score]


class PainPoint(Model):
    """An irritant, a blocker or a rupture, with the evidence behind it."""

    type: Literal["pain_point"] = "pain_point"
    text: Text
    severity: Severity = Severity.irritant
    evidence: str | None = None


class Opportunity(Model):
    """An improvement with an owner, a priority, a status, a due date and a value."""

    type: Literal["opportunity"] = "opportunity"
    text: Text
    owner: str | None = None
    priority: Priority = Priority.medium
    status: OpportunityStatus = OpportunityStatus.idea
    due: dt.date | None = None
    value: float | None = Field(default=None, ge=0)


class MetricKey(StrEnum):
    """What a measured figure is, for machines: its label comes from the words tables."""

    volume = "volume"  # events observing the step
    reach = "reach"  # cases that reach the step
    conversion = "conversion"  # share of the step's cases going on to the next step
    drop_off = "drop_off"  # share of the step's cases ending there
    median_time = "median_time"  # seconds to the next event, median
    csat = "csat"
    nps = "nps"
    ces = "ces"
    sentiment = "sentiment"  # mean sentiment score of the verbatims, −1 … +1
    emotion = "emotion"  # measured emotion on the map's scale, −2 … +2
    repeat_contacts = "repeat_contacts"


def _check_bounds(low: float | None, high: float | None) -> None:
    if low is not None and high is not None and low > high:
        raise ValueError(
            f"the lower bound {low:g} is above the upper bound {high:g}; swap 'low' and 'high'"
        )


class KpiValue(Model):
    """A KPI at a step: its definition (by id), the target and the measured value, with
    the number of observations ``n`` and the bounds ``low`` … ``high`` of its interval."""

    type: Literal["kpi"] = "kpi"
    kpi: Id
    target: float | None = None
    measured: float | None = None
    n: int | None = Field(default=None, ge=0)
    low: float | None = None
    high: float | None = None
    period: str | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _bounds_in_order(self) -> KpiValue:
        _check_bounds(self.low, self.high)
        return self


class Metric(Model):
    """A figure measured from data (volume, conversion, time, CSAT…): ``key`` says which,
    ``n`` on how many observations, ``low`` … ``high`` its interval."""

    type: Literal["metric"] = "metric"
    name: Text
    key: MetricKey | None = None
    value: float | None = None
    unit: str | None = None
    n: int | None = Field(default=None, ge=0)
    low: float | None = None
    high: float | None = None
    period: str | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _bounds_in_order(self) -> Metric:
        _check_bounds(self.low, self.high)
        return self


class Image(Model):
    """A picture: a path or URL relative to the map, with its alternative text."""

    type: Literal["image"] = "image"
    src: Text
    alt: str | None = None


Item = Annotated[
    Card | Emotion | PainPoint | Opportunity | KpiValue | Metric | Image,
    Field(discriminator="type"),
]

#: The item type each lane kind holds (touchpoints lanes hold no cells).
ITEM_TYPE: dict[LaneKind, type[Model]] = {
    LaneKind.actions: Card,
    LaneKind.thoughts: Card,
    LaneKind.backstage: Card,
    LaneKind.notes: Card,
    LaneKind.emotions: Emotion,
    LaneKind.pain_points: PainPoint,
    LaneKind.opportunities: Opportunity,
    LaneKind.kpis: KpiValue,
    LaneKind.metrics: Metric,
    LaneKind.images: Image,
}
