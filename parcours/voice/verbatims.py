"""Verbatims: customer comments read, masked, placed in a language, scored and themed.

:func:`analyze_texts` runs the whole chain on texts in memory; :func:`read_verbatims`
reads them from a file first (CSV, Parquet, Excel) and keeps each row's line. For every
input row, in input order, a :class:`Verbatim` holds ``line``, ``lang``, ``label``,
``score``, ``themes`` and the text with its personal data masked — the raw text is never
kept. A blank comment gives a row with no language, label or score.

The :class:`VerbatimReport` summary counts labels, languages and themes (with the labels
and mean score of each theme's texts) and lists suggested themes from the texts no theme
matched; the CLI prints its table and its JSON from this one structure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from parcours.errors import BadData, Problem
from parcours.voice.language import detect_language, normalize_language
from parcours.voice.pii import PLACEHOLDER, mask_text
from parcours.voice.sentiment import LABELS, SentimentAnalyzer
from parcours.voice.tables import find_column, read_header, read_rows
from parcours.voice.themes import ThemeSet, load_themes, suggest_themes

OnError = Literal["fail", "skip"]
TEXT_COLUMNS = ("text", "comment", "commentaire", "verbatim", "texte", "message", "avis", "review")
LANG_COLUMNS = ("lang", "language", "langue")


@dataclass(frozen=True)
class Verbatim:
    """One analysed comment."""

    line: int
    lang: str | None
    label: str | None  # positive | neutral | negative; None for a blank comment
    score: float | None
    themes: tuple[str, ...]
    text: str  # personal data masked
    group: str | None = None  # the value of the --by column, when one is given

    def to_dict(self, with_group: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "line": self.line,
            "lang": self.lang,
            "label": self.label,
            "score": self.score,
            "themes": list(self.themes),
            "text": self.text,
        }
        if with_group:
            out["group"] = self.group
        return out


@dataclass
class VerbatimReport:
    source: str
    rows: list[Verbatim]
    summary: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        grouped = self.summary.get("by") is not None
        return {"rows": [r.to_dict(grouped) for r in self.rows], "summary": self.summary}


def analyze_texts(
    texts: Sequence[str | None],
    langs: Sequence[str | None] | None = None,
    *,
    themes: ThemeSet | None = None,
    lines: Sequence[int] | None = None,
    default_lang: str = "fr",
    suggest: int = 5,
    source: str = "texts",
    groups: Sequence[str | None] | None = None,
    by: str | None = None,
    progress: Callable[[str], None] | None = None,
    analyzer: SentimentAnalyzer | None = None,
) -> VerbatimReport:
    """Analyse ``texts``; ``langs`` gives a known language per text (``None``: detect).

    ``lines`` numbers the rows (default 1, 2, …); ``suggest`` is the most suggested
    themes per language (0: none); ``groups`` gives each text a group (a step, a
    touchpoint…, named ``by``) summarised apart; ``progress`` is told the stage now and
    then ("comments 20,000 / 50,000")."""
    say = progress or (lambda stage: None)
    themes = themes or load_themes()
    analyzer = analyzer or SentimentAnalyzer()
    numbers = list(lines) if lines is not None else list(range(1, len(texts) + 1))
    rows: list[Verbatim] = []
    for k, raw in enumerate(texts):
        if k % 5000 == 0:
            say(f"comments {k:,} / {len(texts):,}")
        line = numbers[k]
        group = groups[k] if groups is not None else None
        if raw is None or not raw.strip():
            rows.append(Verbatim(line, None, None, None, (), "", group))
            continue
        given = langs[k] if langs is not None else None
        lang = given or detect_language(raw, default_lang)
        text = mask_text(raw, lang)
        words = PLACEHOLDER.sub(" ", text) if "[" in text else text
        result, tokens, lemmas = analyzer.analyse(words, lang)
        found = themes.match_tokens(tokens, lemmas, lang)
        rows.append(Verbatim(line, lang, result.label, result.score, tuple(found), text, group))
    say("summary and suggested themes")
    summary = summarize(rows, themes, suggest)
    if groups is not None:
        summary["by"] = by or "group"
        summary["groups"] = summarize_groups(rows)
    return VerbatimReport(source, rows, summary)


def summarize_groups(rows: Sequence[Verbatim]) -> list[dict[str, Any]]:
    """Per group, in order of first appearance: counts per label, the share of negative
    comments, the mean score and the three most frequent themes."""
    members: dict[str | None, list[Verbatim]] = {}
    for r in rows:
        if r.label is not None:
            members.setdefault(r.group, []).append(r)
    out = []
    for group, items in members.items():
        counts = Counter(r.label for r in items)
        themes = Counter(t for r in items for t in r.themes)
        out.append(
            {
                "group": group,
                "n": len(items),
                **{label: counts.get(label, 0) for label in LABELS},
                "negative_share": round(100 * counts.get("negative", 0) / len(items), 1),
                "mean_score": round(sum(r.score or 0 for r in items) / len(items), 4),
                "top_themes": [
                    t for t, _ in sorted(themes.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
                ],
            }
        )
    return out


def summarize(rows: Sequence[Verbatim], themes: ThemeSet, suggest: int = 5) -> dict[str, Any]:
    """Counts per label, language and theme, and suggested themes."""
    scored = [r for r in rows if r.label is not None]
    labels = Counter(r.label for r in scored)
    languages = Counter(r.lang for r in scored)
    main_lang = languages.most_common(1)[0][0] if languages else "fr"
    per_theme: dict[str, list[Verbatim]] = {key: [] for key in themes.keys}
    for r in scored:
        for key in r.themes:
            per_theme[key].append(r)
    theme_rows: list[dict[str, Any]] = []
    for theme in themes.themes:
        members = per_theme[theme.key]
        if not members:
            continue
        counts = Counter(r.label for r in members)
        theme_rows.append(
            {
                "theme": theme.key,
                "label": theme.label(str(main_lang)),
                "n": len(members),
                **{label: counts.get(label, 0) for label in LABELS},
                "mean_score": round(sum(r.score or 0 for r in members) / len(members), 4),
            }
        )
    theme_rows.sort(key=lambda t: (-t["n"], t["theme"]))
    unthemed = [r for r in scored if not r.themes]
    suggestions = []
    if suggest > 0 and unthemed:
        found = suggest_themes(
            [r.text for r in unthemed], [str(r.lang) for r in unthemed], n_themes=suggest
        )
        for s in found:
            entry = s.to_dict()
            entry["examples"] = [unthemed[i].line for i in s.examples]  # lines, not indexes
            suggestions.append(entry)
    return {
        "n_rows": len(rows),
        "n_blank": len(rows) - len(scored),
        "labels": {label: labels.get(label, 0) for label in LABELS},
        "languages": {lang: languages.get(lang, 0) for lang in ("fr", "en")},
        "themes": theme_rows,
        "n_unthemed": len(unthemed),
        "suggested_themes": suggestions,
    }


def read_verbatims(
    path: str | Path,
    text_col: str | None = None,
    *,
    lang_col: str | None = None,
    themes: str | Path | ThemeSet | None = None,
    default_lang: str = "fr",
    suggest: int = 5,
    on_error: OnError = "fail",
    sheet: str | None = None,
    by_col: str | None = None,
    progress: Callable[[str], None] | None = None,
    lexicons: Sequence[str | Path] = (),
) -> VerbatimReport:
    """Read the comments of column ``text_col`` of a file and analyse them; ``by_col``
    names a column (a step, a touchpoint…) to summarise the comments per value;
    ``lexicons`` are YAML files of words and phrases added to the shipped lexicons.

    Raises :class:`~parcours.errors.BadData` naming file, line and column for a missing
    column, a malformed row or an unknown language (``on_error="skip"``: malformed rows are
    left out and listed in ``summary["problems"]``; unknown languages are detected)."""
    if on_error not in ("fail", "skip"):
        raise BadData(f"unknown on_error {on_error!r}; expected one of: fail, skip")
    theme_set = themes if isinstance(themes, ThemeSet) else load_themes(themes)
    analyzer = analyzer_with(lexicons)
    fmt, header = read_header(path, sheet=sheet)
    source = Path(path).name
    text_column = find_column(header, text_col, TEXT_COLUMNS, source, "text", "--text-col")
    lang_column = find_column(
        header, lang_col, LANG_COLUMNS, source, "language", "--lang-col", required=False
    )
    by_column = find_column(header, by_col, (), source, "group", "--by") if by_col else None
    assert text_column is not None
    wanted = list(dict.fromkeys([text_column, *[c for c in (lang_column, by_column) if c]]))
    if progress is not None:
        progress(f"reading {source}")
    table = read_rows(path, wanted, fmt=fmt, sheet=sheet)
    problems = list(table.problems)
    if table.n_bad_shape and on_error == "fail":
        raise _bad(table.source, problems, table.n_bad_shape)
    langs: list[str | None] | None = None
    if lang_column is not None:
        langs = []
        bad: list[Problem] = []
        for value, line in zip(table.columns[lang_column], table.lines, strict=True):
            try:
                langs.append(normalize_language(value) if value is not None else None)
            except BadData as exc:
                bad.append(Problem(f"{exc} (column {lang_column!r})", file=table.source, line=line))
                langs.append(None)
        if bad and on_error == "fail":
            raise _bad(table.source, bad, len(bad))
        problems.extend(bad)
    report = analyze_texts(
        table.columns[text_column],
        langs,
        themes=theme_set,
        lines=table.lines,
        default_lang=default_lang,
        suggest=suggest,
        source=table.source,
        groups=[v.strip() if v else None for v in table.columns[by_column]] if by_column else None,
        by=by_column,
        progress=progress,
        analyzer=analyzer,
    )
    report.problems = problems
    report.summary["problems"] = [p.to_dict() for p in problems[:20]]
    report.summary["n_skipped"] = table.n_bad_shape
    return report


def analyzer_with(lexicons: Sequence[str | Path]) -> SentimentAnalyzer:
    """A sentiment analyser whose lexicons have the entries of these files added."""
    from parcours.voice.lexicon import extended_lexicon, read_lexicon_file

    additions: dict[str, list[dict[str, Any]]] = {}
    for path in lexicons:
        lang, data = read_lexicon_file(path)
        additions.setdefault(lang, []).append(data)
    return SentimentAnalyzer(
        {lang: extended_lexicon(lang, extra) for lang, extra in additions.items()}
    )


def _bad(source: str, problems: list[Problem], n: int) -> BadData:
    shown = "\n".join(str(p) for p in problems[:20])
    more = f"\n… and {n - 20} more" if n > 20 else ""
    return BadData(
        f"{source}: {n} bad row{'s' if n != 1 else ''} (use --on-error skip to leave "
        f"them out):\n{shown}{more}"
    )


#: The columns that name a comment's step, tried in turn when none is given.
STEP_COLUMNS = ("step", "etape", "étape")


def read_step_verbatims(path: str | Path, step_col: str | None = None) -> list[Any]:
    """The analysed comments of a file with a step column (``step_col``, else the first of
    :data:`STEP_COLUMNS` the file has), one row each, for measuring a journey's steps."""
    last: BadData | None = None
    for col in [step_col] if step_col else STEP_COLUMNS:
        try:
            # rows only: no suggested themes (a topic model over the unthemed comments)
            return list(read_verbatims(path, by_col=col, suggest=0).rows)
        except BadData as exc:
            last = exc
    assert last is not None
    raise last
