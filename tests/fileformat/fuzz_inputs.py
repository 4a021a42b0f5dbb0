"""Generated inputs for the map readers: YAML, JSON, workspace folders, themes, workbooks.

:func:`generate` gives one input of a reader from a random generator: half the time a
plausible document built from a small grammar whose values include hostile ones (``.nan``,
``1e999``, dates in month 13, 5,000 digits, control characters, long texts, aliases), the
other half a seed document mutated at the byte level (or, for workbooks, one XML part of
the zip mutated). :func:`attempt` reads it the way the CLI does and says ``ok`` (read) or
``refused`` (a ``ParcoursError`` with its problems); any other exception is a bug. Used by
the short Hypothesis runs of the suite and by ``bench/fuzz_maps.py``.
"""

from __future__ import annotations

import functools
import io
import json
import random
import zipfile
from pathlib import Path
from typing import Any

import yaml

READERS = ("yaml", "json", "workspace", "theme", "xlsx")
HOSTILE_VALUES: list[Any] = [
    ".nan", "NaN", "Infinity", "-.inf", "1e999", "9" * 5000, "0x" + "f" * 300, "2026-13-45",
    "0000-01-01", "\x1b]0;x\x07", "\u2028", "\x00", "x" * 3000, "&a", "*a", "!!binary", "~",
    "- ", ": ", "[", "{", "'", '"', "#", "%YAML", "<script>", "../../etc/passwd", "/etc/passwd",
    -3, 2, 0, 1.5, True, None, [], {}, 10**30, -(10**30),
]  # fmt: skip
TOKENS: list[bytes] = [
    b".nan", b"1e999", b"&a ", b"*a", b"[[[[[[", b"{{{{", b"]]", b"\x00", b"\xff\xfe", b"\t",
    b": ", b"- ", b'"', b"'", b"!!python/object:os.system ", b"<<: *a", b"? ", b"%TAG ! x\n",
    b"---\n", b"\n  ", b"9" * 400, b"2026-13-45", b"\xc3", b"\xe2\x80\xa8", b"#",
]  # fmt: skip
LANES = ["touchpoints", "actions", "thoughts", "emotions", "pain_points", "opportunities",
         "kpis", "backstage", "notes", "emotion", "bogus"]  # fmt: skip


def _value(rng: random.Random) -> Any:
    if rng.random() < 0.3:
        return rng.choice(HOSTILE_VALUES)
    return rng.choice(
        ["Step", "Étape é", "x", "Voit une pub", "haute", "en cours", "rupture", 1, -2]
    )


def _cell(rng: random.Random, lane: str) -> Any:
    if lane == "emotion":
        return rng.choice(
            [-2, -1, 0, 1, 2, _value(rng), {"score": _value(rng), "label": _value(rng)}]
        )
    if lane == "kpis":
        return [{"kpi": "k", "target": _value(rng), "measured": _value(rng)}]
    if lane == "pain_points":
        return [
            {"text": _value(rng), "severity": rng.choice(["irritant", "bloquant", _value(rng)])}
        ]
    if lane == "opportunities":
        return [{"text": "o", "priority": _value(rng), "status": _value(rng), "due": _value(rng)}]
    return [_value(rng) for _ in range(rng.randint(0, 3))]


def journey_doc(rng: random.Random) -> dict[str, Any]:
    doc: dict[str, Any] = {"parcours": rng.choice([1, 1, 1, 2, "1"]), "journey": _value(rng)}
    for key in ("lang", "state", "status", "reviewed", "evidence", "tags", "value"):
        if rng.random() < 0.3:
            doc[key] = _value(rng) if key != "value" else {"customer": _value(rng)}
    if rng.random() < 0.3:
        doc["kpis"] = [{"id": "k", "name": "K", "unit": "%"}]
    stages = []
    for s in range(rng.randint(0, 4)):
        steps = []
        for n in range(rng.randint(0, 4)):
            body = {lane: _cell(rng, lane) for lane in rng.sample(LANES, rng.randint(0, 4))}
            if rng.random() < 0.2:
                body["next"] = [
                    rng.choice(["nowhere", f"s{n}", {"to": _value(rng), "share": _value(rng)}])
                ]
            name = f"s{s}-{n}" if rng.random() < 0.8 else str(_value(rng))
            steps.append({name: body or None})
        stages.append({f"Stage {s}": steps})
    doc["stages"] = stages if rng.random() < 0.95 else _value(rng)
    return doc


def theme_doc(rng: random.Random) -> dict[str, Any]:
    keys = ["ink", "muted", "good", "column_width", "font_size", "max_card_lines", "line_height",
            "font_family", "stage_colors", "card_fills", "base", "name", "colour"]  # fmt: skip
    doc: dict[str, Any] = {}
    for key in rng.sample(keys, rng.randint(1, 5)):
        good = {"ink": "#123456", "column_width": 240, "font_family": "Noto Sans", "base": "print",
                "stage_colors": ["#fff", "#000000"], "card_fills": {"actions": "#eeeeee"}}  # fmt: skip
        doc[key] = good.get(key, "#abc") if rng.random() < 0.5 else _value(rng)
    return doc


def _dump(doc: Any, rng: random.Random, as_json: bool) -> bytes:
    if as_json:
        return json.dumps(doc, ensure_ascii=rng.random() < 0.5, default=str).encode()
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(out))
        kind = rng.random()
        if kind < 0.3:
            out[at:at] = rng.choice(TOKENS)
        elif kind < 0.45 and out:
            out[min(at, len(out) - 1)] = rng.randrange(256)
        elif kind < 0.6:
            del out[at : at + rng.randint(1, 40)]
        elif kind < 0.75:
            out[at:at] = out[at : at + rng.randint(1, 200)] * rng.randint(1, 3)
        elif kind < 0.85:
            del out[at:]
        else:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(out)


@functools.cache
def seeds() -> dict[str, bytes]:
    root = Path(__file__).parents[2] / "parcours" / "templates"
    template = (root / "bank-account-opening.fr.yaml").read_bytes()
    small = (
        b"parcours: 1\njourney: Ouverture\nlang: fr\nkpis: [{id: k, name: K, unit: '%'}]\nstages:\n"
        b"  - Decouverte:\n      - Voit une pub:\n          emotion: +1\n          kpis: [{kpi: k, target: 15%, measured: 38%}]\n"
        b"          pain_points: [{text: Lent, severity: rupture}]\n      - Compare\n"
    )
    return {
        "yaml": small,
        "template": template,
        "json": json.dumps(yaml.safe_load(small)).encode(),
        "theme": b"base: print\nink: '#112233'\ncolumn_width: 240\ncard_fills: {actions: '#eeeeee'}\n",
        "xlsx": _workbook(small),
    }


def _workbook(text: bytes) -> bytes:
    from parcours.files import loads
    from parcours.model.journey import Journey
    from parcours.render.office.writer import xlsx_bytes

    journey = loads(text.decode())
    assert isinstance(journey, Journey)
    return xlsx_bytes(journey)


def generate(reader: str, rng: random.Random) -> bytes | dict[str, bytes]:
    """One input: bytes, or for a workspace ``{relative path: bytes}``."""
    plausible = rng.random() < 0.5
    if reader in ("yaml", "json"):
        as_json = reader == "json"
        if plausible:
            return _dump(journey_doc(rng), rng, as_json)
        seed = seeds()["json" if as_json else rng.choice(["yaml", "template"])]
        return mutate(seed, rng)
    if reader == "theme":
        return _dump(theme_doc(rng), rng, False) if plausible else mutate(seeds()["theme"], rng)
    if reader == "workspace":
        journey = _dump(journey_doc(rng), rng, False) if plausible else mutate(seeds()["yaml"], rng)
        manifest = b"parcours: 1\nworkspace: W\n"
        if rng.random() < 0.3:
            manifest += (
                b"journeys: ["
                + rng.choice([b"a.yaml", b"../x.yaml", b"/etc/passwd", b"b.yaml"])
                + b"]\n"
            )
        if rng.random() < 0.3:
            manifest = mutate(manifest + b"personas: [{name: P}]\nkpis: [{id: k, name: K}]\n", rng)
        return {"workspace.yaml": manifest, "journeys/a.yaml": journey}
    if reader == "xlsx":
        base = seeds()["xlsx"]
        if rng.random() < 0.1:
            return mutate(base, rng)
        with zipfile.ZipFile(io.BytesIO(base)) as archive:
            names = [n for n in archive.namelist() if n.endswith(".xml")]
            victim = rng.choice([n for n in names if "worksheets" in n] if plausible else names)
            parts = {n: archive.read(n) for n in archive.namelist()}
        parts[victim] = mutate(parts[victim], rng)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        return out.getvalue()
    raise ValueError(f"unknown reader {reader!r}")


def attempt(reader: str, data: bytes | dict[str, bytes], folder: Path) -> str:
    """Read one input as the CLI does: ``ok`` or ``refused``; anything else raises."""
    from parcours.errors import ParcoursError
    from parcours.files import read
    from parcours.render.office.reader import import_workbook
    from parcours.render.theme import get_theme

    if isinstance(data, dict):
        for relative, content in data.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        result, problems = read(folder)
        return "ok" if result is not None else _refused(problems)
    if reader == "xlsx":
        try:
            import_workbook(data, "fuzz.xlsx")
        except ParcoursError:
            return "refused"
        return "ok"
    path = folder / ("fuzz.json" if reader == "json" else "fuzz.yaml")
    path.write_bytes(data)
    if reader == "theme":
        try:
            get_theme(path)
        except ParcoursError:
            return "refused"
        return "ok"
    result, problems = read(path)
    return "ok" if result is not None else _refused(problems)


def _refused(problems: list[Any]) -> str:
    if not problems:
        raise AssertionError("refused without a problem")
    return "refused"
