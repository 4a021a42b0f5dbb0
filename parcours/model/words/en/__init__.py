"""The words of parcours in English: one table per place they are shown.

Pure data (no import outside this package): every layer reads it through
:mod:`parcours.model.words`. The tables live in one module per place: :mod:`.maps` (the
drawn map, the workbook, the deck), :mod:`.book` (persona cards, atlas), :mod:`.changes`
(the sentences of a diff), :mod:`.problems` (the model's errors) and :mod:`.ui` (the web
interface).
"""

from __future__ import annotations

from parcours.model.words.en.book import BOOK
from parcours.model.words.en.changes import CHANGES
from parcours.model.words.en.maps import DECK, MAP, MONTHS, MONTHS_SHORT, SHEET, SHEET_LANES
from parcours.model.words.en.problems import PROBLEMS
from parcours.model.words.en.ui import UI

__all__ = [
    "BOOK",
    "CHANGES",
    "DECK",
    "MAP",
    "MONTHS",
    "MONTHS_SHORT",
    "PROBLEMS",
    "SHEET",
    "SHEET_LANES",
    "UI",
]
