"""`parcours validate --lang fr` says the model's problems and its summary in French."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from parcours.cli import app

runner = CliRunner()
BAD = "parcours: 1\njourney: Ouverture\nstages:\n  - A:\n      - B: {end: true, next: [C]}\n      - C\n"
LOOSE = "parcours: 1\njourney: Ouverture\nstages:\n  - A:\n      - B: {end: true}\n      - C\n"


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_an_error_of_the_model_in_french(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(BAD, encoding="utf-8")
    code, out = run("validate", "--lang", "fr", str(path))
    assert code == 1
    assert out.splitlines() == [
        f"{path}:5:18: l'étape « B » est marquée comme fin et a aussi des étapes suivantes ; "
        "retirez « end » ou « next »",
        f"{path} : 1 erreur(s), 0 avertissement(s)",
    ]
    code, out = run("validate", str(path))  # English by default, as before
    assert code == 1
    assert out.splitlines() == [
        f"{path}:5:18: step 'B' is marked as an end and also has next steps; "
        "remove 'end' or 'next'",
        f"{path}: 1 error(s), 0 warning(s)",
    ]


def test_a_warning_and_the_summary_in_french(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(LOOSE, encoding="utf-8")
    code, out = run("validate", "--lang", "fr", str(path))
    assert code == 0
    assert out.splitlines()[-1] == (
        f"{path} : valide, parcours « Ouverture » : 1 phase, 2 étapes (1 avertissement)"
    )
    assert out.splitlines()[0].startswith(
        f"{path}:6:9: avertissement : l'étape « C » n'est accessible depuis aucune étape"
    )
    code, out = run("validate", "--lang", "fr", "--json", str(path))
    (problem,) = json.loads(out)[0]["problems"]
    assert problem["code"] == "step.unreachable" and problem["params"] == {"step": "C"}
    assert problem["message"].startswith("l'étape « C » n'est accessible")
    code, out = run("validate", str(path))
    assert out.splitlines()[-1] == f"{path}: ok, journey 'Ouverture': 1 stage, 2 steps (1 warning)"


def test_an_unknown_language_is_refused_with_the_choices(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(LOOSE, encoding="utf-8")
    code, out = run("validate", "--lang", "de", str(path))
    assert code == 2 and "'de' is not one of" in out
