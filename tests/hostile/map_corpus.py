"""The hostile corpus of maps: YAML, JSON, workspace folders, themes and map workbooks that
attack or confuse the readers, with what each must give.

``python -m tests.hostile.map_corpus`` (re)writes the committed inputs under
``tests/hostile/corpus/{yaml,json,workspace,theme,xlsx}/`` with an ``expect.json`` per
folder: ``{name: [command, expectation]}``. The command is how the input is read
(``validate`` a map or a folder, ``convert`` it, ``render`` a map with the input as
``--theme``, ``import`` a workbook); the expectation is ``ok`` (read, exit 0), ``any``
(exit 0 or 1: a cut file may still be a valid map), ``err`` (exit 1, the message names the
file) or ``loc`` (exit 1, the message names the file and a line). Inputs that cannot be
committed — FIFOs, symbolic links to outside paths, files of several MiB, bombs — are made
by :func:`build_special` at test time. Everything is deterministic.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
READERS = ("yaml", "json", "workspace", "theme", "xlsx")
CANARY = "CANARY-9b1e-never-printed"
HEAD = "parcours: 1\njourney: Hostile\n"
STEP = HEAD + "stages:\n  - A:\n      - B:\n"
Case = tuple[str, bytes, str, str]  # name, content, command, expectation


def _step(body: str) -> bytes:
    return (STEP + "".join(f"          {line}\n" for line in body.splitlines())).encode()


def _template() -> str:
    root = Path(__file__).parents[2] / "parcours" / "templates" / "bank-account-opening.fr.yaml"
    return root.read_text(encoding="utf-8")


def _bomb(levels: int, width: int, under: str) -> bytes:
    lines = [HEAD, f"{under}:\n", "  - &a0 [" + ", ".join(["x"] * width) + "]\n"]
    for n in range(1, levels):
        lines.append(f"  - &a{n} [" + ", ".join([f"*a{n - 1}"] * width) + "]\n")
    lines.append("stages:\n  - A: [b]\n")
    return "".join(lines).encode()


def yaml_cases() -> Iterator[Case]:
    v, ok = "validate", "ok"
    # syntax
    yield "tab.yaml", HEAD.encode() + b"stages:\n\t- A\n", v, "loc"
    yield "colon.yaml", HEAD.encode() + b"stages:\n  - A:\n    - B: c: d\n", v, "loc"
    yield "quote.yaml", HEAD.encode() + b'stages:\n  - "A\n', v, "loc"
    yield "bracket.yaml", HEAD.encode() + b"stages: [[[\n", v, "loc"
    yield "indent.yaml", HEAD.encode() + b"stages:\n  - A:\n      - B\n    - C\n", v, "loc"
    yield "empty.yaml", b"", v, "loc"
    yield "comments.yaml", b"# nothing\n# here\n", v, "loc"
    yield "bom.yaml", b"\xef\xbb\xbf", v, "loc"
    yield "nul.yaml", HEAD.encode() + b"\x00\x00stages: []\n", v, "loc"
    yield "utf8-bad.yaml", HEAD.encode() + b"stages:\n  - \xff\xfe\n", v, "loc"
    yield "utf8-cut.yaml", HEAD.encode() + b"stages:\n  - \xc3\n", v, "loc"
    yield "utf16.yaml", (HEAD + "stages: []\n").encode("utf-16"), v, "loc"
    yield "surrogate.yaml", HEAD.encode() + b'stages:\n  - "\\ud800": [b]\n', v, "any"
    yield "control.yaml", HEAD.encode() + b'stages:\n  - "\\e]0;pwned\\a\\e[2J": [b]\n', v, "any"
    yield "u2028.yaml", HEAD.encode() + "stages:\n  - 'a\u2028b': [c]\n".encode(), v, "any"
    yield "directive.yaml", b"%YAML 9.9\n---\n" + HEAD.encode(), v, "any"
    yield "two-docs.yaml", HEAD.encode() + b"stages: []\n---\nx: 1\n", v, "loc"
    # aliases and tags
    yield "bomb-tags.yaml", _bomb(9, 9, "tags"), v, "loc"
    yield "bomb-unknown.yaml", _bomb(9, 9, "extra"), v, "loc"
    yield "bomb-wide.yaml", _bomb(4, 200, "tags"), v, "loc"
    yield "bomb-deep.yaml", _bomb(40, 2, "notes"), v, "loc"
    yield (
        "many-aliases.yaml",
        (HEAD + "x: &a 1\ntags: [" + ", ".join(["*a"] * 500) + "]\nstages: []\n").encode(),
        v,
        "loc",
    )
    yield "alias-stages.yaml", (HEAD + "s: &s [A, B]\nstages: *s\n").encode(), v, "any"
    yield "alias-self.yaml", (HEAD + "stages: &s\n  - *s\n").encode(), v, "any"
    yield (
        "merge-key.yaml",
        (
            HEAD + "base: &b {actions: [x]}\nstages:\n  - A:\n      - B:\n          <<: *b\n"
        ).encode(),
        v,
        "loc",
    )
    yield "undefined-alias.yaml", (HEAD + "stages: *nothing\n").encode(), v, "loc"
    for tag in ("!!python/object:os.system", "!!python/name:os.system", "!!binary", "!!set",
                "!!omap", "!custom", "!!timestamp", "!!float", "!!int"):  # fmt: skip
        safe = tag.strip("!").replace("/", "-").replace(":", "-").replace(".", "-")
        yield f"tag-{safe}.yaml", (HEAD + f"reviewed: {tag} x\nstages: [A]\n").encode(), v, "any"
    # nesting
    yield "deep-flow.yaml", (HEAD + "extra: " + "[" * 5000 + "]" * 5000 + "\n").encode(), v, "loc"
    yield (
        "deep-map.yaml",
        (HEAD + "extra: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n").encode(),
        v,
        "loc",
    )
    yield (
        "deep-block.yaml",
        (HEAD + "extra:\n" + "".join("  " * (n + 1) + "- \n" for n in range(300))).encode(),
        v,
        "loc",
    )
    yield "deep-stages.yaml", (HEAD + "stages: " + "[" * 100 + "]" * 100 + "\n").encode(), v, "loc"
    # numbers
    numbers = [".nan", ".NaN", ".inf", "-.inf", "NaN", "Infinity", "-Infinity", "1e999",
               "-1e999", "9" * 5000, "-" + "9" * 5000, "0x" + "f" * 400, "1_000_000_000_000",
               "1e308", "0b101", "0o777", "1:30:00", "+.inf"]  # fmt: skip
    for n, number in enumerate(numbers):
        yield f"emotion-{n}.yaml", _step(f"emotion: {number}"), v, "any" if n >= 12 else "loc"
        yield (
            f"kpi-{n}.yaml",
            _step(f"kpis:\n  - {{kpi: k, target: {number}, measured: 1}}"),
            v,
            ("any" if n >= 12 else "loc"),
        )
    yield (
        "value-nan.yaml",
        (HEAD + "value: {customer: .nan, business: .inf}\nstages: [A]\n").encode(),
        v,
        "loc",
    )
    yield (
        "share-nan.yaml",
        (STEP + "          next: [{to: c, share: .nan}]\n      - C\n").encode(),
        v,
        "loc",
    )
    yield "opportunity-value.yaml", _step("opportunities:\n  - {text: x, value: 1e999}"), v, "loc"
    # dates
    for n, date in enumerate(["2026-13-45", "0000-01-01", "2026-02-30", "99999-01-01",
                              "yesterday", "[2026]", "2026-01-01T25:61:00", "{a: 1}"]):  # fmt: skip
        yield f"reviewed-{n}.yaml", (HEAD + f"reviewed: {date}\nstages: [A]\n").encode(), v, "loc"
        yield f"due-{n}.yaml", _step(f"opportunities:\n  - {{text: x, due: {date}}}"), v, "loc"
    yield (
        "comment-date.yaml",
        (HEAD + "stages: [A]\ncomments:\n  - {text: x, at: 2026-13-45T10:00:00}\n").encode(),
        v,
        "any",
    )
    # texts and shapes
    yield "long-name.yaml", (HEAD + "stages:\n  - " + "N" * 200_000 + ": [b]\n").encode(), v, "loc"
    yield "long-key.yaml", (HEAD + "K" * 150_000 + ": 1\nstages: [A]\n").encode(), v, "loc"
    yield "long-unknown-key.yaml", (HEAD + "k" * 5_000 + ": 1\nstages: [A]\n").encode(), v, "loc"
    yield (
        "long-lane.yaml",
        (HEAD + "lanes: [" + "x" * 5_000 + "]\nstages: [A]\n").encode(),
        v,
        "loc",
    )
    yield "long-ref.yaml", _step("next: [" + "z" * 5_000 + "]"), v, "loc"
    yield "root-list.yaml", b"- a\n- b\n", v, "loc"
    yield "root-scalar.yaml", b"just text\n", v, "loc"
    yield "root-null.yaml", b"~\n", v, "loc"
    yield "stages-text.yaml", (HEAD + "stages: hello\n").encode(), v, "any"
    yield "stages-map.yaml", (HEAD + "stages: {a: 1}\n").encode(), v, "loc"
    yield "stages-number.yaml", (HEAD + "stages: 12\n").encode(), v, "any"
    yield "steps-number.yaml", (HEAD + "stages:\n  - A: 3\n").encode(), v, "any"
    yield "step-list.yaml", (STEP + "          - x\n").encode(), v, "loc"
    yield "complex-key.yaml", (HEAD + "? [a, b]\n: c\nstages: [A]\n").encode(), v, "loc"
    yield "null-key.yaml", (HEAD + "~: c\nstages: [A]\n").encode(), v, "loc"
    yield "int-keys.yaml", (HEAD + "stages:\n  - 1: [2]\n").encode(), v, "any"
    yield "dupes.yaml", (HEAD + "".join("journey: x\n" for _ in range(2000))).encode(), v, "loc"
    yield "version-99.yaml", b"parcours: 99\njourney: x\nstages: [A]\n", v, "loc"
    yield "version-text.yaml", b"parcours: one\njourney: x\nstages: [A]\n", v, "loc"
    yield "no-title.yaml", b"parcours: 1\nstages: [A]\n", v, "loc"
    yield (
        "lanes-300.yaml",
        (HEAD + "lanes: [" + ", ".join(["notes"] * 300) + "]\nstages: [A]\n").encode(),
        v,
        "loc",
    )
    yield (
        "stages-1001.yaml",
        (HEAD + "stages: [" + ", ".join(f"S{n}" for n in range(1001)) + "]\n").encode(),
        v,
        "loc",
    )
    yield (
        "lane-kinds.yaml",
        (HEAD + "lanes: [emotion, pain, '<script>']\nstages: [A]\n").encode(),
        v,
        "loc",
    )
    yield "next-unknown.yaml", _step("next: [nowhere, {to: nowhere}, {share: 2}]"), v, "loc"
    yield "entries-unknown.yaml", (HEAD + "entries: [x, y]\nstages: [A]\n").encode(), v, "loc"
    yield (
        "persona-list.yaml",
        (HEAD + "persona: a\npersonas: [b]\nstages: [A]\n").encode(),
        v,
        "loc",
    )
    yield "cards-junk.yaml", _step("pain_points: [{text: [1, 2], severity: {a: 1}}]"), v, "loc"
    yield "severity-bad.yaml", _step("pain_points: [{text: x, severity: '<b>'}]"), v, "loc"
    yield "emotion-map.yaml", _step("emotion: {score: .nan, label: [x]}"), v, "loc"
    yield "kpi-date.yaml", _step("kpis:\n  - {kpi: k, target: 2026-01-01, measured: [1]}"), v, "loc"
    # cut files: a real template cut at several places
    data = _template().encode("utf-8")
    for n in range(1, 21):
        yield f"cut-{n:02}.yaml", data[: len(data) * n // 21], v, "any"
    yield "template.yaml", data, v, ok


def json_cases() -> Iterator[Case]:
    v = "validate"
    good = {"parcours": 1, "journey": "J", "stages": [{"A": [{"B": {"emotion": 1}}]}]}
    text = json.dumps(good)
    yield "good.json", text.encode(), v, "ok"
    yield "nan.json", text.replace('"emotion": 1', '"emotion": NaN').encode(), v, "loc"
    yield "infinity.json", text.replace('"emotion": 1', '"emotion": Infinity').encode(), v, "loc"
    yield "big-float.json", text.replace('"emotion": 1', '"emotion": 1e999').encode(), v, "loc"
    yield "bigint.json", text.replace('"emotion": 1', '"emotion": ' + "9" * 5000).encode(), v, "loc"
    yield (
        "deep.json",
        ('{"parcours": 1, "journey": "x", "extra": ' + "[" * 5000 + "]" * 5000 + "}").encode(),
        v,
        "loc",
    )
    yield (
        "deep-objects.json",
        ('{"parcours": 1, "journey": "x", "e": ' + '{"a": ' * 2000 + "1" + "}" * 2001).encode(),
        v,
        "loc",
    )
    yield "dupes.json", b'{"parcours": 1, "journey": "a", "journey": "b", "stages": []}', v, "loc"
    yield "trailing-comma.json", b'{"parcours": 1, "journey": "a",}', v, "any"
    yield "comment.json", b'{"parcours": 1, // x\n "journey": "a"}', v, "loc"
    yield "single-quotes.json", b"{'parcours': 1, 'journey': 'a'}", v, "any"
    yield "root-array.json", b"[1, 2, 3]", v, "loc"
    yield "root-string.json", b'"text"', v, "loc"
    yield "empty.json", b"", v, "loc"
    yield "bom.json", b"\xef\xbb\xbf" + text.encode(), v, "ok"
    yield "utf8-bad.json", text.replace('"J"', '"\xff"').encode("latin-1"), v, "loc"
    yield "surrogate.json", text.replace('"J"', '"\\ud800"').encode(), v, "any"
    yield "control.json", text.replace('"J"', '"\\u001b]0;pwned\\u0007"').encode(), v, "any"
    yield "nul.json", text.replace('"J"', '"a\\u0000b"').encode(), v, "any"
    yield "long-string.json", text.replace('"J"', '"' + "x" * 200_000 + '"').encode(), v, "loc"
    yield "cut.json", text[: len(text) // 2].encode(), v, "loc"
    yield "types.json", b'{"parcours": 1, "journey": 5, "stages": {"a": null}}', v, "any"
    yield (
        "reviewed.json",
        b'{"parcours": 1, "journey": "a", "reviewed": "2026-13-45", "stages": ["A"]}',
        v,
        "loc",
    )
    yield (
        "many-keys.json",
        (
            "{"
            + ", ".join(f'"k{n}": {n}' for n in range(20_000))
            + ', "parcours": 1, "journey": "a"}'
        ).encode(),
        v,
        "loc",
    )
    yield "number-key.json", b'{"parcours": 1, "journey": "a", "1e999": 1}', v, "loc"


def theme_cases() -> Iterator[Case]:
    t = "render"
    values = [
        'ink: "#000\\" onload=\\"alert(1)"', "ink: red", "ink: '#12345'", "ink: ''", "ink: [1]",
        "ink: '#0000000'", "ink: 'url(javascript:alert(1))'", "ink: '#fff;}'",
        "column_width: .nan", "column_width: 1e999", "column_width: -5", "column_width: 99999",
        "column_width: true", "column_width: '200'", "max_card_lines: 2.5",
        "max_card_lines: " + "9" * 5000, "line_height: 0",
        "font_family: \"x'; } body { color: red\"", "font_family: '<script>'",
        "font_family: " + "A" * 200, "emoji_font_family: '\"onload'", "name: '\"><svg onload=1>'",
        "stage_colors: []", "stage_colors: ['#fff', 'url(x)']",
        "stage_colors: [" + ", ".join(["'#ffffff'"] * 60) + "]", "card_fills: {'a\"b': '#fff'}",
        "card_fills: {actions: 'javascript:x'}", "card_fills: [1]", "colour: '#fff'",
        "[1, 2]", "base: nowhere", "base: /etc/passwd", "base: ../../../etc/passwd",
        "base: [print]", "base: self.yaml", "ink: &a '#fff'\nmuted: *a\ngood: *a",
        "column_width: 0x" + "f" * 400, "font_size: " + "9" * 400,
    ]  # fmt: skip
    for n, value in enumerate(values):
        expect = "any" if value.startswith("ink: &a") else "loc"
        name = "self.yaml" if "self.yaml" in value else f"theme-{n:02}.yaml"
        yield name, (value + "\n").encode(), t, expect
    yield "cycle-a.yaml", b"base: cycle-b.yaml\n", t, "loc"
    yield "cycle-b.yaml", b"base: cycle-a.yaml\n", t, "loc"
    yield "bomb.yaml", _bomb(9, 9, "notes").replace(HEAD.encode(), b""), t, "loc"
    yield "deep.yaml", ("card_fills: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n").encode(), t, "loc"
    yield "utf8-bad.yaml", b"ink: '\xff'\n", t, "loc"
    yield "empty.yaml", b"", t, "loc"
    yield "good.yaml", b"base: print\ngood: '#0a0'\ncolumn_width: 240\n", t, "ok"
    yield "_map.yaml", b"parcours: 1\njourney: Themed\nstages:\n  - A: [b, c]\n", "skip", "ok"


def workspace_cases() -> Iterator[tuple[str, dict[str, bytes], str, str]]:
    """Folders: ``{relative path: content}`` (symlinks and FIFOs are made at test time)."""
    v = "validate"
    journey = b"parcours: 1\njourney: A\nstages:\n  - S: [one, two]\n"
    manifest = b"parcours: 1\nworkspace: W\n"

    def ws(extra: bytes, files: dict[str, bytes] | None = None) -> dict[str, bytes]:
        return {"workspace.yaml": manifest + extra, **(files or {"journeys/a.yaml": journey})}

    yield "ok", ws(b""), v, "ok"
    yield "abs-passwd", ws(b"journeys: [/etc/passwd]\n"), v, "loc"
    yield "abs-environ", ws(b"journeys: [/proc/self/environ]\n"), v, "loc"
    yield "dotdot", ws(b"journeys: [../../../canary/secret.yaml]\n"), v, "loc"
    yield "dotdot-inner", ws(b"journeys: [a/../../../../canary/secret.yaml]\n"), v, "loc"
    yield "backslash", ws(b"journeys: ['..\\\\..\\\\canary\\\\secret.yaml']\n"), v, "loc"
    yield "missing", ws(b"journeys: [nope.yaml]\n"), v, "loc"
    yield "name-too-long", ws(b"journeys: [" + b"9" * 400 + b".yaml]\n"), v, "loc"
    yield "journeys-text", ws(b"journeys: a.yaml\n"), v, "any"
    yield "journeys-map", ws(b"journeys: {a: 1}\n"), v, "loc"
    yield "journeys-items", ws(b"journeys: [[a], {b: 1}]\n"), v, "loc"
    yield "utf8-bad", ws(b"", {"journeys/a.yaml": b"parcours: 1\njourney: \xff\n"}), v, "loc"
    yield "bomb-journey", ws(b"", {"journeys/a.yaml": _bomb(9, 9, "tags")}), v, "loc"
    yield (
        "bomb-manifest",
        {"workspace.yaml": manifest + _bomb(9, 9, "extra")[len(HEAD) :]},
        v,
        "loc",
    )
    yield (
        "deep-journey",
        ws(b"", {"journeys/a.yaml": (HEAD + "x: " + "[" * 5000 + "]" * 5000 + "\n").encode()}),
        v,
        "loc",
    )
    yield "nan-journey", ws(b"", {"journeys/a.yaml": _step("emotion: .nan")}), v, "loc"
    yield "manifest-empty", {"workspace.yaml": b""}, v, "loc"
    yield "manifest-list", {"workspace.yaml": b"- a\n"}, v, "loc"
    yield "dup-ids", ws(b"", {"journeys/a.yaml": journey, "journeys/b.yaml": journey}), v, "loc"
    yield "personas-bad", ws(b"personas: [{name: [1]}, 3, {name: x, market: moon}]\n"), v, "loc"
    yield "library-bad", ws(b"channels: [{id: '<x>', kind: nope}]\nkpis: 5\n"), v, "loc"
    yield "no-manifest", {"journeys/a.yaml": journey}, v, "err"
    yield "convert-dotdot", ws(b"journeys: [../../../canary/secret.yaml]\n"), "convert", "loc"
    yield (
        "many-journeys",
        ws(b"journeys: [" + b", ".join(b"j%d.yaml" % n for n in range(1001)) + b"]\n", {}),
        v,
        "loc",
    )


CORE = (
    b'<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
    b'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>parcours</dc:creator>'
    b"</cp:coreProperties>"
)


def _xlsx_base() -> bytes:
    from parcours.files import loads
    from parcours.model.journey import Journey
    from parcours.render.office.writer import xlsx_bytes

    text = (
        "parcours: 1\njourney: X\nkpis: [{id: k, name: K, unit: '%'}]\nstages:\n  - A:\n"
        "      - B: {actions: [a], emotion: 1, pain_points: [{text: p, severity: rupture}],"
        " kpis: [{kpi: k, target: 10, measured: 5}]}\n      - C: {emotion: -1}\n"
    )
    loaded = loads(text)
    assert isinstance(loaded, Journey)
    return _rezip(xlsx_bytes(loaded), {"docProps/core.xml": CORE})


def _rezip(
    base: bytes, replace: dict[str, bytes] | None = None, extra: dict[str, bytes] | None = None
) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            data = (replace or {}).get(info.filename, zin.read(info.filename))
            zout.writestr(_entry(info.filename), data)
        for name, data in (extra or {}).items():
            zout.writestr(_entry(name), data)
    return out.getvalue()


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def xlsx_cases() -> Iterator[Case]:
    i = "import"
    base = _xlsx_base()
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    yield "good.xlsx", base, i, "ok"
    yield "empty.xlsx", b"", i, "err"
    yield "text.xlsx", b"parcours: 1\njourney: x\n", i, "err"
    yield "pk-only.xlsx", b"PK\x03\x04", i, "err"
    yield "cut.xlsx", base[: len(base) // 2], i, "err"
    far_row = sheet.replace(
        b"</sheetData>",
        b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    yield "far-row.xlsx", _rezip(base, {"xl/worksheets/sheet1.xml": far_row}), i, "err"
    far_col = sheet.replace(
        b"</sheetData>",
        b'<row r="999"><c r="XFD999" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    yield "far-column.xlsx", _rezip(base, {"xl/worksheets/sheet1.xml": far_col}), i, "err"
    dimension = sheet.replace(b'<dimension ref="', b'<dimension ref="A1:XFD1048576" x="')
    # places of more digits or letters than a pattern of the first checks allowed (found by
    # bench/fuzz_maps.py, xlsx input 10,454: a row of 400 digits made the import loop forever)
    long_row = sheet.replace(
        b"</sheetData>",
        b'<row r="2"><c r="C' + b"9" * 400 + b'1" t="inlineStr"><is><t>x</t></is></c></row>'
        b"</sheetData>",
    )
    yield "row-digits.xlsx", _rezip(base, {"xl/worksheets/sheet1.xml": long_row}), i, "err"
    row_attribute = sheet.replace(
        b"</sheetData>", b'<row r="' + b"1" * 20 + b'"><c t="n"><v>1</v></c></row></sheetData>'
    )
    yield "row-number.xlsx", _rezip(base, {"xl/worksheets/sheet1.xml": row_attribute}), i, "err"
    long_column = sheet.replace(
        b"</sheetData>",
        b'<row r="3"><c r="ABCDEFGHIJKL3" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
    )
    yield "column-letters.xlsx", _rezip(base, {"xl/worksheets/sheet1.xml": long_column}), i, "err"
    long_dimension = sheet.replace(
        b'<dimension ref="', b'<dimension ref="A1:C' + b"9" * 60 + b'" x="'
    )
    yield (
        "dimension-digits.xlsx",
        _rezip(base, {"xl/worksheets/sheet1.xml": long_dimension}),
        i,
        "err",
    )
    # within the limits, but read row by row through openpyxl's ws[row] it cost rows × cells
    # (10,000 rows: about a minute) or lanes × columns × rows
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        steps = archive.read("xl/worksheets/sheet2.xml")
    many = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (r, r)
        for r in range(100, 10_100)
    )
    steps = steps.replace(b"</sheetData>", many + b"</sheetData>")
    steps = steps.replace(b'<dimension ref="', b'<dimension x="')
    yield "many-rows.xlsx", _rezip(base, {"xl/worksheets/sheet2.xml": steps}), i, "any"
    lanes = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>lane</t></is></c></row>' % (r, r)
        for r in range(100, 5_100)
    )
    lanes += b'<row r="5100"><c r="KL5100" t="inlineStr"><is><t>x</t></is></c></row>'
    wide = sheet.replace(b"</sheetData>", lanes + b"</sheetData>")
    wide = wide.replace(b'<dimension ref="', b'<dimension x="')
    yield "many-lanes.xlsx", _rezip(base, {"xl/worksheets/sheet1.xml": wide}), i, "err"
    yield "dimension.xlsx", _rezip(base, {"xl/worksheets/sheet1.xml": dimension}), i, "err"
    lol = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><sst><si><t>&lol2;</t></si></sst>'
    yield "entity-bomb.xlsx", _rezip(base, extra={"xl/sharedStrings.xml": lol}), i, "err"
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><sst><si><t>&e;</t></si></sst>'
    yield "xxe.xlsx", _rezip(base, extra={"xl/sharedStrings.xml": xxe}), i, "err"
    yield (
        "many-entries.xlsx",
        _rezip(base, extra={f"xl/media/e{n}.bin": b"" for n in range(2100)}),
        i,
        "err",
    )
    yield (
        "shared-strings.xlsx",
        _rezip(
            base,
            extra={"xl/sharedStrings.xml": b"<sst>" + b"<si><t>s</t></si>" * 1_000_001 + b"</sst>"},
        ),
        i,
        "err",
    )
    yield (
        "no-meta.xlsx",
        _rezip(
            base,
            {
                "xl/workbook.xml": archive_replace(
                    base, "xl/workbook.xml", b'name="parcours"', b'name="other"'
                )
            },
        ),
        i,
        "err",
    )
    yield "sheet-garbage.xlsx", _rezip(base, {"xl/worksheets/sheet1.xml": b"<not xml"}), i, "err"
    yield "workbook-garbage.xlsx", _rezip(base, {"xl/workbook.xml": b"\x00\x01"}), i, "err"
    yield (
        "deep-xml.xlsx",
        _rezip(base, {"docProps/core.xml": b"<a>" * 5000 + b"</a>" * 5000}),
        i,
        "any",
    )


def archive_replace(base: bytes, name: str, old: bytes, new: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        return archive.read(name).replace(old, new)


def write_corpus(root: Path = CORPUS) -> int:
    """Write every committed input under ``root``; return how many inputs there are."""
    total = 0
    for reader, cases in (("yaml", yaml_cases()), ("json", json_cases()), ("theme", theme_cases()),
                          ("xlsx", xlsx_cases())):  # fmt: skip
        folder = root / reader
        folder.mkdir(parents=True, exist_ok=True)
        expect: dict[str, list[str]] = {}
        for name, content, command, expectation in cases:
            (folder / name).write_bytes(content)
            if command != "skip":
                expect[name] = [command, expectation]
                total += 1
        (folder / "expect.json").write_text(json.dumps(expect, indent=1, sort_keys=True) + "\n")
    folder = root / "workspace"
    expect = {}
    for name, files, command, expectation in workspace_cases():
        for relative, content in files.items():
            path = folder / name / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        (folder / name / "journeys").mkdir(parents=True, exist_ok=True)
        expect[name] = [command, expectation]
        total += 1
    (folder / "expect.json").write_text(json.dumps(expect, indent=1, sort_keys=True) + "\n")
    canary = root / "canary"
    canary.mkdir(parents=True, exist_ok=True)
    (canary / "secret.yaml").write_text(
        f"parcours: 1\njourney: {CANARY}\nstages:\n  - {CANARY}: [x]\n"
    )
    return total


def build_special(root: Path) -> dict[Path, tuple[str, str]]:
    """Inputs made at test time: FIFOs, symlinks, files of several MiB. ``{path: (command,
    expectation)}``; ``root`` also receives a copy of the canary."""
    canary = root / "canary" / "secret.yaml"
    canary.parent.mkdir(parents=True, exist_ok=True)
    canary.write_text(f"parcours: 1\njourney: {CANARY}\nstages:\n  - {CANARY}: [x]\n")
    out: dict[Path, tuple[str, str]] = {}
    head = b"parcours: 1\njourney: Big\nstages:\n  - A: [b]\n"
    maps = root / "maps"
    maps.mkdir()
    fifo = maps / "fifo.yaml"
    os.mkfifo(fifo)
    out[fifo] = ("validate", "err")
    zero = maps / "zero.yaml"
    zero.symlink_to("/dev/zero")
    out[zero] = ("validate", "err")
    big = maps / "big.yaml"
    big.write_bytes(head + b"# " + b"x" * (21 * 1024 * 1024) + b"\n")
    out[big] = ("validate", "err")
    long_text = maps / "long-description.yaml"
    long_text.write_bytes(head + b"description: " + b"d" * (10 * 1024 * 1024) + b"\n")
    out[long_text] = ("validate", "loc")
    steps = maps / "steps-10001.yaml"
    steps.write_bytes(
        b"parcours: 1\njourney: Many\nstages:\n  - A: ["
        + b", ".join(b"s%d" % n for n in range(10_001))
        + b"]\n"
    )
    out[steps] = ("validate", "loc")
    cards = maps / "cards.yaml"
    cards.write_bytes(
        head.replace(
            b"[b]", b"\n      - b:\n          notes: [" + b", ".join([b"n"] * 200_001) + b"]"
        )
    )
    out[cards] = ("validate", "loc")
    journey = b"parcours: 1\njourney: A\nstages:\n  - S: [one]\n"
    for name, link in (("symlink-out", canary), ("symlink-passwd", Path("/etc/passwd")),
                       ("symlink-zero", Path("/dev/zero"))):  # fmt: skip
        ws = root / "ws" / name
        (ws / "journeys").mkdir(parents=True)
        (ws / "workspace.yaml").write_bytes(b"parcours: 1\nworkspace: W\n")
        (ws / "journeys" / "a.yaml").symlink_to(link)
        out[ws] = ("validate", "err")
    ws = root / "ws" / "fifo"
    (ws / "journeys").mkdir(parents=True)
    (ws / "workspace.yaml").write_bytes(b"parcours: 1\nworkspace: W\n")
    os.mkfifo(ws / "journeys" / "a.yaml")
    out[ws] = ("validate", "err")
    ws = root / "ws" / "manifest-link"
    ws.mkdir(parents=True)
    (ws / "workspace.yaml").symlink_to(canary)
    out[ws] = ("validate", "err")
    ws = root / "ws" / "dir-link"
    (ws / "journeys").mkdir(parents=True)
    (ws / "workspace.yaml").write_bytes(b"parcours: 1\nworkspace: W\njourneys: [out/secret.yaml]\n")
    (ws / "journeys" / "out").symlink_to(canary.parent)
    out[ws] = ("validate", "loc")
    ws = root / "ws" / "big-journey"
    (ws / "journeys").mkdir(parents=True)
    (ws / "workspace.yaml").write_bytes(b"parcours: 1\nworkspace: W\n")
    (ws / "journeys" / "a.yaml").write_bytes(journey + b"# " + b"x" * (25 * 1024 * 1024) + b"\n")
    out[ws] = ("validate", "err")
    ws = root / "ws" / "loop"
    (ws / "journeys").mkdir(parents=True)
    (ws / "workspace.yaml").write_bytes(b"parcours: 1\nworkspace: W\n")
    (ws / "journeys" / "a.yaml").symlink_to(ws / "journeys" / "a.yaml")
    out[ws] = ("validate", "err")
    themes = root / "themes"
    themes.mkdir()
    (themes / "fifo.yaml").parent.mkdir(exist_ok=True)
    os.mkfifo(themes / "fifo.yaml")
    out[themes / "fifo.yaml"] = ("render", "err")
    (themes / "zero.yaml").symlink_to("/dev/zero")
    out[themes / "zero.yaml"] = ("render", "err")
    (themes / "big.yaml").write_bytes(b"ink: '#000000'\n# " + b"x" * (21 * 1024 * 1024) + b"\n")
    out[themes / "big.yaml"] = ("render", "err")
    (themes / "_map.yaml").write_bytes(b"parcours: 1\njourney: Themed\nstages:\n  - A: [b, c]\n")
    xlsx = root / "xlsx"
    xlsx.mkdir()
    bomb = xlsx / "zip-bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            block = bytes(16 * 1024 * 1024)
            for _ in range(20):
                stream.write(block)
    out[bomb] = ("import", "err")
    (xlsx / "fifo.xlsx").parent.mkdir(exist_ok=True)
    os.mkfifo(xlsx / "fifo.xlsx")
    out[xlsx / "fifo.xlsx"] = ("import", "err")
    return out


if __name__ == "__main__":
    print(write_corpus(), "inputs written under", CORPUS)
