"""Example voice-of-the-customer data shipped with parcours, and the generator that made it.

``parcours/examples/voice/`` holds four files, written by :func:`render_files` with a fixed
seed and committed (a test checks they are what the generator writes):

- ``verbatims.csv``: comments of the customers of the example event log
  (:mod:`parcours.analytics.examples`) about the steps of the demo journeys, mostly in
  French: ``id_client``, ``id_parcours`` (the case of the event log), ``date``,
  ``parcours`` and ``etape`` (journey and step ids of the demo workspace), ``canal``,
  ``commentaire`` and ``langue`` (``fr``, ``en`` or blank); a few comments carry an
  e-mail address or a phone number (fictitious), to show the masking;
- ``surveys.csv``: CSAT (1–5), NPS (0–10) and CES (1–7) answers of the same customers,
  one row per answer with ``customer_id``, ``case_id``, ``step``, ``touchpoint`` and
  ``time`` (UTC); the story is the comments': payment at checkout and the promised
  call-back score worst, click-and-collect and shop advice best;
- ``mes-themes.yaml`` and ``mes-mots.yaml``: a themes file and a lexicon file for
  ``parcours sentiment --themes`` / ``--lexicon``.

:func:`write_voice_examples` copies them into a folder (``parcours demo`` does).
Regenerate with ``python -m parcours.voice.examples``.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

from parcours.analytics.examples import Event, generate
from parcours.voice.example_comments import COMMENTS, CONTACTS

FILES = ("verbatims.csv", "surveys.csv", "mes-themes.yaml", "mes-mots.yaml")
SEED = 2027

VERBATIM_COLUMNS = (
    "id_client",
    "id_parcours",
    "date",
    "parcours",
    "etape",
    "canal",
    "commentaire",
    "langue",
)
SURVEY_COLUMNS = ("customer_id", "case_id", "step", "touchpoint", "time", "csat", "nps", "ces")

SHOPS = ("Lyon", "Nantes", "Lille", "Bordeaux", "Toulouse", "Marseille", "Rennes")
ADVISORS = ("Inès", "Karim", "Sophie", "Thomas", "Léa", "Mehdi", "Camille")
NAMES = ("claire.martin", "j.dupont", "yasmine.b", "antoine.r", "helene.petit", "m.leroy")

# step → journey, touchpoint, weights of the moods (neg, neu, pos) and the survey's
# distributions: CSAT 1..5 and CES 1..7 weights
Step = tuple[str, str, tuple[int, int, int]]
STEPS: dict[str, Step] = {
    "views-product": ("achat-en-ligne", "product-page", (2, 3, 3)),
    "checks-stock": ("achat-en-ligne", "store-stock", (3, 0, 1)),
    "views-cart": ("achat-en-ligne", "checkout", (4, 1, 0)),
    "checkout-login": ("achat-en-ligne", "checkout", (3, 0, 1)),
    "chooses-fulfilment": ("achat-en-ligne", "checkout", (1, 0, 2)),
    "pays": ("achat-en-ligne", "checkout", (12, 2, 1)),
    "cnc-ready": ("achat-en-ligne", "notifications", (0, 1, 0)),
    "picks-up": ("achat-en-ligne", "cnc-desk", (1, 0, 6)),
    "tracks-delivery": ("achat-en-ligne", "notifications", (2, 1, 0)),
    "receives-delivery": ("achat-en-ligne", "carrier", (2, 0, 3)),
    "answers-survey": ("achat-en-ligne", "survey", (0, 1, 0)),
    "delivery-delayed": ("probleme-livraison", "notifications", (1, 0, 0)),
    "looks-for-help": ("probleme-livraison", "chat", (5, 0, 1)),
    "calls-service": ("probleme-livraison", "phone-support", (4, 0, 1)),
    "waits-callback": ("probleme-livraison", "phone-support", (1, 0, 0)),
    "returns-damaged": ("probleme-livraison", "carrier", (1, 0, 1)),
    "gets-refund": ("probleme-livraison", "notifications", (1, 0, 1)),
    "gets-advice": ("visite-magasin", "sales-advisor", (1, 0, 8)),
    "pays-till": ("visite-magasin", "till", (1, 0, 3)),
    "exchanges-bulbs": ("visite-magasin", "shop", (0, 0, 1)),
}
MOODS = ("neg", "neu", "pos")
# the steps after which a survey is sent, and the weights of the answers' moods there
SURVEYED = {
    "pays": (7, 2, 1),
    "picks-up": (1, 1, 6),
    "receives-delivery": (2, 2, 5),
    "looks-for-help": (3, 2, 2),
    "calls-service": (3, 2, 2),
    "waits-callback": (8, 1, 0),
    "returns-damaged": (2, 2, 3),
    "gets-refund": (2, 1, 3),
    "gets-advice": (1, 1, 7),
}
# survey scores per mood of the moment: CSAT 1..5, NPS 0..10, CES 1..7 weights
CSAT = {"neg": (6, 4, 2, 0, 0), "neu": (1, 2, 4, 3, 1), "pos": (0, 0, 1, 4, 6)}
NPS = {"neg": (3, 3, 3, 3, 2, 2, 2, 1, 1, 0, 0), "neu": (0, 0, 0, 1, 1, 2, 3, 4, 3, 1, 1)}
NPS["pos"] = (0, 0, 0, 0, 0, 0, 1, 2, 4, 5, 5)
CES = {"neg": (5, 4, 3, 2, 1, 0, 0), "neu": (0, 1, 2, 3, 3, 2, 1), "pos": (0, 0, 0, 1, 3, 5, 5)}


@dataclass(frozen=True)
class Touch:
    """A moment of a case worth a comment or a survey: a step, a channel, a time."""

    case: Event  # the case's first event (its ids)
    step: str
    channel: str
    at: datetime
    mood: str | None = None  # None: drawn from the step's weights


def _touches(rng: random.Random, events: list[Event]) -> list[Touch]:
    """The moments of one case that customers talk about, read from its events."""
    first = events[0]
    names = [e.activity for e in events]
    at = {e.activity: e for e in events}
    out: list[Touch] = []

    def add(step: str, event: Event, mood: str | None = None, channel: str = "") -> None:
        out.append(Touch(first, step, channel or event.channel or "web", event.at, mood))

    if "payment_failed" in at:
        add("pays", at["payment_failed"], "neg")
    elif "payment_submitted" in at and rng.random() < 0.45:
        add("pays", at["payment_submitted"])
    if "pickup_completed" in at and rng.random() < 0.7:
        add("picks-up", at["pickup_completed"])
    if "order_delivered" in at:
        delivered = at["order_delivered"]
        contacted = names.index("order_delivered") > names.index("order_shipped") + 1 and any(
            n.startswith("support_") for n in names[names.index("order_shipped") :]
        )
        if contacted or rng.random() < 0.3:  # the delivery problem and the promised call-back
            shipped = at["order_shipped"]
            add("delivery-delayed", shipped, channel="email")
            later = shipped.at + timedelta(days=2)
            for n in range(rng.choice((2, 3, 3, 4))):
                channel, step = (
                    ("chat", "looks-for-help") if n % 2 == 0 else ("phone", "calls-service")
                )
                if rng.random() < 0.6:
                    step = "waits-callback"
                out.append(Touch(first, step, channel, later + timedelta(days=n), None))
            add("receives-delivery", delivered, "neg", channel="web")
            if rng.random() < 0.4:
                add("returns-damaged", delivered, channel="web")
                if rng.random() < 0.7:
                    out.append(
                        Touch(first, "gets-refund", "email", delivered.at + timedelta(days=9))
                    )
        elif rng.random() < 0.45:
            add("receives-delivery", delivered, channel="web")
        if "tracking_viewed" in at and rng.random() < 0.2:
            add("tracks-delivery", at["tracking_viewed"])
    if "pos_transaction" in at:
        add("gets-advice", at["pos_transaction"])
        if rng.random() < 0.3:
            add("pays-till", at["pos_transaction"])
    elif "shop_visit" in at:
        add("gets-advice", at["shop_visit"], "neg")
    if "stock_checked" in at and rng.random() < 0.3:
        add("checks-stock", at["stock_checked"])
    if names[-1] in ("cart_viewed", "cart_reminder_sent") and rng.random() < 0.5:
        add("views-cart", at["cart_viewed"])
    if names[-1] == "product_viewed" and rng.random() < 0.25:
        add("views-product", at["product_viewed"])
    if "account_login" in at and rng.random() < 0.08:
        add("checkout-login", at["account_login"])
    if "delivery_method_selected" in at and rng.random() < 0.06:
        add("chooses-fulfilment", at["delivery_method_selected"])
    if "order_ready_for_pickup" in at and rng.random() < 0.05:
        add("cnc-ready", at["order_ready_for_pickup"], channel="email")
    if ("pickup_completed" in at or "pos_transaction" in at) and rng.random() < 0.12:
        step_at = at.get("pickup_completed") or at["pos_transaction"]
        out.append(Touch(first, "exchanges-bulbs", "shop", step_at.at + timedelta(days=12)))
    return out


def _mood(rng: random.Random, touch: Touch) -> str:
    if touch.mood is not None:
        return touch.mood
    weights = STEPS[touch.step][2]
    return rng.choices(MOODS, weights)[0]


def _comment(rng: random.Random, touch: Touch, mood: str) -> tuple[str, str]:
    """A comment in the customer's words about a touch, and its language."""
    pool = COMMENTS[touch.step]
    if mood not in pool:
        mood = next(m for m in ("neg", "pos", "neu") if m in pool)
    lang = "en" if rng.random() < 0.18 else "fr"
    text = rng.choice(pool[mood][lang])
    n = int(touch.case.case_id[1:])
    text = text.format(
        cmd=f"ML-2026-{n:05d}",
        jours=rng.randrange(3, 12),
        ville=rng.choice(SHOPS),
        prenom=rng.choice(ADVISORS),
        montant=f"{rng.uniform(40, 400):.2f}".replace(".", ","),
    )
    if mood == "neg" and rng.random() < 0.1:
        contact = rng.choice(CONTACTS[lang])
        text += contact.format(a=rng.randrange(100), b=rng.randrange(10), nom=rng.choice(NAMES))
    return text, lang


def _survey_scores(rng: random.Random, mood: str) -> tuple[str, str, str]:
    """CSAT, NPS, CES of one answer (blank when that question was not asked)."""
    csat = str(rng.choices(range(1, 6), CSAT[mood])[0])
    nps = str(rng.choices(range(11), NPS[mood])[0]) if rng.random() < 0.5 else ""
    ces = str(rng.choices(range(1, 8), CES[mood])[0]) if rng.random() < 0.6 else ""
    return csat, nps, ces


def build(seed: int = SEED) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The rows of ``verbatims.csv`` and ``surveys.csv`` (without their headers)."""
    rng = random.Random(seed)
    cases: dict[str, list[Event]] = {}
    for e in generate():
        cases.setdefault(e.case_id, []).append(e)
    verbatims: list[tuple[str, ...]] = []
    surveys: list[tuple[str, ...]] = []
    for events in cases.values():
        for touch in _touches(rng, events):
            mood = _mood(rng, touch)
            journey, touchpoint, _ = STEPS[touch.step]
            ids = (touch.case.customer_id, touch.case.case_id)
            text, lang = _comment(rng, touch, mood)
            if rng.random() < 0.9:
                shown = lang if rng.random() < 0.8 else ""
                day = (touch.at + timedelta(hours=rng.uniform(1, 30))).date().isoformat()
                verbatims.append((*ids, day, journey, touch.step, touch.channel, text, shown))
            if touch.step in SURVEYED:
                if touch.step != "pays" or touch.mood is None:  # a failed payment: unhappy
                    mood = rng.choices(MOODS, SURVEYED[touch.step])[0]
                when = touch.at + timedelta(hours=rng.uniform(2, 48))
                stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
                scores = _survey_scores(rng, mood)
                surveys.append((*ids, touch.step, touchpoint, stamp, *scores))
    return verbatims, surveys


def _csv(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def example_voice_folder() -> Path:
    """The folder of the shipped example voice data."""
    return Path(str(resources.files("parcours") / "examples" / "voice"))


def render_files(seed: int = SEED) -> dict[str, str]:
    """The text of each example file."""
    verbatims, surveys = build(seed)
    return {
        "verbatims.csv": _csv(VERBATIM_COLUMNS, verbatims),
        "surveys.csv": _csv(SURVEY_COLUMNS, surveys),
        "mes-themes.yaml": THEMES_YAML,
        "mes-mots.yaml": LEXICON_YAML,
    }


def write_voice_examples(folder: str | Path) -> list[Path]:
    """Copy the example voice data (``verbatims.csv``, ``surveys.csv``, ``mes-themes.yaml``,
    ``mes-mots.yaml``) into ``folder`` (created if needed); return the paths written."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in FILES:
        target = out / name
        shutil.copyfile(example_voice_folder() / name, target)
        written.append(target)
    return written


THEMES_YAML = """\
# Thèmes de Maison Lumière, pour `parcours sentiment --themes mes-themes.yaml`.
# Ce fichier remplace la liste livrée : chaque thème a un libellé par langue et des mots-clés
# par langue ; « mot* » accepte toutes les terminaisons.
themes:
  paiement:
    label: {fr: Paiement en ligne, en: Online payment}
    fr: [paiement, payer, carte, "3d secure", code de validation, débiter, prélever, "en plusieurs fois"]
    en: [payment, pay, card, checkout, charged, declined, verification code]
  rappel:
    label: {fr: Rappel promis, en: Promised call-back}
    fr: [rappel, rappeler, chat, téléphone, injoignable, raccrocher, "service client"]
    en: [callback, call back, called back, chat, phone, hold, hung up, unreachable]
  livraison:
    label: {fr: Livraison, en: Delivery}
    fr: [livraison, livrer, livreur, colis, transporteur, retard, suivi, dépôt]
    en: [delivery, deliver, delivered, parcel, driver, tracking, depot, late]
  retrait:
    label: {fr: Retrait en magasin, en: Click and collect}
    fr: [retrait, "click and collect", comptoir, prête]
    en: [click and collect, pickup, ready]
  retours:
    label: {fr: Retours et remboursements, en: Returns and refunds}
    fr: [retour, retourner, échange, échanger, remboursement, rembourser, étiquette]
    en: [return, returning, refund, refunded, label, swap]
  conseil:
    label: {fr: Conseil en magasin, en: Advice in the shop}
    fr: [conseil, conseiller, conseillère, vendeur, vendeuse, accueil, personnel, caissière]
    en: [advice, advisor, staff, cashier, knowledgeable, helpful]
  frais:
    label: {fr: Prix et frais de port, en: Prices and shipping costs}
    fr: [frais, "frais de port", cher, prix, "code promo"]
    en: [shipping costs, expensive, price]
"""

LEXICON_YAML = """\
# Mots de nos clients, pour `parcours sentiment --lexicon mes-mots.yaml` : ajoutés au
# lexique français livré (valeurs de -4 à +4) ; les vôtres l'emportent.
language: fr
words:
  adorable: 2.5
  superbe: 2.8
phrases:
  "tourne dans le vide": -2.0
  "déplacement pour rien": -2.2
  "zéro rappel": -2.8
  "promet* * rappel": -1.8
  "sans sonner": -1.8
  "j'attends depuis": -1.8
  "déjà appelé": -1.5
  "au top": 2.5
negated:
  valider: -1.4
"""


if __name__ == "__main__":  # regenerate the shipped files
    folder = example_voice_folder()
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in render_files().items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
        print(f"wrote {folder / name}")
