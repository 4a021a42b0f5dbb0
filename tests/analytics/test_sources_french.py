"""Logs exported by French software: ``;``, Windows-1252, day-first dates, French names."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from parcours.analytics import read_events
from parcours.analytics.timestamps import TimeFormat, day_order, to_utc
from parcours.cli import app
from parcours.errors import BadData

runner = CliRunner()
UTC = dt.UTC


def french_export(path: Path, dates: list[str]) -> Path:
    """A log as a French CRM exports it: header in French, ``;``, CRLF, Windows-1252."""
    lines = ["id_client;événement;étape;canal;horodatage;montant;résultat"]
    steps = [
        ("Visite du site", "Découverte", "web"),
        ("Appel au conseiller", "Conseil", "téléphone"),
    ]
    for i, date in enumerate(dates):
        activity, stage, channel = steps[i % 2]
        value, outcome = ("1 234,50", "converti") if i % 2 else ("", "")
        lines.append(f"C{i // 2};{activity};{stage};{channel};{date};{value};{outcome}")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def rows(log: Any) -> list[dict[str, Any]]:
    return log.table.order_by("position").to_pyarrow().to_pylist()


def test_a_french_export_analyses_with_no_options(tmp_path: Path) -> None:
    path = french_export(tmp_path / "export.csv", ["03/12/2026 14:05", "13/12/2026 09:30"])
    res = runner.invoke(app, ["analyze", str(path), "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    load = doc["load"]
    assert (load["encoding"], load["delimiter"]) == ("cp1252", ";")
    assert load["columns"] == {
        "case": "id_client",
        "activity": "événement",
        "timestamp": "horodatage",
        "channel": "canal",
        "outcome": "résultat",
        "stage": "étape",
        "value": "montant",
    }
    assert load["timestamps"] == (
        "numeric dates read day-first (DD/MM/YYYY), as '13/12/2026 09:30' says "
        "(there is no month 13)"
    )
    assert "export.csv: numeric dates read day-first" in res.stderr
    assert doc["n_events"] == 2
    # 3 December 14:05 → 13 December 09:30
    assert doc["case_length"]["duration_seconds"]["max"] == 10 * 86400 - 4 * 3600 - 35 * 60


def test_the_values_and_instants_of_a_french_export(tmp_path: Path) -> None:
    path = french_export(tmp_path / "export.csv", ["03/12/2026 14:05", "13/12/2026 09:30"])
    got = rows(read_events(path))
    assert [r["timestamp"] for r in got] == [
        dt.datetime(2026, 12, 3, 14, 5, tzinfo=UTC),
        dt.datetime(2026, 12, 13, 9, 30, tzinfo=UTC),
    ]
    assert [(r["activity"], r["stage"], r["channel"]) for r in got] == [
        ("Visite du site", "Découverte", "web"),
        ("Appel au conseiller", "Conseil", "téléphone"),
    ]
    assert [r["value"] for r in got] == [None, 1234.5]  # '1 234,50'


@pytest.mark.parametrize(
    ("header", "roles"),
    [
        ("client;etape;date_heure", ("client", "etape", "date_heure")),
        ("Numéro client;Évènement;Date et heure", ("Numéro client", "Évènement", "Date et heure")),
        ("id_client;Étape;Date", ("id_client", "Étape", "Date")),
        ("ID_CLIENT;EVENEMENT;HORODATAGE", ("ID_CLIENT", "EVENEMENT", "HORODATAGE")),
    ],
)
def test_french_column_names(tmp_path: Path, header: str, roles: tuple[str, ...]) -> None:
    path = tmp_path / "e.csv"
    path.write_text(f"{header}\nk1;Visite;2026-01-31 10:00\n", encoding="utf-8")
    report = read_events(path).report
    assert (
        report.columns["case"],
        report.columns["activity"],
        report.columns["timestamp"],
    ) == roles


def test_an_ambiguous_day_order_is_refused_and_an_option_settles_it(tmp_path: Path) -> None:
    path = french_export(tmp_path / "export.csv", ["03/12/2026 14:05", "04/12/2026 09:30"])
    res = runner.invoke(app, ["analyze", str(path), "--format", "json"])
    assert res.exit_code == 1
    assert res.stderr.startswith(
        "error: export.csv: the dates of column 'horodatage' such as '03/12/2026 14:05' "
        "(line 2) can be read day-first or month-first, and none of them decides"
    )
    assert "--dayfirst or --monthfirst" in res.stderr
    assert "Traceback" not in res.output
    day = runner.invoke(app, ["analyze", str(path), "--format", "json", "--dayfirst"])
    month = runner.invoke(app, ["analyze", str(path), "--format", "json", "--monthfirst"])
    assert day.exit_code == month.exit_code == 0, day.output + month.output
    duration = json.loads(day.stdout)["case_length"]["duration_seconds"]["max"]
    assert duration == 86400 - 4 * 3600 - 35 * 60  # 3 → 4 December
    duration = json.loads(month.stdout)["case_length"]["duration_seconds"]["max"]
    assert duration == 31 * 86400 - 4 * 3600 - 35 * 60  # 12 March → 12 April
    assert (
        json.loads(month.stdout)["load"]["timestamps"] == "numeric dates read month-first (given)"
    )


def test_an_explicit_format(tmp_path: Path) -> None:
    path = french_export(tmp_path / "export.csv", ["03/12/2026 à 14h05", "04/12/2026 à 09h30"])
    log = read_events(path, timestamp_format="%d/%m/%Y à %Hh%M")
    assert [r["timestamp"].hour for r in rows(log)] == [14, 9]
    assert log.report.timestamps == "format '%d/%m/%Y à %Hh%M' (given)"
    res = runner.invoke(
        app, ["analyze", str(path), "--timestamp-format", "%d/%m/%Y %H:%M", "--on-error", "skip"]
    )
    assert res.exit_code == 1
    assert "every row is bad (2 of 2)" in res.stderr
    assert (
        "export.csv:2: timestamp '03/12/2026 à 14h05' is not a date; expected the format "
        "'%d/%m/%Y %H:%M' (--timestamp-format)" in res.stderr
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--timestamp-format", "%d/%m/%Y", "--dayfirst"], "give either a timestamp format"),
        (["--timestamp-format", "day/month"], "has no % directive"),
        (["--timestamp-format", "%Q"], "timestamp format '%Q' cannot be used"),
    ],
)
def test_bad_timestamp_options(tmp_path: Path, options: list[str], message: str) -> None:
    path = french_export(tmp_path / "export.csv", ["13/12/2026 14:05"])
    res = runner.invoke(app, ["analyze", str(path), *options])
    assert res.exit_code == 1
    assert message in res.stderr


def test_day_order_options_are_refused_for_typed_timestamps(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "e.parquet"
    pq.write_table(
        pa.table({"case_id": ["a"], "activity": ["x"], "timestamp": [dt.datetime(2026, 1, 1)]}),
        path,
    )
    with pytest.raises(BadData, match="a Parquet file has typed timestamps"):
        read_events(path, dayfirst=True)


def test_dates_that_disagree_are_refused(tmp_path: Path) -> None:
    path = french_export(
        tmp_path / "export.csv", ["13/12/2026 14:05", "04/12/2026", "12/25/2026", "01/01/2027"]
    )
    with pytest.raises(BadData) as err:
        read_events(path)
    assert str(err.value).startswith(
        "export.csv: the dates of column 'horodatage' disagree: '13/12/2026 14:05' (line 2) "
        "and '12/25/2026' (line 4) cannot both be day-first or both month-first"
    )


def test_skipping_every_row_fails_in_every_command(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("client;evenement;date\nA;x;hier\nA;y;demain\n", encoding="utf-8")
    res = runner.invoke(app, ["analyze", str(path), "--on-error", "skip", "--format", "json"])
    assert res.exit_code == 1
    assert res.stdout == ""
    assert res.stderr.startswith("error: bad.csv: every row is bad (2 of 2)")


def test_day_order_and_numeric_date_shapes() -> None:
    values = pa.array(
        ["3.2.26", "03-12-2026T14:05:06.5", "31/12/2026 23:59:59", "2026-01-02", None, "x"]
    )
    order = day_order(values)
    assert (order.dayfirst, order.count, order.example, order.evidence) == (True, 3, 0, 2)
    got = to_utc(values, TimeFormat(dayfirst=True)).to_pylist()
    assert got == [
        dt.datetime(2026, 2, 3, tzinfo=UTC),
        dt.datetime(2026, 12, 3, 14, 5, 6, 500000, tzinfo=UTC),
        dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC),
        dt.datetime(2026, 1, 2, tzinfo=UTC),
        None,
        None,
    ]
    assert day_order(pa.array(["01/02/2026", "12/31/2026"])).dayfirst is False
    assert day_order(pa.array(["2026-01-02", "1700000000"])).count == 0
    undecided = day_order(pa.array(["01/02/2026", "03/04/2026"]))
    assert (undecided.dayfirst, undecided.evidence, undecided.conflict) == (None, None, None)
    # undecided numeric dates stay unread (the reader asks first)
    assert to_utc(pa.array(["01/02/2026"])).to_pylist() == [None]


def test_an_excel_log_with_text_dates_day_first(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Client", "Événement", "Horodatage"])
    ws.append(["k1", "Visite", "25/12/2026 10:00"])
    ws.append(["k1", "Achat", dt.datetime(2026, 12, 26, 11, 0)])  # a real date cell
    path = tmp_path / "e.xlsx"
    wb.save(path)
    log = read_events(path)
    assert [r["timestamp"] for r in rows(log)] == [
        dt.datetime(2026, 12, 25, 10, 0, tzinfo=UTC),
        dt.datetime(2026, 12, 26, 11, 0, tzinfo=UTC),
    ]
    assert log.report.timestamps is not None and "day-first" in log.report.timestamps


@pytest.mark.parametrize(
    "command",
    [
        ["funnel", "--stages", "Visite du site,Appel au conseiller"],
        ["channels"],
        ["attribution", "--by", "activity", "--conversion-activity", "Appel au conseiller"],
    ],
)
def test_every_command_that_reads_a_log_takes_the_day_order(
    tmp_path: Path, command: list[str]
) -> None:
    path = french_export(tmp_path / "export.csv", ["03/12/2026 14:05", "04/12/2026 09:30"])
    refused = runner.invoke(app, [command[0], str(path), *command[1:], "--format", "json"])
    assert refused.exit_code == 1
    assert "can be read day-first or month-first" in refused.stderr
    res = runner.invoke(
        app, [command[0], str(path), *command[1:], "--format", "json", "--dayfirst"]
    )
    assert res.exit_code == 0, res.output
    json.loads(res.stdout)
