"""The import's choices as one object, and the mapping file that saves them (JSON or TOML).

A mapping file says which column of each file feeds which field, and how to read dates and
currencies; the Data page offers the one it used as a download, and ``import --mapping FILE``
reads it back, so a monthly job imports the same way::

    {"format": 1,
     "date_format": "MM/DD/YYYY",
     "currency": "USD",
     "columns": {"accounts": {"Account Owner": "csm", "Type": ""},
                 "mrr": {"Revenue Month": "month", "MRR (USD)": "mrr"}}}

``""`` ignores a column. In TOML the same keys: ``date_format = "MM/DD/YYYY"`` and a
``[columns.accounts]`` table. Unknown keys, tables and fields are refused, naming the place.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field

from cs_dashboard.errors import InputError
from cs_dashboard.ingest.currency import DEFAULT_CURRENCY, currency_code
from cs_dashboard.ingest.dates import DateFormat, DateFormatError
from cs_dashboard.ingest.labels import FIELDS, ColumnMatch, unknown_targets

FORMAT = 1
KEYS = ("format", "date_format", "currency", "columns")


class MappingError(InputError):
    """A mapping file that cannot be used; the message names the file and the place."""

    subject = "The mapping file"


@dataclass(frozen=True)
class ImportOptions:
    """How to read the files: column mapping per table (file column -> field, ``""`` to
    ignore), the date format for dates that are not ISO, and the reporting currency."""

    columns: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    date_format: str | None = None
    currency: str = DEFAULT_CURRENCY

    def date_choice(self) -> DateFormat | None:
        return DateFormat.parse(self.date_format) if self.date_format else None

    def with_columns(self, extra: Mapping[str, Mapping[str, str]] | None) -> ImportOptions:
        """These options with ``extra`` column choices added (they win over saved ones)."""
        if not extra:
            return self
        merged = {t: dict(m) for t, m in self.columns.items()}
        for table, mapping in extra.items():
            merged.setdefault(table, {}).update(mapping)
        return ImportOptions(merged, self.date_format, self.currency)


def read_mapping(data: bytes, filename: str) -> ImportOptions:
    """The options saved in a mapping file (``.toml`` is TOML, anything else JSON)."""
    try:
        text = data.decode("utf-8-sig")
        raw = tomllib.loads(text) if filename.lower().endswith(".toml") else json.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise MappingError(f"{filename}: cannot read the mapping file ({exc})") from exc
    return options_from(raw, filename)


def options_from(raw: object, filename: str) -> ImportOptions:
    """``ImportOptions`` from the parsed contents of a mapping file, checked key by key."""
    if not isinstance(raw, dict):
        raise MappingError(f"{filename}: a mapping file holds an object of keys {', '.join(KEYS)}")
    unknown = sorted(set(raw) - set(KEYS))
    if unknown:
        raise MappingError(f"{filename}: unknown key(s) {', '.join(map(repr, unknown))}; "
                           f"known: {', '.join(KEYS)}")
    if raw.get("format", FORMAT) != FORMAT:
        raise MappingError(f"{filename}: format {raw['format']!r} is not supported (use {FORMAT})")
    date_format = raw.get("date_format") or None
    if date_format is not None:
        try:
            DateFormat.parse(str(date_format))
        except DateFormatError as exc:
            raise MappingError(f"{filename}: date_format: {exc}") from exc
    try:
        currency = currency_code(raw.get("currency", DEFAULT_CURRENCY))
    except ValueError as exc:
        raise MappingError(f"{filename}: currency: {exc}") from exc
    columns = raw.get("columns", {})
    if not isinstance(columns, dict):
        raise MappingError(f"{filename}: columns must map each table to its columns")
    out: dict[str, dict[str, str]] = {}
    for table, mapping in columns.items():
        if table not in FIELDS:
            raise MappingError(f"{filename}: columns.{table}: not a table; tables: "
                               f"{', '.join(FIELDS)}")
        if not isinstance(mapping, dict) or not all(isinstance(t, str) for t in mapping.values()):
            raise MappingError(f"{filename}: columns.{table} must map column names to field names "
                               "(\"\" to ignore a column)")
        bad = unknown_targets(table, mapping)
        if bad:
            raise MappingError(f"{filename}: columns.{table}: {', '.join(map(repr, bad))} not a "
                               f"field of {table}; fields: {', '.join(FIELDS[table])}")
        out[table] = {str(k): v for k, v in mapping.items()}
    return ImportOptions(out, str(date_format) if date_format else None, currency)


def mapping_document(options: ImportOptions, matches: Mapping[str, list[ColumnMatch]]) -> dict:
    """The mapping an import used, complete (every column of every file, ignored ones as
    ``""``), ready for ``json.dumps``: reading it back imports the same files the same way."""
    doc: dict = {"format": FORMAT}
    if options.date_format:
        doc["date_format"] = options.date_format
    doc["currency"] = options.currency
    doc["columns"] = {table: {m.column: m.field or "" for m in found}
                      for table, found in matches.items() if found}
    return doc


def mapping_json(options: ImportOptions, matches: Mapping[str, list[ColumnMatch]]) -> str:
    return json.dumps(mapping_document(options, matches), indent=2, ensure_ascii=False) + "\n"
