"""Channel and marker icons as vector paths (no icon font, no image files).

Each icon is SVG path data drawn with a 2 px round stroke and no fill, in a 24 × 24 box.
Painters scale it: SVG with a ``transform``, PowerPoint as a freeform, and so on.
:func:`channel_icon` picks the icon of a channel from its ``icon`` field, its id and name,
then its kind.
"""

from __future__ import annotations

import unicodedata

#: Icon name → SVG path data in a 24 × 24 box, stroked (round caps and joins), not filled.
ICONS: dict[str, str] = {
    "web": "M21 12a9 9 0 1 1-18 0a9 9 0 1 1 18 0z M3 12h18 "
    "M12 3c2.6 2.6 3.8 5.6 3.8 9s-1.2 6.4-3.8 9c-2.6-2.6-3.8-5.6-3.8-9s1.2-6.4 3.8-9z",
    "mobile": "M8 2.5h8a2 2 0 0 1 2 2v15a2 2 0 0 1-2 2H8a2 2 0 0 1-2-2v-15a2 2 0 0 1 2-2z "
    "M11 18.5h2",
    "phone": "M5.5 3.5h3.2l1.8 4.6-2.3 1.5a11.5 11.5 0 0 0 6.2 6.2l1.5-2.3 4.6 1.8v3.2"
    "a2 2 0 0 1-2 2A16.5 16.5 0 0 1 3.5 5.5a2 2 0 0 1 2-2z",
    "shop": "M3.5 9.5 5.5 4h13l2 5.5 M3.5 9.5a2.8 2.8 0 0 0 5.7 0a2.8 2.8 0 0 0 5.6 0"
    "a2.8 2.8 0 0 0 5.7 0 M5 12.5V20h14v-7.5 M10 20v-4.5h4V20",
    "email": "M3 5.5h18v13H3z M3 6.5l9 6.5 9-6.5",
    "post": "M3 5.5h18v13H3z M3 6.5l9 6.5 9-6.5 M15.5 8.5h2.5v2.5h-2.5z",
    "chat": "M4 4.5h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H10l-5 4v-4H4a1 1 0 0 1-1-1v-10a1 1 0 0 1 1-1z "
    "M8 10.5h.01 M12 10.5h.01 M16 10.5h.01",
    "social": "M18 2.8a2.7 2.7 0 1 1 0 5.4a2.7 2.7 0 1 1 0-5.4z "
    "M6 9.3a2.7 2.7 0 1 1 0 5.4a2.7 2.7 0 1 1 0-5.4z "
    "M18 15.8a2.7 2.7 0 1 1 0 5.4a2.7 2.7 0 1 1 0-5.4z M8.4 10.8l7.2-4.1 M8.4 13.2l7.2 4.1",
    "media": "M3 10v4h3l8 5V5L6 10H3z M17 9a4 4 0 0 1 0 6 M19.5 6.5a7.5 7.5 0 0 1 0 11",
    "search": "M10.5 3.5a7 7 0 1 1 0 14a7 7 0 1 1 0-14z M15.5 15.5l5 5",
    "person": "M12 3.5a4 4 0 1 1 0 8a4 4 0 1 1 0-8z M4.5 21a7.5 7.5 0 0 1 15 0",
    "video": "M3 6.5h12v11H3z M15 10.5l6-3.5v10l-6-3.5",
    "document": "M6 2.5h8.5l4 4v15H6z M14 2.5v4.5h4.5 M9 12h6 M9 16h6",
    "card": "M3 5.5h18v13H3z M3 10h18 M6.5 14.5h4",
    "calendar": "M4 5.5h16v15H4z M4 10h16 M8.5 3v4.5 M15.5 3v4.5",
    "tv": "M3 5h18v11.5H3z M8 20.5h8 M12 16.5v4",
    "image": "M4 4.5h16v15H4z M4 16l5-5 4 4 2.5-2.5L20 17 M15 8.5h.01",
    "dot": "M12 7.5a4.5 4.5 0 1 1 0 9a4.5 4.5 0 1 1 0-9z",
    # markers
    "check": "M5 12.5l4.5 4.5L19 7.5",
    "cross": "M6.5 6.5l11 11 M17.5 6.5l-11 11",
    "star": "M12 3l2.7 5.8 6.3.7-4.7 4.3 1.3 6.2L12 16.9 6.4 20l1.3-6.2L3 9.5l6.3-.7z",
    "warning": "M12 3.5 21.5 20h-19z M12 10v4.5 M12 17.5h.01",
    "bolt": "M13 2.5 4.5 13.5H12l-1 8 8.5-11H12z",
    "break": "M12 3.5 21.5 20h-19z M12 9.5l-1.5 3.5h3L12 16.5",
    "user": "M12 4a3.5 3.5 0 1 1 0 7a3.5 3.5 0 1 1 0-7z M5.5 20a6.5 6.5 0 0 1 13 0",
    "loop": "M20 12a8 8 0 1 1-2.3-5.7 M20 4v4.5h-4.5",
    # observed figures (render --data)
    "skip": "M3.5 15c2.5-8 14.5-8 17 0 M20.5 15l-4.3-1.3 M20.5 15l1-4.4 "
    "M10.8 18.5a1.2 1.2 0 1 0 2.4 0a1.2 1.2 0 1 0-2.4 0z",
    "branch": "M3.5 12h6 M9.5 12l8-6.5 M9.5 12l8 6.5 M14 5.5h3.5V9 M14 18.5h3.5V15",
}

# keyword → icon, tried in this order on "<channel id> <channel name> <touchpoint name>"
_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("post", ("courrier", "letter", "lettre", "postal", "la poste", "mailbox", "recommande")),
    ("email", ("e-mail", "email", "mail", "sms", "newsletter", "courriel")),
    ("chat", ("chat", "messag", "whatsapp", "bot", "tchat")),
    ("mobile", ("app", "mobile", "appli", "smartphone", "ios", "android")),
    (
        "phone",
        (
            "phone",
            "telephon",
            "call",
            "appel",
            "contact-centre",
            "relation client",
            "hotline",
            "serveur vocal",
            "ivr",
            "standard",
        ),
    ),
    (
        "social",
        (
            "social",
            "instagram",
            "facebook",
            "linkedin",
            "tiktok",
            "twitter",
            "reseaux",
            "youtube",
            "avis",
            "review",
        ),
    ),
    ("search", ("compar", "search", "google", "recherche", "seo")),
    ("video", ("video", "visio")),
    ("calendar", ("rendez-vous", "appointment", "calendar", "booking", "agenda")),
    ("card", ("payment", "paiement", "carte", "card", "checkout", "caisse")),
    (
        "person",
        (
            "conseiller",
            "adviser",
            "advisor",
            "agent",
            "vendeur",
            "sales",
            "staff",
            "technicien",
            "livreur",
            "courier",
        ),
    ),
    (
        "shop",
        (
            "shop",
            "store",
            "magasin",
            "boutique",
            "agence",
            "branch",
            "point de vente",
            "retail",
            "guichet",
            "vitrine",
            "showroom",
        ),
    ),
    (
        "media",
        (
            "media",
            "pub",
            "advert",
            "campagne",
            "campaign",
            "tv",
            "radio",
            "affich",
            "billboard",
            "presse",
            "press",
        ),
    ),
    (
        "document",
        (
            "document",
            "formulaire",
            "form",
            "contrat",
            "contract",
            "signature",
            "justificatif",
            "facture",
            "invoice",
        ),
    ),
    ("web", ("web", "site", "online", "en ligne", "internet", "portal", "portail", "page")),
)

_BY_KIND = {"digital": "web", "physical": "shop", "human": "person", "media": "media"}


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def guess_icon(*texts: str | None) -> str | None:
    """The icon whose keywords appear first in ``texts`` (case and accents ignored)."""
    haystack = " " + " ".join(_plain(t) for t in texts if t) + " "
    for name, words in _KEYWORDS:
        for word in words:
            if len(word) <= 3:  # short words must stand alone: "app", "tv", "pub"
                for sep in (" ", "-", "_", "/", "("):
                    if (
                        f"{sep}{word} " in haystack
                        or f"{sep}{word}-" in haystack
                        or f"{sep}{word}s " in haystack
                    ):
                        return name
            elif word in haystack:
                return name
    return None


def channel_icon(
    icon: str | None,
    channel_id: str | None,
    channel_name: str | None,
    kind: str | None,
    touchpoint_name: str | None = None,
) -> tuple[str, str | None]:
    """``(icon name, emoji or None)`` for a touchpoint of a channel.

    A channel's ``icon`` wins when it is a known icon name; when it is an emoji it is
    returned as the emoji to draw as text (the vector icon stays the fallback).
    """
    emoji = None
    if icon:
        key = icon.strip().lower()
        if key in ICONS:
            return key, None
        emoji = icon.strip()[:16] if any(ord(ch) > 0x2000 for ch in icon) else None
    name = guess_icon(channel_id, channel_name) or guess_icon(touchpoint_name)
    if name is None:
        name = _BY_KIND.get(kind or "", "dot")
    return name, emoji
