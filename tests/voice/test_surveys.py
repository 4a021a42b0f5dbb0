"""Survey KPIs against hand computations, and bad rows reported with file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from parcours.errors import BadData
from parcours.voice.intervals import mean_interval, nps_interval, wilson
from parcours.voice.surveys import read_survey, survey_kpis

DATA = Path(__file__).parent.parent / "data" / "voice"

# One step, hand-computed (z = 1.96, Student's t quantiles from tables):
#  CSAT 4,5,4,5,3,4: 5 of 6 satisfied = 83.3 %; Wilson: centre (0.8333 + 0.3201) / 1.6402
#    = 0.7032, half 1.96 · √(0.02315 + 0.02668) / 1.6402 = 0.2667 → 43.6 … 97.0 %;
#    mean 4.1667, s² = 2.8333 / 5 = 0.5667, se 0.3073, t(5) = 2.5706 → 3.38 … 4.96.
#  NPS 10,9,8,6,3,10,7,0: 3 promoters, 2 passives, 3 detractors → NPS 0; scores ±1/0 have
#    variance 6 / 7 = 0.8571, se 0.3273, t(7) = 2.3646 → −77.4 … +77.4.
#  CES 7,6,5,2,3: 3 of 5 easy = 60 %; Wilson 0.5566 ± 0.3258 → 23.1 … 88.2 %;
#    mean 4.6, s² = 17.2 / 4 = 4.3, se 0.9274, t(4) = 2.7764 → 2.03 … 7.17, clipped to 7.
HAND = """customer_id,step,touchpoint,time,csat,nps,ces
a,Paiement,site,2026-10-01T09:00:00Z,4,10,7
b,Paiement,site,2026-10-01T10:00:00Z,5,9,6
c,Paiement,app,2026-10-01T11:00:00Z,4,8,5
d,Paiement,app,2026-10-01T12:00:00Z,5,6,2
e,Paiement,app,2026-10-01T13:00:00Z,3,3,3
f,Paiement,site,2026-10-01T14:00:00Z,4,10,
g,Paiement,site,2026-10-01T15:00:00Z,,7,
h,Paiement,site,2026-10-01T16:00:00Z,,0,
"""


def _write(tmp_path: Path, text: str, name: str = "answers.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _kpi(rows: list[dict], metric: str, group: str | None = "Paiement") -> dict:
    return next(r for r in rows if r["metric"] == metric and r.get("group", group) == group)


def test_kpis_match_the_hand_computation(tmp_path: Path) -> None:
    doc = survey_kpis(read_survey(_write(tmp_path, HAND)), "step")
    csat, nps, ces = (_kpi(doc["kpis"], m) for m in ("csat", "nps", "ces"))
    assert (csat["n"], csat["value"], csat["respondents"]) == (6, 83.3, 6)
    assert csat["low"] == pytest.approx(43.6, abs=0.1)
    assert csat["high"] == pytest.approx(97.0, abs=0.1)
    assert csat["mean"] == pytest.approx(4.17, abs=0.01)
    assert (csat["mean_low"], csat["mean_high"]) == pytest.approx((3.38, 4.96), abs=0.01)
    assert (nps["n"], nps["value"]) == (8, 0.0)
    assert (nps["promoters"], nps["passives"], nps["detractors"]) == (37.5, 25.0, 37.5)
    assert (nps["low"], nps["high"]) == pytest.approx((-77.4, 77.4), abs=0.1)
    assert (ces["n"], ces["value"]) == (5, 60.0)
    assert (ces["low"], ces["high"]) == pytest.approx((23.1, 88.2), abs=0.1)
    assert (ces["mean"], ces["mean_low"], ces["mean_high"]) == pytest.approx(
        (4.6, 2.03, 7.0), abs=0.01
    )
    assert doc["overall"] == [{k: v for k, v in r.items() if k != "group"} for r in doc["kpis"]]


def test_interval_functions_at_the_edges() -> None:
    assert wilson(0, 10)[0] == 0.0
    assert wilson(10, 10)[1] == pytest.approx(1.0)
    assert mean_interval([3.0]) == (3.0, None, None)
    assert nps_interval(1, 0, 0) == (100.0, None, None)
    value, low, high = nps_interval(50, 0, 0)
    assert (value, low, high) == (100.0, 100.0, 100.0)


def test_groups_by_touchpoint_and_all(tmp_path: Path) -> None:
    survey = read_survey(_write(tmp_path, HAND))
    by_touchpoint = survey_kpis(survey, "touchpoint")
    assert [r["group"] for r in by_touchpoint["kpis"] if r["metric"] == "csat"] == ["site", "app"]
    assert _kpi(by_touchpoint["kpis"], "csat", "app")["n"] == 3
    assert survey_kpis(survey, "all")["kpis"][0]["group"] is None


def test_long_layout_gives_the_same_figures(tmp_path: Path) -> None:
    lines = ["id,step,metric,score"]
    for row in HAND.splitlines()[1:]:
        cells = row.split(",")
        for metric, score in zip(("csat", "nps", "ces"), cells[4:], strict=True):
            if score:
                lines.append(f"{cells[0]},{cells[1]},{metric.upper()},{score}")
    long = survey_kpis(read_survey(_write(tmp_path, "\n".join(lines) + "\n", "long.csv")), "step")
    wide = survey_kpis(read_survey(_write(tmp_path, HAND)), "step")
    assert long["kpis"] == wide["kpis"]


def test_parquet_and_excel_read_the_same_answers(tmp_path: Path) -> None:
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [line.split(",") for line in HAND.splitlines()]
    header, body = rows[0], rows[1:]
    columns = {h: [r[i] or None for r in body] for i, h in enumerate(header)}
    for metric in ("csat", "nps", "ces"):
        columns[metric] = [None if v is None else int(v) for v in columns[metric]]
    pq.write_table(pa.table(columns), tmp_path / "answers.parquet")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for r in body:
        ws.append([int(v) if v.isdigit() else (v or None) for v in r])
    wb.save(tmp_path / "answers.xlsx")
    expected = survey_kpis(read_survey(_write(tmp_path, HAND)), "step")["kpis"]
    for name in ("answers.parquet", "answers.xlsx"):
        assert survey_kpis(read_survey(tmp_path / name), "step")["kpis"] == expected, name


BAD = """customer_id,step,time,csat,nps
a,Paiement,2026-10-01T09:00:00Z,4,10
b,Paiement,2026-10-01T10:00:00Z,6,9
c,Paiement,hier,4,8
d,Paiement,2026-10-01T12:00:00Z,quatre,11
e,Paiement,2026-10-01T13:00:00Z,3.5,
"""


def test_bad_rows_are_located_and_fail_by_default(tmp_path: Path) -> None:
    with pytest.raises(BadData) as info:
        read_survey(_write(tmp_path, BAD, "bad.csv"))
    message = str(info.value)
    assert message.startswith("bad.csv: 4 bad rows (use --on-error skip to leave them out):")
    assert "bad.csv:3: csat score 6 (column 'csat') is not a whole number in 1–5" in message
    assert "bad.csv:4: time 'hier' (column 'time') is not a date" in message
    assert (
        "bad.csv:5: csat score 'quatre' (column 'csat') is not a number; expected 1–5; "
        "nps score 11 (column 'nps') is not a whole number in 0–10"
    ) in message
    assert "bad.csv:6: csat score 3.5 (column 'csat') is not a whole number in 1–5" in message


def test_skip_keeps_the_good_rows_and_lists_the_bad(tmp_path: Path) -> None:
    survey = read_survey(_write(tmp_path, BAD, "bad.csv"), on_error="skip")
    assert [(r.line, r.metric, r.score) for r in survey.responses] == [
        (2, "csat", 4),
        (2, "nps", 10),
    ]
    assert survey.n_skipped == 4
    assert [p.line for p in survey.problems] == [3, 4, 5, 6]


def test_missing_columns_name_the_fix(tmp_path: Path) -> None:
    path = _write(tmp_path, "id,step,comment\n1,a,b\n", "none.csv")
    with pytest.raises(BadData, match=r"none.csv: no score column found among: id, step, comment"):
        read_survey(path)
    path = _write(tmp_path, "id,csat\n1,4\n", "nostep.csv")
    with pytest.raises(BadData, match=r"no step column to group by; name it with --step-col"):
        survey_kpis(read_survey(path), "step")
    with pytest.raises(BadData, match=r"column 'etape' \(given with --step-col\) does not exist"):
        read_survey(path, columns={"step": "etape"})


def test_the_shipped_example_reads_cleanly() -> None:
    survey = read_survey(DATA / "surveys.csv")
    doc = survey_kpis(survey)
    assert doc["by"] == "step"
    assert survey.n_skipped == 0
    assert sum(r["n"] for r in doc["overall"]) == len(survey.responses) == 54


def test_respondents_count_distinct_customers(tmp_path: Path) -> None:
    text = "customer_id,step,csat\na,X,5\na,X,4\nb,X,2\n,X,3\n"
    doc = survey_kpis(read_survey(_write(tmp_path, text)), "step")
    assert (doc["kpis"][0]["n"], doc["kpis"][0]["respondents"]) == (4, 2)
    no_ids = survey_kpis(read_survey(_write(tmp_path, "step,csat\nX,5\n", "n.csv")), "step")
    assert no_ids["kpis"][0]["respondents"] is None
