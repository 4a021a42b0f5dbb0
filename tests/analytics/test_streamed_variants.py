"""``analyze`` without ``--top``: every variant written as it is decoded, the same JSON."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from parcours.analytics.report import clean
from parcours.analytics.reports import analysis_report
from parcours.analytics.sources import read_events
from parcours.cli import app

ORACLE = Path(__file__).parent.parent / "data" / "oracle"
runner = CliRunner()


def _log(write: Any) -> Path:
    # names that sort differently by bytes and by case, accents, quotes and a backslash
    rows = ["case,activity,timestamp"]
    paths = [
        ["Zèbre", "Éclair", "a\\b"],
        ["Éclair", "Zèbre"],
        ['dit "oui"', "Zèbre"],
        ["Zèbre", "Éclair", "a\\b"],
        ["zèbre"],
        ["Éclair", "Zèbre"],
        ["Éclair"],
        ["Zèbre", "Éclair"],
    ]
    for c, path in enumerate(paths):
        for i, a in enumerate(path):
            name = a.replace('"', '""')
            rows.append(f'c{c},"{name}",2026-01-31T10:0{i}:00Z')
    return write("names.csv", "\n".join(rows) + "\n")  # type: ignore[no-any-return]


def test_streamed_json_is_the_json_of_the_whole_list(write: Any) -> None:
    for path in (_log(write), ORACLE / "loops.xes.gz"):
        report = analysis_report(read_events(path), lazy=True)
        out = io.StringIO()
        report.write_json(out)
        whole = {**report.data, "variants": list(report.data["variants"])}
        assert out.getvalue() == json.dumps(clean(whole), ensure_ascii=False, indent=2) + "\n"
        # by count descending, then by the list of names (code points, as Python sorts)
        variants = json.loads(out.getvalue())["variants"]
        assert variants == sorted(variants, key=lambda v: (-v["count"], v["activities"]))
        assert len(variants) == report.data["n_variants"]


def test_cli_json_has_every_variant_and_tables_the_top_20(tmp_path: Path) -> None:
    log = ORACLE / "loops.xes.gz"
    out = tmp_path / "all.json"
    res = runner.invoke(app, ["analyze", str(log), "--format", "json", "-o", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["variants"]) == doc["n_variants"]
    top = runner.invoke(app, ["analyze", str(log), "--format", "json", "--top", "3"])
    assert json.loads(top.stdout)["variants"] == doc["variants"][:3]
    table = runner.invoke(app, ["analyze", str(log), "--top", "3"])
    assert "Variants (3 of" in table.stdout and "--top N for more" in table.stdout
    shown = runner.invoke(app, ["analyze", "--help"]).stdout
    help_text = " ".join(re.sub("[│╭╮╰╯─]", " ", shown).split())
    assert "every variant with --format json" in help_text
