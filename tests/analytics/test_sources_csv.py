"""Delimited text logs: encodings, delimiters, timestamps, bad rows with their lines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from parcours.analytics import ColumnMapping, Limits, read_events
from parcours.errors import BadData

UTC = dt.UTC


def rows(log: Any) -> list[dict[str, Any]]:
    return log.table.order_by("position").to_pyarrow().to_pylist()


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_delimiter_and_encoding_detected(write: Any, delimiter: str, encoding: str) -> None:
    lines = [
        ["case_id", "activity", "timestamp"],
        ["c1", "Première visite", "2026-01-31T10:00:00Z"],
    ]
    lines.append(
        [
            "c1",
            "Réclamation à l’agence" if encoding != "latin-1" else "Réclamation",
            "2026-01-31T11:00:00Z",
        ]
    )
    text = "\n".join(delimiter.join(r) for r in lines) + "\n"
    path = write("events.csv", text, encoding=encoding)
    got = rows(read_events(path))
    assert [r["activity"] for r in got] == [lines[1][1], lines[2][1]]


def test_mixed_offsets_become_utc_instants(write: Any) -> None:
    path = write(
        "events.csv",
        "case_id,activity,timestamp\n"
        "c1,A,2026-01-31T10:00:00+01:00\n"
        "c1,B,2026-01-31T04:30:00-05:00\n"
        "c1,C,2026-01-31T09:45:00Z\n"
        "c1,D,2026-01-31 10:00:00\n",
    )
    got = rows(read_events(path))
    assert [r["timestamp"] for r in got] == [
        dt.datetime(2026, 1, 31, 9, 0, tzinfo=UTC),
        dt.datetime(2026, 1, 31, 9, 30, tzinfo=UTC),
        dt.datetime(2026, 1, 31, 9, 45, tzinfo=UTC),
        dt.datetime(2026, 1, 31, 10, 0, tzinfo=UTC),  # no offset: read as UTC
    ]


@pytest.mark.parametrize(
    ("values", "unit"),
    [(("1769853600", "1769853660"), 1), (("1769853600000", "1769853660500"), 1000)],
)
def test_epoch_seconds_and_milliseconds(write: Any, values: tuple[str, str], unit: int) -> None:
    path = write("e.csv", f"case,event,time\nc,A,{values[0]}\nc,B,{values[1]}\n")
    got = rows(read_events(path))
    assert got[0]["timestamp"] == dt.datetime(2026, 1, 31, 10, 0, tzinfo=UTC)
    assert got[1]["timestamp"] == dt.datetime.fromtimestamp(int(values[1]) / unit, UTC)


def test_bad_rows_fail_with_file_and_line(write: Any) -> None:
    path = write(
        "events.csv",
        "case_id,activity,timestamp\n"
        "c1,A,2026-01-31T10:00:00Z\n"
        'c1,"a note\non two lines",2026-01-31T10:01:00Z\n'
        "c1,B,yesterday\n"
        ",C,2026-01-31T10:03:00Z\n"
        "c2,,2026-01-31T10:04:00Z\n"
        "c2,D,\n",
    )
    with pytest.raises(BadData) as err:
        read_events(path)
    text = str(err.value)
    assert "4 bad rows" in text
    assert (
        "events.csv:5: timestamp 'yesterday' is not a date; expected ISO 8601 "
        "(2026-01-31T10:00:00+01:00), a numeric date (31/01/2026 10:00) "
        "or epoch seconds/milliseconds" in text
    )
    assert "events.csv:6: case id (case_id) is empty" in text
    assert "events.csv:7: activity (activity) is empty" in text
    assert "events.csv:8: timestamp (timestamp) is empty" in text


def test_bad_rows_skipped_with_a_report(write: Any) -> None:
    path = write(
        "events.csv",
        "case_id,activity,timestamp,value\n"
        "c1,A,2026-01-31T10:00:00Z,12.5\n"
        "c1,B,soon,1\n"
        "c1,C,2026-01-31T10:02:00Z,abc\n"
        "c1,D,2026-01-31T10:03:00Z,3,extra\n"
        'c1,E,2026-01-31T10:04:00Z,"4,5"\n',
    )
    log = read_events(path, on_error="skip")
    assert [r["activity"] for r in rows(log)] == ["A", "E"]
    assert [r["value"] for r in rows(log)] == [12.5, 4.5]
    report = log.report
    assert report.n_rows == 5
    assert report.n_skipped == 3
    assert [(p.line, p.message.split(" ")[0]) for p in report.problems] == [
        (3, "timestamp"),
        (4, "value"),
        (5, "expected"),
    ]
    assert "expected 4 fields separated by ',', found 5" in str(report.problems[2])


def test_problems_quoted_are_capped_but_all_counted(write: Any) -> None:
    body = "".join(f"c,A,never{i}\n" for i in range(50)) + "c,B,2026-01-31T10:00:00Z\n"
    path = write("events.csv", "case,activity,timestamp\n" + body)
    log = read_events(path, on_error="skip", limits=Limits(max_problems=5))
    assert log.report.n_skipped == 50
    assert [p.line for p in log.report.problems] == [2, 3, 4, 5, 6]


def test_skipping_every_row_fails_with_the_count(write: Any) -> None:
    body = "".join(f"c,A,never{i}\n" for i in range(50))
    path = write("events.csv", "case,activity,timestamp\n" + body)
    with pytest.raises(BadData, match=r"^events.csv: every row is bad \(50 of 50\)") as err:
        read_events(path, on_error="skip", limits=Limits(max_problems=5))
    assert "events.csv:2: timestamp 'never0' is not a date" in str(err.value)
    assert "… and 45 more" in str(err.value)
    header_only = write("empty.csv", "case,activity,timestamp\n")
    with pytest.raises(BadData, match=r"empty.csv: no events; the log has a header but no rows"):
        read_events(header_only, on_error="skip")


def test_column_mapping_and_usual_names(write: Any) -> None:
    path = write(
        "e.csv",
        "Client;Touchpoint;Quand;Canal\nk1;Visite;2026-01-31T10:00:00Z;web\n",
    )
    with pytest.raises(
        BadData,
        match=r"no timestamp column found among: Client, Touchpoint, Quand, Canal; "
        "name it with --timestamp",
    ):
        read_events(path)
    mapping = ColumnMapping(case="client", activity="Touchpoint", timestamp="Quand")
    got = rows(read_events(path, mapping))
    assert got[0]["case_id"] == "k1"
    assert got[0]["channel"] == "web"  # "canal" is a usual name of the channel
    with pytest.raises(BadData, match=r"column 'Nope' .* does not exist"):
        read_events(path, ColumnMapping(case="Nope"))


def test_xes_style_column_names(write: Any) -> None:
    path = write(
        "e.csv",
        "case:concept:name,concept:name,time:timestamp,org:resource\n"
        "1,Register,2026-01-31T10:00:00Z,Ann\n",
    )
    got = rows(read_events(path))
    assert (got[0]["case_id"], got[0]["activity"]) == ("1", "Register")


@pytest.mark.parametrize(
    ("header", "timestamp"),
    [
        # Disco and ProM CSV exports: the end of each activity is the event's time
        ("Case ID,Activity,Resource,Start Timestamp,Complete Timestamp", "Complete Timestamp"),
        ("Case ID,Activity,Start Timestamp", "Start Timestamp"),
        # an XES log written as CSV by a tool that turns ":" into "_"
        ("case_concept_name,concept_name,time_timestamp", "time_timestamp"),
        ("case_number,activity,end_time,start_time", "end_time"),
    ],
)
def test_process_mining_export_names(write: Any, header: str, timestamp: str) -> None:
    values = {"Start Timestamp": "2026-01-31 09:00:00", "start_time": "2026-01-31 09:00:00"}
    row = ",".join(
        values.get(c, "2026-01-31 10:00:00")
        if "time" in c.lower()
        else ("c1" if c == header.split(",")[0] else "Open")
        for c in header.split(",")
    )
    log = read_events(write("e.csv", f"{header}\n{row}\n"))
    assert log.report.columns["timestamp"] == timestamp
    assert log.report.columns["case"] == header.split(",")[0]
    assert rows(log)[0]["activity"] == "Open"


def test_gzipped_csv(tmp_path: Any) -> None:
    import gzip

    path = tmp_path / "events.csv.gz"
    path.write_bytes(gzip.compress(b"case,activity,timestamp\nc,A,2026-01-31T10:00:00Z\n"))
    assert len(rows(read_events(path))) == 1


def test_empty_and_binary_files_are_refused(write: Any) -> None:
    with pytest.raises(BadData, match="empty"):
        read_events(write("e.csv", ""))
    with pytest.raises(BadData, match="binary"):
        read_events(write("e.csv", b"\x00\x01\x02binary"))
