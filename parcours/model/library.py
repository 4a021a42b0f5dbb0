"""The shared library of a workspace: channels, touchpoints and KPI definitions."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from parcours.model.base import Id, Model, Name


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
    higher_is_better: bool = True
    description: str | None = None
    target: float | None = None  # default target where a step gives none

    def is_good(self, measured: float, target: float | None) -> bool | None:
        """True when ``measured`` meets the target, None when there is no target."""
        goal = self.target if target is None else target
        if goal is None:
            return None
        return measured >= goal if self.higher_is_better else measured <= goal


class Library(Model):
    """Channels, touchpoints and KPI definitions, shared by the journeys of a workspace."""

    channels: list[Channel] = Field(default_factory=list)
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    kpis: list[KpiDefinition] = Field(default_factory=list)
