"""The JSON Schema of the file format, generated from the model's own definitions.

Editors use it for completion and checks (YAML language server: ``# yaml-language-server:
$schema=…``); ``parcours validate`` stays the authority, since references between ids and
the flow of a map are beyond a schema.
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from parcours.fileformat.header import FORMAT_VERSION
from parcours.model.items import Card, Emotion, Image, KpiValue, Metric, Opportunity, PainPoint
from parcours.model.journey import Comment, Journey, Lane, Link, PathDef, Stage, Step
from parcours.model.library import Channel, KpiDefinition, Touchpoint
from parcours.model.persona import Persona

_NUMBER_OR_PERCENT = {
    "anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?[0-9.,\s]+%?$"}]
}


#: A currency: an ISO 4217 code (the reader also understands €, $, £ and "euros").
CURRENCY = {"type": "string", "description": "ISO 4217 code of the values, e.g. EUR, CHF, CAD"}


def _object(
    model: Any, *, drop: tuple[str, ...] = ("type",), required: tuple[str, ...] = ()
) -> dict[str, Any]:
    schema = TypeAdapter(model).json_schema(ref_template="#/$defs/{model}")
    props = {
        k: _inline(v, schema.get("$defs", {}))
        for k, v in schema["properties"].items()
        if k not in drop
    }
    for value in props.values():
        value.pop("title", None)
        value.pop("default", None)
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    if model.__doc__:
        out["description"] = " ".join(model.__doc__.split())
    return out


def _inline(value: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in value:
        name = value["$ref"].rsplit("/", 1)[-1]
        target = dict(defs.get(name, {}))
        target.pop("title", None)
        return target
    if "anyOf" in value:
        value = dict(value)
        value["anyOf"] = [_inline(v, defs) for v in value["anyOf"]]
    if "items" in value:
        value = dict(value)
        value["items"] = _inline(value["items"], defs)
    return dict(value)


def _text_or(model: Any, first: str) -> dict[str, Any]:
    obj = _object(model, required=(first,))
    return {"anyOf": [{"type": "string"}, obj]}


def _list_of(item: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [item, {"type": "array", "items": item}]}


def file_schema() -> dict[str, Any]:
    """The JSON Schema of a parcours file (a journey or a workspace)."""
    card = _text_or(Card, "text")
    pain = _text_or(PainPoint, "text")
    opportunity = _text_or(Opportunity, "text")
    kpi = _object(KpiValue, required=("kpi",))
    kpi["properties"]["target"] = _NUMBER_OR_PERCENT
    kpi["properties"]["measured"] = _NUMBER_OR_PERCENT
    kpi["properties"]["low"] = _NUMBER_OR_PERCENT
    kpi["properties"]["high"] = _NUMBER_OR_PERCENT
    emotion = {
        "anyOf": [
            {"type": "integer", "minimum": -2, "maximum": 2},
            _object(Emotion, required=("score",)),
        ]
    }
    cell = {"anyOf": [emotion, _list_of(card), _list_of(pain), _list_of(opportunity),
                      _list_of(kpi), _list_of(_object(Metric, required=("name",))),
                      _list_of(_text_or(Image, "src"))]}  # fmt: skip
    link = _object(Link, required=("to",))
    link["properties"]["share"] = _NUMBER_OR_PERCENT
    step_fields = _object(Step, drop=("name",))
    step_fields["properties"]["touchpoints"] = {"type": "array", "items": {"type": "string"}}
    step_fields["properties"]["next"] = _list_of({"anyOf": [{"type": "string"}, link]})
    step_fields["properties"]["emotion"] = emotion
    step_fields["additionalProperties"] = cell
    step = {"anyOf": [{"type": "string"},
                      {"type": "object", "minProperties": 1, "maxProperties": 1,
                       "additionalProperties": {"anyOf": [{"type": "null"}, step_fields]}}]}  # fmt: skip
    steps = {"type": "array", "items": step}
    stage_body = _object(Stage, drop=("name", "steps"))
    stage_body["properties"]["steps"] = steps
    stage = {"anyOf": [{"type": "string"},
                       {"type": "object", "minProperties": 1, "maxProperties": 1,
                        "additionalProperties": {"anyOf": [{"type": "null"}, steps, stage_body]}}]}  # fmt: skip
    lane = {
        "anyOf": [
            {"type": "string", "enum": _enum(Lane, "kind")},
            _object(Lane, required=("kind",)),
        ]
    }
    library = {
        "channels": {
            "type": "array",
            "items": {"anyOf": [{"type": "string"}, _object(Channel, required=("name",))]},
        },
        "touchpoints": {
            "type": "array",
            "items": {"anyOf": [{"type": "string"}, _object(Touchpoint, required=("name",))]},
        },
        "kpis": {
            "type": "array",
            "items": {"anyOf": [{"type": "string"}, _object(KpiDefinition, required=("name",))]},
        },
    }
    header = _object(Journey, drop=("title", "stages", "lanes", "cells", "comments", "library",
                                    "paths", "personas"))  # fmt: skip
    journey_props = {
        "parcours": {"const": FORMAT_VERSION, "description": "format version"},
        "journey": {"type": "string", "description": "the journey's title"},
        "persona": {"type": "string"},
        "personas": {"type": "array", "items": {"type": "string"}},
        **header["properties"],
        "currency": CURRENCY,
        "lanes": {"type": "array", "items": lane},
        "paths": {
            "type": "array",
            "items": {"anyOf": [{"type": "string"}, _object(PathDef, required=("name",))]},
        },
        **library,
        "stages": {"type": "array", "items": stage},
        "comments": {"type": "array", "items": _object(Comment, required=("text",))},
    }
    journey = {"type": "object", "required": ["journey"], "properties": journey_props,
               "additionalProperties": False}  # fmt: skip
    workspace = {
        "type": "object",
        "required": ["workspace"],
        "additionalProperties": False,
        "properties": {
            "parcours": {"const": FORMAT_VERSION},
            "workspace": {"type": "string", "description": "the workspace's name"},
            "id": {"type": "string"},
            "lang": {"type": "string"},
            "currency": CURRENCY,
            "description": {"type": "string"},
            "personas": {"type": "array", "items": _object(Persona, required=("name",))},
            **library,
            "journeys": {"type": "array", "items": {"anyOf": [{"type": "string"}, journey]}},
        },
    }
    return _lenient_text(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "parcours map-as-code file",
            "description": "A customer journey map (journey: …) or a workspace (workspace: …), format version 1.",
            "anyOf": [journey, workspace],
        }
    )


def _lenient_text(node: Any) -> Any:
    """A text field also takes a number or a boolean: the reader keeps what was written
    (``period: 2026``, ``label: Non``) as text."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not (
            {"enum", "pattern", "format", "const"} & node.keys()
        ):
            return {**node, "type": ["string", "number", "boolean"]}
        return {k: _lenient_text(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_lenient_text(v) for v in node]
    return node


def _enum(model: Any, field: str) -> list[str]:
    annotation = model.model_fields[field].annotation
    return [e.value for e in annotation]
