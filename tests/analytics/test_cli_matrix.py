"""Every analytics command × logs with and without each optional column × both formats.

No run ends in an internal error: a command either succeeds, with its table showing the
figures of its JSON, or stops with one ``error:`` sentence naming the column it needs
and the option that gives it.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcours.analytics.examples import example_logs_folder
from parcours.cli import app
from tests.analytics.report_checks import CHECKS

OPTIONAL = ("value", "channel", "outcome", "customer_id")
N_CASES = 60  # the first cases of the example log: every kind of journey, and fast

SUBSETS = [
    frozenset(c) for n in range(len(OPTIONAL) + 1) for c in itertools.combinations(OPTIONAL, n)
]


def _name(kept: frozenset[str]) -> str:
    return "+".join(sorted(kept)) or "bare"


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[frozenset[str], Path]:
    """The example log cut to its first cases, once per subset of optional columns."""
    with (example_logs_folder() / "events.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    cases = list(dict.fromkeys(r["case_id"] for r in rows))[:N_CASES]
    rows = [r for r in rows if r["case_id"] in set(cases)]
    folder = tmp_path_factory.mktemp("matrix")
    out = {}
    for kept in SUBSETS:
        columns = ["case_id", "activity", "timestamp", *(c for c in OPTIONAL if c in kept)]
        buf = io.StringIO()
        w = csv.DictWriter(buf, columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        path = folder / f"{_name(kept)}.csv"
        path.write_text(buf.getvalue(), encoding="utf-8")
        out[kept] = path
    return out


def _args(command: str, log: Path, kept: frozenset[str]) -> list[str]:
    after = "email > web" if "channel" in kept else "product_viewed"
    return {
        "analyze": ["analyze", str(log)],
        "funnel": ["funnel", str(log), "--stages", "product_viewed,cart_viewed,order_placed"],
        "attribution": ["attribution", str(log)],
        "next-best-action": ["next-best-action", str(log), "--after", after],
        "channels": ["channels", str(log)],
    }[command]


def _needs(command: str, kept: frozenset[str]) -> tuple[str, ...] | None:
    """What the error must name when the log lacks a column the command needs."""
    if command == "channels" and "channel" not in kept:
        return ("'channel'", "--channel")
    if command in ("attribution", "next-best-action") and "outcome" not in kept:
        return ("'outcome'", "--outcome", "--conversion-activity")
    return None


def _run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("kept", SUBSETS, ids=_name)
@pytest.mark.parametrize("command", sorted(CHECKS))
def test_command_on_log(
    logs: dict[frozenset[str], Path], command: str, kept: frozenset[str]
) -> None:
    args = _args(command, logs[kept], kept)
    code_json, out_json, err_json = _run([*args, "--format", "json"])
    code_table, out_table, err_table = _run(args)
    for code, err in ((code_json, err_json), (code_table, err_table)):
        assert "internal error" not in err and "Traceback" not in err, err
        assert code in (0, 1), err
    needs = _needs(command, kept)
    if needs is not None:
        for code, out, err in ((code_json, out_json, err_json), (code_table, out_table, err_table)):
            assert code == 1 and out == "", (out, err)
            assert err.startswith("error: ") and len(err.strip().splitlines()) == 1, err
            for word in needs:
                assert word in err, err
        return
    assert code_json == 0, err_json
    assert code_table == 0, err_table
    CHECKS[command](out_table, json.loads(out_json))


@pytest.mark.parametrize("kept", [s for s in SUBSETS if "outcome" not in s], ids=_name)
def test_attribution_with_a_conversion_activity_needs_no_outcome(
    logs: dict[frozenset[str], Path], kept: frozenset[str]
) -> None:
    for command in ("attribution", "next-best-action"):
        args = [*_args(command, logs[kept], kept), "--conversion-activity", "order_placed"]
        code_json, out_json, err = _run([*args, "--format", "json"])
        assert code_json == 0, err
        code, text, err = _run(args)
        assert code == 0, err
        doc = json.loads(out_json)
        CHECKS[command](text, doc)
        assert doc["conversion"]["rule"] == "activity"
        if command == "attribution":
            assert (doc["total_value"] is None) == ("value" not in kept)


@pytest.mark.parametrize("command", sorted(CHECKS))
def test_command_on_the_shipped_xes(command: str) -> None:
    args = _args(command, example_logs_folder() / "events.xes", frozenset(OPTIONAL))
    code_json, out_json, err = _run([*args, "--format", "json"])
    assert code_json == 0, err
    code, text, err = _run(args)
    assert code == 0, err
    CHECKS[command](text, json.loads(out_json))
