"""A report: the JSON document of an analysis and the tables people read, built together.

Every analytics command prints a :class:`Report`. Its ``data`` is the JSON document
(machine values, stable keys); its ``tables`` are views of the same figures with a
*kind* per value (a count, a duration in seconds, a share…), so that a table and the
JSON can never disagree: both are written from this one structure, the table through
:mod:`parcours.analytics.formatting`. Titles, headers and sentences are words keys,
written in English or French by :func:`render_text` (the JSON never changes with the
language).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import Any, Literal, TextIO

from parcours.analytics import formatting as f
from parcours.analytics.formatting import Lang
from parcours.escape.terminal import for_terminal

Kind = Literal["text", "word", "path", "count", "number", "seconds", "share", "points", "money"]


@dataclass(frozen=True)
class Typed:
    """A value whose kind differs from its column's (rows of mixed measures)."""

    value: Any
    kind: Kind


@dataclass(frozen=True)
class Column:
    key: str  # a words key (its header) and the name tests and code use
    kind: Kind = "text"


@dataclass(frozen=True)
class Table:
    """Rows of values under typed columns; ``args`` fill the title (``{name}``)."""

    key: str
    columns: tuple[Column, ...]
    rows: Sequence[tuple[Any, ...]]
    args: Mapping[str, Typed] = field(default_factory=dict)


@dataclass(frozen=True)
class Facts:
    """One measure per line, without a header: ``(words key, value, kind)``."""

    key: str
    items: tuple[tuple[str, Any, Kind], ...]
    args: Mapping[str, Typed] = field(default_factory=dict)


@dataclass(frozen=True)
class Matrix:
    """A square-ish matrix: ``cells[(row, column)]``; rows and columns are data labels."""

    key: str
    corner: str  # words key of the top-left header, e.g. "from \\ to"
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: Mapping[tuple[str, str], Any]
    kind: Kind = "count"
    args: Mapping[str, Typed] = field(default_factory=dict)


View = Table | Facts | Matrix


@dataclass(frozen=True)
class Note:
    """A sentence under the tables (words key and its arguments)."""

    key: str
    args: Mapping[str, Typed] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    """What a command prints: ``data`` as JSON, ``views`` and ``notes`` as tables."""

    command: str
    data: dict[str, Any]
    views: tuple[View, ...]
    notes: tuple[Note, ...] = ()
    lang: Lang | None = None  # the language the data suggests, when it says so

    def to_json(self) -> str:
        return json.dumps(clean(self.data), ensure_ascii=False, indent=2) + "\n"

    def write_json(self, out: TextIO) -> None:
        """Write :meth:`to_json`'s text to ``out``, a top-level value that is a lazy
        sequence (not a list: the variants of ``analyze``) written an item at a time."""
        lazy = {
            k: v
            for k, v in self.data.items()
            if isinstance(v, Sequence) and not isinstance(v, str | list | tuple)
        }
        if not lazy:
            out.write(self.to_json())
            return
        marks = {k: f"\x00lazy:{k}\x00" for k in lazy}
        head = json.dumps(
            clean({k: marks.get(k, v) for k, v in self.data.items()}),
            ensure_ascii=False,
            indent=2,
        )
        for key, value in lazy.items():
            before, _, head = head.partition(json.dumps(marks[key]))
            out.write(before)
            first = True
            strings: dict[str, str] = {}  # names repeat: each is escaped once
            # a sequence may write its own items' text (the variants: joined by Arrow)
            own = getattr(value, "json_texts", None)
            texts = own("\n    ") if own is not None else None
            if texts is None:
                texts = (_json_text(item, "\n    ", strings) for item in value)
            for text in texts:
                out.write("[\n    " if first else ",\n    ")
                out.write(text)
                first = False
            out.write("[]" if first else "\n  ]")
        out.write(head + "\n")


def _json_text(value: Any, newline: str, strings: dict[str, str]) -> str:
    """``json.dumps(clean(value), ensure_ascii=False, indent=2)`` where every line after
    the first starts with ``newline``: the text :meth:`Report.to_json` writes (its
    pure-Python indenting encoder made writing 200k variants take 10 s)."""
    kind = type(value)
    if kind is str:
        text = strings.get(value)
        if text is None:
            text = strings[value] = encode_basestring(value)
        return text
    if kind is int:
        return int.__repr__(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + "  "
        parts = [
            encode_basestring(str(k)) + ": " + _json_text(v, inner, strings)
            for k, v in value.items()
        ]
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + "  "
        parts = [_json_text(v, inner, strings) for v in value]
        return "[" + inner + ("," + inner).join(parts) + newline + "]"
    return json.dumps(clean(value), ensure_ascii=False, indent=2).replace("\n", newline)


def clean(obj: Any) -> Any:
    """JSON-safe: NaN and infinities → null, numpy scalars → Python, tuples → lists."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [clean(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, str):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


# ------------------------------------------------------------------------------ words
#: Every title, header and sentence of the analytics tables, in English and French.
WORDS: dict[str, tuple[str, str]] = {
    # analyze
    "log": ("Event log", "Journal d'événements"),
    "by_channel": ("channels", "canaux"),
    "by_activity": ("activities", "activités"),
    "n_events": ("events", "événements"),
    "n_cases": ("cases", "parcours"),
    "n_activities": ("activities", "activités"),
    "n_variants": ("variants", "variantes"),
    "case_length": ("Case length", "Longueur des parcours"),
    "measure": ("measure", "mesure"),
    "min": ("min", "min"),
    "median": ("median", "médiane"),
    "mean": ("mean", "moyenne"),
    "max": ("max", "max"),
    "stdev": ("std dev", "écart type"),
    "events_per_case": ("events per case", "événements par parcours"),
    "case_duration": ("case duration", "durée du parcours"),
    "edges": ("Directly-follows ({n} pairs)", "Enchaînements directs ({n} paires)"),
    "edges_one": ("Directly-follows ({n} pair)", "Enchaînements directs ({n} paire)"),
    "from": ("from", "de"),
    "to": ("to", "vers"),
    "transitions": ("transitions", "transitions"),
    "ends": ("Start and end activities", "Activités de début et de fin"),
    "activity": ("activity", "activité"),
    "starts": ("starts (cases)", "débuts (parcours)"),
    "finishes": ("ends (cases)", "fins (parcours)"),
    "variants": ("Variants ({shown} of {total})", "Variantes ({shown} sur {total})"),
    "variants_cut": (
        "The {shown} most frequent variants of {total}: --top N for more, "
        "--format json for all of them.",
        "Les {shown} variantes les plus fréquentes sur {total} : --top N pour en voir "
        "plus, --format json pour toutes.",
    ),
    "cases": ("cases", "parcours"),
    "path": ("path", "chemin"),
    "skipped": (
        "{n} bad rows left out of {source}; the first: {first}",
        "{n} lignes invalides écartées de {source} ; la première : {first}",
    ),
    "skipped_one": (
        "{n} bad row left out of {source}: {first}",
        "{n} ligne invalide écartée de {source} : {first}",
    ),
    # funnel
    "funnel": ("Funnel ({mode}, {n} cases)", "Entonnoir ({mode}, {n} parcours)"),
    "funnel_one": ("Funnel ({mode}, {n} case)", "Entonnoir ({mode}, {n} parcours)"),
    "funnel_window": (
        "Funnel ({mode}, {n} cases, within {window})",
        "Entonnoir ({mode}, {n} parcours, en {window} au plus)",
    ),
    "funnel_window_one": (
        "Funnel ({mode}, {n} case, within {window})",
        "Entonnoir ({mode}, {n} parcours, en {window} au plus)",
    ),
    "stage": ("stage", "étape"),
    "activities": ("activities", "activités"),
    "conversion_from_previous": ("from previous", "depuis la précédente"),
    "conversion_from_start": ("from start", "depuis le début"),
    "drop_off": ("lost", "perdus"),
    "drop_off_rate": ("lost (%)", "perdus (%)"),
    "median_from_entry": ("median time from entry", "temps médian depuis l'entrée"),
    "time_to_convert": (
        "Time to convert ({n} converting cases)",
        "Délai de conversion ({n} parcours convertis)",
    ),
    "time_to_convert_one": (
        "Time to convert ({n} converting case)",
        "Délai de conversion ({n} parcours converti)",
    ),
    "p25": ("25th percentile", "1er quartile"),
    "p50": ("median", "médiane"),
    "p75": ("75th percentile", "3e quartile"),
    "p90": ("90th percentile", "90e centile"),
    "p95": ("95th percentile", "95e centile"),
    # attribution
    "attribution": (
        "Attribution (Markov order {order}, conversion probability {p})",
        "Attribution (Markov d'ordre {order}, probabilité de conversion {p})",
    ),
    "totals": ("Totals", "Totaux"),
    "total_conversions": ("conversions", "conversions"),
    "total_value": ("conversion value", "valeur des conversions"),
    "n_paths": ("distinct paths", "chemins distincts"),
    "touchpoint": ("touchpoint", "point de contact"),
    "channel": ("channel", "canal"),
    "first": ("first touch", "premier contact"),
    "last": ("last touch", "dernier contact"),
    "linear": ("linear", "linéaire"),
    "removal_effect": ("removal effect", "effet de retrait"),
    "markov": ("Markov conversions", "conversions Markov"),
    "first_value": ("first-touch value", "valeur premier contact"),
    "last_value": ("last-touch value", "valeur dernier contact"),
    "linear_value": ("linear value", "valeur linéaire"),
    "markov_value": ("Markov value", "valeur Markov"),
    "conversion_activity": (
        "A conversion is an event '{activity}'; the path is the {by} before it.",
        "Une conversion est un événement « {activity} » ; le chemin est fait des {by} qui le précèdent.",
    ),
    "usual_outcomes": (
        "converted, success, purchase, won, yes, 1 (and the others of the documentation)",
        "converti, achat, vente, gagné, oui, converted, success, 1 (et les autres de la "
        "documentation)",
    ),
    "conversion_outcome": (
        "A conversion is an event whose outcome is one of: {outcomes}. Converting events "
        "(cases): {events}. The path is the {by} up to the conversion.",
        "Une conversion est un événement dont le résultat est l'un de : {outcomes}. "
        "Événements de conversion (parcours) : {events}. Le chemin est fait des {by} jusqu'à la "
        "conversion.",
    ),
    "conversion_file": (
        "Conversions as counted in the paths file.",
        "Conversions telles que comptées dans le fichier de chemins.",
    ),
    "no_value": (
        "The log has no value column: values are not attributed (map one with --value COLUMN).",
        "Le journal n'a pas de colonne de valeur : les valeurs ne sont pas attribuées "
        "(indiquez-la avec --value COLONNE).",
    ),
    # next best action
    "next_best_action": (
        "After {after}: conversion probability {p}",
        "Après {after} : probabilité de conversion {p}",
    ),
    "rank": ("rank", "rang"),
    "p_conversion": ("conversion probability", "probabilité de conversion"),
    "uplift": ("uplift", "gain"),
    "transition_probability": ("observed share", "part observée"),
    "start": ("(start)", "(début)"),
    "excluded_conversion": (
        "Not proposed: {names} (the conversion event itself).",
        "Non proposé : {names} (l'événement de conversion lui-même).",
    ),
    "excluded_absorbing": (
        "Not proposed: {names} (every journey converts there at once: "
        "it is where conversion is recorded, not a step towards it).",
        "Non proposé : {names} (tous les parcours s'y convertissent aussitôt : "
        "c'est là que la conversion est enregistrée, pas une étape vers elle).",
    ),
    "no_action": (
        "No next touchpoint seen in the data after this path.",
        "Aucun point de contact suivant observé après ce chemin.",
    ),
    # channels
    "switches_title": ("Channel switches", "Changements de canal"),
    "switches": ("switches", "changements"),
    "switch_rate": ("switch rate", "taux de changement"),
    "cases_with_switch": ("cases with a switch", "parcours avec changement"),
    "matrix": (
        "Channel × channel (transitions; rows: from, columns: to)",
        "Canal × canal (transitions ; lignes : de, colonnes : vers)",
    ),
    "from_to": ("from \\ to", "de \\ vers"),
    "repeats": (
        "Repeat contacts on another channel within {within}",
        "Recontacts sur un autre canal en {within} au plus",
    ),
    "repeats_same": (
        "Repeat contacts about the same activity on another channel within {within}",
        "Recontacts pour la même activité sur un autre canal en {within} au plus",
    ),
    "previous_channel": ("previous channel", "canal précédent"),
    "repeat_count": ("repeats", "recontacts"),
    "customers": ("customers", "clients"),
    "median_gap": ("median gap", "écart médian"),
    # compare (designed map vs observed log)
    "cmp_summary": ("Designed vs observed: {journey}", "Conçu et observé : {journey}"),
    "cmp_log_cases": ("cases in the log", "parcours dans le journal"),
    "cmp_cases": ("cases of the journey", "parcours de ce parcours type"),
    "cmp_following": ("cases following the map", "parcours conformes à la carte"),
    "cmp_share_following": ("share following the map", "part conforme à la carte"),
    "cmp_mean": ("mean conformance", "conformité moyenne"),
    "cmp_median": ("median conformance", "conformité médiane"),
    "cmp_buckets": ("Conformance per case", "Conformité par parcours"),
    "cmp_from": ("from", "de"),
    "cmp_to": ("to (excluded)", "à (exclu)"),
    "cmp_share": ("share of cases", "part des parcours"),
    "cmp_skipped": ("Skipped steps", "Étapes sautées"),
    "cmp_step": ("step", "étape"),
    "cmp_unplanned": ("Unplanned events", "Événements hors carte"),
    "cmp_event": ("event", "événement"),
    "cmp_loops": ("Loops and steps taken backwards", "Boucles et retours en arrière"),
    "cmp_designed": ("on the map", "sur la carte"),
    "cmp_branches": ("Branch shares", "Parts des embranchements"),
    "cmp_designed_share": ("designed", "prévue"),
    "cmp_observed_share": ("observed", "observée"),
    "cmp_variants": ("Most frequent paths", "Chemins les plus fréquents"),
    "cmp_conformance": ("conformance", "conformité"),
    "cmp_repeats": (
        "Repeat contacts / channel switches ({channels})",
        "Recontacts / changements de canal ({channels})",
    ),
    "cmp_contacts": ("repeat contacts", "recontacts"),
    "cmp_switch": ("channel switch", "changement de canal"),
    "cmp_after": ("after step", "après l'étape"),
    "cmp_emotions": (
        "Emotion gaps (designed and measured, −2 … +2)",
        "Écarts d'émotion (conçue et mesurée, −2 … +2)",
    ),
    "cmp_designed_emotion": ("designed", "conçue"),
    "cmp_measured_emotion": ("measured", "mesurée"),
    "cmp_low": ("low", "borne basse"),
    "cmp_high": ("high", "borne haute"),
    "cmp_n": ("n", "n"),
    "cmp_gap": ("gap", "écart"),
    "yes": ("yes", "oui"),
    "no": ("no", "non"),
    # words inside sentences
    "eventually": ("eventually", "à terme"),
    "strict": ("strict", "strict"),
}


def word(key: str, lang: Lang) -> str:
    en, fr = WORDS.get(key, (key, key))
    return fr if lang == "fr" else en


def show(value: Any, kind: Kind, lang: Lang) -> str:
    """``value`` written for people, by its kind."""
    if isinstance(value, Typed):
        value, kind = value.value, value.kind
    if kind == "count":
        return f.count(value, lang)
    if kind == "number":
        return f.number(value, lang)
    if kind == "money":
        return f.money(value, lang)
    if kind == "seconds":
        return f.duration(value, lang)
    if kind == "share":
        return f.share(value, lang)
    if kind == "points":
        return f.points(value, lang)
    if value is None:
        return f.MISSING
    if kind == "word":
        return word(str(value), lang)
    if kind == "path":
        return " → ".join(for_terminal(x) for x in value) if value else word("start", lang)
    return for_terminal(value)  # names from the data: escape sequences shown, never run


def title(key: str, args: Mapping[str, Typed], lang: Lang) -> str:
    """The sentence ``key`` with its arguments; ``key_one`` when ``n`` is 1 (singular)."""
    n = args.get("n")
    if n is not None and n.value == 1 and f"{key}_one" in WORDS:
        key = f"{key}_one"
    return word(key, lang).format(**{k: show(v, v.kind, lang) for k, v in args.items()})


def table_and_load(events: Any) -> tuple[Any, dict[str, Any] | None]:
    """The Ibis table of an :class:`~parcours.analytics.sources.EventLog` (or a table)
    and how it was read (``None`` for a table)."""
    report = getattr(events, "report", None)
    if report is not None:
        return events.table, report.to_dict()
    return events, None


# --------------------------------------------------------------------------- language
#: Usual French column names: a log whose columns are named so is shown in French.
FRENCH_COLUMNS = frozenset(
    {
        "client",
        "idclient",
        "numeroclient",
        "etape",
        "evenement",
        "canal",
        "horodatage",
        "dateheure",
        "montant",
        "valeur",
        "resultat",
        "parcours",
        "idparcours",
        "activite",
        "pointdecontact",
    }
)


def _plain(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s_\-:.]+", "", text)


def guess_lang(columns: Sequence[str]) -> Lang | None:
    """``"fr"`` when the source's column names are French words, else ``None``."""
    return "fr" if any(_plain(c) in FRENCH_COLUMNS for c in columns) else None


# ---------------------------------------------------------------------------- writing
def render_text(report: Report, lang: Lang = "en") -> str:
    """The tables and notes of ``report`` as plain text (Unicode box drawing). Tables
    take their natural width: a cell is never cut or folded (a narrow terminal wraps
    the lines, the figures stay whole)."""
    from io import StringIO

    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable

    buffer = StringIO()
    console = Console(
        file=buffer,
        width=100_000,
        force_terminal=False,
        color_system=None,
        highlight=False,
        markup=False,
        emoji=False,
    )

    def numeric(kind: Kind) -> bool:
        return kind not in ("text", "path")

    for v in report.views:
        console.print(title(v.key, v.args, lang))
        if isinstance(v, Facts):
            t = RichTable(show_header=False, box=box.SQUARE)
            t.add_column(no_wrap=True)
            t.add_column(justify="right", no_wrap=True)
            for key, value, kind in v.items:
                t.add_row(word(key, lang), show(value, kind, lang))
        elif isinstance(v, Matrix):
            t = RichTable(box=box.SQUARE)
            t.add_column(word(v.corner, lang), no_wrap=True)
            for name in v.columns:
                t.add_column(for_terminal(name), justify="right", no_wrap=True)
            for r in v.rows:
                t.add_row(
                    for_terminal(r),
                    *(show(v.cells.get((r, n), 0), v.kind, lang) for n in v.columns),
                )
        else:
            t = RichTable(box=box.SQUARE)
            for c in v.columns:
                t.add_column(
                    word(c.key, lang),
                    justify="right" if numeric(c.kind) else "left",
                    no_wrap=True,
                )
            for row in v.rows:
                t.add_row(*(show(x, c.kind, lang) for x, c in zip(row, v.columns, strict=True)))
        console.print(t)
    for note in report.notes:
        console.print(title(note.key, note.args, lang))
    return buffer.getvalue()
