"""What a newcomer trips on with maps: each case failed before it was fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import parcours
from parcours.cli import app
from parcours.render.theme import Theme

runner = CliRunner()

UNDEFINED = """\
parcours: 1
journey: Ouverture de compte en ligne
personas: [claire]
stages:
  - Découverte:
      - Remplit le formulaire de la banque:
          actions: [Saisit ses coordonnées et télécharge sa pièce d'identité]
          kpis: [{kpi: abandon, measured: 38, target: 15}]
"""


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def undefined(tmp_path: Path) -> Path:
    path = tmp_path / "compte.yaml"
    path.write_text(UNDEFINED, encoding="utf-8")
    return path


def test_strict_validation_warns_of_undefined_kpis_and_personas(undefined: Path) -> None:
    code, out = run("validate", str(undefined))
    assert code == 0
    assert "warning: KPI 'abandon' is named but not defined, so it is drawn neutral" in out
    assert "warning: persona 'claire' is named but not defined here" in out
    assert run("validate", "--strict", str(undefined))[0] == 1


def test_an_undefined_kpi_is_drawn_neutral_in_every_painter(undefined: Path) -> None:
    journey = parcours.load_journey(undefined)
    assert next(k for k in journey.library.kpis if k.id == "abandon").higher_is_better is None
    theme = Theme()
    svg = journey.to_svg()
    start = svg.index('<g id="card-kpis')
    card = svg[start : svg.index("</g>", start)]
    assert "abandon" in card
    assert theme.no_target in card and theme.good not in card and theme.bad not in card
    from parcours.render.office.writer import build_workbook

    sheet = build_workbook(journey)["KPIs"]
    assert sheet.cell(2, sheet.max_column).value is None  # no "on/off target" result
    back = parcours.loads(parcours.dumps(journey), "back.yaml")  # stays undefined when saved
    assert isinstance(back, parcours.Journey) and back.library == journey.library


def test_a_french_map_without_lang_gets_french_words(undefined: Path) -> None:
    journey = parcours.load_journey(undefined)
    assert journey.lang is None and journey.language() == "fr"
    assert "Indicateurs" in journey.to_svg() and "KPIs" not in journey.to_svg()
    english = journey.model_copy(update={"title": "Opening an account", "stages": []})
    assert english.model_copy(update={"cells": {}}).language() == "en"
    assert journey.model_copy(update={"lang": "en"}).language() == "en"


def test_counts_have_their_plural(tmp_path: Path) -> None:
    code, out = run("new", "--template", "ecommerce-purchase", "-o", str(tmp_path / "m.yaml"))
    assert code == 0 and "1 persona)" in out and "steps," in out
    code, out = run("validate", str(tmp_path / "m.yaml"))
    assert "1 journey, 1 persona" in out


def test_diff_exits_2_on_an_error_and_says_what_it_leaves_out(tmp_path: Path) -> None:
    code, out = run("diff", str(tmp_path / "missing.yaml"), str(tmp_path / "other.yaml"))
    assert code == 2 and "no such file" in out
    workspace = tmp_path / "m.yaml"
    run("new", "--template", "ecommerce-purchase", "-o", str(workspace))
    journey = tmp_path / "alone.yaml"
    parcours.save(parcours.load_journey(workspace), journey)
    code, out = run("diff", str(workspace), str(journey))
    assert code == 0
    assert "personas, the other journeys and the shared library of the workspace A" in out


def test_import_of_a_map_file_says_what_to_use(tmp_path: Path, undefined: Path) -> None:
    code, out = run("import", str(undefined), "-o", str(tmp_path / "x.yaml"))
    assert code == 1
    assert "'parcours import' reads .xlsx; to read a map use 'parcours validate'" in out


def test_diff_speaks_the_language_of_the_map(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("parcours: 1\njourney: J\nlang: fr\nstages:\n  - Achat:\n      - Panier\n")
    b.write_text(
        "parcours: 1\njourney: J\nlang: fr\nstages:\n  - Achat:\n      - Panier\n      - Paie\n"
    )
    code, out = run("diff", str(a), str(b))
    assert (code, out.strip()) == (1, "- étape « Paie » ajoutée à la phase « Achat »")
    code, out = run("diff", "--lang", "en", str(a), str(b))
    assert out.strip() == "- step 'Paie' added to stage 'Achat'"


def test_markdown_names_the_personas(tmp_path: Path) -> None:
    workspace, page = tmp_path / "m.yaml", tmp_path / "m.md"
    run("new", "--template", "ecommerce-purchase", "--lang", "fr", "-o", str(workspace))
    assert run("export", str(workspace), "-o", str(page))[0] == 0
    atlas = parcours.load_atlas(workspace)
    persona = atlas.personas[0]
    text = page.read_text(encoding="utf-8")
    assert f"Persona: {persona.name}" in text and f": {persona.id}\n" not in text
