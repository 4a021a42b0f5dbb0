"""The escaping modules, read as a security surface: hostile text is inert in every output."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

import parcours
from parcours.cli import app
from parcours.escape import html, markdown, terminal, xml

HOSTILE = [
    "<script>alert(1)</script>",
    '" onload="alert(1)',
    "' onmouseover='x",
    "a & b &amp; &#60;",
    "\x00\x07\x1b[2J\x1b]0;pwned\x07\x7f",
    "line\nnext\r\nthird\u2028fourth\u2029fifth\x85sixth",
    "`code` | pipe *bold* [link](javascript:alert(1)) # ~",
    "\u202eevil\u2066",
    "\ud800 lone surrogate \ufffe",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_xml_text_parses_back_to_the_text_minus_what_xml_forbids(text: str) -> None:
    element = ET.fromstring(f'<t a="{xml.text(text)}">{xml.text(text)}</t>')
    kept = xml.INVALID.sub("", text)
    assert element.text == kept.replace("\r\n", "\n").replace("\r", "\n") or element.text == kept
    assert element.get("a") is not None and "<" not in xml.text(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_has_no_markup_and_no_unquoted_quote(text: str) -> None:
    out = html.text(text)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert "\x00" not in html.xml_text(text) and "\ud800" not in html.xml_text(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_cells_and_spans_stay_on_one_line_with_no_raw_html(text: str) -> None:
    for out in (markdown.cell(text), markdown.code(text)):
        assert not re.search("[\r\n\x85\u2028\u2029\x00\x1b]", out)
        assert "<script" not in out.replace("`", "") or out.startswith("`")
    cell = markdown.cell(text)
    assert "<" not in cell.replace("<br>", "") and re.search(r"(?<!\\)\|", cell) is None
    span = markdown.code(text)
    assert span.count("`") in (0, 2)


@pytest.mark.parametrize("text", HOSTILE)
def test_terminal_text_runs_no_escape_sequence(text: str) -> None:
    out = terminal.for_terminal(text)
    assert not re.search("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out)
    assert terminal.for_terminal("Paiement €, été\tok") == "Paiement €, été\tok"
    assert terminal.for_terminal("\x1b[2J") == "\\x1b[2J"


def test_a_tag_with_a_newline_cannot_open_html_in_the_markdown_export() -> None:
    journey = parcours.loads("parcours: 1\njourney: J\nstages:\n  - A:\n      - B\n")
    assert isinstance(journey, parcours.Journey)
    hostile = journey.model_copy(update={"tags": ["ok\n<script>alert(1)</script>", "`x`\n\ny"]})
    page = hostile.to_markdown()
    assert not any(line.lstrip().startswith("<") for line in page.splitlines())
    assert "`ok <script>alert(1)</script>` `x y`" in page


def test_yaml_keeps_unicode_line_separators() -> None:
    journey = parcours.loads("parcours: 1\njourney: J\nstages:\n  - A:\n      - B\n")
    assert isinstance(journey, parcours.Journey)
    odd = journey.model_copy(update={"description": "a\u2028b\u2029c\x85d"})
    back = parcours.loads(parcours.dumps(odd))
    assert isinstance(back, parcours.Journey) and back.description == "a\u2028b\u2029c\x85d"


def test_names_with_escape_sequences_are_printed_visible(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("parcours: 1\njourney: J\nstages:\n  - A:\n      - B\n", encoding="utf-8")
    b.write_text(
        'parcours: 1\njourney: J\nstages:\n  - A:\n      - B\n      - "\\e]0;pwned\\a\\e[2J"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["diff", str(a), str(b)])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\\x1b]0;pwned\\x07\\x1b[2J" in result.output
