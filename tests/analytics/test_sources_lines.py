"""Property: every bad CSV row is reported with its exact physical line.

Random logs mix good rows, bad rows, quoted values spanning lines, blank lines and
rows of the wrong width; the line the report gives must be where the row starts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours.analytics import Limits, read_events
from parcours.errors import BadData

KINDS = ("good", "multiline", "bad_ts", "no_case", "wide", "blank")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(KINDS), min_size=1, max_size=30))
def test_bad_rows_are_reported_at_their_line(tmp_path: Path, kinds: list[str]) -> None:
    lines = ["case,activity,timestamp"]
    expected: list[int] = []  # lines where bad rows start
    good = 0
    for i, kind in enumerate(kinds):
        start = len(lines) + 1
        if kind == "good":
            lines.append(f"c{i},A,2026-01-31T10:00:{i % 60:02d}Z")
            good += 1
        elif kind == "multiline":
            lines += [f'c{i},"a note', "on, several", f'lines",2026-01-31T10:00:{i % 60:02d}Z']
            good += 1
        elif kind == "bad_ts":
            lines.append(f"c{i},A,not a date {i}")
            expected.append(start)
        elif kind == "no_case":
            lines.append(f",A,2026-01-31T10:00:{i % 60:02d}Z")
            expected.append(start)
        elif kind == "wide":
            lines.append(f"c{i},A,2026-01-31T10:00:00Z,extra")
            expected.append(start)
        else:
            lines.append("")
    path = tmp_path / "events.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not good:  # nothing left to analyse: refused, with the count
        with pytest.raises(BadData, match=r"every row is bad|no events"):
            read_events(path, on_error="skip", limits=Limits(max_problems=100))
        return
    log = read_events(path, on_error="skip", limits=Limits(max_problems=100))
    assert [p.line for p in log.report.problems] == expected
    assert log.report.n_skipped == len(expected)
    assert log.table.count().to_pyarrow().as_py() == good
