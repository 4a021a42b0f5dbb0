"""Which source column is which: the column mapping of an event log.

A :class:`ColumnMapping` names the source columns that hold the case (or customer) id,
the activity (event, touchpoint), the timestamp and the optional channel, outcome, value,
stage and customer id. Fields left empty are recognised from the usual names
(``case:concept:name``, ``case_id``, ``concept:name``, ``activity``, ``time:timestamp``,
``timestamp``…) and their French equivalents as French software exports them
(``id_client``, ``client``, ``événement``, ``étape``, ``canal``, ``horodatage``,
``date_heure``, ``montant``, ``résultat``…), compared without case, accents, spaces,
dashes or apostrophes. When a log has both an event and a step column (``événement`` and
``étape``), the event is the activity and the step the stage.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from parcours.errors import BadData

#: The standard event-table column each mapping field becomes.
STANDARD_COLUMNS: dict[str, str] = {
    "case": "case_id",
    "activity": "activity",
    "timestamp": "timestamp",
    "channel": "channel",
    "outcome": "outcome",
    "value": "value",
    "stage": "stage",
    "customer": "customer_id",
}

#: Names recognised when a field is not given, best first (normalised: lower case, ``_``).
USUAL_NAMES: dict[str, tuple[str, ...]] = {
    "case": (
        "case:concept:name",
        "case_id",
        "case",
        "caseid",
        "case:id",
        "case_concept_name",  # case:concept:name where a tool wrote ":" as "_"
        "case_number",
        "trace_id",
        "journey_id",
        "session_id",
        "customer_id",
        "client_id",
        "user_id",
        # French exports
        "id_parcours",
        "id_dossier",
        "id_session",
        "id_client",
        "numero_client",
        "num_client",
        "no_client",
        "dossier",
        "client",
        "id_utilisateur",
    ),
    "activity": (
        "concept:name",
        "activity",
        "activity_name",
        "concept_name",
        "event",
        "event_name",
        "touchpoint",
        "action",
        # French exports
        "evenement",
        "nom_evenement",
        "type_evenement",
        "activite",
        "point_de_contact",
        # a step is the activity when nothing else is (else it is the stage)
        "step",
        "task",
        "etape",
        "tache",
    ),
    "timestamp": (
        "time:timestamp",
        "timestamp",
        "time_timestamp",
        # process-mining exports (Disco, ProM, Celonis): the end of an activity first
        "complete_timestamp",
        "completion_timestamp",
        "end_timestamp",
        "end_time",
        "time",
        "datetime",
        "date_time",
        "event_time",
        "event_timestamp",
        "ts",
        "occurred_at",
        "created_at",
        # French exports
        "horodatage",
        "date_heure",
        "date_et_heure",
        "date_evenement",
        "date_de_l_evenement",
        "heure",
        # the start of an activity, when a log gives no other time
        "start_timestamp",
        "start_time",
        "date",
    ),
    "channel": ("channel", "canal", "org:channel", "medium", "canal_de_contact"),
    "outcome": ("outcome", "result", "conversion", "converted", "resultat"),
    "value": (
        "value",
        "amount",
        "revenue",
        "valeur",
        "montant",
        "montant_ttc",
        "chiffre_d_affaires",
    ),
    "stage": ("stage", "phase", "etape", "lifecycle_stage"),
    "customer": (
        "customer_id",
        "customer",
        "client_id",
        "client",
        "user_id",
        "id_client",
        "numero_client",
    ),
}

REQUIRED = ("case", "activity", "timestamp")
OPTIONS = {"case": "--case", "activity": "--activity", "timestamp": "--timestamp"}


def _listing(columns: Sequence[str], most: int = 30) -> str:
    """The columns for a message: at most ``most`` names, each at most 40 characters."""
    if not columns:
        return "(none)"
    names = [c if len(c) <= 40 else c[:40] + "…" for c in columns[:most]]
    more = f", … ({len(columns):,} columns in all)" if len(columns) > most else ""
    return ", ".join(names) + more


def _norm(name: str) -> str:
    """``"Date de l'événement"`` → ``"date_de_l_evenement"``: lower case, no accents,
    spaces, dashes and apostrophes as ``_``."""
    decomposed = unicodedata.normalize("NFKD", name.strip().lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-'’]+", "_", bare)


@dataclass(frozen=True, kw_only=True)
class ColumnMapping:
    """Source column names for each role; ``None`` means "recognise the usual name".

    (A plain dataclass, not a pydantic model: reading a log must not pay pydantic's import.)
    """

    case: str | None = None
    activity: str | None = None
    timestamp: str | None = None
    channel: str | None = None
    outcome: str | None = None
    value: str | None = None
    stage: str | None = None
    customer: str | None = None

    def __post_init__(self) -> None:
        for field in fields(self):
            given = getattr(self, field.name)
            if given is not None and not isinstance(given, str):
                raise BadData(
                    f"the column given for the {field.name} must be a column name (text), "
                    f"not {given!r}"
                )

    def resolve(self, columns: Sequence[str], source: str) -> dict[str, str]:
        """Map each role to an existing column of ``columns``; raise :class:`BadData` if a
        required one is missing or a named one does not exist.

        Returns ``{role: source column}`` for the roles found, required ones always included.
        """
        by_norm: dict[str, str] = {}
        for col in columns:
            by_norm.setdefault(_norm(col), col)
        listed = _listing(columns)
        resolved: dict[str, str] = {}
        for role in STANDARD_COLUMNS:
            given = getattr(self, role)
            if given is not None:
                if given in columns:
                    resolved[role] = given
                elif _norm(given) in by_norm:
                    resolved[role] = by_norm[_norm(given)]
                elif "case:" + _norm(given) in by_norm:  # an XES trace attribute
                    resolved[role] = by_norm["case:" + _norm(given)]
                else:
                    raise BadData(
                        f"{source}: column {given!r} (given for the {role}) does not exist; "
                        f"columns are: {listed}"
                    )
        used = set(resolved.values())
        for role, names in USUAL_NAMES.items():
            if role in resolved:
                continue
            for name in (*names, *(f"case:{n}" for n in names if ":" not in n)):
                found = by_norm.get(name)
                if found is not None and found not in used:
                    resolved[role] = found
                    used.add(found)
                    break
        for role in REQUIRED:
            if role not in resolved:
                raise BadData(
                    f"{source}: no {role} column found among: {listed}; "
                    f"name it with {OPTIONS[role]} COLUMN (or ColumnMapping({role}=...))"
                )
        # a customer column recognised by name that is also the case column adds nothing
        if resolved.get("customer") == resolved["case"] and self.customer is None:
            del resolved["customer"]
        return resolved


def needed_columns(resolved: dict[str, str]) -> list[str]:
    """The distinct source columns a resolved mapping reads, in role order."""
    seen: list[str] = []
    for col in resolved.values():
        if col not in seen:
            seen.append(col)
    return seen


def standard_names(roles: Iterable[str]) -> list[str]:
    """Standard event-table column names for roles, in the canonical order."""
    wanted = set(roles)
    return [std for role, std in STANDARD_COLUMNS.items() if role in wanted]
