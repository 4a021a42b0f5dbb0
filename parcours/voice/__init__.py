"""The voice of the customer: verbatims (language, sentiment, themes, personal data) and
surveys (CSAT, NPS, CES KPIs with confidence intervals), all offline.

Modules, each importing its heavy libraries only when first used:

- :mod:`parcours.voice.language` — French or English;
- :mod:`parcours.voice.sentiment` — positive / neutral / negative with a score;
- :mod:`parcours.voice.themes` — themes from editable keyword lists, and suggested new ones;
- :mod:`parcours.voice.pii` — personal data masked before storage and display;
- :mod:`parcours.voice.verbatims` — all of the above over a file of comments;
- :mod:`parcours.voice.surveys` — survey responses read and summarised.

The main functions are also names of this package, loaded on first use
(``parcours.voice.read_verbatims``…), so that ``import parcours.voice`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

# name → (module, attribute); the sentiment of one text is ``analyze_sentiment`` here, as
# ``parcours.voice.sentiment`` is its module
_NAMES = {
    "analyze_sentiment": ("sentiment", "sentiment"),
    "analyze_texts": ("verbatims", "analyze_texts"),
    "detect_language": ("language", "detect_language"),
    "load_themes": ("themes", "load_themes"),
    "mask_text": ("pii", "mask_text"),
    "read_survey": ("surveys", "read_survey"),
    "read_verbatims": ("verbatims", "read_verbatims"),
    "suggest_themes": ("themes", "suggest_themes"),
    "survey_kpis": ("surveys", "survey_kpis"),
}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    found = _NAMES.get(name)
    if found is None:
        raise AttributeError(f"module 'parcours.voice' has no attribute {name!r}")
    module, attribute = found
    value = getattr(importlib.import_module(f"parcours.voice.{module}"), attribute)
    globals()[name] = value
    return value
