"""Markdown and CSV exports: structure, escaping, RFC 4180 and formula injection."""

from __future__ import annotations

import csv
import io
import re

from parcours.render.csvexport import COLUMNS, to_csv
from parcours.render.markdown import to_markdown
from parcours.security import FORMULA_TRIGGERS, escape_formula
from tests.render.test_xlsx import TRIGGER_TEXTS, branched, linear, with_triggers


def test_markdown_has_a_table_per_stage_and_lists_the_paths() -> None:
    page = to_markdown(branched())
    assert page.startswith("# Réclamation — « suivi » 😀\n")
    assert "## Découverte" in page and "## Résolution" in page
    assert (
        "| | **Visite le site**<br>_+Parcours web_ | **Entre en boutique**<br>_Parcours boutique_ |"
        in page
    )
    assert "## Parcours et embranchements" in page
    assert "- Dépose sa réclamation ↺ Visite le site (Pièce manquante, 30\u202f%, boucle)" in page
    assert "Entrée: Visite le site, Entre en boutique" in page
    assert "=cmd\\|' /C calc'!A0" in page  # a pipe cannot break the table
    assert "Ligne 1<br>Ligne 2" in page


def test_markdown_escapes_html_and_keeps_tables_whole() -> None:
    journey = linear()
    from parcours.model.items import Card

    cells = {
        **journey.cells,
        "notes": {"voit-une-publicite": [Card(text="<script>alert(1)</script> | *gras*")]},
    }
    page = to_markdown(journey.model_copy(update={"cells": cells}))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\| \\*gras\\*" in page
    columns = 0
    for line in page.splitlines():
        if line.startswith("| | "):  # a stage's table header
            columns = len(re.findall(r"(?<!\\)\|", line))
        elif line.startswith("| **"):
            assert len(re.findall(r"(?<!\\)\|", line)) == columns, line


def test_csv_is_one_row_per_item_rfc4180() -> None:
    journey = linear()
    text = to_csv(journey)
    assert text.startswith('"stage","stage_id","step_id"')
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "").replace(
        "Première ligne\nseconde", ""
    )
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == COLUMNS
    items = sum(len(v) for lane in journey.cells.values() for v in lane.values())
    touchpoints = sum(len(s.touchpoints) for s in journey.steps())
    assert len(rows) == items + touchpoints
    emotion = next(r for r in rows if r["kind"] == "emotion" and r["step_id"] == "paie-sa-commande")
    assert emotion["score"] == "-1"
    opportunity = next(r for r in rows if r["kind"] == "opportunity")
    assert (opportunity["owner"], opportunity["priority"], opportunity["due"]) == (
        "Équipe paiement",
        "high",
        "2027-01-31",
    )
    note = next(r for r in rows if r["lane"] == "notes")
    assert note["text"] == "Première ligne\nseconde ligne"


def test_csv_neutralises_every_formula_trigger() -> None:
    text = to_csv(with_triggers())
    rows = list(csv.reader(io.StringIO(text, newline="")))
    cells = [cell for row in rows for cell in row]
    for original in TRIGGER_TEXTS:
        assert escape_formula(original) in cells
        assert escape_formula(original) == "'" + original
    # no text cell starts with a trigger (numbers such as -2 are written unquoted, as numbers)
    assert not [
        c for c in cells if c.startswith(FORMULA_TRIGGERS) and not re.fullmatch(r"-?\d+(\.\d+)?", c)
    ]
    assert not re.search(r'(^|,)"[=+\-@\t\r]', text, re.M)
    # and every text is quoted in the raw file (numbers are not)
    assert '"\'=1+1 trigger 0"' in text
