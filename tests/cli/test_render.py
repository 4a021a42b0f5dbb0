"""``parcours render``: files written, clear one-line errors, exit codes, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcours.cli import app

GOLDEN = Path(__file__).parents[1] / "render" / "golden"
TEMPLATES = Path(__file__).parents[2] / "parcours" / "templates"
WORKSPACE = """\
parcours: 1
workspace: Deux parcours
lang: fr
personas:
  - {id: lea, name: Léa Martin, emoji: 👩‍💼, segment: Cadres pressés}
journeys:
  - journey: Premier parcours
    id: un
    persona: lea
    lanes: [actions, emotions]
    stages:
      - Début:
          - Arrive: {actions: [Entre], emotion: +1}
  - journey: Second parcours
    id: deux
    lanes: [actions]
    stages:
      - Début:
          - Part: {actions: [Sort]}
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "suffix,magic", [(".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF")]
)
def test_render_a_map_file(runner: CliRunner, tmp_path: Path, suffix: str, magic: bytes) -> None:
    out = tmp_path / f"map{suffix}"
    code, _, err = run(runner, "render", str(GOLDEN / "branched.yaml"), "-o", str(out))
    assert code == 0, err
    assert out.read_bytes().startswith(magic)
    assert f"wrote {out}" in err


def test_render_a_journey_of_a_workspace(runner: CliRunner, tmp_path: Path) -> None:
    ws = tmp_path / "ws.yaml"
    ws.write_text(WORKSPACE, encoding="utf-8")
    code, _, err = run(runner, "render", str(ws), "-o", str(tmp_path / "x.svg"))
    assert code == 1
    assert err.count("\n") == 1 and "--journey" in err and "un, deux" in err
    code, _, err = run(runner, "render", str(ws), "--journey", "un", "-o", str(tmp_path / "un.svg"))
    assert code == 0, err
    svg = (tmp_path / "un.svg").read_text(encoding="utf-8")
    assert "Léa Martin" in svg and "👩‍💼" in svg and "Cadres pressés" in svg
    code, _, err = run(runner, "render", str(ws), "-j", "trois", "-o", str(tmp_path / "t.svg"))
    assert code == 1 and "no journey with id 'trois'" in err


def test_render_a_template_workspace_to_png_at_scale_2(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "bank.png"
    code, _, err = run(
        runner,
        "render",
        str(TEMPLATES / "bank-account-opening.fr.yaml"),
        "-o",
        str(out),
        "--scale",
        "0.5",
    )
    assert code == 0, err
    assert out.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    "args,message",
    [
        (["nothere.yaml", "-o", "{tmp}/x.svg"], "no such file"),
        (["{golden}/linear.yaml", "-o", "{tmp}/x.docx"], "cannot render to 'x.docx'"),
        (["{golden}/linear.yaml", "-o", "{tmp}/missing/x.svg"], "does not exist"),
        (["{golden}/linear.yaml", "-o", "{tmp}/x.png", "--scale", "0"], "--scale is 0"),
        (["{golden}/linear.yaml", "-o", "{tmp}/x.svg", "--theme", "neon"], "unknown theme 'neon'"),
        (
            ["{golden}/linear.yaml", "-o", "{tmp}/x.pdf", "--steps-per-page", "0"],
            "--steps-per-page",
        ),
        (
            ["{golden}/linear.yaml", "{golden}/branched.yaml", "-o", "{tmp}/x.svg"],
            "got 2 arguments",
        ),
        (["atlas", "-o", "{tmp}/x.pdf"], "needs a workspace"),
        (["personas", "{golden}/linear.yaml", "-o", "{tmp}/x.pdf"], "not a workspace"),
        (["atlas", "{tmp}/ws.yaml", "-o", "{tmp}/x.svg"], "ending in .pdf"),
        (["{tmp}/bad.yaml", "-o", "{tmp}/x.svg"], "bad.yaml:"),
    ],
)
def test_errors_are_one_sentence_and_exit_1(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "bad.yaml").write_text("parcours: 1\njourney: [\n", encoding="utf-8")
    (tmp_path / "ws.yaml").write_text(WORKSPACE, encoding="utf-8")
    args = [a.format(tmp=tmp_path, golden=GOLDEN) for a in args]
    code, _, err = run(runner, "render", *args)
    assert code == 1
    assert message in err
    assert "Traceback" not in err
    assert err.startswith("error: ") and err.count("\n") == 1


def test_theme_option(runner: CliRunner, tmp_path: Path) -> None:
    theme = tmp_path / "theme.yaml"
    theme.write_text("good: '#00aa00'\nbad: '#aa0000'\n", encoding="utf-8")
    out = tmp_path / "x.svg"
    code, _, err = run(
        runner, "render", str(GOLDEN / "linear.yaml"), "-o", str(out), "-t", str(theme)
    )
    assert code == 0, err
    assert "#00aa00" in out.read_text(encoding="utf-8")
    code, _, err = run(runner, "render", str(GOLDEN / "linear.yaml"), "-o", str(out), "-t", "print")
    assert code == 0, err


@pytest.mark.parametrize("kind", ["personas", "atlas"])
def test_render_personas_and_atlas(runner: CliRunner, tmp_path: Path, kind: str) -> None:
    ws = tmp_path / "ws.yaml"
    ws.write_text(WORKSPACE, encoding="utf-8")
    out = tmp_path / f"{kind}.pdf"
    code, _, err = run(runner, "render", kind, str(ws), "-o", str(out))
    if code == 1 and "not available" in err:  # the other engineer's module is not there yet
        assert err.count("\n") == 1
        return
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF")


def test_help_lists_the_forms(runner: CliRunner) -> None:
    code, out, _ = run(runner, "render", "--help")
    assert code == 0
    assert "personas" in out and "atlas" in out and "--journey" in out


def test_the_atlas_paper_option(runner: CliRunner, tmp_path: Path) -> None:
    from pypdf import PdfReader

    ws = tmp_path / "ws.yaml"
    ws.write_text(WORKSPACE, encoding="utf-8")
    out = tmp_path / "atlas.pdf"
    code, _, err = run(runner, "render", "atlas", str(ws), "-o", str(out), "--paper", "A4")
    assert code == 0, err
    sizes = {round(float(p.mediabox.width)) for p in PdfReader(out).pages}
    assert sizes == {842}  # every page A4 landscape, the maps too
    code, _, err = run(runner, "render", "atlas", str(ws), "-o", str(out), "--paper", "letter")
    assert code == 2 and "letter" in err
    code, out_text, _ = run(runner, "render", "atlas", "--help")
    assert "--paper" in out_text and "a4" in out_text
