"""``parcours export`` and ``parcours import``, and LibreOffice opening what we write."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import parcours.files as files
from parcours.catalog import templates
from parcours.cli import app
from parcours.files import load
from parcours.model.atlas import Atlas
from parcours.model.diff import diff
from parcours.render.office.reader import read_xlsx
from tests.libreoffice import convert
from tests.render.test_xlsx import BRANCHED, LINEAR, ROOT, branched

runner = CliRunner()
BANK = ROOT / "parcours" / "templates" / "bank-account-opening.fr.yaml"
DEMO = ROOT / "parcours" / "examples" / "demo"


@pytest.fixture
def maps(tmp_path: Path) -> Path:
    (tmp_path / "linear.yaml").write_text(LINEAR, encoding="utf-8")
    (tmp_path / "branched.yaml").write_text(BRANCHED, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("fmt", ["xlsx", "pptx", "md", "csv", "json", "yaml"])
def test_export_every_format(maps: Path, fmt: str) -> None:
    out = maps / f"out.{fmt}"
    result = runner.invoke(
        app, ["export", str(maps / "branched.yaml"), "--format", fmt, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    if fmt in ("json", "yaml"):
        assert files.load_journey(out) == branched()
    if fmt in ("md", "csv"):
        assert "Visite le site" in out.read_text(encoding="utf-8")


def test_export_a_workspace_journey_then_import_it(tmp_path: Path) -> None:
    out = tmp_path / "bank.xlsx"
    result = runner.invoke(app, ["export", str(BANK), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Personas" in openpyxl.load_workbook(out).sheetnames
    back = tmp_path / "bank.yaml"
    result = runner.invoke(app, ["import", str(out), "-o", str(back)])
    assert result.exit_code == 0, result.output
    original = files.load_journey(BANK)
    imported = files.load_journey(back)  # stands alone: the library entries came along
    assert diff(original, imported.model_copy(update={"library": original.library})) == []


def test_export_one_journey_of_a_workspace(tmp_path: Path) -> None:
    atlas = files.load_atlas(DEMO)
    journey = atlas.journeys[-1]
    out = tmp_path / "one.pptx"
    result = runner.invoke(app, ["export", str(DEMO), "--journey", journey.id, "-o", str(out)])
    assert result.exit_code == 0, result.output
    from pptx import Presentation

    found = "\n".join(
        s.text_frame.text
        for slide in Presentation(str(out)).slides
        for s in slide.shapes
        if s.has_text_frame
    )
    assert all(step.name in found for step in journey.steps())


def test_import_prints_problems_by_sheet_and_cell_and_exits_0(maps: Path) -> None:
    out = maps / "m.xlsx"
    assert runner.invoke(app, ["export", str(maps / "linear.yaml"), "-o", str(out)]).exit_code == 0
    workbook = openpyxl.load_workbook(out)
    ws = workbook["Map"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Émotions")
    ws.cell(row, 3).value = "très bien"
    workbook.save(out)
    result = runner.invoke(app, ["import", str(out), "-o", str(maps / "back.json")])
    assert result.exit_code == 0
    assert (
        f"Map!C{row}: warning: emotion 'très bien' is not a number from -2 to +2" in result.output
    )
    assert (maps / "back.json").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "missing.yaml", "-o", "x.xlsx"], "no such file"),
        (["export", "{branched}", "-o", "x.pdf"], "cannot tell the format"),
        (["export", "{branched}", "--format", "docx", "-o", "x.docx"], "unknown format 'docx'"),
        (["export", str(BANK.parent / "nothing"), "-o", "x.md"], "no such file"),
        (["import", "{branched}", "-o", "x.yaml"], "import' reads .xlsx; to read a map use"),
        (["import", "missing.xlsx", "-o", "x.yaml"], "missing.xlsx: no such file"),
        (["import", "{xlsx}", "-o", "x.txt"], "must end in .yaml"),
        (["export", str(DEMO), "-o", "x.xlsx"], "choose one with --journey"),
        (["export", str(DEMO), "--journey", "nope", "-o", "x.xlsx"], "no journey with id 'nope'"),
    ],
)
def test_errors_are_one_sentence_exit_1(maps: Path, args: list[str], message: str) -> None:
    (maps / "w.xlsx").write_bytes(b"PK")
    args = [
        a.replace("{branched}", str(maps / "branched.yaml")).replace("{xlsx}", str(maps / "w.xlsx"))
        for a in args
    ]
    args = [str(maps / a) if a.startswith("x.") else a for a in args]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.output.startswith("error: ")


# -- LibreOffice -------------------------------------------------------------------------------
def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.libreoffice
def test_libreoffice_opens_and_converts_xlsx_and_pptx(tmp_path: Path) -> None:
    assert shutil.which("pdftotext"), "pdftotext is required: apt-get install poppler-utils"
    (tmp_path / "branched.yaml").write_text(BRANCHED, encoding="utf-8")
    sources = {
        "bank-map.xlsx": BANK,
        "bank-deck.pptx": BANK,
        "branched-map.xlsx": tmp_path / "branched.yaml",
        "branched-deck.pptx": tmp_path / "branched.yaml",
    }
    for name, source in sources.items():
        result = runner.invoke(app, ["export", str(source), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    outdir = tmp_path / "pdf"
    convert((tmp_path / n for n in sources), outdir)  # one soffice call for every file

    def pdf_text(stem: str) -> str:
        pdf = outdir / f"{stem}.pdf"
        assert pdf.exists() and pdf.stat().st_size > 1000, stem
        done = subprocess.run(
            ["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True
        )
        # LibreOffice may wrap a name where the layout did not (another font), even after a hyphen
        return _words(done.stdout.replace("-\n", "-"))

    bank = files.load_journey(BANK)
    for stem in ("bank-map", "bank-deck"):
        text = pdf_text(stem)
        for step in bank.steps():
            assert _words(step.name) in text, (stem, step.name)
    for stem in ("branched-map", "branched-deck"):
        text = pdf_text(stem)
        for step in branched().steps():
            assert step.name in text, (stem, step.name)
        assert "Pièce manquante" in text
    # a text that looks like a formula is shown as typed, never computed
    text = pdf_text("branched-map")
    assert "=1+1" in text and "=cmd|' /C calc'!A0" in text


@pytest.mark.libreoffice
def test_a_workbook_saved_again_by_libreoffice_imports_exactly(tmp_path: Path) -> None:
    """A person opens the workbook in LibreOffice Calc and saves it: nothing is lost."""
    (tmp_path / "branched.yaml").write_text(BRANCHED, encoding="utf-8")
    sources = {"bank.xlsx": BANK, "branched.xlsx": tmp_path / "branched.yaml"}
    for name, source in sources.items():
        assert (
            runner.invoke(app, ["export", str(source), "-o", str(tmp_path / name)]).exit_code == 0
        )
    convert((tmp_path / n for n in sources), tmp_path / "saved", "xlsx:Calc MS Excel 2007 XML")
    for name, source in sources.items():
        saved = tmp_path / "saved" / name
        assert saved.read_bytes() != (tmp_path / name).read_bytes()
        imported, problems = read_xlsx(saved)
        assert problems == []
        assert imported == files.load_journey(source)


@pytest.mark.parametrize("template", sorted({(t.id, t.lang) for t in templates()}))
def test_a_new_workspace_comes_back_equal_through_excel(
    tmp_path: Path, template: tuple[str, str]
) -> None:
    """new → export xlsx → import → diff: the workspace comes back whole (its personas and
    library too), for every template in both languages."""
    template_id, lang = template
    original, workbook, back = tmp_path / "m.yaml", tmp_path / "m.xlsx", tmp_path / "back.yaml"
    args = ["new", "--template", template_id, "--lang", lang, "-o", str(original)]
    assert runner.invoke(app, args).exit_code == 0
    assert runner.invoke(app, ["export", str(original), "-o", str(workbook)]).exit_code == 0
    result = runner.invoke(app, ["import", str(workbook), "-o", str(back)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["diff", str(original), str(back)])
    assert (result.exit_code, result.output.strip()) == (0, "equal")
    restored = load(back)
    assert isinstance(restored, Atlas)
    assert restored == load(original)
