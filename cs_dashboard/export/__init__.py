"""Exports: safe CSV and file names, chart images, and the board-pack deck.

A map of the parts (the theme of exported charts is ``charts.theme``, like the screen's:
``export`` imports ``charts``, never the other way round):

- ``files``: CSV with spreadsheet formulas neutralised, safe file names, the ZIP of a pack.
- ``images``: server-side PNG (at least 1600 px wide, 2x) and SVG; Altair through vl-convert,
  plotly through kaleido when a Chrome or Chromium is installed.
- ``deck``: the 16:9 PowerPoint builder (title slide, KPI table, chart slides with notes).
- ``sections``: the registry of board-pack sections, one module each.
- ``pack``: builds the deck and the ZIP of a chosen set of sections from a database.
"""
