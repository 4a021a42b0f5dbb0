"""What removing a step loses besides the step, so that the removal is undone exactly."""

from __future__ import annotations

from pydantic import Field

from parcours.model.base import Id, Model
from parcours.model.items import Item
from parcours.model.journey import Comment, Link, Step


class IncomingLink(Model):
    source: Id
    index: int
    link: Link


class StepSnapshot(Model):
    step: Step
    cells: dict[Id, list[Item]] = Field(default_factory=dict)  # lane id → items
    incoming: list[IncomingLink] = Field(default_factory=list)
    entry_index: int | None = None
    comments: list[tuple[int, Comment]] = Field(default_factory=list)
