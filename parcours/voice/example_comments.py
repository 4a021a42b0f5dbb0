"""What the customers of the example data say, per journey step, mood and language.

Templates of :mod:`parcours.voice.examples`; the placeholders are filled per customer:
``{cmd}`` the order number, ``{jours}`` a number of days, ``{ville}`` a shop,
``{prenom}`` an advisor, ``{montant}`` an amount in euros. Written for the demo workspace
Maison Lumière (fictional), in the words customers use: short, sometimes without accents.
"""

from __future__ import annotations

Pool = dict[str, dict[str, tuple[str, ...]]]  # mood → language → templates

COMMENTS: dict[str, Pool] = {
    "views-product": {
        "pos": {
            "fr": (
                "Fiches produits claires, les photos en situation aident vraiment à choisir.",
                "Super choix de suspensions, j'ai trouvé exactement ce que je cherchais.",
                "Le simulateur de taille de lustre est génial, bravo.",
            ),
            "en": ("Great range of lamps and clear product pages with real photos.",),
        },
        "neu": {
            "fr": (
                "Est-ce que l'ampoule est fournie avec la lampe Orsay ?",
                "Je voudrais connaître la puissance maximale supportée par l'applique.",
                "Quelle est la différence entre les deux finitions laiton ?",
            ),
            "en": ("Is the bulb included with the Orsay floor lamp?",),
        },
        "neg": {
            "fr": (
                "Les dimensions indiquées sur la fiche sont fausses, rien ne correspond.",
                "Impossible de savoir si le variateur est compatible, fiche incomplète.",
            ),
            "en": ("The product page has no dimensions at all, useless.",),
        },
    },
    "checks-stock": {
        "pos": {
            "fr": ("Pratique de voir le stock du magasin de {ville} avant de se déplacer.",),
            "en": ("Handy to see the stock of the {ville} shop before going.",),
        },
        "neg": {
            "fr": (
                "Le site affichait en stock à {ville}, arrivée sur place : rupture. Déplacement pour rien.",
                "Stock en magasin faux, deuxième fois que ça m'arrive.",
            ),
            "en": ("The website said in stock in {ville}, the shop had none. Wasted trip.",),
        },
    },
    "views-cart": {
        "neg": {
            "fr": (
                "Les frais de port apparaissent seulement dans le panier, trop cher pour une ampoule.",
                "Frais de livraison abusifs, j'ai laissé mon panier.",
                "Le code promo ne fonctionne pas dans le panier.",
            ),
            "en": ("Shipping costs only show up in the cart, far too expensive.",),
        },
        "neu": {
            "fr": ("Je compare encore avec d'autres sites avant de commander.",),
            "en": ("Still comparing with other shops before I order.",),
        },
    },
    "checkout-login": {
        "neg": {
            "fr": (
                "Impossible de me connecter à mon compte, le mot de passe oublié ne m'envoie rien.",
                "Obligé de créer un compte pour commander, pénible.",
            ),
            "en": ("Could not log in, the password reset email never arrived.",),
        },
        "pos": {
            "fr": ("Commande en invité rapide, merci de ne pas imposer de compte.",),
            "en": ("Guest checkout was quick, thanks for not forcing an account.",),
        },
    },
    "pays": {
        "neg": {
            "fr": (
                "Paiement refusé trois fois alors que ma carte fonctionne partout ailleurs.",
                "Le code de validation 3D Secure n'arrive jamais, impossible de payer.",
                "Paiement refusé puis débité deux fois ! Commande {cmd}, je veux être remboursée.",
                "La page de paiement tourne dans le vide puis erreur. J'ai abandonné.",
                "Prélevé deux fois pour la même commande {cmd}, c'est inadmissible.",
                "Erreur au moment de payer sur l'application, j'ai dû recommencer sur le site.",
                "Carte refusée sans explication, j'ai perdu mon panier. Très déçue.",
                "Le paiement en plusieurs fois ne marche pas, message d'erreur à chaque fois.",
                "Payé {montant} € mais aucune confirmation de commande, toujours rien.",
            ),
            "en": (
                "Payment declined three times, my card works everywhere else.",
                "Charged twice for order {cmd} after a payment error. Not happy at all.",
                "The verification code never came, so I could not pay. Frustrating.",
                "Checkout kept failing on the app, had to switch to the website.",
            ),
        },
        "neu": {
            "fr": (
                "Est-il possible de payer en trois fois sans frais ?",
                "Je voudrais une facture au nom de ma société pour la commande {cmd}.",
            ),
            "en": ("Can I pay with PayPal next time?",),
        },
        "pos": {
            "fr": ("Paiement rapide et sans souci.",),
            "en": ("Smooth payment, no issue.",),
        },
    },
    "chooses-fulfilment": {
        "pos": {
            "fr": ("Super d'avoir le retrait gratuit en magasin à {ville}.",),
            "en": ("Free click and collect in {ville}, perfect.",),
        },
        "neg": {
            "fr": ("Pas de créneau de livraison le samedi, dommage.",),
            "en": ("No Saturday delivery slot, a shame.",),
        },
    },
    "picks-up": {
        "pos": {
            "fr": (
                "Retrait en magasin à {ville} en deux minutes, vendeuse très aimable.",
                "Click and collect parfait : commande prête le jour même, accueil souriant.",
                "Rien à redire, commande prête à l'heure et bien emballée.",
                "{prenom} au comptoir retrait a été adorable et a vérifié le lustre avec moi.",
                "Très pratique, je recommande le retrait en magasin.",
                "Retrait rapide, personnel au top au magasin de {ville}.",
            ),
            "en": (
                "Click and collect in {ville} took two minutes, lovely staff.",
                "Order ready the same day, friendly welcome at the pickup desk.",
            ),
        },
        "neg": {
            "fr": (
                "Vingt minutes d'attente au comptoir retrait, une seule personne pour tout le monde.",
                "SMS « commande prête » reçu mais le colis n'était pas encore arrivé au magasin.",
            ),
            "en": ("Waited twenty minutes at the pickup desk, only one person serving.",),
        },
    },
    "cnc-ready": {
        "neu": {
            "fr": ("Combien de temps ma commande reste-t-elle disponible en magasin ?",),
            "en": ("How long will my order be kept at the shop?",),
        },
    },
    "tracks-delivery": {
        "neg": {
            "fr": (
                "Le suivi du colis n'est pas mis à jour depuis {jours} jours.",
                "Numéro de suivi qui ne fonctionne pas sur le site du transporteur.",
            ),
            "en": ("Tracking has not moved for {jours} days.",),
        },
        "neu": {
            "fr": ("Où en est ma commande {cmd} ?",),
            "en": ("Where is my order {cmd}?",),
        },
    },
    "receives-delivery": {
        "pos": {
            "fr": (
                "Livraison rapide, colis bien protégé, lampe magnifique.",
                "Reçu en deux jours, livreur sympa, rien à redire.",
                "Livraison impeccable, je recommande.",
                "Colis arrivé avant la date prévue, très satisfaite.",
            ),
            "en": (
                "Fast delivery and the lamp was perfectly packed.",
                "Arrived a day early, friendly driver, no complaints.",
            ),
        },
        "neg": {
            "fr": (
                "Livré avec {jours} jours de retard et sans aucun message.",
                "Le livreur a laissé le colis devant la porte sans sonner.",
                "Colis abîmé, abat-jour écrasé. Déçue.",
                "Livraison annoncée mardi, reçue le lundi suivant.",
            ),
            "en": (
                "Delivered {jours} days late without any notice.",
                "The box was crushed and the shade damaged.",
            ),
        },
    },
    "delivery-delayed": {
        "neg": {
            "fr": (
                "Toujours pas livré après {jours} jours, personne ne sait où est mon colis.",
                "Livraison repoussée trois fois, ras le bol.",
                "Mail de retard reçu le jour prévu de la livraison, trop tard pour m'organiser.",
                "Colis bloqué au dépôt depuis {jours} jours, toujours rien.",
                "J'ai posé un jour de congé pour rien, le colis n'est jamais arrivé.",
            ),
            "en": (
                "Still waiting for my parcel after {jours} days.",
                "Delivery postponed three times, fed up.",
                "Parcel stuck at the depot for {jours} days, still nothing.",
            ),
        },
    },
    "looks-for-help": {
        "neg": {
            "fr": (
                "Le chat me répond avec des messages automatiques, aucune vraie réponse.",
                "Chat : on me dit qu'un conseiller va me rappeler sous 24 h. J'attends.",
                "Impossible de trouver comment joindre quelqu'un sur le site.",
                "Troisième conversation sur le chat, à chaque fois on me promet un rappel.",
            ),
            "en": (
                "The chat only gives canned answers, no real help.",
                "Chat agent said someone would call me back within 24 hours. Still waiting.",
            ),
        },
        "pos": {
            "fr": ("Réponse rapide sur le chat, problème réglé en cinq minutes.",),
            "en": ("Quick answer on the chat, sorted in five minutes.",),
        },
    },
    "calls-service": {
        "neg": {
            "fr": (
                "Quarante minutes d'attente au téléphone puis on m'a raccroché au nez.",
                "Service client injoignable, la ligne sonne dans le vide.",
                "Au téléphone on me renvoie vers le chat, et le chat vers le téléphone.",
            ),
            "en": (
                "Forty minutes on hold and then they hung up on me.",
                "The phone line is unreachable, nobody answers.",
            ),
        },
        "pos": {
            "fr": (
                "Conseillère au téléphone très à l'écoute, {prenom} a tout réglé.",
                "Enfin quelqu'un de compétent au téléphone, merci {prenom}.",
            ),
            "en": ("The phone advisor, {prenom}, was patient and sorted it out.",),
        },
    },
    "waits-callback": {
        "neg": {
            "fr": (
                "On m'a promis un rappel sous 24 h, personne ne m'a jamais rappelé.",
                "Rappel promis sur le chat, puis au téléphone, puis encore sur le chat. Toujours rien.",
                "Trois appels, trois promesses de rappel, zéro rappel.",
                "Rappel promis jamais tenu, je dois tout réexpliquer à chaque appel.",
                "Personne ne rappelle jamais, c'est le troisième message que je laisse.",
                "On m'avait dit qu'un responsable me rappellerait, j'attends depuis {jours} jours.",
                "Je relance tous les jours, on me répond « vous serez rappelée », et rien.",
                "Rappelez-moi vraiment cette fois, j'ai déjà appelé quatre fois pour la commande {cmd}.",
            ),
            "en": (
                "They promised a callback within 24 hours. Never called back.",
                "Chat, then phone, then chat again: each time a callback promised, never happened.",
                "Third call, third promise of a callback, still nothing.",
            ),
        },
    },
    "returns-damaged": {
        "neg": {
            "fr": (
                "Retour compliqué, aucune étiquette reçue pour renvoyer le lustre cassé.",
                "Le transporteur n'est jamais venu chercher le colis à retourner.",
            ),
            "en": ("Returning the broken lamp is a nightmare, no return label yet.",),
        },
        "pos": {
            "fr": (
                "Retour simple : étiquette reçue par mail, dépôt en point relais, parfait.",
                "Échange du luminaire abîmé sans discussion, merci.",
            ),
            "en": ("Easy return, the label came by email straight away.",),
        },
    },
    "gets-refund": {
        "neg": {
            "fr": (
                "Remboursement toujours pas reçu {jours} jours après le retour.",
                "Remboursement refusé alors que le produit est arrivé cassé.",
            ),
            "en": ("Still no refund {jours} days after the return.",),
        },
        "pos": {
            "fr": ("Remboursée en trois jours après le retour, rien à redire.",),
            "en": ("Refunded within three days, no complaints.",),
        },
    },
    "gets-advice": {
        "pos": {
            "fr": (
                "{prenom}, la conseillère du magasin de {ville}, a pris le temps de tout m'expliquer. Top !",
                "Conseils excellents en magasin, vendeur passionné et très compétent.",
                "Accueil chaleureux à {ville}, on m'a aidée à choisir les bonnes ampoules.",
                "Merci à {prenom} pour l'étude d'éclairage du salon, le résultat est superbe.",
                "Personnel aimable et de bon conseil, je reviendrai.",
                "Vendeuse très professionnelle, elle m'a évité une erreur de culot.",
            ),
            "en": (
                "{prenom} at the {ville} shop was brilliant, really knowledgeable staff.",
                "Friendly and helpful staff, great advice on dimmable bulbs.",
            ),
        },
        "neg": {
            "fr": ("Personne pour me renseigner en magasin un samedi après-midi.",),
            "en": ("Nobody available to help in the shop on a Saturday.",),
        },
    },
    "pays-till": {
        "pos": {
            "fr": ("Passage en caisse rapide, caissière souriante.",),
            "en": ("Quick at the till, friendly cashier.",),
        },
        "neg": {
            "fr": ("Une seule caisse ouverte, quinze minutes de queue.",),
            "en": ("Only one till open, long queue.",),
        },
    },
    "exchanges-bulbs": {
        "pos": {
            "fr": (
                "Échange des ampoules en magasin sans ticket, très arrangeant.",
                "Retour en magasin à {ville} simple et rapide, merci.",
            ),
            "en": ("Swapped the bulbs in the shop in two minutes, very helpful.",),
        },
    },
    "answers-survey": {
        "neu": {
            "fr": ("Enquête un peu longue.",),
            "en": ("The survey was a bit long.",),
        },
    },
}

# personal data some customers add to their comments (fictitious: example.* domains and
# numbers of the ranges reserved for fiction)
CONTACTS = {
    "fr": (
        " Rappelez-moi au 06 39 98 {a:02d} {b:02d}.",
        " Mon mail : {nom}@example.fr",
        " Joignable au 01 99 00 {a:02d} {b:02d} en journée.",
        " Écrivez-moi à {nom}@example.com svp.",
    ),
    "en": (
        " Call me on +44 7700 900{a:02d}{b}.",
        " Email me at {nom}@example.com",
    ),
}
