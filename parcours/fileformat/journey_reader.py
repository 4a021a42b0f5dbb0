"""Reading a journey document (YAML or JSON nodes) into a :class:`Journey`."""

from __future__ import annotations

import itertools
from typing import Any

from parcours.errors import Problem
from parcours.fileformat import fields as F
from parcours.fileformat.phases import infer_phase
from parcours.fileformat.source import Node, Problems, as_number, as_text, suggest
from parcours.limits import quote, refusal
from parcours.model.base import ID_PATTERN, slugify
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
from parcours.model.journey import (
    Comment,
    Evidence,
    Journey,
    JourneyValue,
    Lane,
    Link,
    PathDef,
    Phase,
    Stage,
    State,
    Status,
    Step,
)
from parcours.model.library import Channel, ChannelKind, KpiDefinition, Library, Touchpoint
from parcours.model.validation import journey_problems

FORMAT_VERSION = 1
STEP_FIELDS = ("id", "description", "touchpoints", "moment_of_truth", "observed_as", "path",
               "next", "end")  # fmt: skip
HEADER = (
    "parcours", "journey", "id", "lang", "currency", "persona", "personas", "scope", "description", "state",
    "evidence", "status", "owner", "reviewed", "value", "tags", "lanes", "paths", "entries",
    "channels", "touchpoints", "kpis", "stages", "comments",
)  # fmt: skip
CHANNEL_SPEC = {"id": F.TEXT, "name": F.TEXT, "kind": F.choice(ChannelKind), "icon": F.TEXT}
TOUCHPOINT_SPEC = {"id": F.TEXT, "name": F.TEXT, "channel": F.TEXT, "description": F.TEXT,
                   "owner": F.TEXT}  # fmt: skip
KPI_SPEC = {"id": F.TEXT, "name": F.TEXT, "unit": F.TEXT, "higher_is_better": F.BOOL,
            "description": F.TEXT, "target": F.NUMBER}  # fmt: skip


def check_version(node: Node, problems: Problems) -> None:
    if node.is_null:
        return
    value = node.value() if node.is_scalar else None
    if value == FORMAT_VERSION:
        return
    if isinstance(value, int) and value > FORMAT_VERSION:
        problems.add(node, f"this file is in format version {value}, newer than this parcours "
                           f"reads ({FORMAT_VERSION}); upgrade parcours")  # fmt: skip
    else:
        problems.add(
            node, f"unknown format version {node.kind()}; write 'parcours: {FORMAT_VERSION}'"
        )


def top_keys(
    root: Node, problems: Problems, allowed: tuple[str, ...], what: str
) -> dict[str, tuple[Node, Node]]:
    """The keys of a document's top mapping; unknown ones and a bad version are reported."""
    keys = {key: (key_node, value) for key, key_node, value in root.pairs()}
    for key, (key_node, _) in keys.items():
        if key not in allowed:
            problems.add(
                key_node,
                f"unknown key {quote(key)} in {what}; expected one of: "
                f"{', '.join(allowed)}{suggest(key, allowed)}",
            )
    if "parcours" in keys:
        check_version(keys["parcours"][1], problems)
    return keys


def read_library_entries(
    node: Node, problems: Problems, kind: str
) -> tuple[list[Any], dict[str, Node]]:
    """``channels:``, ``touchpoints:`` or ``kpis:``: names alone or mappings."""
    model: Any
    model, spec = {
        "channels": (Channel, CHANNEL_SPEC),
        "touchpoints": (Touchpoint, TOUCHPOINT_SPEC),
        "kpis": (KpiDefinition, KPI_SPEC),
    }[kind]
    entries: list[Any] = []
    where: dict[str, Node] = {}
    if node.is_null:
        return entries, where
    if not node.is_seq:
        problems.add(node, f"'{kind}' should be a list, not {node.kind()}")
        return entries, where
    singular = {"channels": "channel", "touchpoints": "touchpoint", "kpis": "KPI"}[kind]
    for item in node.items():
        if item.is_scalar:
            name = item.text()
            values: dict[str, Any] = {"id": slugify(name), "name": name}
            nodes: dict[str, Node] = {}
        else:
            values, nodes = F.read_mapping(
                item, problems, spec, f"a {singular}", required=("name",)
            )
            if "name" in values and "id" not in values:
                values["id"] = slugify(values["name"])
        entry = F.build(
            model, values, nodes, item, problems, f"{singular} '{values.get('name', '?')}'"
        )
        if entry is not None:
            entries.append(entry)
            where[entry.id] = item
    return entries, where


class JourneyReader:
    """Reads one journey document; every problem is collected with its position."""

    def __init__(
        self,
        problems: Problems,
        *,
        workspace_library: Library | None = None,
        personas: set[str] | None = None,
    ) -> None:
        self.problems = problems
        self.workspace_library = workspace_library or Library()
        self.personas = personas
        self.where: dict[tuple[str, ...], Node] = {}
        self.cards = 0

    # -- entry point -------------------------------------------------------------------------
    def read(self, root: Node, *, top_level: bool = True) -> Journey | None:
        p = self.problems
        if not root.is_map:
            p.add(
                root,
                f"a journey should be a mapping starting with 'journey: <title>', not {root.kind()}",
            )
            return None
        keys = top_keys(root, p, HEADER, "the journey")
        if "journey" not in keys:
            p.add(root, "the journey has no title; add 'journey: <title>' at the top")
        data: dict[str, Any] = {}
        self.where[("journey",)] = root

        def get(key: str) -> Node | None:
            return keys[key][1] if key in keys else None

        title_node = get("journey")
        title = as_text(title_node, p, "the title ('journey')") if title_node is not None else None
        data["title"] = title or "?"
        for key, reader in (
            ("id", F.TEXT), ("lang", F.TEXT), ("currency", F.CURRENCY), ("scope", F.TEXT), ("description", F.TEXT),
            ("state", F.choice(State)), ("evidence", F.choice(Evidence)),
            ("status", F.choice(Status)), ("owner", F.TEXT), ("reviewed", F.DATE),
            ("tags", F.TEXTS),
        ):  # fmt: skip
            node = get(key)
            if node is not None:
                value = reader(node, p, f"'{key}'")
                if value is not None:
                    data[key] = value
        data.setdefault("id", slugify(data["title"], fallback="journey"))
        if get("persona") is not None and get("personas") is not None:
            p.add(keys["personas"][0], "give either 'persona' or 'personas', not both")
        personas_node = get("personas") or get("persona")
        if personas_node is not None:
            data["personas"] = F.TEXTS(personas_node, p, "'personas'")
            self.where[("journey", "personas")] = personas_node
        if get("value") is not None:
            spec = {"customer": F.NUMBER, "business": F.NUMBER, "effort": F.NUMBER}
            values, nodes = F.read_mapping(get("value"), p, spec, "'value'")  # type: ignore[arg-type]
            value = F.build(JourneyValue, values, nodes, get("value"), p, "'value'")  # type: ignore[arg-type]
            if value is not None:
                data["value"] = value

        # the map's own library
        library: dict[str, list[Any]] = {"channels": [], "touchpoints": [], "kpis": []}
        for kind in library:
            node = get(kind)
            if node is not None:
                entries, where = read_library_entries(node, p, kind)
                library[kind] = entries
                singular = {"channels": "channel", "touchpoints": "touchpoint", "kpis": "kpi"}[kind]
                for entry_id, entry_node in where.items():
                    self.where[(singular, entry_id)] = entry_node
        self.library = library

        self.lanes = self._lanes(get("lanes"))
        self.paths = self._paths(get("paths"))
        stages = self._stages(get("stages"))
        data["lanes"] = self.lanes if self.lanes is not None else self._inferred_lanes()
        self._check_lane_ids(data["lanes"])
        data["paths"] = self.paths
        cells = self._resolve_steps(stages, data["lanes"])
        data["stages"] = stages
        data["cells"] = cells
        entries_node = get("entries")
        if entries_node is not None:
            self.where[("journey", "entries")] = entries_node
            data["entries"] = [
                self._step_ref(n, "an entry step") or "?"
                for n in _as_list(entries_node, p, "'entries'")
            ]
        if get("comments") is not None:
            data["comments"] = self._comments(get("comments"))  # type: ignore[arg-type]
        data["library"] = Library(
            channels=library["channels"], touchpoints=library["touchpoints"], kpis=library["kpis"]
        )
        if p.errors:
            return None
        try:
            journey = Journey.model_validate(data, context={"defer_checks": True})
        except Exception as exc:  # a value slipped past the field readers
            p.add(root, f"the journey is not valid: {exc}")
            return None
        self.report_model_problems(
            journey_problems(journey, library=self.workspace_library, personas=self.personas)
        )
        return journey

    def report_model_problems(self, problems: list[Problem]) -> None:
        for problem in problems:
            node = self.locate(problem.where)
            self.problems.add(node, problem.message, problem.severity)

    def locate(self, where: tuple[str, ...]) -> Node | None:
        for n in range(len(where), 0, -1):
            node = self.where.get(where[:n])
            if node is not None:
                return node
        return self.where.get(("journey",))

    # -- lanes and paths ---------------------------------------------------------------------
    def _lanes(self, node: Node | None) -> list[Lane] | None:
        if node is None:
            return None
        p = self.problems
        lanes: list[Lane] = []
        kinds = [k.value for k in LaneKind]
        items = _as_list(node, p, "'lanes'")
        if len(items) > p.limits.max_lanes:
            p.add(node, refusal("max_lanes", len(items), "the journey", p.limits))
            return []
        for item in items:
            if item.is_scalar:
                kind = item.text()
                if kind not in kinds:
                    p.add(
                        item,
                        f"unknown lane kind {quote(kind)}; expected one of: "
                        f"{', '.join(kinds)}{suggest(kind, kinds)}",
                    )
                    continue
                lane = Lane(id=kind, kind=LaneKind(kind))
            else:
                spec = {
                    "id": F.TEXT,
                    "kind": F.choice(LaneKind),
                    "title": F.TEXT,
                    "visible": F.BOOL,
                }
                values, nodes = F.read_mapping(item, p, spec, "a lane", required=("kind",))
                if "kind" not in values:
                    continue
                values.setdefault("id", values["kind"])
                lane = F.build(Lane, values, nodes, item, p, f"lane '{values['id']}'")
                if lane is None:
                    continue
            self.where[("lane", lane.id)] = item
            lanes.append(lane)
        return lanes

    def _check_lane_ids(self, lanes: list[Lane]) -> None:
        for lane in lanes:
            if lane.kind == LaneKind.touchpoints and lane.id == "touchpoints":
                continue
            if lane.id in STEP_FIELDS or lane.id == "emotion":
                self.problems.add(self.where.get(("lane", lane.id)),
                                  f"lane id '{lane.id}' is reserved for a step field; choose another id")  # fmt: skip

    def _paths(self, node: Node | None) -> list[PathDef]:
        if node is None:
            return []
        p = self.problems
        out = []
        for item in _as_list(node, p, "'paths'"):
            if item.is_scalar:
                values: dict[str, Any] = {"id": slugify(item.text()), "name": item.text()}
                nodes: dict[str, Node] = {}
            else:
                spec = {"id": F.TEXT, "name": F.TEXT, "description": F.TEXT}
                values, nodes = F.read_mapping(item, p, spec, "a path", required=("name",))
                if "name" not in values:
                    continue
                values.setdefault("id", slugify(values["name"]))
            path = F.build(PathDef, values, nodes, item, p, f"path '{values.get('name')}'")
            if path is not None:
                self.where[("path", path.id)] = item
                out.append(path)
        return out

    # -- stages and steps --------------------------------------------------------------------
    def _stages(self, node: Node | None) -> list[Stage]:
        p = self.problems
        self.step_nodes: list[tuple[Step, Node, dict[str, tuple[Node, Node]]]] = []
        if node is None:
            return []
        stages: list[Stage] = []
        raw_stages: list[tuple[str, Node, dict[str, Any], list[Node]]] = []
        for item in _as_list(node, p, "'stages'"):
            name, body = _named(item, p, "a stage")
            if name is None:
                continue
            info: dict[str, Any] = {}
            step_list: list[Node] = []
            if body is None or body.is_null:
                pass
            elif body.is_seq:
                step_list = body.items()
            elif body.is_map:
                spec = {
                    "id": F.TEXT,
                    "phase": F.choice(Phase),
                    "description": F.TEXT,
                    "steps": F.KEEP,
                }
                info, nodes = F.read_mapping(body, p, spec, f"stage '{name}'")
                info["phase_given"] = "phase" in nodes  # `phase: null`: deliberately none
                if "steps" in nodes:
                    step_list = _as_list(nodes["steps"], p, f"the steps of stage '{name}'")
            else:
                p.add(body, f"stage '{name}' should hold a list of steps, not {body.kind()}")
            raw_stages.append((name, item, info, step_list))
        limits = p.limits
        if len(raw_stages) > limits.max_stages:
            p.add(node, refusal("max_stages", len(raw_stages), "the journey", limits))
            return []
        total = sum(len(step_list) for _, _, _, step_list in raw_stages)
        if total > limits.max_steps:
            p.add(node, refusal("max_steps", total, "the journey", limits))
            return []

        # ids: explicit ones first, then derived from names in document order
        stage_taken = {info["id"] for _, _, info, _ in raw_stages if "id" in info}
        raw_steps: list[list[tuple[str | None, Node | None, Node]]] = []
        for _, _, _, step_list in raw_stages:
            raw_steps.append([(*_named(s, p, "a step"), s) for s in step_list])
        step_taken: set[str] = set()
        counters: dict[str, int] = {}
        explicit: dict[int, str] = {}
        for steps in raw_steps:
            for name, body, item in steps:
                if name is not None and body is not None and body.is_map:
                    for key, _, value in body.pairs():
                        if key == "id" and value.is_scalar:
                            explicit[id(item)] = value.text()
                            step_taken.add(value.text())
        for (name, item, info, _), steps in zip(raw_stages, raw_steps, strict=True):
            stage_id = info.get("id") or _unique(
                slugify(name, fallback="stage"), stage_taken, counters
            )
            stage_taken.add(stage_id)
            phase = info.get("phase") if info.get("phase_given") else infer_phase(name)
            stage_steps = []
            for step_name, body, step_item in steps:
                if step_name is None:
                    continue
                step_id = explicit.get(id(step_item)) or _unique(
                    slugify(step_name, fallback="step"), step_taken, counters
                )
                step_taken.add(step_id)
                step = self._step(step_id, step_name, body, step_item)
                if step is not None:
                    stage_steps.append(step)
            stage = F.build(
                Stage,
                {"id": stage_id, "name": name, "phase": phase, "description": info.get("description"),
                 "steps": stage_steps},
                {}, item, p, f"stage '{name}'",
            )  # fmt: skip
            if stage is not None:
                self.where[("stage", stage.id)] = item
                stages.append(stage)
        return stages

    def _step(self, step_id: str, name: str, body: Node | None, item: Node) -> Step | None:
        p = self.problems
        what = f"step '{name}'"
        values: dict[str, Any] = {"id": step_id, "name": name}
        cells: dict[str, tuple[Node, Node]] = {}
        nodes: dict[str, Node] = {}
        if body is not None and not body.is_null:
            if not body.is_map:
                p.add(
                    body, f"{what} should hold a mapping of its fields and cells, not {body.kind()}"
                )
                return None
            for key, key_node, value in body.pairs():
                nodes[key] = value
                if key == "id":
                    continue
                if key in ("description", "path"):
                    values[key] = as_text(value, p, f"'{key}' of {what}")
                elif key in ("moment_of_truth", "end"):
                    values[key] = F.BOOL(value, p, f"'{key}' of {what}")
                elif key == "observed_as":
                    values[key] = F.TEXTS(value, p, f"'observed_as' of {what}")
                elif key in ("touchpoints", "next"):
                    pass  # resolved once every step and touchpoint is known
                else:
                    cells[key] = (key_node, value)
        values = {k: v for k, v in values.items() if v is not None}
        step = F.build(Step, values, nodes, item, p, what)
        if step is None:
            return None
        self.where[("step", step_id)] = item
        for key, node in nodes.items():
            self.where[("step", step_id, key)] = node
        self.step_nodes.append(
            (
                step,
                item,
                {**cells, **{k: (n, n) for k, n in nodes.items() if k in ("touchpoints", "next")}},
            )
        )
        return step

    def _inferred_lanes(self) -> list[Lane]:
        used: set[str] = (
            {"touchpoints"} if any("touchpoints" in c for _, _, c in self.step_nodes) else set()
        )
        for _, _, cells in self.step_nodes:
            for key in cells:
                kind = "emotions" if key == "emotion" else key
                if kind in LaneKind.__members__:
                    used.add(kind)
        return [Lane(id=k.value, kind=k) for k in LaneKind if k.value in used]

    def _resolve_steps(
        self, stages: list[Stage], lanes: list[Lane]
    ) -> dict[str, dict[str, list[Any]]]:
        p = self.problems
        lanes_by_id = {lane.id: lane for lane in lanes}
        self.all_steps = {s.id: s for st in stages for s in st.steps}
        self.steps_by_name: dict[str, list[str]] = {}
        for step in self.all_steps.values():
            self.steps_by_name.setdefault(step.name, []).append(step.id)
        cells: dict[str, dict[str, list[Any]]] = {}
        for step, _item, entries in self.step_nodes:
            what = f"step '{step.name}'"
            for key, (key_node, value) in entries.items():
                if key == "touchpoints":
                    step.touchpoints = [
                        t
                        for t in (
                            self._touchpoint_ref(n, what)
                            for n in _as_list(value, p, f"'touchpoints' of {what}")
                        )
                        if t
                    ]
                    continue
                if key == "next":
                    step.next = self._links(value, what)
                    continue
                lane_id = "emotions" if key == "emotion" and "emotion" not in lanes_by_id else key
                lane = lanes_by_id.get(lane_id)
                if lane is None:
                    choices = [*STEP_FIELDS[1:], *lanes_by_id]
                    hint = suggest(key, choices)
                    if key in LaneKind.__members__ or key == "emotion":
                        p.add(
                            key_node,
                            f"{what} fills lane '{lane_id}', which is not in 'lanes:'; add it there",
                        )
                    else:
                        p.add(key_node, f"unknown key '{key}' in {what}; expected a step field "
                                        f"({', '.join(STEP_FIELDS[1:])}) or a lane id "
                                        f"({', '.join(lanes_by_id) or 'none declared'}){hint}")  # fmt: skip
                    continue
                items = self._items(lane, value, what)
                if items:
                    cells.setdefault(lane.id, {})[step.id] = items
                    self.where[("cell", lane.id, step.id)] = value
        return cells

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
        for item in _as_list(node, p, f"'next' of {what}"):
            if item.is_scalar:
                target = self._step_ref(item, f"the next step of {what}")
                if target:
                    links.append(Link(to=target))
                continue
            spec = {"to": F.KEEP, "label": F.TEXT, "share": _share}
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
        for n, item in enumerate(_as_list(node, p, "'comments'"), start=1):
            values, nodes = F.read_mapping(item, p, spec, "a comment", required=("text",))
            values.setdefault("id", f"c{n}")
            if "step" in nodes:
                values["step"] = self._step_ref(nodes["step"], "the step of a comment")
            comment = F.build(Comment, values, nodes, item, p, f"comment '{values['id']}'")
            if comment is not None:
                self.where[("comment", comment.id)] = item
                out.append(comment)
        return out


def _share(node: Node, problems: Problems, what: str) -> float | None:
    value = as_number(node, problems, what)
    if value is None:
        return None
    if node.is_scalar and node.text().strip().endswith("%"):
        value /= 100
    if not 0 <= value <= 1:
        problems.add(node, f"{what} is {node.text()}; write a share from 0 to 1, or 0% to 100%")
        return None
    return value


def _as_list(node: Node, problems: Problems, what: str) -> list[Node]:
    if node.is_null:
        return []
    if node.is_seq:
        return node.items()
    if node.is_scalar:
        return [node]
    problems.add(node, f"{what} should be a list, not {node.kind()}")
    return []


def _named(node: Node, problems: Problems, what: str) -> tuple[str | None, Node | None]:
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


__all__ = ["ID_PATTERN", "JourneyReader", "check_version", "read_library_entries"]


def _unique(base: str, taken: set[str], counters: dict[str, int]) -> str:
    """``base``, or ``base-2``, ``base-3``…: the first free one, remembering where each base
    got to, so that thousands of steps of the same name stay linear."""
    if base not in taken:
        return base
    n = counters.get(base, 2)
    while f"{base}-{n}" in taken:
        n += 1
    counters[base] = n + 1
    return f"{base}-{n}"
