"""Persona cards; they live in :mod:`parcours.render.pdf.personas` (names kept here)."""

from parcours.render.pdf.personas import (
    CSS,
    card_html,
    cards_html,
    personas_html,
    personas_pdf,
    save_personas_pdf,
)

__all__ = ["CSS", "card_html", "cards_html", "personas_html", "personas_pdf", "save_personas_pdf"]
