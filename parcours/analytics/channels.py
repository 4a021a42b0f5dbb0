"""Channel switches, repeat contacts and the channel × channel matrix (lazy Ibis).

* a **transition** is a pair of consecutive events of one case (ordered by timestamp,
  then source position) that both have a channel; it is a **switch** when the two
  channels differ;
* a **repeat contact** is an event of a customer (``customer_id`` when the table has
  it, else ``case_id``) whose previous event — the previous event *about the same
  activity* with ``same_activity=True`` ("explains the same problem") — happened at
  most ``within`` earlier on another channel. Events without a channel are left out.
"""

from __future__ import annotations

from datetime import timedelta

import ibis
import ibis.expr.types as ir

from parcours.analytics.funnels import seconds_between
from parcours.errors import BadData


def _require_channel(events: ir.Table) -> None:
    if "channel" not in events.columns:
        raise BadData(
            "the event log has no 'channel' column; map one with --channel COLUMN to study channels"
        )


def channel_transitions(events: ir.Table) -> ir.Table:
    """Every pair of consecutive channelled events of a case: ``case_id``,
    ``from_channel``, ``to_channel``, ``from_activity``, ``to_activity``,
    ``from_timestamp``, ``to_timestamp``, ``seconds`` and ``switch`` (channels differ)."""
    _require_channel(events)
    ev = events.filter(events.channel.notnull())
    w = ibis.window(group_by=ev.case_id, order_by=[ev.timestamp, ev.position])
    t = ev.select(
        "case_id",
        from_channel=ev.channel,
        to_channel=ev.channel.lead().over(w),
        from_activity=ev.activity,
        to_activity=ev.activity.lead().over(w),
        from_timestamp=ev.timestamp,
        to_timestamp=ev.timestamp.lead().over(w),
    )
    t = t.filter(t.to_channel.notnull())
    return t.mutate(
        seconds=seconds_between(t.to_timestamp, t.from_timestamp),
        switch=t.from_channel != t.to_channel,
    )


def channel_switches(events: ir.Table) -> ir.Table:
    """The transitions whose channels differ (see :func:`channel_transitions`)."""
    t = channel_transitions(events)
    return t.filter(t.switch).drop("switch")


def channel_matrix(events: ir.Table) -> ir.Table:
    """Channel × channel matrix in long form: ``from_channel``, ``to_channel``,
    ``transitions`` and ``cases`` (distinct cases with that transition), the diagonal
    included; sorted by transitions desc, then channels."""
    t = channel_transitions(events)
    return (
        t.group_by("from_channel", "to_channel")
        .agg(transitions=t.count(), cases=t.case_id.nunique())
        .order_by([ibis.desc("transitions"), "from_channel", "to_channel"])
    )


def switch_summary(events: ir.Table) -> ir.Table:
    """One row: ``transitions``, ``switches``, ``switch_rate``, ``cases`` (with a
    transition) and ``cases_with_switch``."""
    t = channel_transitions(events)
    sw = t.switch.cast("int64")
    return t.agg(
        transitions=t.count(),
        switches=sw.sum().fill_null(0),
        switch_rate=(sw.sum().cast("float64") / t.count().nullif(0)).fill_null(0.0),
        cases=t.case_id.nunique(),
        cases_with_switch=t.case_id.nunique(where=t.switch),
    )


def repeat_contacts(
    events: ir.Table,
    within: timedelta = timedelta(days=7),
    *,
    same_activity: bool = False,
) -> ir.Table:
    """Repeat contacts: ``customer_id``, ``previous_channel``, ``channel``,
    ``previous_activity``, ``activity``, ``previous_timestamp``, ``timestamp`` and
    ``gap_seconds``, one row per repeat."""
    _require_channel(events)
    who = events.customer_id if "customer_id" in events.columns else events.case_id
    ev = events.filter(events.channel.notnull()).mutate(_who=who.cast("string"))
    keys = [ev._who, ev.activity] if same_activity else [ev._who]
    w = ibis.window(group_by=keys, order_by=[ev.timestamp, ev.case_id, ev.position])
    t = ev.select(
        customer_id=ev._who,
        previous_channel=ev.channel.lag().over(w),
        channel=ev.channel,
        previous_activity=ev.activity.lag().over(w),
        activity=ev.activity,
        previous_timestamp=ev.timestamp.lag().over(w),
        timestamp=ev.timestamp,
    )
    t = t.mutate(gap_seconds=seconds_between(t.timestamp, t.previous_timestamp))
    return t.filter(
        t.previous_channel.notnull()
        & (t.previous_channel != t.channel)
        & (t.gap_seconds <= within.total_seconds())
    )


def repeat_contact_matrix(
    events: ir.Table,
    within: timedelta = timedelta(days=7),
    *,
    same_activity: bool = False,
) -> ir.Table:
    """Repeat contacts per ``previous_channel`` → ``channel``: ``repeats``,
    ``customers`` and ``median_gap_seconds``; sorted by repeats desc, then channels."""
    r = repeat_contacts(events, within, same_activity=same_activity)
    return (
        r.group_by("previous_channel", "channel")
        .agg(
            repeats=r.count(),
            customers=r.customer_id.nunique(),
            median_gap_seconds=r.gap_seconds.quantile(0.5),
        )
        .order_by([ibis.desc("repeats"), "previous_channel", "channel"])
    )
