"""The reports of the analytics commands, built once for the JSON and the tables.

Each function runs one analysis and returns a :class:`~parcours.analytics.report.Report`:
its ``data`` is the command's JSON document (keys documented in ``docs/analytics.md`` and
``docs/attribution.md``), its views are tables of the very same figures. The command
line prints either (:func:`~parcours.analytics.report.render_text` writes the tables);
Python callers get both:

>>> from parcours.analytics import read_events, reports
>>> log = read_events("parcours-demo/events.csv")  # doctest: +SKIP
>>> report = reports.funnel_report(log, "product_viewed,order_placed")  # doctest: +SKIP
>>> report.data["stages"][1]["cases"]  # doctest: +SKIP
145
>>> print(render_text(report, "fr"))  # the tables, in French  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timedelta
from typing import Any, TypeAlias

import ibis.expr.types as ir

from parcours.analytics.report import (
    Column,
    Facts,
    Matrix,
    Note,
    Report,
    Table,
    Typed,
    table_and_load,
)
from parcours.analytics.report import load_lang as _lang
from parcours.analytics.report import skipped_notes as _skipped
from parcours.analytics.reports_paths import (  # the reports on channel paths
    attribution_report as attribution_report,
)
from parcours.analytics.reports_paths import (
    next_best_action_report as next_best_action_report,
)
from parcours.analytics.sources import EventLog

Events: TypeAlias = EventLog | ir.Table


def _num(v: Any) -> float | None:
    if v is None:
        return None
    x = float(v)
    return None if math.isnan(x) else x


def _run(expr: Any) -> Any:
    from parcours.analytics.attribution import to_arrow

    return to_arrow(expr)


# ---------------------------------------------------------------------------- analyze
def _variants_cut(data: dict[str, Any]) -> tuple[Note, ...]:
    shown, total = len(data["variants"]), data["n_variants"]
    if shown >= total:
        return ()
    return (Note("variants_cut", {"shown": Typed(shown, "count"), "total": Typed(total, "count")}),)


class _VariantRows(Sequence[tuple[Any, ...]]):
    """The rows of the variants table, ``(cases, path)``, read from the variants as they
    come (every variant of a big log is then never held at once)."""

    def __init__(self, variants: Sequence[dict[str, Any]]) -> None:
        self._variants = variants

    def __len__(self) -> int:
        return len(self._variants)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [(v["count"], v["activities"]) for v in self._variants[index]]
        v = self._variants[index]
        return (v["count"], v["activities"])

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return ((v["count"], v["activities"]) for v in self._variants)


def analysis_report(
    events: Events,
    *,
    top: int | None = None,
    progress: Callable[[str], None] | None = None,
    lazy: bool = False,
) -> Report:
    """``parcours analyze``: directly-follows graph with durations, starts and ends,
    variants and case lengths (see :func:`parcours.analytics.analyze`; ``lazy``: the
    variants are decoded while they are written)."""
    from parcours.analytics.analysis import analyze

    data = analyze(events, top=top, progress=progress, lazy=lazy)
    load = data.get("load")
    durations = {(d["a"], d["b"]): d for d in data["edge_durations_seconds"]}
    stats = ("mean", "median", "min", "max", "stdev")
    edges = Table(
        "edges",
        (
            Column("from"),
            Column("to"),
            Column("transitions", "count"),
            *(Column(k, "seconds") for k in stats),
        ),
        tuple(
            (a, b, n, *(durations[(a, b)][k] for k in stats))  # paired by (a, b)
            for a, b, n in data["dfg"]
        ),
        {"n": Typed(len(data["dfg"]), "count")},
    )
    summary = Facts(
        "log",
        tuple((k, data[k], "count") for k in ("n_events", "n_cases", "n_activities", "n_variants")),
    )
    length = data["case_length"]
    order = ("min", "median", "mean", "max")
    lengths = Table(
        "case_length",
        (Column("measure"), *(Column(k, "number") for k in order)),
        (
            (
                Typed("events_per_case", "word"),
                *(Typed(length["events"][k], "count") for k in order),
            ),
            (
                Typed("case_duration", "word"),
                *(Typed(length["duration_seconds"][k], "seconds") for k in order),
            ),
        ),
    )
    names = list(dict.fromkeys([*data["start_activities"], *data["end_activities"]]))
    ends = Table(
        "ends",
        (Column("activity"), Column("starts", "count"), Column("finishes", "count")),
        tuple((n, data["start_activities"].get(n), data["end_activities"].get(n)) for n in names),
    )
    variants = Table(
        "variants",
        (Column("cases", "count"), Column("path", "path")),
        _VariantRows(data["variants"]),
        {
            "shown": Typed(len(data["variants"]), "count"),
            "total": Typed(data["n_variants"], "count"),
        },
    )
    return Report(
        "analyze",
        data,
        (summary, lengths, edges, ends, variants),
        _skipped(load) + _variants_cut(data),
        _lang(load),
    )


# ----------------------------------------------------------------------------- funnel
def _check_stage_activities(table: ir.Table, spec: list[frozenset[str]]) -> None:
    """A stage none of whose activities occurs in the log is a typo, not a 0 % stage."""
    import difflib

    from parcours.errors import BadData

    wanted = sorted(set().union(*spec))
    present = {
        str(a)
        for a in _run(table.filter(table.activity.isin(wanted)).select("activity").distinct())
        .column(0)
        .to_pylist()
    }
    for n, stage in enumerate(spec, start=1):
        if stage & present:
            continue
        known = sorted(
            str(a)
            for a in _run(table.select("activity").distinct().order_by("activity").limit(10_000))
            .column(0)
            .to_pylist()
        )
        missing = sorted(stage)
        close = [m for a in missing for m in difflib.get_close_matches(a, known, n=1, cutoff=0.5)]
        hint = f"did you mean '{close[0]}'? " if close else ""
        listed = ", ".join(known[:30]) + (f", … ({len(known)} in all)" if len(known) > 30 else "")
        names = " | ".join(f"'{a}'" for a in missing)
        raise BadData(
            f"stage {n} ({names}) names no activity of the log; {hint}the activities are: {listed}"
        )


def funnel_report(
    events: Events,
    stages: str | Iterable[frozenset[str]],
    *,
    mode: str = "eventually",
    window: timedelta | None = None,
) -> Report:
    """``parcours funnel``: cases per stage, conversion, drop-off, time to convert."""
    from parcours.analytics import funnels

    table, load = table_and_load(events)
    spec = funnels.parse_stages(stages) if isinstance(stages, str) else list(stages)
    _check_stage_activities(table, spec)
    cases = funnels.funnel_cases(table, spec, mode=mode, window=window).cache()
    rows = _run(funnels.funnel(table, spec, mode=mode, window=window, cases=cases)).to_pylist()
    ttc = _run(funnels.time_to_convert(table, spec, mode=mode, window=window, cases=cases))
    n_cases = int(_run(table.case_id.nunique()).as_py())
    data: dict[str, Any] = {
        "mode": str(mode),
        "window_seconds": window.total_seconds() if window is not None else None,
        "n_cases": n_cases,
        "stages": [
            {
                "stage": int(r["stage"]),
                "activities": sorted(spec[int(r["stage"]) - 1]),
                "cases": int(r["cases"]),
                "conversion_from_previous": float(r["conversion_from_previous"]),
                "conversion_from_start": float(r["conversion_from_start"]),
                "drop_off": int(r["drop_off"]),
                "drop_off_rate": float(r["drop_off_rate"]),
                "median_seconds_from_entry": _num(r["median_seconds_from_entry"]),
            }
            for r in rows
        ],
        "time_to_convert_seconds": {
            k: (int(v or 0) if k == "count" else _num(v)) for k, v in ttc.to_pylist()[0].items()
        },
    }
    if load is not None:
        data["load"] = load
    keys = (
        ("stage", "count"),
        ("activities", "text"),
        ("cases", "count"),
        ("conversion_from_previous", "share"),
        ("conversion_from_start", "share"),
        ("drop_off", "count"),
        ("drop_off_rate", "share"),
        ("median_seconds_from_entry", "seconds"),
    )
    args = {"mode": Typed(data["mode"], "word"), "n": Typed(n_cases, "count")}
    if window is not None:
        args["window"] = Typed(data["window_seconds"], "seconds")
    funnel_table = Table(
        "funnel_window" if window is not None else "funnel",
        tuple(
            Column("median_from_entry" if k == "median_seconds_from_entry" else k, kind)  # type: ignore[arg-type]
            for k, kind in keys
        ),
        tuple(
            tuple(" | ".join(s[k]) if k == "activities" else s[k] for k, _ in keys)
            for s in data["stages"]
        ),
        args,
    )
    t = data["time_to_convert_seconds"]
    ttc_facts = Facts(
        "time_to_convert",
        tuple((k, t[k], "seconds") for k in t if k != "count"),
        {"n": Typed(t["count"], "count")},
    )
    return Report("funnel", data, (funnel_table, ttc_facts), _skipped(load), _lang(load))


# --------------------------------------------------------------------------- channels
def channels_report(
    events: Events, *, within: timedelta = timedelta(days=7), same_activity: bool = False
) -> Report:
    """``parcours channels``: channel switches, the channel × channel matrix, repeat
    contacts on another channel within ``within``."""
    from parcours.analytics import channels as ch

    table, load = table_and_load(events)
    table = table.cache()  # three queries read it
    summary = _run(ch.switch_summary(table)).to_pylist()[0]
    matrix = _run(ch.channel_matrix(table)).to_pylist()
    repeats = _run(ch.repeat_contact_matrix(table, within, same_activity=same_activity))
    data: dict[str, Any] = {
        "switches": {
            "transitions": int(summary["transitions"] or 0),
            "switches": int(summary["switches"] or 0),
            "switch_rate": float(summary["switch_rate"] or 0.0),
            "cases": int(summary["cases"] or 0),
            "cases_with_switch": int(summary["cases_with_switch"] or 0),
        },
        "matrix": [
            [r["from_channel"], r["to_channel"], int(r["transitions"]), int(r["cases"])]
            for r in matrix
        ],
        "repeat_contacts": {
            "within_seconds": within.total_seconds(),
            "same_activity": same_activity,
            "pairs": [
                {
                    "previous_channel": r["previous_channel"],
                    "channel": r["channel"],
                    "repeats": int(r["repeats"]),
                    "customers": int(r["customers"]),
                    "median_gap_seconds": _num(r["median_gap_seconds"]),
                }
                for r in repeats.to_pylist()
            ],
        },
    }
    if load is not None:
        data["load"] = load
    s = data["switches"]
    switches = Facts(
        "switches_title",
        (
            ("transitions", s["transitions"], "count"),
            ("switches", s["switches"], "count"),
            ("switch_rate", s["switch_rate"], "share"),
            ("cases", s["cases"], "count"),
            ("cases_with_switch", s["cases_with_switch"], "count"),
        ),
    )
    names = sorted({r[0] for r in data["matrix"]} | {r[1] for r in data["matrix"]})
    grid = Matrix(
        "matrix",
        "from_to",
        tuple(n for n in names if any(r[0] == n for r in data["matrix"])),
        tuple(n for n in names if any(r[1] == n for r in data["matrix"])),
        {(r[0], r[1]): r[2] for r in data["matrix"]},
    )
    rc = data["repeat_contacts"]
    pairs = Table(
        "repeats_same" if same_activity else "repeats",
        (
            Column("previous_channel"),
            Column("channel"),
            Column("repeat_count", "count"),
            Column("customers", "count"),
            Column("median_gap", "seconds"),
        ),
        tuple(
            (
                p["previous_channel"],
                p["channel"],
                p["repeats"],
                p["customers"],
                p["median_gap_seconds"],
            )
            for p in rc["pairs"]
        ),
        {"within": Typed(rc["within_seconds"], "seconds")},
    )
    return Report("channels", data, (switches, grid, pairs), _skipped(load), _lang(load))
