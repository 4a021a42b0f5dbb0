"""The shared library of a workspace: channels, touchpoints and KPI definitions."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from pydantic import Field

from parcours.model.base import Id, Model, Name

if TYPE_CHECKING:
    from parcours.model.journey import Journey


class ChannelKind(StrEnum):
    digital = "digital"
    physical = "physical"
    human = "human"
    media = "media"
    other = "other"


class Channel(Model):
    """A channel through which customers and the company meet (web, shop, phone…)."""

    id: Id
    name: Name
    kind: ChannelKind = ChannelKind.other
    icon: str | None = None  # an icon name from the render icon set, or an emoji


class Touchpoint(Model):
    """A point of contact: a concrete place where the customer meets the company."""

    id: Id
    name: Name
    channel: Id | None = None
    description: str | None = None
    owner: str | None = None


class KpiDefinition(Model):
    """What a KPI means, its unit and which direction is good."""

    id: Id
    name: Name
    unit: str | None = None  # "%", "s", "€", "/10"…
    #: which direction is good; None when nobody said (a KPI a map names but does not
    #: define): it is then drawn neutral, neither on nor off target
    higher_is_better: bool | None = True
    description: str | None = None
    target: float | None = None  # default target where a step gives none

    def is_good(self, measured: float, target: float | None) -> bool | None:
        """True when ``measured`` meets the target; None when there is no target or the
        good direction is unknown."""
        goal = self.target if target is None else target
        if goal is None or self.higher_is_better is None:
            return None
        return measured >= goal if self.higher_is_better else measured <= goal


class Library(Model):
    """Channels, touchpoints and KPI definitions, shared by the journeys of a workspace."""

    channels: list[Channel] = Field(default_factory=list)
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    kpis: list[KpiDefinition] = Field(default_factory=list)

    def merged(self, over: Library) -> Library:
        """This library with ``over``'s entries on top: an entry of ``over`` replaces the one
        with its id in place, the others are added after (a workspace's library with a
        journey's own definitions on top: ``workspace.merged(journey.library)``)."""
        return Library.model_construct(
            channels=_merge(self.channels, over.channels),
            touchpoints=_merge(self.touchpoints, over.touchpoints),
            kpis=_merge(self.kpis, over.kpis),
        )

    def completed_from(self, shared: Library, journey: Journey) -> Library:
        """This (a journey's own) library, followed by the entries of ``shared`` that
        ``journey`` uses and this one lacks: what a journey needs to stand alone."""
        used_tp = {t for step in journey.steps() for t in step.touchpoints}
        used_kpi = {
            getattr(item, "kpi", None)
            for row in journey.cells.values()
            for items in row.values()
            for item in items
        }
        have_tp = {t.id for t in self.touchpoints}
        touchpoints = [t for t in shared.touchpoints if t.id in used_tp and t.id not in have_tp]
        used_ch = {t.channel for t in [*self.touchpoints, *touchpoints] if t.channel}
        have_ch = {c.id for c in self.channels}
        channels = [c for c in shared.channels if c.id in used_ch and c.id not in have_ch]
        have_kpi = {k.id for k in self.kpis}
        kpis = [k for k in shared.kpis if k.id in used_kpi and k.id not in have_kpi]
        if not (touchpoints or channels or kpis):
            return self
        return Library(
            channels=[*self.channels, *channels],
            touchpoints=[*self.touchpoints, *touchpoints],
            kpis=[*self.kpis, *kpis],
        )


_Entry = TypeVar("_Entry", Channel, Touchpoint, KpiDefinition)


def _merge(first: Sequence[_Entry], over: Sequence[_Entry]) -> list[_Entry]:
    by_id = {x.id: x for x in first}
    by_id.update({x.id: x for x in over})
    return list(by_id.values())
