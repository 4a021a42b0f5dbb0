"""The XLSX export: a workbook laid out like the map, without a single formula.

The sample maps here (linear and branched, accents, emoji, texts that look like formulas)
are shared by the other export tests.
"""

from __future__ import annotations

import glob
from pathlib import Path

import openpyxl
import pytest

import parcours.files as files
from parcours.model.atlas import Atlas
from parcours.model.journey import Journey
from parcours.render.office.reader import read_xlsx
from parcours.render.office.writer import save_xlsx
from parcours.security import FORMULA_TRIGGERS

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(glob.glob(str(ROOT / "parcours" / "templates" / "*.yaml")))
TRIGGER_TEXTS = [f"{c}1+1 trigger {n}" for n, c in enumerate(FORMULA_TRIGGERS)] + [
    '=HYPERLINK("http://canary.invalid","clic")',
    "=cmd|' /C calc'!A0",
    "+33 6 12 34 56 78",
    "-moins",
    "@SUM(A1:A3)",
]

LINEAR = """\
parcours: 1
journey: Achat éclair 🛒
lang: fr
lanes: [touchpoints, actions, thoughts, emotions, pain_points, opportunities, kpis, backstage, notes]
touchpoints: [{id: site, name: Site web}, {id: shop, name: Boutique à Élancourt}]
kpis: [{id: conv, name: Conversion, unit: "%"}]
stages:
  - Découverte:
      - Voit une publicité:
          touchpoints: [site]
          actions: [Clique sur l'annonce, Lit la page]
          thoughts: ["Ça a l'air bien 😍"]
          emotion: {score: 1, label: Curieuse}
  - Achat:
      - Paie sa commande:
          moment_of_truth: true
          touchpoints: [site, shop]
          pain_points: [{text: Paiement refusé, severity: blocker, evidence: Logs}]
          opportunities: [{text: Payer en trois fois, owner: Équipe paiement, priority: high, due: 2027-01-31, value: 12000}]
          kpis: [{kpi: conv, target: 3.5, measured: 2.4, period: T3 2026}]
          emotion: -1
      - Reçoit son colis:
          backstage: [Préparation en entrepôt]
          notes: ["Première ligne\\nseconde ligne"]
          emotion: +2
"""

BRANCHED = """\
parcours: 1
journey: Réclamation — « suivi » 😀
lang: fr
state: future
evidence: mixed
owner: "=HYPERLINK(\\"http://canary.invalid\\")"
tags: ["-1+2", "@SUM(A1)"]
lanes: [touchpoints, actions, thoughts, emotions, pain_points, opportunities, kpis, backstage, notes]
paths:
  - {id: web, name: "+Parcours web", description: "-en ligne"}
  - {id: shop, name: Parcours boutique}
entries: [visits-site, enters-shop]
touchpoints:
  - {id: site, name: "=Site web"}
  - {id: counter, name: Comptoir élégant}
kpis:
  - {id: csat, name: Satisfaction, unit: "/5"}
stages:
  - Découverte:
      - Visite le site:
          id: visits-site
          path: web
          touchpoints: [site]
          actions: ["=1+1", "+33 6 12 34 56 78", "-moins", "@mention", "\\tTabulé", "\\rRetour"]
          thoughts: ["Ça a l'air simple 🙂"]
          emotion: {score: 1, label: Curieuse, emoji: 🤔}
      - Entre en boutique:
          id: enters-shop
          path: shop
          touchpoints: [counter]
          actions: [Demande au vendeur]
          emotion: 0
  - Résolution:
      - Dépose sa réclamation:
          id: files-claim
          moment_of_truth: true
          pain_points: [{text: "=cmd|' /C calc'!A0", severity: rupture, evidence: "@evidence"}]
          opportunities: [{text: Formulaire guidé, owner: "-Équipe", priority: high, status: planned, due: 2027-01-31, value: 1500}]
          kpis: [{kpi: csat, target: 4.5, measured: 3.2, period: T3, source: Enquête}]
          emotion: -2
          next:
            - {to: gets-answer, label: Dossier complet, share: 70%}
            - {to: visits-site, label: "Pièce manquante", share: 30%}
      - Reçoit une réponse:
          id: gets-answer
          end: true
          backstage: [Traitement en back-office]
          notes: ["Ligne 1\\nLigne 2"]
          emotion: +2
"""


def linear() -> Journey:
    return files.loads(LINEAR)  # type: ignore[return-value]


def branched() -> Journey:
    return files.loads(BRANCHED)  # type: ignore[return-value]


def with_triggers() -> Journey:
    """The branched map with every trigger text as a card."""
    journey = branched()
    cells = {lane: dict(row) for lane, row in journey.cells.items()}
    from parcours.model.items import Card

    cells["notes"]["enters-shop"] = [Card(text=t) for t in TRIGGER_TEXTS]
    return journey.model_copy(update={"cells": cells})


def all_strings(path: Path) -> list[openpyxl.cell.cell.Cell]:
    workbook = openpyxl.load_workbook(path)
    return [cell for ws in workbook.worksheets for row in ws.iter_rows() for cell in row]


def test_map_sheet_is_laid_out_like_the_map(tmp_path: Path) -> None:
    journey = linear()
    out = save_xlsx(journey, tmp_path / "map.xlsx")
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames[:6] == [
        "Map",
        "Steps",
        "Paths",
        "Pain points",
        "Opportunities",
        "KPIs",
    ]
    assert workbook["parcours"].sheet_state == "veryHidden"
    ws = workbook["Map"]
    assert ws["A1"].value == "Achat éclair 🛒"
    step_row = [c.value for c in ws[6]]
    assert step_row[1:4] == ["Voit une publicité", "Paie sa commande", "Reçoit son colis"]
    # stages are merged over their steps
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "C5:D5" in merged and ws["C5"].value == "Achat"
    # lanes are rows: one row per card, titles in column A
    labels = [ws.cell(r, 1).value for r in range(7, ws.max_row + 1)]
    assert labels[:3] == ["Points de contact", None, "Actions"]
    emotions = labels.index("Émotions") + 7
    assert [ws.cell(emotions, c).value for c in (2, 3, 4)] == [1, -1, 2]
    assert ws._charts, "the emotion curve is a chart"
    # one row per step in Steps, the item sheets list every field
    steps = workbook["Steps"]
    assert [c.value for c in steps[3]][:3] == ["Achat", "paie-sa-commande", "Paie sa commande"]
    opportunity = [c.value for c in workbook["Opportunities"][2]]
    assert opportunity[5:8] == ["Payer en trois fois", "Équipe paiement", "high"]
    assert [c.value for c in workbook["KPIs"][2]][5:10] == ["conv", "Conversion", 3.5, 2.4, "%"]


def test_branched_map_lists_paths_links_and_entries(tmp_path: Path) -> None:
    out = save_xlsx(branched(), tmp_path / "b.xlsx")
    workbook = openpyxl.load_workbook(out)
    paths = [[c.value for c in row] for row in workbook["Paths"].iter_rows(min_row=2)]
    assert paths[0][:2] == ["web", "+Parcours web"]
    assert "Visite le site" in paths[0][3] and "Entre en boutique" not in paths[0][3]
    rows = {row[1].value: [c.value for c in row] for row in workbook["Steps"].iter_rows(min_row=2)}
    header = [c.value for c in workbook["Steps"][1]]
    claim = dict(zip(header, rows["files-claim"], strict=True))
    assert (
        claim["Next"]
        == "gets-answer | Dossier complet | 70 %\nvisits-site | Pièce manquante | 30 %"
    )
    assert claim["Moment of truth"] == "yes"
    assert dict(zip(header, rows["gets-answer"], strict=True))["End"] == "yes"
    assert dict(zip(header, rows["visits-site"], strict=True))["Entry"] == "yes"
    ws = workbook["Map"]
    assert ws["A7"].value == "Parcours" and ws["B7"].value == "+Parcours web"
    assert "↺ Visite le site (Pièce manquante, 30 %)" in ws["D8"].value


def test_every_trigger_text_is_a_text_cell_and_no_cell_is_a_formula(tmp_path: Path) -> None:
    journey = with_triggers()
    out = save_xlsx(journey, tmp_path / "t.xlsx")
    cells = all_strings(out)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value: c for c in cells if isinstance(c.value, str)}
    for text in [
        *TRIGGER_TEXTS,
        "=1+1",
        "\tTabulé",
        "\rRetour",
        "=Site web",
        "-Équipe",
        "@evidence",
    ]:
        assert text in values, text
        assert values[text].data_type == "s"
        assert values[text].quotePrefix, f"{text!r} is not quote-prefixed"
    # and the raw XML holds no <f> element at all
    import zipfile

    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_every_trigger_text_reads_back_as_written(tmp_path: Path) -> None:
    journey = with_triggers()
    imported, problems = read_xlsx(save_xlsx(journey, tmp_path / "t.xlsx"))
    assert problems == []
    assert [c.text for c in imported.cell("notes", "enters-shop")] == TRIGGER_TEXTS
    assert imported == journey


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: Path(p).stem)
def test_templates_export(tmp_path: Path, path: str) -> None:
    atlas = files.load_atlas(path)
    assert isinstance(atlas, Atlas)
    for journey in atlas.journeys:
        out = save_xlsx(journey, tmp_path / f"{journey.id}.xlsx", atlas=atlas)
        workbook = openpyxl.load_workbook(out)
        names = {c.value for c in workbook["Map"][6]}
        assert {s.name for s in journey.steps()} <= names
        personas = [row[0].value for row in workbook["Personas"].iter_rows(min_row=2)]
        assert set(journey.personas) <= set(personas)


def test_control_characters_do_not_break_the_workbook(tmp_path: Path) -> None:
    from parcours.model.items import Card

    journey = linear()
    cells = {**journey.cells, "notes": {"voit-une-publicite": [Card(text="a\x01b\x0bc")]}}
    journey = journey.model_copy(update={"cells": cells, "owner": "x\x02y"})
    out = save_xlsx(journey, tmp_path / "ctl.xlsx")
    assert "abc" in {c.value for c in all_strings(out)}
    imported, problems = read_xlsx(out)
    assert problems == [] and imported == journey  # the hidden copy keeps them


def test_every_cell_has_one_font(tmp_path: Path) -> None:
    import re
    import zipfile

    out = save_xlsx(branched(), tmp_path / "b.xlsx")
    styles = zipfile.ZipFile(out).read("xl/styles.xml").decode()
    fonts = re.findall(r"<font>.*?</font>|<font/>", styles, re.S)
    assert fonts and {re.search(r'<name val="([^"]+)"', f).group(1) for f in fonts} == {"Arial"}  # type: ignore[union-attr]
