"""Reading a journey document (YAML or JSON nodes) into a :class:`Journey`."""

from __future__ import annotations

from typing import Any

from parcours.errors import Problem
from parcours.fileformat import fields as F
from parcours.fileformat.header import document_keys, read_library_entries
from parcours.fileformat.journey_items import ItemReader, as_list, named
from parcours.fileformat.phases import infer_phase
from parcours.fileformat.source import Node, Problems, as_text, suggest
from parcours.limits import quote, refusal
from parcours.model.base import ID_PATTERN, slugify
from parcours.model.items import (
    LaneKind,
)
from parcours.model.journey import (
    Evidence,
    Journey,
    JourneyValue,
    Lane,
    PathDef,
    Phase,
    Stage,
    State,
    Status,
    Step,
)
from parcours.model.library import Library
from parcours.model.validation import journey_problems

STEP_FIELDS = ("id", "description", "touchpoints", "moment_of_truth", "observed_as", "path",
               "next", "end")  # fmt: skip
HEADER = (
    "parcours", "journey", "id", "lang", "currency", "persona", "personas", "scope", "description", "state",
    "evidence", "status", "owner", "reviewed", "value", "tags", "lanes", "paths", "entries",
    "channels", "touchpoints", "kpis", "stages", "comments",
)  # fmt: skip


class JourneyReader(ItemReader):
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
        keys = document_keys(root, p, HEADER, "journey", "title")
        if keys is None:
            return None
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
                for n in as_list(entries_node, p, "'entries'")
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
            self.problems.add_problem(node, problem)

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
        items = as_list(node, p, "'lanes'")
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
        for item in as_list(node, p, "'paths'"):
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
        for item in as_list(node, p, "'stages'"):
            name, body = named(item, p, "a stage")
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
                    step_list = as_list(nodes["steps"], p, f"the steps of stage '{name}'")
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
            raw_steps.append([(*named(s, p, "a step"), s) for s in step_list])
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
                            for n in as_list(value, p, f"'touchpoints' of {what}")
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


__all__ = ["ID_PATTERN", "JourneyReader"]


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
