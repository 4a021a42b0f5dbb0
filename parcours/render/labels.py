"""The words and number formats the rendered map uses, in French and English.

A journey's ``lang`` picks the language (French when it starts with ``fr``, else English).
"""

from __future__ import annotations

import math

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "touchpoints": "Touchpoints",
        "actions": "Customer actions",
        "thoughts": "Thoughts",
        "emotions": "Emotions",
        "pain_points": "Pain points",
        "opportunities": "Opportunities",
        "kpis": "KPIs",
        "backstage": "Backstage",
        "notes": "Notes",
        "metrics": "Metrics",
        "images": "Images",
        "steps": "Steps",
        "state.current": "Current state",
        "state.future": "Future state",
        "evidence.hypothetical": "Hypothetical",
        "evidence.data-driven": "Data-driven",
        "evidence.mixed": "Hypotheses and data",
        "status.draft": "Draft",
        "status.validated": "Validated",
        "status.archived": "Archived",
        "reviewed": "Reviewed",
        "owner": "Owner",
        "target": "target",
        "no_target": "no target",
        "moment_of_truth": "Moment of truth",
        "entry": "Start",
        "end": "End",
        "loop": "Loop",
        "trunk": "Shared steps",
        "severity.irritant": "Irritant",
        "severity.blocker": "Blocker",
        "severity.rupture": "Rupture",
        "priority.low": "Low",
        "priority.medium": "Medium",
        "priority.high": "High",
        "priority.critical": "Critical",
        "status.idea": "Idea",
        "status.planned": "Planned",
        "status.in_progress": "In progress",
        "status.done": "Done",
        "status.dropped": "Dropped",
        "due": "due",
        "value": "value",
        "priority": "priority",
        "legend": "Legend",
        "legend.emotions": "Emotion",
        "legend.pain": "Pain points",
        "legend.priority": "Opportunity priority",
        "legend.kpi": "KPI vs target",
        "legend.paths": "Paths",
        "legend.flow": "Markers",
        "kpi.good": "on target",
        "kpi.bad": "off target",
        "emotion.-2": "Very negative",
        "emotion.-1": "Negative",
        "emotion.0": "Neutral",
        "emotion.1": "Positive",
        "emotion.2": "Delighted",
        "image": "Image",
        "truncated": "text cut, see the tooltip or the map file",
        "branch": "Branch",
    },
    "fr": {
        "touchpoints": "Points de contact",
        "actions": "Actions du client",
        "thoughts": "Pensées et questions",
        "emotions": "Émotions",
        "pain_points": "Irritants",
        "opportunities": "Opportunités",
        "kpis": "Indicateurs",
        "backstage": "Coulisses",
        "notes": "Notes",
        "metrics": "Mesures",
        "images": "Images",
        "steps": "Étapes",
        "state.current": "État actuel",
        "state.future": "État cible",
        "evidence.hypothetical": "Hypothétique",
        "evidence.data-driven": "Fondée sur les données",
        "evidence.mixed": "Hypothèses et données",
        "status.draft": "Brouillon",
        "status.validated": "Validée",
        "status.archived": "Archivée",
        "reviewed": "Revue le",
        "owner": "Responsable",
        "target": "cible",
        "no_target": "sans cible",
        "moment_of_truth": "Moment de vérité",
        "entry": "Entrée",
        "end": "Fin",
        "loop": "Boucle",
        "trunk": "Étapes communes",
        "severity.irritant": "Irritant",
        "severity.blocker": "Blocage",
        "severity.rupture": "Rupture",
        "priority.low": "Basse",
        "priority.medium": "Moyenne",
        "priority.high": "Haute",
        "priority.critical": "Critique",
        "status.idea": "Idée",
        "status.planned": "Planifiée",
        "status.in_progress": "En cours",
        "status.done": "Faite",
        "status.dropped": "Abandonnée",
        "due": "échéance",
        "value": "valeur",
        "priority": "priorité",
        "legend": "Légende",
        "legend.emotions": "Émotion",
        "legend.pain": "Irritants",
        "legend.priority": "Priorité des opportunités",
        "legend.kpi": "Indicateur vs cible",
        "legend.paths": "Chemins",
        "legend.flow": "Repères",
        "kpi.good": "cible atteinte",
        "kpi.bad": "cible manquée",
        "emotion.-2": "Très négative",
        "emotion.-1": "Négative",
        "emotion.0": "Neutre",
        "emotion.1": "Positive",
        "emotion.2": "Enchantement",
        "image": "Image",
        "truncated": "texte coupé, voir l'infobulle ou le fichier",
        "branch": "Embranchement",
    },
}


def language(lang: str | None) -> str:
    return "fr" if (lang or "").lower().startswith("fr") else "en"


def label(key: str, lang: str) -> str:
    table = LABELS.get(lang, LABELS["en"])
    return table.get(key, LABELS["en"].get(key, key))


def number(value: float, lang: str) -> str:
    """``1234.5`` → ``1 234,5`` (fr) or ``1,234.5`` (en); integers without decimals."""
    if not math.isfinite(value):
        return "—"
    rounded = round(value, 2)
    if rounded == int(rounded):
        text = f"{int(rounded):,}"
    else:
        text = f"{rounded:,.2f}".rstrip("0").rstrip(".")
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def with_unit(value: float | None, unit: str | None, lang: str) -> str:
    """A value and its unit: ``38 %`` (fr) / ``38%`` (en), ``4,6/5``, ``24 €``, ``5 jours``."""
    if value is None:
        return "—"
    text = number(value, lang)
    if not unit:
        return text
    if unit == "%":
        return text + ("\u202f%" if lang == "fr" else "%")
    if unit.startswith("/"):
        return text + unit
    return f"{text}\u00a0{unit}"


def share(value: float, lang: str) -> str:
    """A share 0…1 as a percentage: ``0.8`` → ``80 %`` (fr) / ``80%`` (en)."""
    return with_unit(round(value * 100, 1), "%", lang)
