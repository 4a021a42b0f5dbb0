"""The reports of the commands on channel paths: ``attribution`` (first, last, linear and
Markov credit of each channel) and ``next-best-action``. Importable from
:mod:`parcours.analytics.reports` like every other report."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from parcours.analytics.conversion import Paths
from parcours.analytics.report import (
    WORDS,
    Column,
    Facts,
    Note,
    Report,
    Table,
    Typed,
)
from parcours.analytics.report import load_lang as _lang
from parcours.analytics.report import skipped_notes as _skipped


# ------------------------------------------------------------------------ attribution
def _conversion_notes(paths: Paths) -> list[Note]:
    from parcours.analytics.attribution import conversion_outcome_values

    c = paths.conversion
    if c["rule"] == "paths_file":
        return [Note("conversion_file")]
    by = Typed(f"by_{c['by']}", "word") if f"by_{c['by']}" in WORDS else Typed(c["by"], "text")
    if c["rule"] == "activity":
        return [Note("conversion_activity", {"activity": Typed(c["activity"], "text"), "by": by})]
    shown = list(c["events"].items())
    seen = ", ".join(f"{a} ({n:,})" for a, n in shown[:5]) or "—"
    if len(shown) > 5:
        seen += ", …"
    return [
        Note(
            "conversion_outcome",
            {
                "outcomes": (
                    Typed("usual_outcomes", "word")
                    if c["outcomes"] == conversion_outcome_values()
                    else Typed(", ".join(c["outcomes"]), "text")
                ),
                "events": Typed(seen, "text"),
                "by": by,
            },
        )
    ]


def attribution_report(
    paths: Paths, *, order: int = 1, max_steps: int | str | None = None
) -> Report:
    """``parcours attribution``: first, last, linear touch and Markov attribution."""
    from parcours.analytics import attribution

    data = attribution.attribution_report(
        paths.table, order, max_steps=max_steps, with_value=paths.with_value
    )
    data["conversion"] = paths.conversion
    if paths.load is not None:
        data["load"] = paths.load
    h = data["heuristics"]
    m = data["markov"]
    channels = sorted(set(h) | set(m["removal_effects"]))
    keys: list[tuple[str, str, str]] = [
        ("first", "first", "number"),
        ("last", "last", "number"),
        ("linear", "linear", "number"),
        ("removal_effect", "removal_effects", "share"),
        ("markov", "conversions", "number"),
    ]
    if paths.with_value:
        keys += [
            ("first_value", "first_value", "money"),
            ("last_value", "last_value", "money"),
            ("linear_value", "linear_value", "money"),
            ("markov_value", "value", "money"),
        ]

    def cell(ch: str, source: str) -> Any:
        if source in m and isinstance(m[source], dict):
            return m[source].get(ch)
        return h.get(ch, {}).get(source)

    by = paths.conversion.get("by", "channel")
    table = Table(
        "attribution",
        (
            Column("channel" if by == "channel" else "touchpoint"),
            *(Column(k, kind) for k, _, kind in keys),  # type: ignore[arg-type]
        ),
        tuple((ch, *(cell(ch, s) for _, s, _ in keys)) for ch in channels),
        {"order": Typed(m["order"], "count"), "p": Typed(m["p_conversion"], "share")},
    )
    totals = Facts(
        "totals",
        (
            ("total_conversions", data["total_conversions"], "count"),
            *((("total_value", data["total_value"], "money"),) if paths.with_value else ()),
            ("n_paths", data["n_paths"], "count"),
        ),
    )
    notes = _conversion_notes(paths)
    if not paths.with_value:
        notes.append(Note("no_value"))
    return Report(
        "attribution", data, (totals, table), (*notes, *_skipped(paths.load)), _lang(paths.load)
    )


def next_best_action_report(
    paths: Paths, after: str | Iterable[str], *, order: int = 1, top: int | None = None
) -> Report:
    """``parcours next-best-action``: the next touchpoints after a partial path, ranked
    by conversion probability; with events as touchpoints, the conversion event itself
    is not proposed, nor any state where every journey converts at once (listed in
    ``excluded``)."""
    from parcours.analytics import attribution, nba

    chain = attribution.markov_chain(paths.table, order, with_value=paths.with_value)
    path = nba.parse_path(after) if isinstance(after, str) else list(after)
    conversion = paths.conversion
    # with events as touchpoints: the --conversion-activity is never a candidate, and a
    # state where every journey converts at once is where conversion is recorded (an
    # outcome repeated on every event of a case makes no such state of the last event)
    by_events = conversion.get("by") == "activity"
    exclude = {conversion["activity"]} if conversion.get("activity") else set()
    result = nba.next_best_action(chain, path, top=top, exclude=exclude, absorbing=by_events)
    data: dict[str, Any] = result.to_dict()
    for e in data["excluded"]:  # an absorbing state at which cases convert: the conversion
        if e["reason"] == "absorbing" and e["touchpoint"] in conversion.get("events", {}):
            e["reason"] = "conversion"
    data["conversion"] = conversion
    if paths.load is not None:
        data["load"] = paths.load
    table = Table(
        "next_best_action",
        (
            Column("rank", "count"),
            Column("channel" if conversion.get("by") == "channel" else "touchpoint"),
            Column("p_conversion", "share"),
            Column("uplift", "points"),
            Column("transition_probability", "share"),
        ),
        tuple(
            (i, a["touchpoint"], a["p_conversion"], a["uplift"], a["transition_probability"])
            for i, a in enumerate(data["actions"], start=1)
        ),
        {"after": Typed(data["after"], "path"), "p": Typed(data["p_conversion"], "share")},
    )
    notes = _conversion_notes(paths)
    if not data["actions"]:
        notes.append(Note("no_action"))
    for reason in ("conversion", "absorbing"):
        names = [e["touchpoint"] for e in data["excluded"] if e["reason"] == reason]
        if names:
            notes.append(Note(f"excluded_{reason}", {"names": Typed(", ".join(names), "text")}))
    return Report(
        "next-best-action", data, (table,), (*notes, *_skipped(paths.load)), _lang(paths.load)
    )
