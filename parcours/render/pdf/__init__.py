"""The PDF documents: persona cards and the atlas, laid out by WeasyPrint, with Typst.

* :mod:`.document` — the HTML page, its fonts and the WeasyPrint call with a fetcher that
  refuses everything but the resources the renderer put in memory;
* :mod:`.text` — words, dates, numbers and money as each language writes them, colours;
* :mod:`.css` — the atlas' style sheet;
* :mod:`.maptext` and :mod:`.crop` — a journey map as shapes (SVG) under HTML text, cut
  into page parts;
* :mod:`.mappages` — a map on paper pages: its scale and its tiles;
* :mod:`.matrix` — the priority matrix;
* :mod:`.facts`, :mod:`.tables` and :mod:`.sections` — what the atlas counts, the rows of
  its tables and its sections in HTML;
* :mod:`.typst_sections` (with ``sections.typ``) — the table sections set by Typst;
* :mod:`.maphead` and :mod:`.tiles` — a map page drawn as one picture by Typst, and the
  Typst pages set into the boxes WeasyPrint reserved;
* :mod:`.atlas` and :mod:`.personas` — the two documents.

(The map PDF of ``parcours render MAP -o map.pdf`` is drawn by :mod:`parcours.render.raster`
with :mod:`parcours.render.typeset`.)
"""
