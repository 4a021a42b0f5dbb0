"""The journey map: stages of steps (columns) × lanes (rows), cells, and the flow.

Linear maps need nothing but the order of their steps. Non-linear ones add:

* several **entry** steps (``Journey.entries``; empty means the first step);
* **named paths** (``Journey.paths``); a step on a path belongs to it (``Step.path``),
  a step on no path is shared by all of them (the trunk);
* explicit **links** (``Step.next``): alternative next steps, each with a label and, when
  known, the share of customers taking it; a link to an earlier step is a **loop**;
* explicit **ends** (``Step.end``: the customer leaves here, e.g. abandon or churn).

Without ``next``, a step leads to the following step of its own path, or of the trunk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import ConfigDict, Field, ValidationInfo, model_validator

from parcours.model import words
from parcours.model.base import Currency, Id, Model, Name
from parcours.model.items import Item, LaneKind
from parcours.model.library import Library
from parcours.model.views import Drawable

if TYPE_CHECKING:
    from parcours.model.operations import Operation


class Phase(StrEnum):
    """Lifecycle phase of a stage, from the first contact to the end of the relationship."""

    awareness = "awareness"
    consideration = "consideration"
    decision = "decision"
    purchase = "purchase"
    onboarding = "onboarding"
    usage = "usage"
    support = "support"
    loyalty = "loyalty"
    advocacy = "advocacy"
    end = "end"


class State(StrEnum):
    current = "current"
    future = "future"


class Evidence(StrEnum):
    hypothetical = "hypothetical"
    data_driven = "data-driven"
    mixed = "mixed"


class Status(StrEnum):
    draft = "draft"
    validated = "validated"
    archived = "archived"


class Link(Model):
    """One way out of a step: to another step, with a label and the share taking it."""

    to: Id
    label: str | None = None
    share: float | None = Field(default=None, ge=0, le=1)


class Step(Model):
    """A column of the map: one interaction of the customer with the company."""

    id: Id
    name: Name
    description: str | None = None
    touchpoints: list[Id] = Field(default_factory=list)
    moment_of_truth: bool = False
    observed_as: list[str] = Field(default_factory=list)  # event names that observe it
    path: Id | None = None
    next: list[Link] | None = None
    end: bool = False


class Stage(Model):
    """An ordered group of steps, in a lifecycle phase."""

    id: Id
    name: Name
    phase: Phase | None = None
    description: str | None = None
    steps: list[Step] = Field(default_factory=list)


class Lane(Model):
    """A row of the map, of one kind."""

    id: Id
    kind: LaneKind
    title: str | None = None
    visible: bool = True


class PathDef(Model):
    """A named path through the map ("parcours en ligne", "parcours en agence")."""

    id: Id
    name: Name
    description: str | None = None


class Comment(Model):
    id: Id
    text: str = Field(min_length=1)
    author: str | None = None
    at: dt.datetime | None = None
    step: Id | None = None
    lane: Id | None = None
    resolved: bool = False


class JourneyValue(Model):
    """How much the journey matters: customer and business value (0–100), effort."""

    customer: float | None = Field(default=None, ge=0, le=100)
    business: float | None = Field(default=None, ge=0, le=100)
    effort: float | None = Field(default=None, ge=0)


@dataclass(frozen=True)
class Edge:
    """A resolved way from one step to another; ``kind`` is next, branch or loop."""

    source: str
    target: str
    label: str | None
    share: float | None
    kind: str  # "next" | "branch" | "loop"
    explicit: bool


class Journey(Drawable, Model):
    """A customer journey map."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    id: Id
    title: Name
    lang: str | None = None
    currency: Currency | None = None
    personas: list[Id] = Field(default_factory=list)
    scope: str | None = None
    description: str | None = None
    state: State = State.current
    evidence: Evidence = Evidence.hypothetical
    status: Status = Status.draft
    owner: str | None = None
    value: JourneyValue | None = None
    tags: list[str] = Field(default_factory=list)
    reviewed: dt.date | None = None
    entries: list[Id] = Field(default_factory=list)
    paths: list[PathDef] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)
    lanes: list[Lane] = Field(default_factory=list)
    cells: dict[Id, dict[Id, list[Item]]] = Field(default_factory=dict)
    comments: list[Comment] = Field(default_factory=list)
    library: Library = Field(default_factory=Library)

    @model_validator(mode="after")
    def _check_invariants(self, info: ValidationInfo) -> Journey:
        if info.context and info.context.get("defer_checks"):
            return self
        from parcours.model.errors import InvalidJourney
        from parcours.model.validation import journey_problems

        # references to the library may point into the workspace: the atlas checks them
        errors = [p for p in journey_problems(self, references=False) if p.severity == "error"]
        if errors:
            raise InvalidJourney(errors)
        return self

    # -- lookups -------------------------------------------------------------------------
    def steps(self) -> list[Step]:
        """Every step, in document order (stage by stage)."""
        return [step for stage in self.stages for step in stage.steps]

    def iter_steps(self) -> Iterator[tuple[Stage, Step]]:
        for stage in self.stages:
            for step in stage.steps:
                yield stage, step

    def step(self, step_id: str) -> Step:
        for step in self.steps():
            if step.id == step_id:
                return step
        raise _not_found("step", step_id, [s.id for s in self.steps()])

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise _not_found("stage", stage_id, [s.id for s in self.stages])

    def stage_of(self, step_id: str) -> Stage:
        for stage, step in self.iter_steps():
            if step.id == step_id:
                return stage
        raise _not_found("step", step_id, [s.id for s in self.steps()])

    def lane(self, lane_id: str) -> Lane:
        for lane in self.lanes:
            if lane.id == lane_id:
                return lane
        raise _not_found("lane", lane_id, [lane.id for lane in self.lanes])

    def lanes_of(self, kind: LaneKind | str) -> list[Lane]:
        return [lane for lane in self.lanes if lane.kind == kind]

    def cell(self, lane_id: str, step_id: str) -> list[Any]:
        """The items of a cell (an empty list when the cell is empty)."""
        return list(self.cells.get(lane_id, {}).get(step_id, []))

    def language(self, default: str | None = None) -> str:
        """The language of the map's words (``fr``, ``en``): its ``lang``, else ``default``
        (its workspace's), else the one its own text is written in, else English."""
        if self.lang or default:
            return words.language(self.lang, default)
        texts = [self.title, *(s.name for s in self.stages), *(s.name for s in self.steps())]
        cards = (item for row in self.cells.values() for items in row.values() for item in items)
        texts += [text for item in cards if isinstance(text := getattr(item, "text", None), str)]
        return words.detect(texts) or words.DEFAULT

    def library_in(self, workspace: Library | None) -> Library:
        """The library this journey sees: its workspace's, with its own entries on top."""
        return self.library if workspace is None else workspace.merged(self.library)

    # -- flow ----------------------------------------------------------------------------
    def entry_steps(self) -> list[str]:
        """The steps a customer can start at (the first step when none are named)."""
        if self.entries:
            return list(self.entries)
        steps = self.steps()
        return [steps[0].id] if steps else []

    def implicit_next(self, step_id: str) -> str | None:
        """The following step of the same path, or of the trunk, in document order."""
        steps = self.steps()
        index = next(i for i, s in enumerate(steps) if s.id == step_id)
        path = steps[index].path
        for candidate in steps[index + 1 :]:
            if candidate.path is None or (path is not None and candidate.path == path):
                return candidate.id
        return None

    def successors(self, step_id: str) -> list[Link]:
        """Where a customer can go after a step: explicit links, or the implicit next."""
        step = self.step(step_id)
        if step.next is not None:
            return list(step.next)
        if step.end:
            return []
        following = self.implicit_next(step_id)
        return [Link(to=following)] if following else []

    def successor_map(self) -> dict[str, list[Link]]:
        """:meth:`successors` of every step at once, in one pass (linear in the steps)."""
        steps = self.steps()
        out: dict[str, list[Link]] = {}
        next_trunk: tuple[int, str] | None = None  # the nearest following step of no path
        next_in: dict[str, tuple[int, str]] = {}  # path -> its nearest following step
        for index in range(len(steps) - 1, -1, -1):
            step = steps[index]
            if step.next is not None:
                out.setdefault(step.id, list(step.next))
            elif step.end:
                out.setdefault(step.id, [])
            else:
                found = [c for c in (next_trunk, next_in.get(step.path or "")) if c is not None]
                if step.path is None:
                    found = [next_trunk] if next_trunk is not None else []
                following = min(found)[1] if found else None
                out.setdefault(step.id, [Link(to=following)] if following else [])
            if step.path is None:
                next_trunk = (index, step.id)
            else:
                next_in[step.path] = (index, step.id)
        return out

    def edges(self) -> list[Edge]:
        """Every way between steps, each marked next, branch or loop."""
        order = {s.id: i for i, s in enumerate(self.steps())}
        successors = self.successor_map()
        edges: list[Edge] = []
        for step in self.steps():
            links = successors[step.id]
            for link in links:
                if link.to not in order:
                    continue
                if order[link.to] <= order[step.id]:
                    kind = "loop"
                elif len(links) > 1:
                    kind = "branch"
                else:
                    kind = "next"
                edges.append(
                    Edge(step.id, link.to, link.label, link.share, kind, step.next is not None)
                )
        return edges

    def is_linear(self) -> bool:
        """True when the map is a plain sequence: no paths, branches, loops or extra entries."""
        return (
            not self.paths
            and len(self.entry_steps()) <= 1
            and all(s.next is None and not s.end for s in self.steps())
        )

    def reachable(self) -> set[str]:
        """The steps reachable from the entry steps."""
        seen: set[str] = set()
        successors = self.successor_map()
        todo = [s for s in self.entry_steps() if s in successors]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            todo.extend(link.to for link in successors[current] if link.to in successors)
        return seen

    def path_steps(self, path_id: str | None = None) -> list[Step]:
        """The steps a path goes through, in document order: the trunk plus its own steps.

        ``path_steps(None)`` is the trunk alone, or every step when there are no paths.
        """
        if path_id is None and not self.paths:
            return self.steps()
        if path_id is not None and path_id not in {p.id for p in self.paths}:
            raise _not_found("path", path_id, [p.id for p in self.paths])
        return [s for s in self.steps() if s.path is None or s.path == path_id]

    # -- editing -------------------------------------------------------------------------
    def apply(self, op: Operation, *, library: Library | None = None) -> Journey:
        """A new journey with ``op`` applied (this one is unchanged).

        ``library``: the shared library of the workspace, when the journey is edited in one.
        """
        from parcours.model.apply import apply

        result = apply(self, op, library=library)
        assert isinstance(result, Journey)
        return result

    def diff(self, other: Journey) -> list[Any]:
        """What changed from this journey to ``other`` (see :func:`parcours.diff`)."""
        from parcours.model.diff import diff

        return diff(self, other)


def _not_found(what: str, value: str, choices: list[str]) -> Exception:
    from parcours.model.errors import NotFound

    shown = ", ".join(choices[:12]) + (", …" if len(choices) > 12 else "")
    return NotFound(f"no {what} with id '{value}'; expected one of: {shown or '(none)'}")
