"""Import an exported workbook back, untouched and after a person edited it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

import parcours.files as files
from parcours.errors import BadData
from parcours.model.diff import diff
from parcours.model.items import Card, Emotion
from parcours.render.office.reader import import_xlsx, read_xlsx
from parcours.render.office.writer import save_xlsx
from tests.render.test_xlsx import ROOT, TEMPLATES, branched, linear


# -- what Excel does when a person inserts a column or a row (openpyxl leaves merges alone) --
def insert_column(ws: Worksheet, index: int) -> None:
    ranges = [CellRange(str(r)) for r in ws.merged_cells.ranges]
    for r in ranges:
        ws.unmerge_cells(str(r))
    ws.insert_cols(index)
    for r in ranges:
        if r.min_col >= index:
            r.shift(col_shift=1)
        elif r.max_col >= index:
            r.expand(right=1)
        ws.merge_cells(str(r))


def insert_row(ws: Worksheet, index: int) -> None:
    ranges = [CellRange(str(r)) for r in ws.merged_cells.ranges]
    for r in ranges:
        ws.unmerge_cells(str(r))
    ws.insert_rows(index)
    for r in ranges:
        if r.min_row >= index:
            r.shift(row_shift=1)
        elif r.max_row >= index:
            r.expand(down=1)
        ws.merge_cells(str(r))


def map_row(ws: Worksheet, label: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)


def map_col(ws: Worksheet, step_name: str) -> int:
    return next(c for c in range(2, ws.max_column + 1) if ws.cell(6, c).value == step_name)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: Path(p).stem)
def test_every_template_round_trips(tmp_path: Path, path: str) -> None:
    atlas = files.load_atlas(path)
    for journey in atlas.journeys:
        out = save_xlsx(journey, tmp_path / f"{journey.id}.xlsx", atlas=atlas)
        imported, problems = read_xlsx(out)
        assert problems == []
        assert imported == journey
        assert diff(journey, imported) == []


@pytest.mark.parametrize("make", [linear, branched])
def test_sample_maps_round_trip(tmp_path: Path, make: object) -> None:
    journey = make()  # type: ignore[operator]
    imported, problems = read_xlsx(save_xlsx(journey, tmp_path / "m.xlsx"))
    assert problems == [] and imported == journey


def test_edits_on_the_map_win(tmp_path: Path) -> None:
    journey = linear()
    out = save_xlsx(journey, tmp_path / "m.xlsx")
    workbook = openpyxl.load_workbook(out)
    ws = workbook["Map"]
    # change a text
    actions = map_row(ws, "Actions")
    ws.cell(actions, 2).value = "Clique sur la bannière"
    # a new step between the two steps of "Achat": its id comes from its name
    col = map_col(ws, "Reçoit son colis")
    insert_column(ws, col)
    ws.cell(6, col).value = "Suit sa livraison"
    ws.cell(actions, col).value = "Ouvre le lien de suivi"
    ws.cell(map_row(ws, "Émotions"), col).value = 0
    # a row of cards added to the actions lane
    insert_row(ws, actions + 2)
    ws.cell(actions + 2, map_col(ws, "Paie sa commande")).value = "Saisit son code de carte"
    ws.cell(actions + 2, map_col(ws, "Voit une publicité")).value = "=Partage à une amie"
    workbook.save(out)

    imported, problems = read_xlsx(out)
    # a text typed as a formula is kept as text, and said so
    assert [str(p) for p in problems] == [
        f"Map!B{actions + 2}: warning: formulas are not evaluated; the formula's text is kept"
    ]
    achat = imported.stage("achat")
    assert [s.id for s in achat.steps] == [
        "paie-sa-commande",
        "suit-sa-livraison",
        "recoit-son-colis",
    ]
    assert imported.step("suit-sa-livraison").name == "Suit sa livraison"
    assert imported.cell("actions", "suit-sa-livraison") == [Card(text="Ouvre le lien de suivi")]
    assert imported.cell("emotions", "suit-sa-livraison") == [Emotion(score=0)]
    assert [c.text for c in imported.cell("actions", "voit-une-publicite")] == [
        "Clique sur la bannière",
        "Lit la page",
        "=Partage à une amie",
    ]
    assert imported.cell("actions", "paie-sa-commande") == [Card(text="Saisit son code de carte")]
    # nothing else changed
    changes = [str(c) for c in diff(journey, imported)]
    assert len(changes) >= 3
    rest = imported.model_copy(
        update={
            "stages": journey.stages,
            "cells": {
                **imported.cells,
                "actions": journey.cells["actions"],
                "emotions": journey.cells["emotions"],
            },
        }
    )
    assert rest == journey


def test_a_removed_step_and_edits_in_the_item_sheets(tmp_path: Path) -> None:
    journey = branched()
    out = save_xlsx(journey, tmp_path / "b.xlsx")
    workbook = openpyxl.load_workbook(out)
    ws = workbook["Map"]
    ws.delete_cols(map_col(ws, "Entre en boutique"))
    pains = workbook["Pain points"]
    assert pains["G2"].value == "rupture"
    pains["G2"].value = "irritant"
    opportunities = workbook["Opportunities"]
    opportunities["G2"].value = "Équipe réclamations"
    opportunities["J2"].value = dt.datetime(2027, 6, 30)
    kpis = workbook["KPIs"]
    kpis["I2"].value = 3.9
    steps = workbook["Steps"]
    header = [c.value for c in steps[1]]
    row = next(r for r in range(2, steps.max_row + 1) if steps.cell(r, 2).value == "files-claim")
    steps.cell(
        row, header.index("Next") + 1
    ).value = "gets-answer | Dossier complet | 75 %\nvisits-site | Pièce manquante | 25 %"
    workbook.save(out)

    imported, problems = read_xlsx(out)
    assert "enters-shop" not in {s.id for s in imported.steps()}
    assert imported.entries == ["visits-site"]
    assert imported.cell("pain_points", "files-claim")[0].severity == "irritant"
    opportunity = imported.cell("opportunities", "files-claim")[0]
    assert (opportunity.owner, opportunity.due) == ("Équipe réclamations", dt.date(2027, 6, 30))
    assert imported.cell("kpis", "files-claim")[0].measured == 3.9
    assert [link.share for link in imported.step("files-claim").next or []] == [0.75, 0.25]
    assert all(p.severity == "warning" for p in problems)


def test_problems_name_sheet_and_cell(tmp_path: Path) -> None:
    journey = linear()
    out = save_xlsx(journey, tmp_path / "m.xlsx")
    workbook = openpyxl.load_workbook(out)
    ws = workbook["Map"]
    row = map_row(ws, "Émotions")
    ws.cell(row, 2).value = "très bien"
    workbook["Opportunities"]["H2"].value = "urgentissime"
    workbook.save(out)
    imported, problems = read_xlsx(out)
    messages = [str(p) for p in problems]
    assert (
        f"Map!B{row}: warning: emotion 'très bien' is not a number from -2 to +2; the old score is kept"
        in messages
    )
    assert any(m.startswith("Opportunities!") and "priority" in m.lower() for m in messages), (
        messages
    )
    assert imported.cell("emotions", "voit-une-publicite")[0].score == 1


def test_a_workbook_not_from_parcours_is_refused(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["hello"])  # type: ignore[union-attr]
    workbook.save(tmp_path / "other.xlsx")
    with pytest.raises(BadData, match="no 'parcours' sheet"):
        import_xlsx(tmp_path / "other.xlsx")
    (tmp_path / "not.xlsx").write_text("just text")
    with pytest.raises(BadData, match="not a valid zip"):
        import_xlsx(tmp_path / "not.xlsx")


def test_the_demo_workspace_round_trips(tmp_path: Path) -> None:
    atlas = files.load_atlas(ROOT / "parcours" / "examples" / "demo")
    assert atlas.journeys
    for journey in atlas.journeys:
        out = save_xlsx(journey, tmp_path / f"{journey.id}.xlsx", atlas=atlas)
        imported, problems = read_xlsx(out)
        assert problems == [] and imported == journey, journey.id


def test_empty_stages_hidden_lanes_metrics_images_and_card_details_round_trip(
    tmp_path: Path,
) -> None:
    from parcours.model.items import Image, LaneKind, Metric
    from parcours.model.journey import Journey, Lane, Stage

    journey = linear()
    cells = dict(journey.cells)
    cells["m"] = {
        "voit-une-publicite": [
            Metric(name="Volume", value=1200.5, unit="visites"),
            Metric(name="Taux"),
        ]
    }
    cells["img"] = {
        "paie-sa-commande": [Image(src="https://x.invalid/a.png", alt="Écran"), Image(src="b.png")]
    }
    cells["actions"] = {
        **cells["actions"],
        "paie-sa-commande": [Card(text="Paie", detail="avec sa carte")],
    }
    cells["notes2"] = {"paie-sa-commande": [Card(text="n2")]}
    journey = Journey.model_validate(
        journey.model_copy(
            update={
                "stages": [*journey.stages, Stage(id="vide", name="Étape vide")],
                "lanes": [
                    *journey.lanes,
                    Lane(id="m", kind=LaneKind.metrics, title="Mesures clés"),
                    Lane(id="img", kind=LaneKind.images, visible=False),
                    Lane(id="notes2", kind=LaneKind.notes, title="Notes"),
                ],
                "cells": cells,
            }
        ).model_dump()
    )
    out = save_xlsx(journey, tmp_path / "edge.xlsx")
    imported, problems = read_xlsx(out)
    assert problems == [] and imported == journey
    # edit a metric, an image and the card that has a detail
    workbook = openpyxl.load_workbook(out)
    ws = workbook["Map"]
    ws.cell(map_row(ws, "Mesures clés"), 2).value = "Volume: 1300 visites"
    ws.cell(map_row(ws, "Images"), 3).value = "Écran de paiement <https://x.invalid/b.png>"
    ws.cell(map_row(ws, "Actions"), 3).value = "Paie en ligne"
    workbook.save(out)
    imported, problems = read_xlsx(out)
    assert problems == []
    assert imported.cell("m", "voit-une-publicite")[0] == Metric(
        name="Volume", value=1300, unit="visites"
    )
    assert imported.cell("img", "paie-sa-commande")[0] == Image(
        src="https://x.invalid/b.png", alt="Écran de paiement"
    )
    assert imported.cell("actions", "paie-sa-commande") == [
        Card(text="Paie en ligne", detail="avec sa carte")
    ]


def test_a_deleted_sheet_is_named_in_a_warning(tmp_path: Path) -> None:
    out = save_xlsx(branched(), tmp_path / "b.xlsx")
    workbook = openpyxl.load_workbook(out)
    del workbook["Steps"]
    del workbook["Paths"]
    workbook.save(out)
    imported, problems = read_xlsx(out)
    messages = [str(p) for p in problems]
    assert any(m.startswith("Steps!A1: warning: sheet 'Steps' is missing") for m in messages), (
        messages
    )
    assert any("sheet 'Paths' is missing" in m for m in messages), messages
    assert [s.id for s in imported.steps()] == [s.id for s in branched().steps()]
    workbook = openpyxl.load_workbook(out)
    del workbook["Map"]
    workbook.save(out)
    with pytest.raises(BadData, match="no 'Map' sheet"):
        import_xlsx(out)
