"""Channel switches, the channel matrix and repeat contacts on hand-built logs, every engine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest

from parcours.analytics.attribution import to_arrow
from parcours.analytics.channels import (
    channel_matrix,
    channel_switches,
    repeat_contact_matrix,
    repeat_contacts,
    switch_summary,
)
from parcours.analytics.engine import Engine
from parcours.errors import BadData

T0 = datetime(2024, 3, 1, tzinfo=UTC)

# (case, customer, activity, channel, hours after T0)
LOG = [
    # Claire explains her blocked card on chat, then twice on the phone, then by e-mail
    # 10 days later about something else (outside a 7-day window)
    ("k1", "claire", "card_blocked", "chat", 0),
    ("k1", "claire", "card_blocked", "phone", 24),
    ("k1", "claire", "card_blocked", "phone", 25),
    ("k2", "claire", "address_change", "email", 25 + 240),
    # Marc: web, an event without channel, app — the null channel is skipped
    ("k3", "marc", "browse", "web", 0),
    ("k3", "marc", "login", None, 0.1),
    ("k3", "marc", "browse", "app", 0.2),
    # Ana: one contact only
    ("k4", "ana", "card_blocked", "phone", 0),
    # Leo: same timestamp for two events: source order decides (phone then chat)
    ("k5", "leo", "card_blocked", "phone", 5),
    ("k5", "leo", "card_blocked", "chat", 5),
]


def events(engine: Engine, rows=LOG, with_customer: bool = True) -> object:
    cols = {
        "case_id": [r[0] for r in rows],
        "activity": [r[2] for r in rows],
        "timestamp": pa.array(
            [T0 + timedelta(hours=r[4]) for r in rows], pa.timestamp("us", tz="UTC")
        ),
        "position": pa.array(range(len(rows)), pa.int64()),
        "channel": pa.array([r[3] for r in rows], pa.string()),
    }
    if with_customer:
        cols["customer_id"] = [r[1] for r in rows]
    return engine.from_arrow(pa.table(cols))


def _rows(expr) -> list[dict]:
    return to_arrow(expr).to_pylist()


def test_matrix_and_switches(engine: Engine) -> None:
    t = events(engine)
    matrix = {
        (r["from_channel"], r["to_channel"]): r["transitions"] for r in _rows(channel_matrix(t))
    }
    # k1: chat→phone, phone→phone; k3: web→app (null skipped); k5: phone→chat
    assert matrix == {
        ("chat", "phone"): 1,
        ("phone", "phone"): 1,
        ("web", "app"): 1,
        ("phone", "chat"): 1,
    }
    summary = _rows(switch_summary(t))[0]
    assert summary == {
        "transitions": 4,
        "switches": 3,
        "switch_rate": pytest.approx(0.75),
        "cases": 3,
        "cases_with_switch": 3,
    }
    sw = sorted(
        (r["case_id"], r["from_channel"], r["to_channel"], r["seconds"])
        for r in _rows(channel_switches(t))
    )
    assert sw == [
        ("k1", "chat", "phone", pytest.approx(86400.0)),
        ("k3", "web", "app", pytest.approx(720.0)),
        ("k5", "phone", "chat", pytest.approx(0.0)),
    ]


def test_repeat_contacts_by_customer(engine: Engine) -> None:
    t = events(engine)
    reps = sorted(
        (r["customer_id"], r["previous_channel"], r["channel"], r["gap_seconds"])
        for r in _rows(repeat_contacts(t, timedelta(days=7)))
    )
    # Claire chat→phone within 1 day (phone→phone is no repeat, e-mail 10 days later is out
    # of the window); Marc web→app; Leo phone→chat at the same instant
    assert reps == [
        ("claire", "chat", "phone", pytest.approx(86400.0)),
        ("leo", "phone", "chat", pytest.approx(0.0)),
        ("marc", "web", "app", pytest.approx(720.0)),
    ]
    wide = _rows(repeat_contact_matrix(t, timedelta(days=30)))
    pairs = {(r["previous_channel"], r["channel"]): (r["repeats"], r["customers"]) for r in wide}
    assert pairs[("phone", "email")] == (1, 1)  # Claire, across her two cases
    assert sum(r["repeats"] for r in wide) == 4


def test_repeat_contacts_about_the_same_activity(engine: Engine) -> None:
    t = events(engine)
    same = _rows(repeat_contacts(t, timedelta(days=30), same_activity=True))
    got = sorted(
        (r["customer_id"], r["activity"], r["previous_channel"], r["channel"]) for r in same
    )
    # Marc's browse web → browse app stays; Claire's e-mail is about another subject
    assert got == [
        ("claire", "card_blocked", "chat", "phone"),
        ("leo", "card_blocked", "phone", "chat"),
        ("marc", "browse", "web", "app"),
    ]


def test_without_customer_column_the_case_is_the_customer(engine: Engine) -> None:
    t = events(engine, with_customer=False)
    reps = _rows(repeat_contacts(t, timedelta(days=30)))
    assert sorted(r["customer_id"] for r in reps) == ["k1", "k3", "k5"]


def test_channel_column_is_required(engine: Engine) -> None:
    data = pa.table(
        {
            "case_id": ["a"],
            "activity": ["x"],
            "timestamp": pa.array([T0], pa.timestamp("us", tz="UTC")),
            "position": pa.array([0], pa.int64()),
        }
    )
    with pytest.raises(BadData, match="no 'channel' column"):
        channel_matrix(engine.from_arrow(data))
