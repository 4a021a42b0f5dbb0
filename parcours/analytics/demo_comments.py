"""French customer comments of the demo dataset, written from templates.

A comment is an optional opening, a core sentence on the theme of the step with the mood
of the touch (``neg``, ``neu``, ``pos``), an optional detail and an optional closing,
drawn with the generator's random source (so the same seed writes the same comments).
"""

from __future__ import annotations

import random

# step → the touchpoint of the demo library the survey answers name
TOUCHPOINTS = {
    "views-product": "product-page",
    "checks-stock": "store-stock",
    "chooses-fulfilment": "checkout",
    "pays": "checkout",
    "picks-up": "cnc-desk",
    "receives-delivery": "carrier",
    "delivery-delayed": "notifications",
    "receives-damaged": "carrier",
    "looks-for-help": "chat",
    "calls-service": "phone-support",
    "waits-callback": "phone-support",
    "complaint-answer": "email-support",
    "gets-replacement": "carrier",
    "gets-refund": "notifications",
    "gets-advice": "sales-advisor",
    "pays-till": "till",
    "receives-quote": "pro-advisor",
}

OPENINGS = {
    "neg": (
        "Franchement déçue.",
        "Très mécontent.",
        "Inadmissible.",
        "Je suis vraiment énervée.",
        "Expérience lamentable.",
        "Quelle galère !",
        "Client depuis dix ans et franchement déçu.",
        "",
        "",
        "",
    ),
    "neu": ("Bof.", "RAS.", "Pour info :", "", "", ""),
    "pos": (
        "Super expérience !",
        "Très satisfaite.",
        "Bravo !",
        "Parfait.",
        "Merci beaucoup.",
        "Excellent service.",
        "",
        "",
    ),
}

CLOSINGS = {
    "neg": (
        "Je ne commanderai plus chez vous.",
        "Je vais aller voir ailleurs.",
        "C'est inacceptable.",
        "Je suis très déçue.",
        "Aucune solution proposée, c'est nul.",
        "Service client catastrophique.",
        "Honteux.",
        "",
        "",
    ),
    "neu": ("À voir la prochaine fois.", "Sans plus.", "Je repasserai.", "", ""),
    "pos": (
        "Je recommande !",
        "Je reviendrai sans hésiter.",
        "Merci à toute l'équipe.",
        "Top, bravo.",
        "Très bonne expérience.",
        "",
    ),
}

CORES: dict[str, dict[str, tuple[str, ...]]] = {
    "paiement": {
        "neg": (
            "Paiement refusé {n} fois alors que ma carte fonctionne partout ailleurs.",
            "Le paiement a échoué et j'ai quand même été débitée.",
            "La page de paiement plante au moment de la validation 3D Secure.",
            "Impossible de payer sur l'application, erreur à chaque tentative.",
            "Paiement refusé sans explication, j'ai dû appeler ma banque pour rien.",
            "Trois essais de paiement, trois échecs, j'ai abandonné mon panier.",
            "Le code de confirmation de la banque n'arrive jamais, paiement bloqué.",
            "Débitée deux fois après un paiement soi-disant refusé, toujours pas remboursée.",
        ),
        "neu": (
            "Paiement validé au deuxième essai.",
            "Le paiement demande une validation par l'application de ma banque.",
        ),
        "pos": (
            "Paiement rapide et simple, rien à redire.",
            "Payé en deux clics avec ma carte enregistrée, parfait.",
            "Le paiement en trois fois sans frais est très pratique.",
        ),
    },
    "rappel": {
        "neg": (
            "On m'avait promis un rappel sous 48 h, toujours rien.",
            "J'attends toujours le rappel promis, personne ne me rappelle.",
            "Troisième fois qu'on me promet de me rappeler, et toujours rien.",
            "On me dit qu'on va me rappeler, puis plus aucune nouvelle.",
            "Promesse de rappel non tenue, j'ai dû recontacter le chat puis appeler encore.",
            "Je suis passée par le chat, puis le téléphone, on me promet un rappel qui ne vient jamais.",
            "Aucun rappel malgré trois promesses, je dois tout réexpliquer à chaque appel.",
        ),
        "neu": ("Le conseiller a noté ma demande de rappel.",),
        "pos": ("Rappelée le lendemain comme promis, merci.",),
    },
    "attente": {
        "neg": (
            "{m} minutes d'attente au téléphone pour finalement être coupée.",
            "Attente interminable au service client, musique en boucle pendant {m} minutes.",
            "Le conseiller n'avait pas mon dossier, j'ai dû tout répéter.",
            "Personne ne répond au téléphone, c'est inadmissible.",
            "Après {m} minutes d'attente, on me renvoie vers le chat.",
        ),
        "neu": ("Le conseiller a pris note de mon numéro de commande.",),
        "pos": (
            "Conseillère très aimable au téléphone, problème compris tout de suite.",
            "Réponse rapide au téléphone, conseiller efficace.",
        ),
    },
    "chat": {
        "neg": (
            "Le chat me renvoie vers un formulaire, impossible de parler à quelqu'un.",
            "Chat inutile, un robot qui ne comprend pas ma question.",
            "Le chat ne connaît pas ma commande, il faut appeler quand même, quelle perte de temps.",
            "Conversation sur le chat coupée en plein milieu, aucune réponse.",
        ),
        "neu": ("Le chat m'a donné le numéro du service client.",),
        "pos": ("Réponse claire et rapide sur le chat, merci.",),
    },
    "retard": {
        "neg": (
            "Livraison en retard de {d} jours, sans aucune explication.",
            "Colis annoncé mardi, toujours pas livré {d} jours plus tard.",
            "Le suivi n'est pas mis à jour, aucune nouvelle du transporteur.",
            "Retard de livraison, j'ai posé une journée de congé pour rien.",
        ),
        "neu": ("Nouvelle date de livraison reçue par SMS.",),
        "pos": ("Retard annoncé à l'avance, c'est appréciable.",),
    },
    "casse": {
        "neg": (
            "Lampadaire arrivé cassé, le pied est tordu.",
            "Colis abîmé, l'abat-jour est déchiré et le verre brisé.",
            "Suspension livrée en morceaux, emballage lamentable.",
            "Carton éventré à la livraison, la lampe est rayée.",
        ),
        "neu": ("Colis livré au relais, déballé à la maison.",),
        "pos": ("Emballage soigné, tout est arrivé intact.",),
    },
    "reclamation": {
        "neg": (
            "Réclamation envoyée il y a deux semaines, réponse toute faite sans solution.",
            "Réponse à ma réclamation hors sujet, remboursement refusé.",
            "Geste commercial ridicule après tout ce temps perdu.",
        ),
        "neu": ("Mon dossier est transmis au service concerné.",),
        "pos": ("Réclamation traitée sérieusement, geste commercial apprécié.",),
    },
    "remplacement": {
        "neg": ("Le remplacement est arrivé abîmé lui aussi.", "Remplacement reçu après un mois."),
        "neu": ("Remplacement livré au relais cette semaine.",),
        "pos": (
            "Remplacement reçu rapidement, lampe parfaite cette fois.",
            "Produit remplacé sans discussion, merci.",
        ),
    },
    "remboursement": {
        "neg": (
            "Remboursement toujours pas reçu après trois semaines.",
            "Remboursement partiel, les frais de livraison ne sont pas remboursés.",
        ),
        "neu": ("Remboursement annoncé sur ma carte bancaire.",),
        "pos": ("Remboursement reçu rapidement, merci.",),
    },
    "produit": {
        "neg": (
            "Fiche produit sans dimensions ni type de culot, impossible de choisir.",
            "Les photos ne montrent pas la lampe allumée, dommage.",
            "Prix affiché différent dans le panier, c'est trompeur.",
        ),
        "neu": (
            "Fiche produit lue, il manque la température de couleur.",
            "J'ai comparé deux modèles sur la fiche produit.",
        ),
        "pos": (
            "Belles photos en situation, on voit bien le rendu de la lumière.",
            "Fiche produit très complète, avis clients utiles.",
            "Jolie collection, j'ai trouvé la suspension idéale pour mon salon.",
        ),
    },
    "stock": {
        "neg": (
            "Produit annoncé en stock mais introuvable en magasin, déplacement inutile.",
            "La disponibilité en magasin est fausse, très agaçant.",
        ),
        "neu": ("J'ai vérifié le stock du magasin avant de venir.",),
        "pos": ("Stock en magasin fiable, produit mis de côté.",),
    },
    "livraison": {
        "neg": (
            "Frais de livraison trop élevés pour une bougie.",
            "Livreur pressé, colis laissé devant la porte.",
        ),
        "neu": ("Livraison choisie en point relais.",),
        "pos": (
            "Livraison rapide, livreur très sympathique.",
            "Livré en deux jours, colis bien protégé.",
            "Choix du créneau de livraison très pratique.",
        ),
    },
    "retrait": {
        "neg": (
            "Retrait en magasin : vingt minutes de queue derrière les clients en caisse.",
            "Commande pas prête au retrait malgré le SMS.",
        ),
        "neu": ("Commande retirée au comptoir du magasin.",),
        "pos": (
            "Click and collect parfait, commande prête en deux heures.",
            "Retrait rapide au comptoir, accueil souriant.",
            "Retrait gratuit en magasin à {ville}, très pratique.",
        ),
    },
    "conseil": {
        "neg": (
            "Aucun vendeur disponible, j'ai attendu pour rien.",
            "Vendeur peu aimable, conseils approximatifs.",
        ),
        "neu": (
            "On m'a orienté vers le rayon suspensions.",
            "Conseiller rencontré au magasin, on a parlé des ampoules.",
        ),
        "pos": (
            "{prenom}, au magasin de {ville}, m'a donné d'excellents conseils.",
            "Vendeuse passionnée, conseils précieux pour éclairer ma cuisine.",
            "Excellent conseil en magasin, on m'a aidé à choisir la bonne ampoule.",
            "L'atelier conseil éclairage est une super idée, merci {prenom}.",
        ),
    },
    "caisse": {
        "neg": ("Attente trop longue en caisse.", "Ma carte de fidélité n'a pas été reconnue."),
        "neu": ("Passage en caisse, paiement par carte.",),
        "pos": ("Passage en caisse rapide, points fidélité crédités.",),
    },
    "devis": {
        "neg": (
            "Devis reçu après {d} jours, bien trop long pour un chantier.",
            "Le devis oublie la moitié des références demandées, c'est pénible.",
            "Trois relances pour obtenir un devis révisé.",
        ),
        "neu": ("Devis reçu, en cours d'étude.",),
        "pos": ("Devis clair et rapide, conseiller pro très réactif.",),
    },
}

CITIES = ("Lyon", "Nantes", "Lille", "Bordeaux", "Toulouse", "Marseille", "Rennes", "Dijon")
FIRST_NAMES = ("Inès", "Karim", "Sophie", "Thomas", "Léa", "Mehdi", "Camille", "Julien")


def comment(rng: random.Random, theme: str, mood: str) -> str:
    """A comment on ``theme`` (a key of :data:`CORES`) in ``mood`` (neg, neu, pos)."""
    cores = CORES[theme]
    core = rng.choice(cores.get(mood) or cores["neg"])
    core = core.format(
        n=rng.choice(("deux", "trois", "quatre")),
        m=rng.choice((15, 20, 25, 35, 40, 45)),
        d=rng.choice((3, 4, 5, 8, 10, 12)),
        ville=rng.choice(CITIES),
        prenom=rng.choice(FIRST_NAMES),
    )
    parts = [rng.choice(OPENINGS[mood]), core]
    if rng.random() < 0.6:
        parts.append(rng.choice(CLOSINGS[mood]))
    return " ".join(p for p in parts if p)
