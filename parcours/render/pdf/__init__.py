"""The PDF documents: persona cards and the atlas, HTML laid out by WeasyPrint.

* :mod:`.document` — the HTML page, its fonts and the WeasyPrint call with a fetcher that
  refuses everything but the resources the renderer put in memory;
* :mod:`.text` — words, dates, numbers and money as each language writes them, colours;
* :mod:`.css` — the atlas' style sheet;
* :mod:`.maptext` and :mod:`.crop` — a journey map as shapes (SVG) under HTML text, cut
  into page parts;
* :mod:`.mappages` — a map on paper pages: its scale and its tiles;
* :mod:`.matrix` — the priority matrix;
* :mod:`.facts` and :mod:`.sections` — what the atlas counts and its sections;
* :mod:`.atlas` and :mod:`.personas` — the two documents.

(The map PDF of ``parcours render MAP -o map.pdf`` is drawn by :mod:`parcours.render.raster`.)
"""
