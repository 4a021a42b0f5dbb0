"""XES logs, plain and gzipped, streamed; hostile XML refused."""

from __future__ import annotations

import datetime as dt
import gzip
import time
from typing import Any

import pytest

from parcours.analytics import read_events
from parcours.errors import BadData

XES = """<?xml version="1.0" encoding="UTF-8" ?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
  <global scope="event"><string key="concept:name" value="__INVALID__"/></global>
  <string key="concept:name" value="the log"/>
  <trace>
    <string key="concept:name" value="case 1"/>
    <string key="channel" value="web"/>
    <event>
      <string key="concept:name" value="Register"/>
      <string key="lifecycle:transition" value="start"/>
      <date key="time:timestamp" value="2026-01-31T10:00:00.000+01:00"/>
      <list key="tags"><values><string key="concept:name" value="nested, ignored"/></values></list>
    </event>
    <event>
      <string key="concept:name" value="Register"/>
      <string key="lifecycle:transition" value="complete"/>
      <date key="time:timestamp" value="2026-01-31T09:05:00.000Z"/>
    </event>
  </trace>
  <trace>
    <event>
      <date key="time:timestamp" value="2026-01-31T10:00:00Z"/>
      <string key="concept:name" value="Pay"/>
    </event>
    <string key="concept:name" value="case 2"/>
  </trace>
</log>
"""


def rows(log: Any) -> list[dict[str, Any]]:
    return log.table.order_by("position").to_pyarrow().to_pylist()


def test_xes_events_lifecycle_and_case_attributes(write: Any) -> None:
    got = rows(read_events(write("log.xes", XES)))
    assert [(r["case_id"], r["activity"]) for r in got] == [
        ("case 1", "Register"),
        ("case 1", "Register"),  # start and complete are two events
        ("case 2", "Pay"),  # the case name may come after the events
    ]
    assert got[0]["timestamp"] == dt.datetime(2026, 1, 31, 9, 0, tzinfo=dt.UTC)
    assert got[0]["channel"] == "web"  # a trace attribute, ``case:channel``


def test_gzipped_xes(tmp_path: Any) -> None:
    path = tmp_path / "log.xes.gz"
    path.write_bytes(gzip.compress(XES.encode()))
    assert len(rows(read_events(path))) == 3


def test_bad_event_reports_its_line(write: Any) -> None:
    text = XES.replace('value="2026-01-31T09:05:00.000Z"', 'value="tomorrow"')
    with pytest.raises(BadData, match=r"log.xes:14: timestamp 'tomorrow' is not a date"):
        read_events(write("log.xes", text))


def test_malformed_xml_names_the_line(write: Any) -> None:
    with pytest.raises(BadData, match=r"log.xes:\d+: not well-formed XML"):
        read_events(write("log.xes", XES.replace("</trace>\n  <trace>", "</trace>\n  <trace")))


BOMB = """<?xml version="1.0"?>
<!DOCTYPE log [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<log><trace><string key="concept:name" value="&f;"/><event>
<string key="concept:name" value="A"/><date key="time:timestamp" value="2026-01-31T10:00:00Z"/>
</event></trace></log>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE log [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<log><trace><string key="concept:name" value="x"/><event>
<string key="concept:name" value="&secret;"/><date key="time:timestamp" value="2026-01-31T10:00:00Z"/>
</event></trace></log>
"""


@pytest.mark.parametrize("text", [BOMB, XXE], ids=["billion-laughs", "xxe"])
def test_doctype_and_entities_refused_fast(write: Any, text: str) -> None:
    start = time.perf_counter()
    with pytest.raises(BadData, match="DOCTYPE or entities"):
        read_events(write("log.xes", text))
    assert time.perf_counter() - start < 1.0


def test_not_an_xes_log(write: Any) -> None:
    with pytest.raises(BadData, match="no <trace>"):
        read_events(write("log.xes", "<?xml version='1.0'?><log></log>"))
