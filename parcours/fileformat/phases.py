"""Inferring a stage's lifecycle phase from its name, in French and English."""

from __future__ import annotations

from parcours.model.base import slugify
from parcours.model.journey import Phase

# Checked in this order: the first keyword found in the stage's name wins.
KEYWORDS: list[tuple[Phase, tuple[str, ...]]] = [
    (Phase.support, ("apres-vente", "sav", "support", "reclamation", "complaint", "assistance",
                     "incident", "after-sales", "service-client", "customer-service", "litige")),
    (Phase.end, ("resiliation", "churn", "depart", "abandon", "cancellation", "cloture", "fin",
                 "end", "sortie", "exit", "offboarding")),
    (Phase.advocacy, ("recommandation", "advocacy", "avis", "review", "parrainage", "referral",
                      "bouche-a-oreille")),
    (Phase.loyalty, ("fidelisation", "fidelite", "loyalty", "renouvellement", "renewal",
                     "retention", "reabonnement", "expansion")),
    (Phase.onboarding, ("integration", "onboarding", "activation", "bienvenue", "welcome",
                        "installation", "livraison", "delivery", "reception", "arrivee",
                        "arrival", "mise-en-service", "check-in")),
    (Phase.usage, ("usage", "utilisation", "use", "sejour", "stay", "consommation", "visite",
                   "visit", "repas", "meal", "traitement", "processing", "instruction")),
    (Phase.purchase, ("achat", "commande", "souscription", "paiement", "purchase", "order",
                      "checkout", "buy", "subscription", "signature", "contrat", "contract",
                      "devis", "quote", "negociation", "negotiation", "reservation", "booking",
                      "depot", "demande", "application", "submission")),
    (Phase.decision, ("decision", "choix", "choice", "selection", "essai", "trial", "demo")),
    (Phase.consideration, ("consideration", "recherche", "research", "comparaison", "compare",
                           "evaluation", "information", "preparation", "exploration")),
    (Phase.awareness, ("decouverte", "discovery", "notoriete", "awareness", "attention",
                       "acquisition", "inspiration", "besoin", "need", "prise-de-conscience")),
]  # fmt: skip


def infer_phase(name: str) -> Phase | None:
    """The phase a stage name suggests (``"Découverte"`` → awareness), or None."""
    words = f"-{slugify(name)}-"
    for phase, keywords in KEYWORDS:
        for keyword in keywords:
            if f"-{keyword}-" in words or (len(keyword) > 5 and keyword in words):
                return phase
    return None
