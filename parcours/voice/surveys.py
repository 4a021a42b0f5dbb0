"""Survey answers (CSAT, NPS, CES) read from a file and summarised per step or touchpoint.

A survey file (CSV, Parquet, Excel) has one row per answer, either *wide* — a column per
survey (``csat``, ``nps``, ``ces``), blank where not asked — or *long* — a ``metric``
column (``csat`` / ``nps`` / ``ces``) and a ``score`` column. Other columns, all optional
and recognised by their usual names: the customer or case id, the ``step``, the
``touchpoint`` (or event), the ``time`` of the answer.

Scales: CSAT 1–5 (satisfied: 4–5), NPS 0–10 (promoters 9–10, passives 7–8, detractors
0–6), CES 1–7 (easy: 5–7, "it was easy to…" agreed). A score that is not a whole number on
its scale, an unknown metric or a time that is not a date makes a *bad row*, reported
with its file, line and column; ``on_error="skip"`` leaves bad rows out and lists them.

:func:`survey_kpis` gives, per group (step, touchpoint or all answers) and metric, ``n``,
the headline value with its 95 % interval and the details (see :mod:`.intervals`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from parcours.errors import BadData, Problem
from parcours.voice.intervals import mean_interval, nps_interval, wilson
from parcours.voice.tables import find_column, read_header, read_rows

OnError = Literal["fail", "skip"]
METRICS = ("csat", "nps", "ces")
SCALES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
GROUPINGS = ("step", "touchpoint", "all")
USUAL = {
    "id": (
        "customer_id",
        "case_id",
        "client_id",
        "respondent_id",
        "respondent",
        "customer",
        "client",
        "case",
        "id",
    ),
    "step": ("step", "etape", "étape", "step_id", "journey_step"),
    "touchpoint": (
        "touchpoint",
        "point_de_contact",
        "event",
        "activity",
        "event_name",
        "evenement",
        "événement",
    ),
    "time": ("time", "timestamp", "date", "answered_at", "submitted_at", "datetime", "horodatage"),
    "metric": ("metric", "survey", "kpi", "type", "indicateur", "questionnaire"),
    "score": ("score", "note", "rating", "value", "valeur"),
}
OPTIONS = {
    "id": "--id-col",
    "step": "--step-col",
    "touchpoint": "--touchpoint-col",
    "time": "--time-col",
    "metric": "--metric-col",
    "score": "--score-col",
}
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


@dataclass(frozen=True)
class Response:
    line: int
    metric: str
    score: int
    step: str | None = None
    touchpoint: str | None = None
    respondent: str | None = None
    time: str | None = None  # ISO 8601, UTC


@dataclass
class Survey:
    """The answers read from a file and how they were read."""

    source: str
    responses: list[Response]
    columns: dict[str, str]  # role → source column
    n_rows: int = 0
    n_skipped: int = 0
    problems: list[Problem] = field(default_factory=list)

    def load_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "n_rows": self.n_rows,
            "n_answers": len(self.responses),
            "n_skipped": self.n_skipped,
            "columns": dict(self.columns),
            "problems": [p.to_dict() for p in self.problems[:20]],
        }


def _score(text: str, metric: str, column: str) -> tuple[int | None, str | None]:
    low, high = SCALES[metric]
    value = text.strip()
    if not _NUMBER.match(value):
        return (
            None,
            f"{metric} score {value!r} (column {column!r}) is not a number; expected {low}–{high}",
        )
    number = float(value.replace(",", "."))
    if not number.is_integer() or not low <= number <= high:
        return (
            None,
            f"{metric} score {value} (column {column!r}) is not a whole number in {low}–{high}",
        )
    return int(number), None


def read_survey(
    path: str | Path,
    *,
    columns: dict[str, str] | None = None,
    on_error: OnError = "fail",
    sheet: str | None = None,
) -> Survey:
    """Read survey answers; ``columns`` names source columns for the roles ``id``,
    ``step``, ``touchpoint``, ``time``, ``metric``, ``score``, ``csat``, ``nps``, ``ces``.

    Raises :class:`~parcours.errors.BadData` for a missing column or, with
    ``on_error="fail"``, bad rows (file, line, column and the fix)."""
    if on_error not in ("fail", "skip"):
        raise BadData(f"unknown on_error {on_error!r}; expected one of: fail, skip")
    given = dict(columns or {})
    unknown = set(given) - set(USUAL) - set(METRICS)
    if unknown:
        roles = ", ".join([*USUAL, *METRICS])
        raise BadData(f"unknown column role {sorted(unknown)[0]!r}; expected one of: {roles}")
    fmt, header = read_header(path, sheet=sheet)
    source = Path(path).name
    resolved: dict[str, str] = {}
    for role in ("metric", "score", *METRICS):
        usual = USUAL.get(role, (role, f"{role}_score", f"score_{role}"))
        option = OPTIONS.get(role, f"--{role}-col")
        found = find_column(header, given.get(role), usual, source, role, option, required=False)
        if found is not None:
            resolved[role] = found
    wide = [m for m in METRICS if m in resolved]
    long_form = "metric" in resolved and "score" in resolved
    if not wide and not long_form:
        raise BadData(
            f"{source}: no score column found among: {', '.join(header)}; expected columns "
            "csat, nps or ces (one per survey), or a metric column (csat/nps/ces) with a "
            "score column (--metric-col, --score-col)"
        )
    if wide:  # one layout: wide columns win over a generic score column
        resolved.pop("metric", None)
        resolved.pop("score", None)
    taken = set(resolved.values())
    for role in ("step", "touchpoint", "id", "time"):
        usual = tuple(u for u in USUAL[role])
        found = find_column(
            header, given.get(role), usual, source, role, OPTIONS[role], required=False
        )
        if found is not None and (found not in taken or role in given):
            resolved[role] = found
            taken.add(found)
    wanted = list(dict.fromkeys(resolved.values()))
    table = read_rows(path, wanted, fmt=fmt, sheet=sheet)
    survey = Survey(table.source, [], resolved, n_rows=len(table) + table.n_bad_shape)
    problems = list(table.problems)
    bad_lines = {p.line for p in problems}
    times = _times(table.columns[resolved["time"]]) if "time" in resolved else None
    col = table.columns
    for k, line in enumerate(table.lines):
        reasons: list[str] = []
        answers: list[tuple[str, int]] = []
        if long_form and not wide:
            metric_text = col[resolved["metric"]][k]
            score_text = col[resolved["score"]][k]
            metric = (metric_text or "").strip().lower()
            if metric not in METRICS:
                shown = repr(metric_text) if metric_text else "empty"
                reasons.append(
                    f"metric {shown} (column {resolved['metric']!r}) is not one of: csat, nps, ces"
                )
            elif score_text is None:
                reasons.append(f"score (column {resolved['score']!r}) is empty")
            else:
                value, why = _score(score_text, metric, resolved["score"])
                if why:
                    reasons.append(why)
                elif value is not None:
                    answers.append((metric, value))
        else:
            for metric in wide:
                text = col[resolved[metric]][k]
                if text is None:
                    continue  # not asked
                value, why = _score(text, metric, resolved[metric])
                if why:
                    reasons.append(why)
                elif value is not None:
                    answers.append((metric, value))
        time = None
        if times is not None:
            raw = col[resolved["time"]][k]
            time = times[k]
            if raw is not None and time is None:
                reasons.append(
                    f"time {raw!r} (column {resolved['time']!r}) is not a date; expected ISO 8601 "
                    "(2026-01-31T10:00:00+01:00) or epoch seconds"
                )
        if reasons:
            problems.append(Problem("; ".join(reasons), file=table.source, line=line))
            bad_lines.add(line)
            continue

        def text_of(role: str, k: int = k) -> str | None:
            value = col[resolved[role]][k] if role in resolved else None
            return value.strip() if value else None

        for metric, value in answers:
            survey.responses.append(
                Response(
                    line, metric, value, text_of("step"), text_of("touchpoint"), text_of("id"), time
                )
            )
    problems.sort(key=lambda p: p.line or 0)
    survey.problems = problems
    survey.n_skipped = len(bad_lines)
    if problems and on_error == "fail":
        n = len(bad_lines)
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise BadData(
            f"{table.source}: {n} bad row{'s' if n != 1 else ''} (use --on-error skip to "
            f"leave them out):\n{shown}{more}"
        )
    return survey


def _times(values: list[str | None]) -> list[str | None]:
    from parcours.analytics.arrays import column, strings
    from parcours.analytics.timestamps import to_utc

    parsed = column(to_utc(strings(values)))
    return [None if v is None else v.isoformat() for v in parsed]


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None or math.isnan(value) else round(value, digits)


def metric_kpis(metric: str, scores: Sequence[int]) -> dict[str, Any]:
    """The KPI of one metric over ``scores``: n, value, 95 % bounds and details.

    ``value`` is the % satisfied (CSAT, 4–5), the NPS, or the % easy (CES, 5–7);
    percentages and the NPS have one decimal, means two. Bounds are clipped to the scale."""
    n = len(scores)
    out: dict[str, Any] = {"metric": metric, "n": n}
    if metric == "nps":
        promoters = sum(s >= 9 for s in scores)
        detractors = sum(s <= 6 for s in scores)
        passives = n - promoters - detractors
        value, low, high = nps_interval(promoters, passives, detractors)
        out |= {
            "value": _round(value, 1),
            "low": _round(low, 1),
            "high": _round(high, 1),
            "promoters": _round(100 * promoters / n, 1),
            "passives": _round(100 * passives / n, 1),
            "detractors": _round(100 * detractors / n, 1),
        }
        return out
    threshold = 4 if metric == "csat" else 5
    good = sum(s >= threshold for s in scores)
    low_share, high_share = wilson(good, n)
    mean, mean_low, mean_high = mean_interval([float(s) for s in scores])
    low_score, high_score = SCALES[metric]  # a t interval at small n may pass the scale's ends
    if mean_low is not None and mean_high is not None:
        mean_low, mean_high = max(mean_low, low_score), min(mean_high, high_score)
    out |= {
        "value": _round(100 * good / n, 1),
        "low": _round(100 * low_share, 1),
        "high": _round(100 * high_share, 1),
        "mean": _round(mean, 2),
        "mean_low": _round(mean_low, 2),
        "mean_high": _round(mean_high, 2),
    }
    return out


def survey_kpis(survey: Survey, by: str | None = None) -> dict[str, Any]:
    """KPIs per group (``step``, ``touchpoint`` or ``all``) and metric, plus all answers.

    ``by=None`` groups by step when the file has a step column, else by touchpoint, else
    not at all. Each KPI also counts its distinct ``respondents`` (``None`` without an id
    column). Groups come in order of first appearance; answers without a value for the
    grouping column form the group ``None``."""
    if by is None:
        by = next((g for g in ("step", "touchpoint") if g in survey.columns), "all")
    if by not in GROUPINGS:
        raise BadData(f"unknown grouping {by!r}; expected one of: {', '.join(GROUPINGS)}")
    if by != "all" and by not in survey.columns:
        raise BadData(
            f"{survey.source}: no {by} column to group by; name it with {OPTIONS[by]} COLUMN "
            f"or use --by all"
        )
    with_ids = "id" in survey.columns
    groups: dict[str | None, dict[str, list[Response]]] = {}
    overall: dict[str, list[Response]] = {}
    for r in survey.responses:
        key = None if by == "all" else getattr(r, by)
        groups.setdefault(key, {}).setdefault(r.metric, []).append(r)
        overall.setdefault(r.metric, []).append(r)

    def kpis(metric: str, answers: list[Response]) -> dict[str, Any]:
        out = metric_kpis(metric, [a.score for a in answers])
        # distinct customers or cases: several answers by one of them are not independent
        out["respondents"] = (
            len({a.respondent for a in answers if a.respondent}) if with_ids else None
        )
        return out

    rows = []
    for key, per_metric in groups.items():
        for metric in METRICS:
            if metric in per_metric:
                rows.append({"group": key, **kpis(metric, per_metric[metric])})
    return {
        "by": by,
        "kpis": rows,
        "overall": [kpis(m, overall[m]) for m in METRICS if m in overall],
        "load": survey.load_dict(),
    }
