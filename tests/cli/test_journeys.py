"""The map-as-code commands, run as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcours.catalog import templates
from parcours.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_version_and_help_from_the_installed_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "parcours", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "parcours 0.1.0"


def test_templates_lists_at_least_six_in_french_and_english() -> None:
    code, out = run("templates", "--json")
    assert code == 0
    listed = json.loads(out)
    ids = {t["id"] for t in listed}
    assert len(ids) >= 6
    for template_id in ids:
        assert {t["lang"] for t in listed if t["id"] == template_id} == {"fr", "en"}
    assert sum(not t["linear"] for t in listed) >= 4  # two non-linear templates, in both languages
    code, text = run("templates")
    assert code == 0 and "bank-account-opening" in text and "[branches]" in text


@pytest.mark.parametrize("template", sorted({(t.id, t.lang) for t in templates()}))
def test_new_validate_convert_and_diff(tmp_path: Path, template: tuple[str, str]) -> None:
    template_id, lang = template
    yaml_file = tmp_path / f"{template_id}.yaml"
    code, out = run("new", "--template", template_id, "--lang", lang, "-o", str(yaml_file))
    assert code == 0, out
    code, out = run("validate", str(yaml_file))
    assert code == 0, out
    assert "warning" not in out, out
    json_file = tmp_path / "map.json"
    back = tmp_path / "back.yaml"
    assert run("convert", str(yaml_file), "-o", str(json_file))[0] == 0
    assert run("convert", str(json_file), "-o", str(back))[0] == 0
    code, out = run("diff", str(yaml_file), str(back))
    assert (code, out.strip()) == (0, "equal")
    assert back.read_text(encoding="utf-8") == yaml_file.read_text(
        encoding="utf-8"
    )  # stable writer


def test_a_map_with_five_mistakes_gets_five_messages_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "parcours: 1\n"
        "journey: Achat en ligne\n"
        "state: curent\n"  # 1: bad choice
        "lanes: [touchpoints, actions, emotions, pain_points]\n"
        "stages:\n"
        "  - Découverte:\n"
        "      - Voit une publicité:\n"
        "          emotion: +3\n"  # 2: out of range
        "          pain_points: [{text: Trop de pubs, severity: grave}]\n"  # 3: bad severity
        "      - Compare:\n"
        "          actionz: [Lit les avis]\n"  # 4: unknown key
        "          next: [Paiement]\n",  # 5: missing step
        encoding="utf-8",
    )
    code, out = run("validate", str(bad))
    assert code == 1
    lines = [
        line
        for line in out.splitlines()
        if line.startswith(str(bad) + ":") and "error(s)" not in line
    ]
    assert len(lines) == 5, out
    expected = {
        3: "'state' is 'curent'; expected one of: current, future; did you mean 'current'?",
        8: "emotion +3 at 'emotions' of step 'Voit une publicité' is out of range",
        9: "is 'grave'; expected one of: irritant, blocker, rupture",
        11: "unknown key 'actionz' in step 'Compare'",
        12: "'Paiement' (the next step of step 'Compare') is not a step id or name",
    }
    for line_no, message in expected.items():
        assert any(line.startswith(f"{bad}:{line_no}:") and message in line for line in lines), (
            line_no,
            out,
        )
    code, out = run("validate", "--json", str(bad))
    report = json.loads(out)
    assert code == 1 and report[0]["valid"] is False and len(report[0]["problems"]) == 5
    assert all(p["line"] for p in report[0]["problems"])


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ('parcours: 1\njourney: X\nstages:\n  - A:\n      - "B:\n', 6, "not closed"),
        ("parcours: 1\njourney: X\nstages:\n  - A:\n    - B: c: d\n", 5, "must be quoted"),
        ("parcours: 1\njourney: X\nstages:\n\t- A\n", 4, "tabs"),
        ("parcours: 1\njourney: X\njourney: Y\n", 3, "appears twice"),
        ("", 1, "empty"),
        ("parcours: 7\njourney: X\n", 1, "newer than this parcours"),
    ],
)
def test_broken_files_get_a_line_and_no_traceback(
    tmp_path: Path, text: str, line: int, fragment: str
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "parcours", "validate", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{path}:{line}:" in result.stdout, result.stdout
    assert fragment in result.stdout


def test_broken_json_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "parcours": 1,\n  "journey": "X",\n  "stages": [\n}\n', encoding="utf-8")
    code, out = run("validate", str(path))
    assert code == 1 and f"{path}:5:" in out


def test_diff_lists_changes_and_exits_one(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text(
        "parcours: 1\njourney: J\nstages:\n  - Achat:\n      - Panier:\n          emotion: -1\n",
        encoding="utf-8",
    )
    b.write_text(
        "parcours: 1\njourney: J\nstages:\n  - Achat:\n      - Panier:\n          emotion: +1\n      - Paiement\n",
        encoding="utf-8",
    )
    code, out = run("diff", str(a), str(b))
    assert code == 1
    assert "- step 'Paiement' added to stage 'Achat'" in out
    assert "- emotion at 'Panier' −1 → +1" in out
    code, out = run("diff", "--json", str(a), str(b))
    assert json.loads(out)["equal"] is False


def test_schema_validates_every_template(tmp_path: Path) -> None:
    import jsonschema  # in the test extra
    import yaml

    _, out = run("schema")
    schema = json.loads(out)
    for t in templates():
        doc = json.loads(
            json.dumps(yaml.safe_load(t.path.read_text(encoding="utf-8")), default=str)
        )
        jsonschema.validate(doc, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"journey": "x", "stages": [{"A": [{"B": {"emotion": 5}}]}]}, schema)


def test_errors_are_one_sentence_and_exit_one(tmp_path: Path) -> None:
    code, out = run("new", "--template", "nope", "-o", str(tmp_path / "x.yaml"))
    assert code == 1 and "no template 'nope'; expected one of:" in out
    code, out = run("convert", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "x.json"))
    assert code == 1 and "no such file" in out
