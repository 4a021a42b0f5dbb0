"""``parcours sentiment`` and ``parcours surveys``: the voice of the customer.

Thin: parse the options, call :mod:`parcours.voice`, print one structure as a table, JSON
or CSV. An expected error is one sentence on stderr (file, line, column, fix), exit 1.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import typer

from parcours.atomic import write_atomic
from parcours.cli.common import ON_ERROR, OUT, SHEET, OnError, errors, fail

SENTIMENT_FORMATS = ("table", "json", "csv")
SURVEY_FORMATS = ("table", "json")


def _write(text: str, out: Path | None) -> None:
    """Print ``text``, or write it to ``out`` atomically (a reader never sees half)."""
    if out is None:
        sys.stdout.write(text)
        return
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        fail(f"{out}: the folder {folder} does not exist; create it first")
    write_atomic(out, text)


def _format(fmt: str | None, out: Path | None, choices: tuple[str, ...]) -> str:
    if fmt is None:
        suffix = out.suffix.lower().lstrip(".") if out is not None else ""
        return suffix if suffix in choices else "table"
    if fmt not in choices:
        fail(f"unknown format {fmt!r}; expected one of: {', '.join(choices)}")
    return fmt


def _cell(value: Any) -> Any:
    """A table cell as plain text: never read as markup (``[email]`` stays as it is)."""
    from rich.text import Text

    return Text("—" if value is None else str(value))


def _render(*blocks: Any) -> str:
    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, width=120, color_system=None, soft_wrap=False)
    for block in blocks:
        console.print(Text(block) if isinstance(block, str) else block)
    return buffer.getvalue()


def _table(title: str, columns: list[str], rows: list[list[Any]], right: int = 0) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table()
    for k, column in enumerate(columns):
        table.add_column(column, justify="right" if k < right else "left", overflow="fold")
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    return Group(Text(title), table)


def _problems_block(problems: list[dict[str, Any]], n_skipped: int) -> list[str]:
    if not problems:
        return []
    lines = [f"{n_skipped} bad rows left out; first ones:"]
    lines += [f"  {p['file']}:{p['line']}: {p['message']}" for p in problems]
    return lines


# ------------------------------------------------------------------------- sentiment


def sentiment_table(doc: dict[str, Any]) -> str:
    """The table view of a verbatim report (rows, then the summary), from its JSON dict."""
    summary = doc["summary"]
    rows = [
        [r["line"], r["lang"], r["label"], r["score"], ", ".join(r["themes"]), r["text"]]
        for r in doc["rows"]
    ]
    blocks: list[Any] = [
        _table("Comments", ["line", "lang", "label", "score", "themes", "text"], rows, right=1),
        _table(
            f"Sentiment ({summary['n_rows']} rows, {summary['n_blank']} blank)",
            ["label", "comments"],
            [[label, n] for label, n in summary["labels"].items()],
        ),
        _table(
            "Languages", ["lang", "comments"], [[k, v] for k, v in summary["languages"].items()]
        ),
        _table(
            f"Themes ({summary['n_unthemed']} comments match none)",
            ["theme", "label", "n", "positive", "neutral", "negative", "mean score"],
            [
                [
                    t["theme"],
                    t["label"],
                    t["n"],
                    t["positive"],
                    t["neutral"],
                    t["negative"],
                    t["mean_score"],
                ]
                for t in summary["themes"]
            ],
        ),
    ]
    if summary.get("groups") is not None:
        blocks.append(
            _table(
                f"By {summary['by']}",
                [
                    summary["by"],
                    "n",
                    "positive",
                    "neutral",
                    "negative",
                    "% negative",
                    "mean score",
                    "top themes",
                ],
                [
                    [
                        g["group"] if g["group"] is not None else "(none)",
                        g["n"],
                        g["positive"],
                        g["neutral"],
                        g["negative"],
                        g["negative_share"],
                        g["mean_score"],
                        ", ".join(g["top_themes"]),
                    ]
                    for g in summary["groups"]
                ],
            )
        )
    if summary["suggested_themes"]:
        blocks.append(
            _table(
                "Suggested themes (from the comments no theme matched)",
                ["lang", "top words", "comments", "example lines"],
                [
                    [
                        s["lang"],
                        ", ".join(s["words"]),
                        s["n_texts"],
                        ", ".join(map(str, s["examples"])),
                    ]
                    for s in summary["suggested_themes"]
                ],
            )
        )
    blocks += _problems_block(summary.get("problems", []), summary.get("n_skipped", 0))
    return _render(*blocks)


def sentiment_csv(doc: dict[str, Any]) -> str:
    """One CSV row per input row (RFC 4180; text cells escaped against formulas)."""
    from parcours.security import escape_formula

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    grouped = doc["summary"].get("by") is not None
    writer.writerow(
        ["line", "lang", "label", "score", "themes", "text", *(["group"] if grouped else [])]
    )
    for r in doc["rows"]:
        writer.writerow(
            [
                r["line"],
                r["lang"] or "",
                r["label"] or "",
                "" if r["score"] is None else r["score"],
                "|".join(r["themes"]),
                escape_formula(r["text"]),
                *([escape_formula(r["group"] or "")] if grouped else []),
            ]
        )
    return buffer.getvalue()


def sentiment_command(
    file: Path = typer.Argument(..., help="Comments: CSV, Parquet or Excel (.xlsx)."),
    text_col: str | None = typer.Option(
        None,
        "--text-col",
        help="Column of the comment (default: text, comment, commentaire, verbatim…).",
    ),
    lang_col: str | None = typer.Option(
        None,
        "--lang-col",
        help="Column of the language (fr, en, fr-FR…); blank cells are detected.",
    ),
    by: str | None = typer.Option(
        None,
        "--by",
        help="Column to summarise per value (a step, a touchpoint…); adds 'group' to rows.",
    ),
    themes: Path | None = typer.Option(
        None, "--themes", help="YAML file of themes and keywords, replacing the shipped list."
    ),
    lexicon: list[Path] = typer.Option(
        [],
        "--lexicon",
        help="YAML file of words and phrases (language: fr or en) added to the shipped lexicon; repeatable.",
    ),
    default_lang: str = typer.Option(
        "fr", "--default-lang", help="Language of texts that cannot be told (fr or en)."
    ),
    suggest: int = typer.Option(
        5,
        "--suggest",
        min=0,
        help="Suggested new themes per language from unthemed comments (0: none).",
    ),
    fmt: str | None = typer.Option(
        None, "--format", help="table, json or csv (default: from the -o suffix, else table)."
    ),
    out: Path | None = OUT,
    on_error: OnError = ON_ERROR,
    sheet: str | None = SHEET,
) -> None:
    """Sentiment, themes and language of customer comments, personal data masked.

    One output row per input row, in input order: line, lang, label (positive, neutral,
    negative), score (-1 to +1), themes and the masked text; the table adds a summary per
    label and theme and suggested new themes.
    """
    chosen = _format(fmt, out, SENTIMENT_FORMATS)
    if default_lang not in ("fr", "en"):
        fail(f"unknown --default-lang {default_lang!r}; expected one of: fr, en")
    with errors():
        from parcours.cli.analytics import progress_line
        from parcours.voice.verbatims import read_verbatims

        with progress_line() as say:
            report = read_verbatims(
                file,
                text_col,
                lang_col=lang_col,
                themes=themes,
                default_lang=default_lang,
                suggest=suggest,
                on_error=on_error.value,
                sheet=sheet,
                by_col=by,
                progress=say,
                lexicons=lexicon,
            )
        doc = report.to_dict()
        if chosen == "json":
            text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        elif chosen == "csv":
            text = sentiment_csv(doc)
        else:
            text = sentiment_table(doc)
        _write(text, out)


# ------------------------------------------------------------------------- surveys


def _interval(low: Any, high: Any) -> str:
    return "—" if low is None or high is None else f"{low} – {high}"


def surveys_table(doc: dict[str, Any]) -> str:
    """The table view of survey KPIs, from their JSON dict."""
    by = doc["by"]

    def rows_of(kpis: list[dict[str, Any]], with_group: bool) -> list[list[Any]]:
        rows = []
        for k in kpis:
            head = [k["group"] if k["group"] is not None else "(none)"] if with_group else []
            if k["metric"] == "nps":
                detail = f"promoters {k['promoters']} %, passives {k['passives']} %, detractors {k['detractors']} %"
                rows.append(
                    [*head, "NPS", k["n"], k["value"], _interval(k["low"], k["high"]), detail]
                )
            else:
                what = "% satisfied (4-5)" if k["metric"] == "csat" else "% easy (5-7)"
                detail = f"mean {k['mean']} ({_interval(k['mean_low'], k['mean_high'])})"
                rows.append(
                    [
                        *head,
                        f"{k['metric'].upper()} {what}",
                        k["n"],
                        k["value"],
                        _interval(k["low"], k["high"]),
                        detail,
                    ]
                )
        return rows

    columns = ["metric", "n", "value", "95 % interval", "details"]
    blocks: list[Any] = []
    if by != "all":
        blocks.append(_table(f"Survey KPIs by {by}", [by, *columns], rows_of(doc["kpis"], True)))
    blocks.append(_table("All answers", columns, rows_of(doc["overall"], False)))
    load = doc["load"]
    blocks.append(f"{load['n_answers']} answers from {load['n_rows']} rows of {load['source']}")
    blocks += _problems_block(load["problems"], load["n_skipped"])
    return _render(*blocks)


def surveys_command(
    file: Path = typer.Argument(..., help="Survey answers: CSV, Parquet or Excel (.xlsx)."),
    by: str | None = typer.Option(
        None,
        "--by",
        help="step, touchpoint or all (default: step if the file has one, else touchpoint).",
    ),
    fmt: str | None = typer.Option(
        None, "--format", help="table or json (default: from the -o suffix, else table)."
    ),
    out: Path | None = OUT,
    id_col: str | None = typer.Option(None, "--id-col", help="Column of the customer or case id."),
    step_col: str | None = typer.Option(None, "--step-col", help="Column of the journey step."),
    touchpoint_col: str | None = typer.Option(
        None, "--touchpoint-col", help="Column of the touchpoint or event."
    ),
    time_col: str | None = typer.Option(None, "--time-col", help="Column of the answer's time."),
    metric_col: str | None = typer.Option(
        None, "--metric-col", help="Long layout: column naming csat, nps or ces."
    ),
    score_col: str | None = typer.Option(
        None, "--score-col", help="Long layout: column of the score."
    ),
    on_error: OnError = ON_ERROR,
    sheet: str | None = SHEET,
) -> None:
    """CSAT, NPS and CES per step or touchpoint, with n and 95 % intervals.

    CSAT 1-5 (% satisfied: 4-5), NPS 0-10 (promoters 9-10, detractors 0-6), CES 1-7 (% easy:
    5-7). Shares have Wilson intervals, means t intervals, the NPS the interval of its
    +1/0/-1 scores.
    """
    chosen = _format(fmt, out, SURVEY_FORMATS)
    if by is not None and by not in ("step", "touchpoint", "all"):
        fail(f"unknown --by {by!r}; expected one of: step, touchpoint, all")
    given = {
        role: value
        for role, value in (
            ("id", id_col),
            ("step", step_col),
            ("touchpoint", touchpoint_col),
            ("time", time_col),
            ("metric", metric_col),
            ("score", score_col),
        )
        if value is not None
    }
    with errors():
        from parcours.voice.surveys import read_survey, survey_kpis

        survey = read_survey(file, columns=given, on_error=on_error.value, sheet=sheet)
        doc = survey_kpis(survey, by)
        text = (
            json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
            if chosen == "json"
            else surveys_table(doc)
        )
        _write(text, out)


def register(app: typer.Typer) -> None:
    """Add the voice-of-the-customer commands to the root app."""
    app.command("sentiment")(sentiment_command)
    app.command("surveys")(surveys_command)
