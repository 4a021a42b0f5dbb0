"""parcours: customer journey maps as code, tied to real customer data.

>>> import parcours
>>> journey = parcours.load("map.yaml")          # a journey, or a whole workspace
>>> journey = journey.apply(parcours.operations.SetEmotion(step="kyc", score=1))
>>> parcours.save(journey, "map.json")
>>> journey.save_png("map.png")

Rendering (:mod:`parcours.render`) and analytics (:mod:`parcours.analytics`) are imported
when first used, so that ``import parcours`` stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

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

_LAZY = ("analytics", "render")


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f"parcours.{name}")
    raise AttributeError(f"module 'parcours' has no attribute '{name}'")
