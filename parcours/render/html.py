"""Shared pieces of the HTML → PDF renderers (persona cards, atlas).

* every piece of user text goes through :func:`esc` (``html.escape`` with quotes);
* the PDF is made by WeasyPrint with a :class:`ResourceFetcher` that serves only the
  resources the renderer registered in memory (the shipped Noto Sans font, the journey
  SVGs) and refuses every other URL: no network, no ``file:`` reads, no ``data:`` URLs
  coming from user text (RELIABILITY S16);
* user text never enters CSS: running page headers use ``string-set`` from an element.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import fontpkg_noto_sans

FONT_DIR = Path(fontpkg_noto_sans.ROOT) / "files"
FONT_REGULAR = FONT_DIR / "NotoSans[wdth,wght].ttf"
FONT_ITALIC = FONT_DIR / "NotoSans-Italic[wdth,wght].ttf"

#: The scheme of the in-memory resources the fetcher serves; nothing else is fetched.
SCHEME = "parcours-resource:"
FONT_URL = SCHEME + "font/noto-sans.ttf"
FONT_ITALIC_URL = SCHEME + "font/noto-sans-italic.ttf"


def esc(value: object) -> str:
    """User text as HTML text or attribute value: ``<``, ``>``, ``&`` and quotes escaped."""
    return html.escape("" if value is None else str(value), quote=True)


def lang_of(*langs: str | None) -> str:
    """``fr`` when the first given language is French, else ``en``."""
    for lang in langs:
        if lang:
            return "fr" if lang.lower().startswith("fr") else "en"
    return "en"


# -- words ------------------------------------------------------------------------------------
LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "personas": "Personas",
        "persona_cards": "Fiches persona",
        "age": "Âge",
        "years": "ans",
        "gender": "Genre",
        "occupation": "Profession",
        "role": "Rôle",
        "company_size": "Taille d'entreprise",
        "sector": "Secteur",
        "location": "Lieu",
        "family": "Situation familiale",
        "income": "Revenus",
        "education": "Formation",
        "hobbies": "Loisirs",
        "channels": "Canaux utilisés",
        "devices": "Équipement",
        "goals": "Objectifs",
        "needs": "Besoins",
        "frustrations": "Frustrations",
        "motivations": "Motivations",
        "objections": "Objections et freins",
        "search_behaviour": "Comportement de recherche",
        "sources": "Sources",
        "no_personas": "Cet espace de travail n'a pas encore de persona.",
        "atlas": "Atlas des parcours clients",
        "reviewed_on": "Revu le",
        "not_reviewed": "Date de revue non renseignée",
        "journeys": "Parcours",
        "journey": "Parcours",
        "steps": "Étapes",
        "pain_points": "Points de douleur",
        "ruptures": "Ruptures",
        "opportunities": "Opportunités",
        "contents": "Sommaire",
        "overview": "Parcours × points de contact",
        "overview_lead": "Quels parcours passent par quel point de contact : les lignes du haut sont partagées par le plus de parcours. La pastille compte les étapes ; sa couleur est le pire point de douleur relevé à ce point de contact.",
        "touchpoint": "Point de contact",
        "no_touchpoint": "(sans point de contact)",
        "used_by": "Parcours",
        "priority_matrix": "Matrice de priorité",
        "priority_lead": "Valeur client × valeur business de chaque parcours ; la taille de la bulle suit l'effort estimé.",
        "customer_value": "Valeur client",
        "business_value": "Valeur business",
        "effort": "Effort",
        "q_top": "Priorité",
        "q_business": "Levier business",
        "q_customer": "Attente client",
        "q_low": "À surveiller",
        "not_valued": "Parcours sans valeur renseignée",
        "pain_summary": "Points de douleur par point de contact",
        "pain_lead": "Tous parcours confondus, les points de douleur de chaque étape comptés pour chacun de ses points de contact, du plus grave au moins grave.",
        "irritant": "Irritant",
        "blocker": "Blocage",
        "rupture": "Rupture",
        "total": "Total",
        "worst_pains": "Ruptures et blocages",
        "backlog": "Backlog des opportunités",
        "backlog_lead": "Toutes les opportunités, par priorité puis par valeur estimée.",
        "by_owner": "Par responsable",
        "owner": "Responsable",
        "no_owner": "Sans responsable",
        "priority": "Priorité",
        "status": "Statut",
        "due": "Échéance",
        "value": "Valeur",
        "opportunity": "Opportunité",
        "where": "Parcours · étape",
        "count": "Nombre",
        "high_or_more": "Haute ou critique",
        "total_value": "Valeur totale",
        "none": "Aucune",
        "no_pains": "Aucun point de douleur n'est relevé dans les parcours.",
        "no_opportunities": "Aucune opportunité n'est relevée dans les parcours.",
        "more": "et {n} de plus",
        "map_missing": "Le rendu de la carte n'est pas disponible dans cette installation.",
        "part": "partie",
        "state_current": "État actuel",
        "state_future": "État cible",
        "evidence_hypothetical": "Hypothétique",
        "evidence_data-driven": "Fondé sur les données",
        "evidence_mixed": "Mixte",
        "status_draft": "Brouillon",
        "status_validated": "Validé",
        "status_archived": "Archivé",
        "prio_low": "Basse",
        "prio_medium": "Moyenne",
        "prio_high": "Haute",
        "prio_critical": "Critique",
        "ost_idea": "Idée",
        "ost_planned": "Planifiée",
        "ost_in_progress": "En cours",
        "ost_done": "Faite",
        "ost_dropped": "Abandonnée",
    },
    "en": {
        "personas": "Personas",
        "persona_cards": "Persona cards",
        "age": "Age",
        "years": "years",
        "gender": "Gender",
        "occupation": "Occupation",
        "role": "Role",
        "company_size": "Company size",
        "sector": "Sector",
        "location": "Location",
        "family": "Family",
        "income": "Income",
        "education": "Education",
        "hobbies": "Hobbies",
        "channels": "Channels used",
        "devices": "Devices",
        "goals": "Goals",
        "needs": "Needs",
        "frustrations": "Frustrations",
        "motivations": "Motivations",
        "objections": "Objections",
        "search_behaviour": "Search behaviour",
        "sources": "Sources",
        "no_personas": "This workspace has no persona yet.",
        "atlas": "Customer journey atlas",
        "reviewed_on": "Reviewed on",
        "not_reviewed": "No review date given",
        "journeys": "Journeys",
        "journey": "Journey",
        "steps": "Steps",
        "pain_points": "Pain points",
        "ruptures": "Ruptures",
        "opportunities": "Opportunities",
        "contents": "Contents",
        "overview": "Journeys × touchpoints",
        "overview_lead": "Which journey goes through which touchpoint: the top rows are shared by the most journeys. The dot counts the steps; its colour is the worst pain point found at that touchpoint.",
        "touchpoint": "Touchpoint",
        "no_touchpoint": "(no touchpoint)",
        "used_by": "Journeys",
        "priority_matrix": "Priority matrix",
        "priority_lead": "Customer value × business value of each journey; the bubble size follows the estimated effort.",
        "customer_value": "Customer value",
        "business_value": "Business value",
        "effort": "Effort",
        "q_top": "Priority",
        "q_business": "Business lever",
        "q_customer": "Customer expectation",
        "q_low": "Watch",
        "not_valued": "Journeys without a value",
        "pain_summary": "Pain points by touchpoint",
        "pain_lead": "Across all journeys, the pain points of each step counted for each of its touchpoints, worst first.",
        "irritant": "Irritant",
        "blocker": "Blocker",
        "rupture": "Rupture",
        "total": "Total",
        "worst_pains": "Ruptures and blockers",
        "backlog": "Opportunity backlog",
        "backlog_lead": "Every opportunity, by priority then by estimated value.",
        "by_owner": "By owner",
        "owner": "Owner",
        "no_owner": "No owner",
        "priority": "Priority",
        "status": "Status",
        "due": "Due",
        "value": "Value",
        "opportunity": "Opportunity",
        "where": "Journey · step",
        "count": "Count",
        "high_or_more": "High or critical",
        "total_value": "Total value",
        "none": "None",
        "no_pains": "No pain point is recorded in the journeys.",
        "no_opportunities": "No opportunity is recorded in the journeys.",
        "more": "and {n} more",
        "map_missing": "The map renderer is not available in this installation.",
        "part": "part",
        "state_current": "Current state",
        "state_future": "Future state",
        "evidence_hypothetical": "Hypothetical",
        "evidence_data-driven": "Data-driven",
        "evidence_mixed": "Mixed",
        "status_draft": "Draft",
        "status_validated": "Validated",
        "status_archived": "Archived",
        "prio_low": "Low",
        "prio_medium": "Medium",
        "prio_high": "High",
        "prio_critical": "Critical",
        "ost_idea": "Idea",
        "ost_planned": "Planned",
        "ost_in_progress": "In progress",
        "ost_done": "Done",
        "ost_dropped": "Dropped",
    },
}

MONTHS = {
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}  # fmt: skip


def format_date(day: dt.date, lang: str) -> str:
    month = MONTHS[lang][day.month - 1]
    if lang == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{day.day} {month} {day.year}"


def format_number(value: float | None, lang: str) -> str:
    """``12345.5`` → ``12 345,5`` (fr, narrow no-break spaces) or ``12,345.5`` (en)."""
    if value is None:
        return ""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def age_text(age_range: str, lang: str) -> str:
    """``25-34`` → ``25–34 ans``; free text is kept as written."""
    match = re.fullmatch(r"\s*(\d+)\s*[-–]\s*(\d+)\s*", age_range)
    if match:
        return f"{match[1]}–{match[2]} {LABELS[lang]['years']}"
    if re.fullmatch(r"\s*\d+\s*\+?\s*", age_range):
        return f"{age_range.strip()} {LABELS[lang]['years']}"
    return age_range


def quoted(text: str, lang: str) -> str:
    """A quote between the language's quotation marks (unless it already has some)."""
    text = text.strip()
    if text[:1] in "«“\"'‘„":
        return text
    return f"«\u00a0{text}\u00a0»" if lang == "fr" else f"“{text}”"


def initials(name: str) -> str:
    words = [w for w in name.split() if w[0].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


#: Accent colours of personas and journeys, chosen to read well with white text.
PALETTE = ["#2563eb", "#c2410c", "#0f766e", "#7c3aed", "#be185d", "#15803d", "#b45309",
           "#0369a1"]  # fmt: skip
SOFT = ["#dbeafe", "#ffedd5", "#ccfbf1", "#ede9fe", "#fce7f3", "#dcfce7", "#fef3c7",
        "#e0f2fe"]  # fmt: skip
SEVERITY_COLOURS = {"irritant": "#f59e0b", "blocker": "#ea580c", "rupture": "#dc2626"}
PRIORITY_COLOURS = {"critical": "#b91c1c", "high": "#ea580c", "medium": "#2563eb",
                    "low": "#64748b"}  # fmt: skip


def ul(items: Iterable[str], cls: str = "") -> str:
    rows = "".join(f"<li>{esc(item)}</li>" for item in items)
    return f'<ul class="{cls}">{rows}</ul>' if rows else ""


# -- fonts and page CSS -----------------------------------------------------------------------
FONT_CSS = (
    f'@font-face {{ font-family: "Noto Sans"; src: url("{FONT_URL}"); '
    "font-style: normal; }\n"
    f'@font-face {{ font-family: "Noto Sans"; src: url("{FONT_ITALIC_URL}"); '
    "font-style: italic; }\n"
)
BASE_CSS = (
    FONT_CSS
    + """
@page { size: A4 landscape; margin: 12mm 13mm 13mm 13mm;
        @bottom-left { content: string(doc-title); font: 7.5pt "Noto Sans", sans-serif;
                       color: #94a3b8; }
        @bottom-right { content: counter(page) " / " counter(pages);
                        font: 7.5pt "Noto Sans", sans-serif; color: #94a3b8; } }
html { font-family: "Noto Sans", sans-serif; font-size: 9.5pt; color: #1e293b;
       line-height: 1.35; }
body { margin: 0; }
h1, h2, h3, h4 { margin: 0; line-height: 1.15; font-weight: 700; color: #0f172a; }
p { margin: 0; }
ul { margin: 0; padding: 0; list-style: none; }
.doc-title { string-set: doc-title content(); height: 0; overflow: hidden; margin: 0; }
.muted { color: #64748b; }
"""
)


# -- PDF --------------------------------------------------------------------------------------
class Resources:
    """In-memory resources a document may load, by URL; everything else is refused."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[bytes | Path, str]] = {
            FONT_URL: (FONT_REGULAR, "font/ttf"),
            FONT_ITALIC_URL: (FONT_ITALIC, "font/ttf"),
        }
        self.refused: list[str] = []

    def add(self, name: str, data: bytes, mime_type: str) -> str:
        url = SCHEME + name
        self._items[url] = (data, mime_type)
        return url

    def add_url(self, url: str, data: bytes, mime_type: str) -> str:
        """Serve ``data`` at exactly ``url`` (a URL this renderer made, e.g. a data: URL)."""
        self._items[url] = (data, mime_type)
        return url

    def get(self, url: str) -> tuple[bytes, str]:
        if url not in self._items:
            self.refused.append(url)
            raise ValueError(
                f"refused to fetch {url[:120]!r}: parcours renderers load nothing from the "
                "network or the disk, only their own font and pictures"
            )
        data, mime = self._items[url]
        return (data.read_bytes() if isinstance(data, Path) else data), mime


def url_fetcher(resources: Resources) -> Any:
    """A WeasyPrint URL fetcher serving ``resources`` and refusing every other URL."""
    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:  # WeasyPrint < 66: fetchers are plain functions returning a dict

        def fetch_legacy(url: str) -> dict[str, Any]:
            data, mime = resources.get(url)
            return {"string": data, "mime_type": mime, "redirected_url": url}

        return fetch_legacy

    class DenyingFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            data, mime = resources.get(url)
            return URLFetcherResponse(url, data, {"Content-Type": mime})

    return DenyingFetcher(allowed_protocols=())


def write_pdf(document: str, path: str | Path, resources: Resources | None = None) -> Path:
    """Render an HTML document to a PDF file with the denying fetcher."""
    import weasyprint

    path = Path(path)
    resources = resources or Resources()
    pdf = weasyprint.HTML(
        string=document, base_url=SCHEME, url_fetcher=url_fetcher(resources)
    ).write_pdf()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(pdf)
    tmp.replace(path)
    return path


def title_div(title: str) -> str:
    """The element the page footers take the document title from (``string-set``)."""
    return f'<div class="doc-title">{esc(title)}</div>'


def page(title: str, css: str, body: str, lang: str, *, footer_title: bool = True) -> str:
    """A whole HTML document; ``footer_title=False`` when ``body`` holds :func:`title_div`."""
    footer = title_div(title) if footer_title else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{BASE_CSS}{css}</style></head>"
        f"<body>{footer}\n{body}\n</body></html>\n"
    )
