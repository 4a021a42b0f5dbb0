"""Reading what a journey's steps refer to (steps, links, touchpoints, KPIs) and what its
cells hold (cards, emotions, pain points, opportunities, KPI values, comments); mixed into
:class:`~parcours.fileformat.journey_reader.JourneyReader`."""

from __future__ import annotations

import itertools
from typing import Any

from parcours.fileformat import fields as F
from parcours.fileformat.source import Node, Problems, as_number, as_text, suggest
from parcours.limits import quote, refusal
from parcours.model.base import slugify
from parcours.model.items import (
    Card,
    Emotion,
    Image,
    KpiValue,
    LaneKind,
    Metric,
    MetricKey,
    Opportunity,
    OpportunityStatus,
    PainPoint,
    Priority,
    Severity,
)
from parcours.model.journey import Comment, Lane, Link, Step
from parcours.model.library import KpiDefinition, Library, Touchpoint


class ItemReader:
    """References and cells, read with the journey reader's state."""

    problems: Problems
    workspace_library: Library
    library: dict[str, list[Any]]  # the journey's own entries, by kind
    where: dict[tuple[str, ...], Node]
    cards: int
    all_steps: dict[str, Step]
    steps_by_name: dict[str, list[str]]

    # -- references --------------------------------------------------------------------------
    def _step_ref(self, node: Node, what: str) -> str | None:
        ref = as_text(node, self.problems, what)
        if ref is None:
            return None
        if ref in self.all_steps:
            return ref
        by_name = self.steps_by_name.get(ref, [])
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            self.problems.add(
                node,
                f"'{ref}' ({what}) names {len(by_name)} steps; use one of their ids: {', '.join(by_name)}",
            )
            return None
        some = ", ".join(itertools.islice(self.all_steps, 15))
        close = suggest(ref, self.all_steps) if len(self.all_steps) <= 2_000 else ""
        self.problems.add(
            node,
            f"{quote(ref)} ({what}) is not a step id or name; expected one of: {some}{close}",
        )
        return None

    def _links(self, node: Node, what: str) -> list[Link]:
        p = self.problems
        links = []
        for item in as_list(node, p, f"'next' of {what}"):
            if item.is_scalar:
                target = self._step_ref(item, f"the next step of {what}")
                if target:
                    links.append(Link(to=target))
                continue
            spec = {"to": F.KEEP, "label": F.TEXT, "share": share}
            values, nodes = F.read_mapping(item, p, spec, f"a way out of {what}", required=("to",))
            if "to" not in nodes:
                continue
            target = self._step_ref(nodes["to"], f"the next step of {what}")
            if target is None:
                continue
            values["to"] = target
            link = F.build(Link, values, nodes, item, p, f"the way from {what} to '{target}'")
            if link is not None:
                links.append(link)
        return links

    def _touchpoint_ref(self, node: Node, what: str) -> str | None:
        ref = as_text(node, self.problems, f"a touchpoint of {what}")
        if ref is None:
            return None
        for entries in (self.library["touchpoints"], self.workspace_library.touchpoints):
            for tp in entries:
                if ref == tp.id:
                    return str(tp.id)
            for tp in entries:
                if ref.casefold() == tp.name.casefold():
                    return str(tp.id)
        # a new touchpoint of this map, named by the step
        new_id = slugify(ref, fallback="touchpoint")
        touchpoint = F.build(
            Touchpoint,
            {"id": new_id, "name": ref},
            {},
            node,
            self.problems,
            f"a touchpoint of {what}",
        )
        if touchpoint is None:
            return None
        self.library["touchpoints"].append(touchpoint)
        self.where[("touchpoint", new_id)] = node
        return new_id

    def _kpi_ref(self, node: Node, what: str, unit: str | None) -> str | None:
        ref = as_text(node, self.problems, f"the KPI of {what}")
        if ref is None:
            return None
        for entries in (self.library["kpis"], self.workspace_library.kpis):
            for kpi in entries:
                if ref == kpi.id or ref.casefold() == kpi.name.casefold():
                    return str(kpi.id)
        new_id = slugify(ref, fallback="kpi")
        kpi = F.build(  # named, not defined: its direction is unknown
            KpiDefinition,
            {"id": new_id, "name": ref, "unit": unit, "higher_is_better": None},
            {},
            node,
            self.problems,
            f"the KPI of {what}",
        )
        if kpi is None:
            return None
        self.library["kpis"].append(kpi)
        return new_id

    # -- cells -------------------------------------------------------------------------------
    def _items(self, lane: Lane, node: Node, what: str) -> list[Any]:
        p = self.problems
        where = f"'{lane.id}' of {what}"
        if lane.kind == LaneKind.touchpoints:
            p.add(
                node,
                f"lane '{lane.id}' shows the step's touchpoints; write 'touchpoints: [...]' on the step instead",
            )
            return []
        if lane.kind == LaneKind.emotions:
            emotion = self._emotion(node, where)
            return [emotion] if emotion else []
        if node.is_null:
            return []
        items = node.items() if node.is_seq else [node]
        self.cards += len(items)
        if self.cards > p.limits.max_cards:
            if self.cards - len(items) <= p.limits.max_cards:  # say it once
                p.add(node, refusal("max_cards", None, "the journey", p.limits))
            return []
        out = []
        for item in items:
            value = self._item(lane.kind, item, where)
            if value is not None:
                out.append(value)
        return out

    def _emotion(self, node: Node, what: str) -> Emotion | None:
        p = self.problems
        if node.is_null:
            return None
        if node.is_scalar:
            score = F.INT(node, p, f"the emotion score of {what} (−2 … +2)")
            values: dict[str, Any] = {"score": score}
            nodes = {"score": node}
            if score is None:
                return None
        else:
            spec = {"score": F.INT, "label": F.TEXT, "emoji": F.TEXT}
            values, nodes = F.read_mapping(
                node, p, spec, f"the emotion of {what}", required=("score",)
            )
            if "score" not in values:
                return None
        if not -2 <= values["score"] <= 2:
            p.add(nodes["score"], f"emotion {values['score']:+d} at {what} is out of range; "
                                  "use a score from -2 (exasperated) to +2 (delighted)")  # fmt: skip
            return None
        return F.build(Emotion, values, nodes, node, p, f"the emotion of {what}")

    def _item(self, kind: LaneKind, node: Node, what: str) -> Any:
        p = self.problems
        model: Any
        if kind in (LaneKind.actions, LaneKind.thoughts, LaneKind.backstage, LaneKind.notes):
            model, spec, first = Card, {"text": F.TEXT, "detail": F.TEXT}, "text"
        elif kind == LaneKind.pain_points:
            model, spec, first = (
                PainPoint,
                {"text": F.TEXT, "severity": F.choice(Severity), "evidence": F.TEXT},
                "text",
            )
        elif kind == LaneKind.opportunities:
            model, first = Opportunity, "text"
            spec = {"text": F.TEXT, "owner": F.TEXT, "priority": F.choice(Priority),
                    "status": F.choice(OpportunityStatus), "due": F.DATE, "value": F.NUMBER}  # fmt: skip
        elif kind == LaneKind.images:
            model, spec, first = Image, {"src": F.TEXT, "alt": F.TEXT}, "src"
        elif kind == LaneKind.metrics:
            model, first = Metric, "name"
            spec = {"name": F.TEXT, "key": F.choice(MetricKey), "value": F.NUMBER,
                    "unit": F.TEXT, "n": F.INT, "low": F.NUMBER, "high": F.NUMBER,
                    "period": F.TEXT, "source": F.TEXT}  # fmt: skip
        else:  # kpis
            return self._kpi_value(node, what)
        if node.is_scalar:
            values, nodes = {first: node.text()}, {first: node}
        else:
            values, nodes = F.read_mapping(node, p, spec, f"an item of {what}", required=(first,))
            if first not in values:
                return None
        return F.build(model, values, nodes, node, p, f"an item of {what}")

    def _kpi_value(self, node: Node, what: str) -> KpiValue | None:
        p = self.problems
        spec = {"kpi": F.KEEP, "target": F.NUMBER, "measured": F.NUMBER, "n": F.INT,
                "low": F.NUMBER, "high": F.NUMBER, "period": F.TEXT, "source": F.TEXT}  # fmt: skip
        values, nodes = F.read_mapping(node, p, spec, f"a KPI of {what}", required=("kpi",))
        if "kpi" not in nodes:
            return None
        unit = None
        for key in ("target", "measured", "low", "high"):
            if key in nodes and nodes[key].is_scalar and nodes[key].text().strip().endswith("%"):
                unit = "%"
        kpi = self._kpi_ref(nodes["kpi"], what, unit)
        if kpi is None:
            return None
        values["kpi"] = kpi
        return F.build(KpiValue, values, nodes, node, p, f"a KPI of {what}")

    def _comments(self, node: Node) -> list[Comment]:
        p = self.problems
        out = []
        spec = {"id": F.TEXT, "text": F.TEXT, "author": F.TEXT, "at": F.DATETIME, "step": F.KEEP,
                "lane": F.TEXT, "resolved": F.BOOL}  # fmt: skip
        for n, item in enumerate(as_list(node, p, "'comments'"), start=1):
            values, nodes = F.read_mapping(item, p, spec, "a comment", required=("text",))
            values.setdefault("id", f"c{n}")
            if "step" in nodes:
                values["step"] = self._step_ref(nodes["step"], "the step of a comment")
            comment = F.build(Comment, values, nodes, item, p, f"comment '{values['id']}'")
            if comment is not None:
                self.where[("comment", comment.id)] = item
                out.append(comment)
        return out


def share(node: Node, problems: Problems, what: str) -> float | None:
    value = as_number(node, problems, what)
    if value is None:
        return None
    if node.is_scalar and node.text().strip().endswith("%"):
        value /= 100
    if not 0 <= value <= 1:
        problems.add(node, f"{what} is {node.text()}; write a share from 0 to 1, or 0% to 100%")
        return None
    return value


def as_list(node: Node, problems: Problems, what: str) -> list[Node]:
    if node.is_null:
        return []
    if node.is_seq:
        return node.items()
    if node.is_scalar:
        return [node]
    problems.add(node, f"{what} should be a list, not {node.kind()}")
    return []


def named(node: Node, problems: Problems, what: str) -> tuple[str | None, Node | None]:
    """``- Name`` or ``- Name: body``: the name and the body."""
    if node.is_scalar and not node.is_null:
        return node.text(), None
    if node.is_map:
        pairs = node.pairs()
        if len(pairs) == 1:
            return pairs[0][0], pairs[0][2]
        keys = ", ".join(k for k, _, _ in pairs[:4])
        problems.add(node, f"{what} should be written '- Name: …' with a single name, but it has "
                           f"{len(pairs)} keys ({keys}); check the indentation of the lines below its name")  # fmt: skip
        return None, None
    problems.add(node, f"{what} should be a name ('- Name' or '- Name: …'), not {node.kind()}")
    return None, None
