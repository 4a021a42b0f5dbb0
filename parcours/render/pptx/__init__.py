"""An editable PowerPoint deck, painted from the map's :class:`~parcours.render.layout.Layout`.

Everything is a real shape with real text: stage bands, step boxes, lane titles, cards,
pain point and opportunity badges, KPI chips, the emotion curve as a freeform line with a
smiley face at each point, branch connectors with arrow heads and labels, entry and end
markers. No picture is ever pasted on a slide.

Every slide is 16:9 (13.33 x 7.5 in). A title slide comes first (with the map's chips and
its legend); then the map, cut into slides by steps (whole stages packed) and by lanes, at
one scale that keeps the smallest text at 8 pt (:mod:`.plan`); then the opportunities and
one slide per persona. The package: :mod:`.deck` (the slides in order), :mod:`.plan` (which
steps and lanes each slide shows), :mod:`.mapslide` (painting a map slide),
:mod:`.drawing` (shapes written as XML), :mod:`.personas`, :mod:`.units`.
"""

from __future__ import annotations

from parcours.render.pptx.deck import build_deck, pptx_bytes, save_pptx
from parcours.render.pptx.plan import MAX_STEPS_PER_SLIDE, clip, views, windows

__all__ = [
    "MAX_STEPS_PER_SLIDE",
    "build_deck",
    "clip",
    "pptx_bytes",
    "save_pptx",
    "views",
    "windows",
]
