"""The model: journeys, personas, the shared library, operations, diffs and their errors.

This is the front door of the model. It imports nothing outside ``parcours.model``
(a test checks it): reading and writing files (:mod:`parcours.files`), drawing
(:mod:`parcours.render`) and exporting (:mod:`parcours.export`) are layers above it.
Names load on first use, so ``import parcours.model`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parcours.model.apply import apply, inverse
    from parcours.model.atlas import Atlas
    from parcours.model.diff import Change, diff, diff_atlas
    from parcours.model.errors import (
        BadData,
        Conflict,
        FormatError,
        InvalidJourney,
        InvalidOperation,
        MissingExtra,
        NotFound,
        ParcoursError,
        Problem,
        TooLarge,
    )
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
    from parcours.model.operations import Operation, operation_from_json, operation_to_json
    from parcours.model.persona import Market, Persona
    from parcours.model.validation import atlas_problems, journey_problems

#: Where each name of the front door lives.
_WHERE = {
    "Atlas": "atlas",
    "BadData": "errors",
    "Card": "items",
    "Change": "diff",
    "Channel": "library",
    "ChannelKind": "library",
    "Comment": "journey",
    "Conflict": "errors",
    "Emotion": "items",
    "Evidence": "journey",
    "FormatError": "errors",
    "Image": "items",
    "InvalidJourney": "errors",
    "InvalidOperation": "errors",
    "Journey": "journey",
    "JourneyValue": "journey",
    "KpiDefinition": "library",
    "KpiValue": "items",
    "Lane": "journey",
    "LaneKind": "items",
    "Library": "library",
    "Link": "journey",
    "Market": "persona",
    "Metric": "items",
    "MetricKey": "items",
    "MissingExtra": "errors",
    "NotFound": "errors",
    "Operation": "operations",
    "Opportunity": "items",
    "OpportunityStatus": "items",
    "PainPoint": "items",
    "ParcoursError": "errors",
    "PathDef": "journey",
    "Persona": "persona",
    "Phase": "journey",
    "Priority": "items",
    "Problem": "errors",
    "Severity": "items",
    "Stage": "journey",
    "State": "journey",
    "Status": "journey",
    "Step": "journey",
    "TooLarge": "errors",
    "Touchpoint": "library",
    "apply": "apply",
    "atlas_problems": "validation",
    "diff": "diff",
    "diff_atlas": "diff",
    "inverse": "apply",
    "journey_problems": "validation",
    "operation_from_json": "operations",
    "operation_to_json": "operations",
}

__all__ = [
    "Atlas",
    "BadData",
    "Card",
    "Change",
    "Channel",
    "ChannelKind",
    "Comment",
    "Conflict",
    "Emotion",
    "Evidence",
    "FormatError",
    "Image",
    "InvalidJourney",
    "InvalidOperation",
    "Journey",
    "JourneyValue",
    "KpiDefinition",
    "KpiValue",
    "Lane",
    "LaneKind",
    "Library",
    "Link",
    "Market",
    "Metric",
    "MetricKey",
    "MissingExtra",
    "NotFound",
    "Operation",
    "Opportunity",
    "OpportunityStatus",
    "PainPoint",
    "ParcoursError",
    "PathDef",
    "Persona",
    "Phase",
    "Priority",
    "Problem",
    "Severity",
    "Stage",
    "State",
    "Status",
    "Step",
    "TooLarge",
    "Touchpoint",
    "apply",
    "atlas_problems",
    "diff",
    "diff_atlas",
    "inverse",
    "journey_problems",
    "operation_from_json",
    "operation_to_json",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f"parcours.model.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    try:  # a submodule, such as parcours.model.operations
        return importlib.import_module(f"parcours.model.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"parcours.model.{name}":
            raise
        raise AttributeError(f"module 'parcours.model' has no attribute '{name}'") from None


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
