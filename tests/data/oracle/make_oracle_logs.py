"""Write the hand-made oracle event logs of this folder (standard library only).

Run from anywhere: ``python tests/data/oracle/make_oracle_logs.py``. The output is
deterministic (gzip with mtime 0), so re-running it must leave ``git diff`` empty.
Each log exercises one or more hard cases; see README.md beside this file.
The expected files (``<name>.pm4py.json``) are made by ``make_pm4py_oracles.py``
in the peer environment (PM4Py is AGPL and is never imported by parcours).
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent

XES_HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<log xes.version="1.0" xes.features="nested-attributes" openxes.version="1.0RC7" xmlns="http://www.xes-standard.org/">
\t<extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
\t<extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
\t<extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
\t<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
\t<global scope="trace">
\t\t<string key="concept:name" value="__INVALID__"/>
\t</global>
\t<global scope="event">
\t\t<string key="concept:name" value="__INVALID__"/>
\t\t<string key="lifecycle:transition" value="complete"/>
\t\t<date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/>
\t</global>
\t<classifier name="Activity" keys="concept:name"/>
\t<classifier name="Activity and lifecycle" keys="concept:name lifecycle:transition"/>
\t<string key="concept:name" value="{log_name}"/>
"""


def _attr(kind: str, key: str, value: str) -> str:
    return f"<{kind} key={quoteattr(key)} value={quoteattr(value)}/>"


def xes(
    log_name: str,
    traces: list[tuple[str, dict[str, tuple[str, str]], list[dict[str, tuple[str, str]]]]],
) -> str:
    """Render traces as XES. Attributes are {key: (xes type, value)}, kept in order."""
    out = [XES_HEADER.format(log_name=escape(log_name))]
    for case_id, trace_attrs, events in traces:
        out.append("\t<trace>\n")
        # trace attributes before and after concept:name, as real exporters do
        for key, (kind, value) in trace_attrs.items():
            out.append(f"\t\t{_attr(kind, key, value)}\n")
        out.append(f"\t\t{_attr('string', 'concept:name', case_id)}\n")
        for ev in events:
            out.append("\t\t<event>\n")
            for key, (kind, value) in ev.items():
                out.append(f"\t\t\t{_attr(kind, key, value)}\n")
            out.append("\t\t</event>\n")
        out.append("\t</trace>\n")
    out.append("</log>\n")
    return "".join(out)


def ev(
    name: str, ts: str, transition: str | None = None, **extra: tuple[str, str]
) -> dict[str, tuple[str, str]]:
    d: dict[str, tuple[str, str]] = {"concept:name": ("string", name)}
    if transition is not None:
        d["lifecycle:transition"] = ("string", transition)
    d["time:timestamp"] = ("date", ts)
    d.update(extra)
    return d


# --- lifecycle.xes -------------------------------------------------------------------
# start / complete (and one "assign") events are separate events with the same
# concept:name: Register(start) -> Register(complete) is a self-edge of the DFG.
# Timestamps carry +01:00 / +02:00 offsets across the 2024-03-31 DST change in
# Europe/Paris (01:55+01:00 -> 03:20+02:00 is 25 minutes), Z, and milliseconds.
# Names need XML unescaping ("Check &amp; approve") and are not ASCII ("Clôture").
def lifecycle_traces():
    return [
        (
            "T-001",
            {"channel": ("string", "web")},
            [
                ev(
                    "Register",
                    "2024-03-31T00:50:00.000+01:00",
                    "start",
                    **{"org:resource": ("string", "Alice")},
                ),
                ev(
                    "Register",
                    "2024-03-31T01:05:00.000+01:00",
                    "complete",
                    **{"org:resource": ("string", "Alice")},
                ),
                ev("Analyse", "2024-03-31T01:55:00.000+01:00", "start"),
                ev(
                    "Analyse",
                    "2024-03-31T03:20:00.000+02:00",
                    "complete",
                    **{"cost": ("float", "12.5")},
                ),
                ev("Check & approve", "2024-03-31T03:30:00.000+02:00", "start"),
                ev("Check & approve", "2024-03-31T03:45:00.250+02:00", "complete"),
                ev("Clôture", "2024-03-31T04:00:00.000+02:00", "complete"),
            ],
        ),
        (
            "T-002",
            {"channel": ("string", "phone"), "priority": ("int", "2")},
            [
                ev("Register", "2024-04-02T08:00:00.000Z", "start"),
                ev("Register", "2024-04-02T08:04:30.500Z", "complete"),
                ev("Analyse", "2024-04-02T08:10:00.000Z", "start"),
                # Escalate happens while Analyse is running: a complete-only event in between
                ev(
                    "Escalate",
                    "2024-04-02T08:40:00.000Z",
                    "complete",
                    **{"urgent": ("boolean", "true")},
                ),
                ev("Analyse", "2024-04-02T10:10:00.000Z", "complete"),
                ev("Check & approve", "2024-04-02T10:15:00.000Z", "assign"),
                ev("Check & approve", "2024-04-02T10:20:00.000Z", "start"),
                ev("Check & approve", "2024-04-02T11:00:00.000Z", "complete"),
                ev("Clôture", "2024-04-02T11:30:00.000Z", "complete"),
            ],
        ),
        (
            "T-003",
            {"channel": ("string", "web")},
            [
                ev("Register", "2024-04-03T10:00:00.000+02:00", "start"),
                ev("Register", "2024-04-03T10:02:00.000+02:00", "complete"),
                ev("Analyse", "2024-04-03T08:30:00.000Z", "start"),  # 10:30+02:00
                ev("Analyse", "2024-04-03T11:00:00.000+02:00", "complete"),
                ev("Check & approve", "2024-04-03T09:10:00.000Z", "start"),
                ev("Check & approve", "2024-04-03T11:30:00.000+02:00", "complete"),
                ev("Clôture", "2024-04-03T11:45:00.000+02:00", "complete"),
            ],
        ),
        (
            "T-004",
            {},
            [
                ev("Register", "2024-04-04T23:59:59.999+01:00", "start"),
                ev("Register", "2024-04-05T00:00:00.001+01:00", "complete"),
                ev("Clôture", "2024-04-05T09:00:00.000+01:00", "complete"),
            ],
        ),
        # a single-event case: start and end activity, no DFG edge
        (
            "T-005",
            {},
            [
                ev("Register", "2024-04-06T12:00:00.000Z", "complete"),
            ],
        ),
        # no lifecycle attribute at all (the global default says complete)
        (
            "T-006",
            {"channel": ("string", "chat")},
            [
                ev("Register", "2024-04-07T09:00:00.000Z"),
                ev("Analyse", "2024-04-07T09:30:00.000Z"),
                ev("Clôture", "2024-04-07T10:00:00.000Z"),
            ],
        ),
    ]


# --- loops.xes.gz ----------------------------------------------------------------------
# Several variants with loops (B C B C), self-loops (B B), equal timestamps inside a case
# (kept in file order) and one case whose events are written out of time order in the
# file (ordering is by timestamp first, then file position).
V = {
    "happy": ["Visit home", "Search", "View product", "Add to cart", "Pay"],
    "loop": [
        "Visit home",
        "Search",
        "View product",
        "Search",
        "View product",
        "Add to cart",
        "Pay",
    ],
    "self": ["Visit home", "Search", "Search", "View product", "Add to cart", "Pay"],
    "swap": ["Visit home", "View product", "Search", "Add to cart", "Pay"],
    "drop": ["Visit home", "Search"],
    "bounce": ["Visit home"],
    "loop3": [
        "Visit home",
        "Search",
        "View product",
        "Search",
        "View product",
        "Search",
        "View product",
        "Add to cart",
        "Pay",
    ],
}
LOOPS_PLAN = [
    ("happy", 4),
    ("loop", 3),
    ("self", 2),
    ("swap", 2),
    ("drop", 1),
    ("bounce", 1),
    ("loop3", 1),
]
# gaps in seconds between consecutive events, cycled; the 0s make equal timestamps
GAPS = [60, 0, 125, 30, 0, 3600, 7, 45, 600, 1, 0, 90, 15]


def _iso(epoch: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000+00:00")


def loops_traces():
    base = 1_717_200_000  # 2024-06-01T00:00:00Z
    traces = []
    k = 0
    n = 0
    for variant, count in LOOPS_PLAN:
        for _ in range(count):
            n += 1
            t = base + n * 86_400 + (n * 37) % 3600
            events = []
            for act in V[variant]:
                events.append(ev(act, _iso(t), "complete"))
                t += GAPS[k % len(GAPS)]
                k += 1
            traces.append((f"session-{n:02d}", {}, events))
    # out of file order: the file lists Pay before Add to cart, but Pay is later in time
    events = [
        ev("Visit home", _iso(base + 40 * 86_400), "complete"),
        ev("Search", _iso(base + 40 * 86_400 + 10), "complete"),
        ev("View product", _iso(base + 40 * 86_400 + 20), "complete"),
        ev("Pay", _iso(base + 40 * 86_400 + 90), "complete"),
        ev("Add to cart", _iso(base + 40 * 86_400 + 30), "complete"),
    ]
    traces.append(("session-99", {}, events))
    return traces


# --- mixed_offsets.csv -----------------------------------------------------------------
# ISO timestamps with different UTC offsets. Sorting the text (or the wall clock) gives a
# wrong order; sorting the instants gives the right one. Rows of cases are interleaved.
# Two events of case c-3 are the same instant written with different offsets: a tie,
# kept in file order.
MIXED_ROWS = [
    ("c-1", "Visit", "2024-05-01T10:00:00+02:00", "web"),  # 08:00Z
    ("c-2", "Ad click", "2024-05-01T07:15:00-05:00", "email"),  # 12:15Z
    ("c-1", "Call", "2024-05-01T08:30:00Z", "phone"),  # 08:30Z
    ("c-1", "Email", "2024-05-01T04:00:00-05:00", "email"),  # 09:00Z
    ("c-2", "Visit", "2024-05-01T13:20:00+01:00", "web"),  # 12:20Z
    ("c-3", "Visit", "2024-05-01T23:30:00-03:30", "web"),  # 05-02 03:00Z
    ("c-2", "Purchase", "2024-05-01T17:55:30.250+05:30", "web"),  # 12:25:30.250Z
    ("c-3", "Chat", "2024-05-02T05:00:00+02:00", "chat"),  # 03:00Z (tie with Visit)
    ("c-3", "Purchase", "2024-05-02T03:00:00.5+00:00", "web"),  # 03:00:00.500Z
    ("c-1", "Purchase", "2024-05-01T09:00:01Z", "store"),  # 09:00:01Z
    ("c-4", "Visit", "2024-10-27T02:30:00+02:00", "web"),  # 00:30Z (before DST end)
    ("c-4", "Visit", "2024-10-27T02:10:00+01:00", "web"),  # 01:10Z (after DST end)
    ("c-4", "Call", "2024-10-27T01:20:00Z", "phone"),  # 01:20Z
    ("c-5", "Email", "2024-12-31T23:59:59-01:00", "email"),  # 2025-01-01 00:59:59Z
    ("c-5", "Visit", "2025-01-01T01:00:00+01:00", "web"),  # 00:00Z -> first
]

# --- equal_timestamps.csv --------------------------------------------------------------
# Several events of a case share a timestamp; file order must decide (not the activity
# name, not the row of another case). Rows of cases are interleaved.
EQUAL_ROWS = [
    ("k1", "Zeta", "2024-02-01T09:00:00Z"),
    ("k2", "Call", "2024-02-01T09:00:00Z"),
    ("k1", "Alpha", "2024-02-01T09:00:00Z"),
    ("k2", "Email", "2024-02-01T09:00:00Z"),
    ("k3", "Visit", "2024-02-01T10:00:00Z"),
    ("k2", "Call", "2024-02-01T09:00:00Z"),
    ("k1", "Mid", "2024-02-01T09:05:00Z"),
    ("k3", "Visit", "2024-02-01T10:00:00Z"),
    ("k1", "Alpha", "2024-02-01T09:05:00Z"),
    ("k3", "Buy", "2024-02-01T10:00:00Z"),
    ("k4", "Visit", "2024-02-02T08:00:00Z"),
    ("k2", "Buy", "2024-02-01T09:30:00Z"),
    ("k4", "Chat", "2024-02-02T07:59:59Z"),  # earlier instant, later in the file
    ("k4", "Buy", "2024-02-02T08:00:00Z"),  # tie with Visit, after it in the file
    ("k5", "Zeta", "2024-02-03T12:00:00Z"),
    ("k5", "Alpha", "2024-02-03T12:00:00Z"),
    ("k5", "Mid", "2024-02-03T12:00:00Z"),
    ("k1", "Buy", "2024-02-01T09:10:00Z"),
    ("k6", "Alpha", "2024-02-03T12:00:00Z"),
    ("k6", "Zeta", "2024-02-03T12:00:00Z"),
    ("k6", "Mid", "2024-02-03T12:00:00Z"),
]


def write_csv(path: Path, header: list[str], rows: list[tuple[str, ...]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def main() -> None:
    (HERE / "lifecycle.xes").write_text(xes("lifecycle", lifecycle_traces()), encoding="utf-8")
    data = xes("loops", loops_traces()).encode("utf-8")
    with (
        open(HERE / "loops.xes.gz", "wb") as raw,
        gzip.GzipFile(filename="loops.xes", mode="wb", fileobj=raw, mtime=0) as gz,
    ):
        gz.write(data)
    write_csv(
        HERE / "mixed_offsets.csv", ["case_id", "activity", "timestamp", "channel"], MIXED_ROWS
    )
    write_csv(HERE / "equal_timestamps.csv", ["case_id", "activity", "timestamp"], EQUAL_ROWS)


if __name__ == "__main__":
    main()
