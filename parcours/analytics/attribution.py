"""Attribution of conversions to channels or touchpoints.

Two inputs, one shape: a *paths table* with columns ``path`` (array of strings, the
touchpoints in order), ``conversions`` (float64), ``value`` (float64) and ``nulls``
(float64), one row per distinct path. It comes either from an event log
(:func:`paths_from_events`, lazy Ibis) or from a file in ChannelAttribution's layout
(:func:`read_paths_file`).

* :func:`heuristic_attribution` — first / last / linear touch, an Ibis expression;
* :func:`markov_attribution` — Markov chain of order ``k`` solved exactly (it executes
  the small paths table and solves in numpy, see :mod:`parcours.analytics.markov`).

The exact method is documented in ``docs/attribution.md``.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeAlias

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from parcours.analytics.engine import engine_of
from parcours.analytics.markov import MarkovChain, MarkovResult
from parcours.errors import BadData

#: Outcome values (compared lower-cased and trimmed) that mean "this case converted".
CONVERSION_OUTCOMES: frozenset[str] = frozenset(
    {
        "conversion",
        "converted",
        "convert",
        "success",
        "succeeded",
        "won",
        "purchase",
        "yes",
        "true",
        "1",
        # French exports
        "converti",
        "convertie",
        "achat",
        "vente",
        "gagné",
        "oui",
        "vrai",
    }
)

#: Values are summed as decimals (exact, order-independent), then returned as float64.
EXACT = "decimal(38, 9)"

#: The longest walk ``--max-steps`` may ask for (states visited).
MAX_STEPS = 10_000_000

#: Columns of ChannelAttribution's aggregated layout.
PATH_COLUMNS = ("path", "total_conversions", "total_conversion_value", "total_null")

PATHS_SCHEMA = ibis.schema(
    {"path": "array<string>", "conversions": "float64", "value": "float64", "nulls": "float64"}
)


# --------------------------------------------------------------------------- inputs
def to_arrow(expr: Any) -> Any:
    """Execute an Ibis expression through its engine's Arrow path (Spark: not via pandas)."""
    return engine_of(expr).to_arrow(expr)


def touchpoint_column(events: ir.Table, by: str | None = None) -> str:
    """The column naming touchpoints: ``by``, else ``channel`` when present, else ``activity``."""
    if by is not None:
        if by not in events.columns:
            raise BadData(
                f"the event log has no {by!r} column; choose one of: {', '.join(events.columns)}"
            )
        return by
    return "channel" if "channel" in events.columns else "activity"


def paths_from_events(
    events: ir.Table,
    *,
    by: str | None = None,
    conversion_activity: str | None = None,
    conversion_outcomes: Iterable[str] | None = None,
) -> ir.Table:
    """Aggregate an event log into the paths table (lazy): :func:`case_paths` added up
    by path.

    A case's path is its touchpoints (``by``, default ``channel`` else ``activity``) in
    event order (timestamp, then source position), null touchpoints left out.

    When does a case convert?

    * with ``conversion_activity``: when it has an event of that activity; its path is
      the touchpoints *before* the first such event, and its value is that event's
      ``value``;
    * otherwise from the ``outcome`` column: when an event's outcome is one of
      ``conversion_outcomes`` (default :data:`CONVERSION_OUTCOMES`, case-insensitive).
      The conversion is at the *last* event with such an outcome, so that an outcome
      repeated on every event of the case (a case attribute, as in most exports) and an
      outcome set on the converting event only both work; the path is the touchpoints up
      to and including that event, and the value is the sum of ``value`` over them.

    Events after the conversion are ignored; a case that does not convert counts as a
    null path. Cases with no touchpoint before their conversion are left out.
    """
    return paths_of_cases(
        case_paths(
            events,
            by=by,
            conversion_activity=conversion_activity,
            conversion_outcomes=conversion_outcomes,
        )
    )


def case_paths(
    events: ir.Table,
    *,
    by: str | None = None,
    conversion_activity: str | None = None,
    conversion_outcomes: Iterable[str] | None = None,
) -> ir.Table:
    """One row per case (lazy): ``path`` (its touchpoints up to the conversion, as
    :func:`paths_from_events` says; empty when it has none), ``converted`` (bool),
    ``value`` (exact decimal, null when it does not convert) and ``conversion_activity``
    (the activity of its converting event, null when it does not convert)."""
    touch = touchpoint_column(events, by)
    t, inclusive = _conversion_points(events, conversion_activity, conversion_outcomes)
    has_value = "value" in t.columns
    before = (t._ord <= t._point) if inclusive else (t._ord < t._point)
    keep = (t._point.isnull() | before) & t[touch].notnull()
    if not has_value:  # a column, so that the sum below aggregates
        t = t.mutate(value=ibis.literal(0.0, type="float64"))
    value = t.value.cast("float64")
    at_value = (t._ord <= t._point) if inclusive else (t._ord == t._point)
    aggs: dict[str, Any] = {
        "_converted": t._point.max().notnull(),
        # exact decimal sums: the same digits whatever order the engine adds rows in
        "_v": value.cast(EXACT).sum(where=at_value & t._point.notnull()),
        "_act": t.activity.max(where=t._ord == t._point),
    }
    label = t[touch].cast("string")
    if engine_of(events).capabilities.ordered_collect:
        cases = t.group_by("case_id").agg(path=label.collect(where=keep, order_by=t._ord), **aggs)
    else:  # collect (position, touchpoint) structs, sort them, keep the touchpoints
        pairs = t.group_by("case_id").agg(
            _p=ibis.struct({"i": t._ord, "t": label}).collect(where=keep), **aggs
        )
        cases = pairs.mutate(path=pairs._p.sort().map(lambda x: x["t"]))
    return cases.select(
        "case_id",
        "path",
        converted=cases._converted,
        value=ibis.ifelse(cases._converted, cases._v, ibis.null(EXACT)),
        conversion_activity=cases._act,
    )


def paths_of_cases(cases: ir.Table) -> ir.Table:
    """The paths table of :func:`case_paths` (cases without a touchpoint left out)."""
    cases = cases.filter(cases.path.notnull() & (cases.path.length() > 0))
    cases = cases.select("path", "value", _c=ibis.ifelse(cases.converted, 1.0, 0.0))
    return cases.group_by("path").agg(
        conversions=cases._c.sum().cast("float64"),
        value=cases.value.sum().fill_null(0).cast("float64"),
        nulls=(cases._c.count() - cases._c.sum()).cast("float64"),
    )


def _conversion_points(
    events: ir.Table,
    conversion_activity: str | None,
    conversion_outcomes: Iterable[str] | None,
) -> tuple[ir.Table, bool]:
    """The events numbered in their case (``_ord``), with ``_conv`` (this event converts)
    and ``_point`` (the number of the case's converting event, null when it does not
    convert), and whether the converting event belongs to the path (outcome rule)."""
    order_by = [events.timestamp, events.position]
    w = ibis.window(group_by=events.case_id, order_by=order_by)
    t = events.mutate(_ord=ibis.row_number().over(w))
    if conversion_activity is not None:
        is_conv = t.activity == conversion_activity
        inclusive = False
    else:
        if "outcome" not in t.columns:
            raise BadData(
                "cannot tell which cases convert: the event log has no 'outcome' column; "
                "map one (--outcome COLUMN) or name the converting event with --conversion-activity NAME"
            )
        outcomes = conversion_outcome_values(conversion_outcomes)
        is_conv = t.outcome.cast("string").strip().lower().isin(outcomes).fill_null(False)
        inclusive = True
    t = t.mutate(_conv=is_conv)
    conv_ord = ibis.ifelse(t._conv, t._ord, ibis.null("int64"))
    whole_case = ibis.window(group_by=t.case_id)
    point = (conv_ord.max() if inclusive else conv_ord.min()).over(whole_case)
    return t.mutate(_point=point), inclusive


def conversion_outcome_values(conversion_outcomes: Iterable[str] | None = None) -> list[str]:
    """The outcome values that mean a conversion, trimmed, lower-cased and sorted."""
    return sorted({o.strip().lower() for o in (conversion_outcomes or CONVERSION_OUTCOMES)})


def conversion_events(cases: ir.Table) -> ir.Table:
    """Which events convert: ``activity`` and ``cases`` (converting cases whose
    conversion is an event of that activity), by cases descending then activity (lazy),
    from :func:`case_paths`."""
    done = cases.filter(cases.converted)
    return (
        done.group_by(activity=done.conversion_activity)
        .agg(cases=done.count())
        .order_by([ibis.desc("cases"), "activity"])
    )


def _split_path(text: str) -> list[str]:
    """ChannelAttribution's parsing: split on ``>``, trim spaces, drop empty channels."""
    return [part.strip() for part in text.split(">") if part.strip()]


def sniff_paths_file(path: str | Path) -> str | None:
    """The delimiter (``;`` or ``,``) when ``path`` is a CSV in ChannelAttribution's layout."""
    p = Path(path)
    if p.suffix.lower() not in {".csv", ".txt", ".tsv", ""}:
        return None
    try:
        with p.open(encoding="utf-8-sig", newline="") as fh:
            header = fh.readline()
    except (OSError, UnicodeDecodeError):
        return None
    for delim in (";", ","):
        cols = [c.strip().strip('"').lower() for c in header.split(delim)]
        if "path" in cols and "total_conversions" in cols:
            return delim
    return None


def read_paths_file(path: str | Path, delimiter: str | None = None) -> ir.Table:
    """Read aggregated paths in ChannelAttribution's layout into the paths table.

    Columns ``path`` (channels joined by ``>``), ``total_conversions`` and optionally
    ``total_conversion_value`` and ``total_null``; ``;`` or ``,`` separated (detected).
    Bad rows raise :class:`BadData` naming the file and line.
    """
    p = Path(path)
    delim = delimiter or sniff_paths_file(p)
    if delim is None:
        raise BadData(
            f"{p}: not a paths file: the header needs the columns 'path' and 'total_conversions' separated by ';' or ','"
        )
    rows: dict[tuple[str, ...], list[float]] = {}
    with p.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=delim)
        header = [c.strip().lower() for c in next(reader)]
        col = {name: header.index(name) for name in PATH_COLUMNS if name in header}
        for line, record in enumerate(reader, start=2):
            if not record or all(not f.strip() for f in record):
                continue
            if len(record) != len(header):
                raise BadData(
                    f"{p}:{line}: expected {len(header)} fields separated by {delim!r}, found {len(record)}; quote paths that contain {delim!r}"
                )
            channels = tuple(_split_path(record[col["path"]]))
            nums = []
            for name in PATH_COLUMNS[1:]:
                if name not in col:
                    nums.append(0.0)
                    continue
                raw = record[col[name]].strip()
                try:
                    value = float(raw) if raw else 0.0
                except ValueError:
                    raise BadData(
                        f"{p}:{line}: {name} is {raw!r}, not a number; write a plain number such as 3 or 12.5"
                    ) from None
                if not math.isfinite(value) or (name != "total_conversion_value" and value < 0):
                    raise BadData(
                        f"{p}:{line}: {name} is {raw!r}; counts must be finite numbers >= 0"
                    )
                nums.append(value)
            acc = rows.setdefault(channels, [0.0, 0.0, 0.0])
            for i in range(3):
                acc[i] += nums[i]
    if not rows:
        raise BadData(f"{p}: no paths found under the header; add one row per path")
    data = pa.table(
        {
            "path": [list(k) for k in rows],
            "conversions": [v[0] for v in rows.values()],
            "value": [v[1] for v in rows.values()],
            "nulls": [v[2] for v in rows.values()],
        },
        schema=PATHS_SCHEMA.to_pyarrow(),
    )
    return ibis.memtable(data)


PathsLike: TypeAlias = ir.Table | pa.Table


def paths_records(paths: PathsLike | dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Execute a paths table (small: one row per distinct path) into columns of Python
    values, sorted by path so that results do not depend on the engine's row order."""
    if isinstance(paths, dict):
        return paths
    data = to_arrow(paths) if isinstance(paths, ir.Table) else paths
    cols = data.to_pydict()
    rows = sorted(
        zip(
            [list(p) if p is not None else [] for p in cols["path"]],
            *(
                [float(v) if v is not None else 0.0 for v in cols[name]]
                for name in ("conversions", "value", "nulls")
            ),
            strict=True,
        )
    )
    return {
        "path": [r[0] for r in rows],
        "conversions": [r[1] for r in rows],
        "value": [r[2] for r in rows],
        "nulls": [r[3] for r in rows],
    }


# ----------------------------------------------------------------------- heuristics
def heuristic_attribution(paths: ir.Table) -> ir.Table:
    """First-, last- and linear-touch conversions and value per channel (lazy).

    As ChannelAttribution's ``heuristic_models``: linear touch gives each *touch* (a
    channel repeated in a path is counted as often as it appears) ``1 / length`` of
    the path's conversions and value. Columns: ``channel``, ``first``, ``last``,
    ``linear``, ``first_value``, ``last_value``, ``linear_value``; sorted by channel.
    """
    p = paths.filter(paths.path.length() > 0).mutate(_n=paths.path.length())
    u = p.unnest("path", offset="_idx")
    first = ibis.ifelse(u._idx == 0, 1.0, 0.0)
    last = ibis.ifelse(u._idx == u._n - 1, 1.0, 0.0)
    linear = 1.0 / u._n.cast("float64")
    return (
        u.group_by(channel=u.path)
        .agg(
            first=(first * u.conversions).sum(),
            last=(last * u.conversions).sum(),
            linear=(linear * u.conversions).sum(),
            first_value=(first * u.value).sum(),
            last_value=(last * u.value).sum(),
            linear_value=(linear * u.value).sum(),
        )
        .order_by("channel")
    )


def heuristics_exact(records: dict[str, list[Any]]) -> dict[str, dict[str, float]]:
    """:func:`heuristic_attribution` computed in Python with exact sums (``math.fsum``),
    so that the CLI's numbers are the same on every engine and every run."""
    terms: dict[str, dict[str, list[float]]] = {}
    keys = ("first", "last", "linear", "first_value", "last_value", "linear_value")
    for path, c, v in zip(records["path"], records["conversions"], records["value"], strict=True):
        if not path:
            continue
        n = len(path)
        for i, ch in enumerate(path):
            acc = terms.setdefault(ch, {k: [] for k in keys})
            if i == 0:
                acc["first"].append(c)
                acc["first_value"].append(v)
            if i == n - 1:
                acc["last"].append(c)
                acc["last_value"].append(v)
            acc["linear"].append(c / n)
            acc["linear_value"].append(v / n)
    return {ch: {k: math.fsum(terms[ch][k]) for k in keys} for ch in sorted(terms)}


# --------------------------------------------------------------------------- markov
def markov_chain(
    paths: PathsLike | dict[str, list[Any]], order: int = 1, *, with_value: bool = True
) -> MarkovChain:
    """Fit the absorbing chain of ``order`` on a paths table (executes it);
    ``with_value=False``: the paths carry no value (none is attributed)."""
    cols = paths_records(paths)
    values = cols["value"] if with_value else None
    return MarkovChain.fit(cols["path"], cols["conversions"], cols["nulls"], values, order=order)


def markov_attribution(
    paths: PathsLike | dict[str, list[Any]],
    order: int = 1,
    *,
    max_steps: int | str | None = None,
    with_value: bool = True,
) -> MarkovResult:
    """Removal effects, attributed conversions and value under a Markov chain of ``order``.

    ``max_steps``: ``None`` (default) solves the absorbing chain exactly; an integer, or
    ``"auto"`` (the longest path in states + 1, ChannelAttribution's default), counts walks
    still going after that many states as null, as ChannelAttribution's simulation does.
    """
    chain = markov_chain(paths, order, with_value=with_value)
    return chain.attribution(max_steps=resolve_max_steps(chain, max_steps))


def resolve_max_steps(chain: MarkovChain, max_steps: int | str | None) -> int | None:
    """``None``, a positive integer, or ``"auto"`` → ``None`` or an integer."""
    if max_steps is None:
        return None
    if isinstance(max_steps, str):
        if max_steps.strip().lower() == "auto":
            return chain.auto_max_steps()
        try:
            max_steps = int(max_steps)
        except ValueError:
            raise BadData(
                f"max steps is {max_steps!r}; give a whole number >= 1 or 'auto'"
            ) from None
    if max_steps < 1 or max_steps > MAX_STEPS:
        raise BadData(
            f"max steps is {max_steps}; give a whole number from 1 to {MAX_STEPS:,} or 'auto'"
        )
    return max_steps


def attribution_report(
    paths: PathsLike,
    order: int = 1,
    *,
    max_steps: int | str | None = None,
    with_value: bool = True,
) -> dict[str, Any]:
    """The ``parcours attribution`` JSON document (see ``docs/attribution.md``);
    ``with_value=False`` (a log without a value column): no value is attributed, the
    ``*_value`` figures are left out and ``total_value`` is null."""
    # small: one row per distinct path; run the log once
    data = paths if isinstance(paths, pa.Table) else to_arrow(paths)
    records = paths_records(data)
    heuristics = heuristics_exact(records)
    if not with_value:
        heuristics = {
            ch: {k: v for k, v in h.items() if not k.endswith("_value")}
            for ch, h in heuristics.items()
        }
    result = markov_attribution(records, order, max_steps=max_steps, with_value=with_value)
    markov = result.to_dict()
    for key, val in list(markov.items()):
        if isinstance(val, dict):
            markov[key] = dict(sorted(val.items()))
    return {
        "total_conversions": result.total_conversions,
        "total_value": result.total_value,
        "n_paths": data.num_rows,
        "heuristics": heuristics,
        "markov": markov,
    }
