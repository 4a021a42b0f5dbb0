"""The office formats: an Excel workbook laid out like the map, and its way back.

* :mod:`.writer` — the workbook (:func:`~.writer.save_xlsx`, :func:`~.writer.xlsx_bytes`);
  :mod:`.style` how its cells look and print, :mod:`.chart` its emotion chart;
* :mod:`.sheets` — what each sheet holds, shared by the writer and the reader;
* :mod:`.reader` — a workbook edited by a person read back (:func:`~.reader.import_xlsx`,
  :func:`~.reader.read_xlsx`); :mod:`.mapsheet` reads its Map sheet, :mod:`.tables` its
  table sheets (Steps, Paths, Pain points, Opportunities, KPIs);
* :mod:`.values` — what a cell a person typed means (texts, numbers, shares, dates, choices).

Nothing is imported here: openpyxl loads only when a workbook is written or read.
"""
