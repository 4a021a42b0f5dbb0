"""parcours: customer journey maps as code, tied to real customer data.

>>> import parcours
>>> journey = parcours.load("map.yaml")          # a journey, or a whole workspace
>>> journey = journey.apply(parcours.operations.SetEmotion(step="kyc", score=1))
>>> parcours.save(journey, "map.json")
>>> journey.save_png("map.png")

Rendering (:mod:`parcours.render`) and analytics (:mod:`parcours.analytics`) are imported
when first used, so that ``import parcours`` stays light. Every output goes through
:mod:`parcours.export` (``parcours.export(journey, "svg")``, ``parcours.export.save(...)``),
which this module installs as the model's exporter.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below load on first use (``import parcours`` stays light)
    from parcours.catalog import Template, load_demo, new_from_template, template, templates
    from parcours.errors import (
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
    from parcours.files import dumps, load, load_atlas, load_journey, loads, read, save
    from parcours.model import operations
    from parcours.model.apply import apply, inverse
    from parcours.model.atlas import Atlas
    from parcours.model.diff import Change, diff
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

__version__ = "0.1.0"

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
    "Template",
    "TooLarge",
    "Touchpoint",
    "__version__",
    "apply",
    "atlas_problems",
    "diff",
    "dumps",
    "inverse",
    "journey_problems",
    "load",
    "load_atlas",
    "load_demo",
    "load_journey",
    "loads",
    "new_from_template",
    "operation_from_json",
    "operation_to_json",
    "operations",
    "read",
    "save",
    "template",
    "templates",
]

#: Where each public name lives; imported on first use (PEP 562).
_WHERE = {
    "Atlas": "parcours.model.atlas",
    "BadData": "parcours.errors",
    "Card": "parcours.model.items",
    "Change": "parcours.model.diff",
    "Channel": "parcours.model.library",
    "ChannelKind": "parcours.model.library",
    "Comment": "parcours.model.journey",
    "Conflict": "parcours.errors",
    "Emotion": "parcours.model.items",
    "Evidence": "parcours.model.journey",
    "FormatError": "parcours.errors",
    "Image": "parcours.model.items",
    "InvalidJourney": "parcours.errors",
    "InvalidOperation": "parcours.errors",
    "Journey": "parcours.model.journey",
    "JourneyValue": "parcours.model.journey",
    "KpiDefinition": "parcours.model.library",
    "KpiValue": "parcours.model.items",
    "Lane": "parcours.model.journey",
    "LaneKind": "parcours.model.items",
    "Library": "parcours.model.library",
    "Link": "parcours.model.journey",
    "Market": "parcours.model.persona",
    "Metric": "parcours.model.items",
    "MetricKey": "parcours.model.items",
    "MissingExtra": "parcours.errors",
    "NotFound": "parcours.errors",
    "Operation": "parcours.model.operations",
    "Opportunity": "parcours.model.items",
    "OpportunityStatus": "parcours.model.items",
    "PainPoint": "parcours.model.items",
    "ParcoursError": "parcours.errors",
    "PathDef": "parcours.model.journey",
    "Persona": "parcours.model.persona",
    "Phase": "parcours.model.journey",
    "Priority": "parcours.model.items",
    "Problem": "parcours.errors",
    "Severity": "parcours.model.items",
    "Stage": "parcours.model.journey",
    "State": "parcours.model.journey",
    "Status": "parcours.model.journey",
    "Step": "parcours.model.journey",
    "Template": "parcours.catalog",
    "TooLarge": "parcours.errors",
    "Touchpoint": "parcours.model.library",
    "apply": "parcours.model.apply",
    "atlas_problems": "parcours.model.validation",
    "diff": "parcours.model.diff",
    "dumps": "parcours.files",
    "inverse": "parcours.model.apply",
    "journey_problems": "parcours.model.validation",
    "load": "parcours.files",
    "load_atlas": "parcours.files",
    "load_demo": "parcours.catalog",
    "load_journey": "parcours.files",
    "loads": "parcours.files",
    "new_from_template": "parcours.catalog",
    "operation_from_json": "parcours.model.operations",
    "operation_to_json": "parcours.model.operations",
    "operations": "parcours.model",
    "read": "parcours.files",
    "save": "parcours.files",
    "template": "parcours.catalog",
    "templates": "parcours.catalog",
}
_SUBPACKAGES = ("analytics", "export", "render")


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        module = importlib.import_module(_WHERE[name])
        if not hasattr(module, name):  # a submodule, such as parcours.model.operations
            importlib.import_module(f"{_WHERE[name]}.{name}")
        value = getattr(module, name)
        globals()[name] = value
        return value
    if name in _SUBPACKAGES:
        return importlib.import_module(f"parcours.{name}")
    raise AttributeError(f"module 'parcours' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *_SUBPACKAGES})


def _exporter() -> Any:
    return importlib.import_module("parcours.export")


def _install() -> None:
    """Give the model its exporter (looked up on first use: nothing heavy loads here)."""
    from parcours.model import views

    views.install(_exporter)


_install()
