"""Theme files are data: strict grammars, located messages, bases inside the folder, no cycles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from parcours.errors import InvalidArgument
from parcours.render.theme import Theme, get_theme, theme_from_dict
from parcours.render.theme_file import ThemeError


def theme(tmp_path: Path, text: str, name: str = "theme.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> str:
    with pytest.raises(ThemeError) as info:
        get_theme(path)
    assert isinstance(info.value, InvalidArgument)
    return str(info.value)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ('ink: "#000\\" onload=\\"alert(1)"', "1:6: theme field 'ink' should be a colour"),
        (
            "ink: red",
            "1:6: theme field 'ink' should be a colour written #rrggbb or #rgb, not 'red'",
        ),
        ("ink: '#12345'", "should be a colour"),
        (
            "column_width: .nan",
            "1:15: theme field 'column_width' should be a number from 1 to 2000",
        ),
        ("column_width: 1e999", "should be a number from 1 to 2000"),
        (
            "column_width: 99999",
            "theme field 'column_width' is '99999'; write a number from 1 to 2000",
        ),
        ("column_width: true", "should be a number"),
        ("max_card_lines: 2.5", "should be a whole number"),
        (
            'font_family: "x\'; } body { color: red"',
            "1:14: theme field 'font_family' should be a name",
        ),
        ("font_family: '<script>'", "should be a name"),
        ("stage_colors: []", "should be a list of 1 to 50 colours"),
        (
            "stage_colors: ['#fff', 'url(x)']",
            "each of theme field 'stage_colors' should be a colour",
        ),
        ("card_fills: {'a\"b': '#fff'}", "is not a name"),
        ("card_fills: {actions: 'javascript:x'}", "'actions' of theme field 'card_fills'"),
        ("colour: '#fff'", "1:1: unknown theme field 'colour'; expected one of"),
        ("[1, 2]", "a theme file holds a mapping of theme fields"),
    ],
)
def test_bad_values_are_refused_with_their_place(tmp_path: Path, line: str, fragment: str) -> None:
    text = problems(theme(tmp_path, line + "\n"))
    assert "theme.yaml:" in text and fragment in text


def test_every_problem_at_once(tmp_path: Path) -> None:
    text = problems(theme(tmp_path, "ink: red\nmuted: blue\ncolumn_width: -1\n"))
    assert text.count("theme.yaml:") == 3


def test_good_values_are_normalised(tmp_path: Path) -> None:
    path = theme(
        tmp_path,
        "base: print\ngood: '#0A0'\ncard_fills: {actions: '#abcdef'}\nfont_family: DejaVu Sans\n",
    )
    result = get_theme(path)
    assert result.good == "#00aa00" and result.name == "print"
    assert (
        result.card_fills["actions"] == "#abcdef"
        and result.card_fills["notes"] == Theme().card_fills["notes"]
    )
    assert result.font_family == "DejaVu Sans"


def test_base_file_inside_the_folder(tmp_path: Path) -> None:
    theme(tmp_path, "base: contrast\ngood: '#111111'\n", "base.yaml")
    result = get_theme(theme(tmp_path, "base: base.yaml\nbad: '#222222'\n"))
    assert (result.good, result.bad, result.name) == ("#111111", "#222222", "contrast")


@pytest.mark.parametrize("base", ["/etc/passwd", "../outside.yaml", "sub/../../outside.yaml"])
def test_base_outside_the_folder_is_refused(tmp_path: Path, base: str) -> None:
    (tmp_path / "outside.yaml").write_text("good: '#000000'\n")
    folder = tmp_path / "themes"
    (folder / "sub").mkdir(parents=True)
    text = problems(theme(folder, f"base: '{base}'\n"))
    assert "leaves the theme's folder" in text and "root:" not in text


def test_base_cycles_are_refused(tmp_path: Path) -> None:
    assert "comes back to a theme already read (self.yaml → self.yaml)" in problems(
        theme(tmp_path, "base: self.yaml\n", "self.yaml")
    )
    theme(tmp_path, "base: b.yaml\n", "a.yaml")
    theme(tmp_path, "base: a.yaml\n", "b.yaml")
    assert "a.yaml → b.yaml → a.yaml" in problems(tmp_path / "a.yaml")


def test_unknown_theme_name_is_an_invalid_argument() -> None:
    with pytest.raises(InvalidArgument, match="unknown theme 'neon'; expected one of: default"):
        get_theme("neon")


def test_python_overrides_are_checked_too() -> None:
    with pytest.raises(ThemeError, match="theme field 'ink' should be a colour"):
        theme_from_dict({"ink": '#000" onload="x'})
    assert theme_from_dict({"base": "print", "column_width": 240}).column_width == 240.0


def test_render_refuses_an_injected_theme(tmp_path: Path) -> None:
    source = tmp_path / "map.yaml"
    source.write_text("parcours: 1\njourney: X\nstages:\n  - A: [b]\n")
    evil = theme(tmp_path, 'ink: "#000\\" onload=\\"alert(1)"\n')
    out = tmp_path / "map.svg"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "parcours",
            "render",
            str(source),
            "-o",
            str(out),
            "--theme",
            str(evil),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr
    assert "theme.yaml:1:6: theme field 'ink' should be a colour" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()
