"""Escaping, one module per kind of output: a security surface, read and tested as one.

* :mod:`.xml` — SVG and the XML of office files: text nodes and attribute values, and the
  characters XML cannot hold (dropped);
* :mod:`.html` — HTML documents (persona cards, atlas, PDF text);
* :mod:`.markdown` — table cells and code spans of a Markdown page;
* :mod:`.terminal` — text printed to a terminal: control and escape sequences shown, not run.

Spreadsheet formulas are guarded where cells are written (:mod:`parcours.security`).
Every function takes the user's text and returns text that is inert in its output; none
changes text that needs no escaping.
"""
