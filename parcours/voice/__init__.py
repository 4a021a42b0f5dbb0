"""The voice of the customer: verbatims (language, sentiment, themes, personal data) and
surveys (CSAT, NPS, CES KPIs with confidence intervals), all offline.

Modules, each importing its heavy libraries only when first used:

- :mod:`parcours.voice.language` — French or English;
- :mod:`parcours.voice.sentiment` — positive / neutral / negative with a score;
- :mod:`parcours.voice.themes` — themes from editable keyword lists, and suggested new ones;
- :mod:`parcours.voice.pii` — personal data masked before storage and display;
- :mod:`parcours.voice.verbatims` — all of the above over a file of comments;
- :mod:`parcours.voice.surveys` — survey responses read and summarised.
"""
