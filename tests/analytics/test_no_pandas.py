"""No analysis command imports pandas (0.3 s of every command's start): pyarrow imports it
when it converts Python values or reads an aware timestamp as a ``datetime``, DuckDB's
client when it takes Python objects; parcours builds its arrays from buffers and hands
small tables to DuckDB through a file (parcours.analytics.arrays). Each command runs in a
fresh process on the shipped examples and on a French CSV (day-first dates, amounts with a
decimal comma), and must succeed without pandas loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from parcours.catalog import demo_path

EXAMPLES = demo_path().parent
EVENTS = EXAMPLES / "events" / "events.csv"
XES = EXAMPLES / "events" / "events.xes"
JOURNEY = EXAMPLES / "demo" / "journeys" / "achat-en-ligne.yaml"
VERBATIMS = EXAMPLES / "voice" / "verbatims.csv"
SURVEYS = EXAMPLES / "voice" / "surveys.csv"

RUN = """
import sys
from parcours.cli import main
sys.argv = ["parcours", *sys.argv[1:]]
try:
    main()
    code = 0
except SystemExit as exc:
    code = exc.code or 0
print("exit", code, "pandas", "pandas" in sys.modules)
"""

FRENCH = (
    "dossier;étape;horodatage;montant\n"
    "D1;dépôt;31/01/2026 10:00;1 200,50 €\n"
    "D1;étude;01/02/2026 11:30;\n"
    "D2;dépôt;13/01/2026 09:15;80\n"
    "D2;refus;14/01/2026 16:45;0,5\n"
)


def _commands(tmp: Path) -> dict[str, list[str]]:
    french = tmp / "dossiers.csv"
    french.write_text(FRENCH, encoding="utf-8")
    out = str(tmp / "out")
    return {
        "analyze csv": ["analyze", str(EVENTS), "--format", "json", "-o", out],
        "analyze xes": ["analyze", str(XES), "--format", "json", "-o", out],
        "analyze french csv": [
            "analyze", str(french), "--case", "dossier", "--activity", "étape",
            "--timestamp", "horodatage", "--format", "json", "-o", out,
        ],
        "analyze with a format": [
            "analyze", str(french), "--case", "dossier", "--activity", "étape",
            "--timestamp", "horodatage", "--timestamp-format", "%d/%m/%Y %H:%M", "-o", out,
        ],
        "discover": ["discover", str(EVENTS), "-o", str(tmp / "found.yaml")],
        "overlay": [
            "overlay", str(JOURNEY), str(EVENTS), "--verbatims", str(VERBATIMS),
            "--surveys", str(SURVEYS), "-o", str(tmp / "measured.yaml"),
        ],
        "compare": ["compare", str(JOURNEY), str(EVENTS), "--format", "json", "-o", out],
        "channels": ["channels", str(EVENTS), "--format", "json", "-o", out],
        "attribution": ["attribution", str(EVENTS), "--format", "json", "-o", out],
        "next-best-action": ["next-best-action", str(EVENTS), "--format", "json", "-o", out],
    }  # fmt: skip


@pytest.mark.parametrize(
    "name",
    [
        "analyze csv",
        "analyze xes",
        "analyze french csv",
        "analyze with a format",
        "discover",
        "overlay",
        "compare",
        "channels",
        "attribution",
        "next-best-action",
    ],
)
def test_an_analysis_command_runs_without_pandas(tmp_path: Path, name: str) -> None:
    args = _commands(tmp_path)[name]
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, timeout=300
    )
    assert done.stdout.split()[-4:] == ["exit", "0", "pandas", "False"], done.stdout + done.stderr
