"""Les mots de parcours en français : un tableau par endroit où ils s'affichent.

Pure data (no import outside this package): every layer reads it through
:mod:`parcours.model.words`. The tables live in one module per place: :mod:`.maps` (the
drawn map, the workbook, the deck), :mod:`.book` (persona cards, atlas), :mod:`.changes`
(the sentences of a diff), :mod:`.problems` (the model's errors) and :mod:`.ui` (the web
interface).
"""

from __future__ import annotations

from parcours.model.words.fr.book import BOOK
from parcours.model.words.fr.changes import CHANGES
from parcours.model.words.fr.maps import DECK, MAP, MONTHS, MONTHS_SHORT, SHEET, SHEET_LANES
from parcours.model.words.fr.problems import PROBLEMS
from parcours.model.words.fr.ui import UI

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
