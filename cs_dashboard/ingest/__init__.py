"""Importing the four tables from CSV or Excel: read, validate, then write all or nothing.

- ``read``: bytes -> raw text DataFrame (encoding, delimiter, Excel sheet, header checks).
- ``parse``: vectorised parsing of money, numbers and dates in the documented formats.
- ``validate``: per-table checks producing a ``Problem`` for each bad cell or row.
- ``load``: the whole pipeline, returning an ``ImportResult``.
"""

from cs_dashboard.ingest.load import ImportResult, Problem, load_tables

__all__ = ["ImportResult", "Problem", "load_tables"]
