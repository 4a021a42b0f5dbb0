"""Writing a :class:`Journey` as a document that reads like the map.

The writer leaves out whatever the reader derives (ids equal to the name's slug, phases
inferred from the stage name, default values), so files stay terse and diffs small.
"""

from __future__ import annotations

from typing import Any

from parcours.fileformat.phases import infer_phase
from parcours.model.base import slugify, unique_id
from parcours.model.items import Emotion, KpiValue, LaneKind
from parcours.model.journey import Journey, Link
from parcours.model.library import Library


class Signed(int):
    """An emotion score, written with its sign (``+1``)."""


def _compact(model: Any, *, first: str | None = None, drop: tuple[str, ...] = ("type",)) -> Any:
    """A model as a mapping without defaults; a model with only ``first`` set, as that text."""
    data = model.model_dump(mode="json", exclude_defaults=True, exclude=set(drop))
    if first is not None and set(data) == {first}:
        return data[first]
    return data


def library_entries(entries: list[Any]) -> list[Any]:
    out = []
    for entry in entries:
        data = entry.model_dump(mode="json", exclude_defaults=True)
        if "higher_is_better" in data and data["higher_is_better"] is None:
            data.pop("higher_is_better")  # a KPI a map names but does not define
            if set(data) <= {"id", "name", "unit"}:
                continue  # the name in the cell says it all; read back the same
        if set(data) == {"id", "name"} and data["id"] == slugify(data["name"]):
            out.append(data["name"])
        else:
            if data.get("id") == slugify(data.get("name", "")):
                data.pop("id")
                data = {"name": data.pop("name"), **data}
            else:
                data = {"id": data.pop("id"), "name": data.pop("name"), **data}
            out.append(data)
    return out


def library_doc(library: Library) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    for kind in ("channels", "touchpoints", "kpis"):
        entries = getattr(library, kind)
        listed = library_entries(entries)
        if listed:
            doc[kind] = listed
    return doc


def journey_to_doc(
    journey: Journey, *, top_level: bool = True, workspace: Library | None = None
) -> dict[str, Any]:
    """The document of a journey (plain data: dict, list, str, numbers, dates)."""
    doc: dict[str, Any] = {}
    if top_level:
        doc["parcours"] = 1
    doc["journey"] = journey.title
    if journey.id != slugify(journey.title, fallback="journey"):
        doc["id"] = journey.id
    if journey.lang:
        doc["lang"] = journey.lang
    if journey.currency:
        doc["currency"] = journey.currency
    if len(journey.personas) == 1:
        doc["persona"] = journey.personas[0]
    elif journey.personas:
        doc["personas"] = list(journey.personas)
    for key in ("scope", "description"):
        if getattr(journey, key):
            doc[key] = getattr(journey, key)
    doc["state"] = journey.state.value
    doc["evidence"] = journey.evidence.value
    doc["status"] = journey.status.value
    if journey.owner:
        doc["owner"] = journey.owner
    if journey.reviewed:
        doc["reviewed"] = journey.reviewed
    if journey.value is not None:
        doc["value"] = journey.value.model_dump(mode="json", exclude_none=True)
    if journey.tags:
        doc["tags"] = list(journey.tags)
    doc["lanes"] = [
        lane.kind.value
        if lane.id == lane.kind.value and lane.title is None and lane.visible
        else lane.model_dump(
            mode="json", exclude_defaults=True, include={"id", "kind", "title", "visible"}
        )
        | {"kind": lane.kind.value}
        for lane in journey.lanes
    ]
    if journey.paths:
        doc["paths"] = [p.model_dump(mode="json", exclude_defaults=True) for p in journey.paths]
    if journey.entries:
        doc["entries"] = list(journey.entries)
    doc.update(library_doc(journey.library))

    touchpoint_names = _names(
        journey.library.touchpoints, workspace.touchpoints if workspace else []
    )
    kpi_names = _names(journey.library.kpis, workspace.kpis if workspace else [])
    kpi_units = {
        k.id: k.unit for k in [*(workspace.kpis if workspace else []), *journey.library.kpis]
    }
    lanes = {lane.id: lane for lane in journey.lanes}
    explicit_steps = explicit_ids([(s.id, s.name) for s in journey.steps()], "step")
    explicit_stages = explicit_ids([(s.id, s.name) for s in journey.stages], "stage")
    stages = []
    for stage in journey.stages:
        steps = []
        for step in stage.steps:
            body: dict[str, Any] = {}
            if step.id in explicit_steps:
                body["id"] = step.id
            if step.description:
                body["description"] = step.description
            if step.path:
                body["path"] = step.path
            if step.touchpoints:
                body["touchpoints"] = [touchpoint_names.get(t, t) for t in step.touchpoints]
            if step.moment_of_truth:
                body["moment_of_truth"] = True
            for lane_id, row in journey.cells.items():
                if step.id not in row or lane_id not in lanes:
                    continue
                key = "emotion" if lane_id == "emotions" else lane_id
                body[key] = _cell_doc(lanes[lane_id].kind, row[step.id], kpi_names, kpi_units)
            if step.observed_as:
                body["observed_as"] = list(step.observed_as)
            if step.next is not None:
                body["next"] = [_link_doc(link) for link in step.next]
            if step.end:
                body["end"] = True
            steps.append({step.name: body} if body else step.name)
        extra: dict[str, Any] = {}
        if stage.id in explicit_stages:
            extra["id"] = stage.id
        if stage.phase != infer_phase(stage.name):
            extra["phase"] = stage.phase.value if stage.phase else None
        if stage.description:
            extra["description"] = stage.description
        stages.append({stage.name: {**extra, "steps": steps} if extra else steps})
    doc["stages"] = stages
    if journey.comments:
        doc["comments"] = [
            c.model_dump(mode="json", exclude_defaults=True) for c in journey.comments
        ]
    return doc


def _names(own: list[Any], shared: list[Any]) -> dict[str, str]:
    """id → the name to write, when the name finds that id back (else the id)."""
    entries = [*own, *shared]
    out = {}
    for entry in entries:
        same_name = [e for e in entries if e.name.casefold() == entry.name.casefold()]
        clashes = any(e.id == entry.name for e in entries if e.id != entry.id)
        if len(same_name) == 1 and not clashes and _first_match(entries, entry.name) is entry:
            out[entry.id] = entry.name
    return out


def _first_match(entries: list[Any], ref: str) -> Any:
    for entry in entries:
        if entry.id == ref:
            return entry
    for entry in entries:
        if entry.name.casefold() == ref.casefold():
            return entry
    return None


def explicit_ids(named: list[tuple[str, str]], fallback: str) -> set[str]:
    """Which ids must be written so that the reader derives the others back.

    The reader reserves the written ids, then gives each other item the slug of its name
    (``-2``, ``-3``… when taken) in document order. Start with none written, and write each
    id the derivation misses until every other one comes back.
    """
    written: set[str] = set()
    while True:
        taken = set(written)
        wrong = set()
        for item_id, name in named:
            if item_id in written:
                continue
            derived = unique_id(slugify(name, fallback=fallback), taken)
            taken.add(derived)
            if derived != item_id:
                wrong.add(item_id)
        if not wrong:
            return written
        written |= wrong


def _cell_doc(
    kind: LaneKind, items: list[Any], kpi_names: dict[str, str], kpi_units: dict[str, str | None]
) -> Any:
    if kind == LaneKind.emotions:
        emotion: Emotion = items[0]
        if emotion.label is None and emotion.emoji is None:
            return Signed(emotion.score)
        return {"score": Signed(emotion.score), **_compact(emotion, drop=("type", "score"))}
    if kind == LaneKind.kpis:
        out = []
        for item in items:
            assert isinstance(item, KpiValue)
            data = _compact(item)
            data["kpi"] = kpi_names.get(item.kpi, item.kpi)
            if kpi_units.get(item.kpi) == "%":
                for key in ("target", "measured", "low", "high"):
                    if key in data:
                        data[key] = f"{_number(data[key])}%"
            out.append({"kpi": data.pop("kpi"), **data})
        return out
    first = {LaneKind.images: "src", LaneKind.metrics: "name"}.get(kind, "text")
    return [_compact(item, first=first) for item in items]


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _link_doc(link: Link) -> Any:
    if link.label is None and link.share is None:
        return link.to
    return link.model_dump(mode="json", exclude_none=True)
