"""Safe CSV, safe file names and ZIP archives for downloads and the board pack.

Spreadsheets execute a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula (CSV injection). Text cells starting with one of them are prefixed with a
single quote, which spreadsheets show as text; numeric columns stay numeric.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def neutralise(value: object) -> object:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(data: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``data`` whose text cells and column names are neutralised; numbers untouched."""
    out = data.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series) \
                or isinstance(series.dtype, pd.CategoricalDtype):
            out[column] = series.astype(object).map(neutralise)
    return out


def safe_csv(data: pd.DataFrame) -> bytes:
    """UTF-8 CSV of ``data`` without its index, safe to open in a spreadsheet."""
    frame = safe_frame(data)
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def safe_filename(name: str, default: str = "chart", max_length: int = 80) -> str:
    """A lower-case file-name stem of ASCII letters, digits, dashes and underscores.

    Accents are folded (``Région`` -> ``region``), path separators and dots cannot survive, so
    the result never escapes a folder or hides an extension; empty results fall back to
    ``default``.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem = _UNSAFE.sub("_", ascii_name).strip("_-").lower()[:max_length].strip("_-")
    return stem or default


def zip_bytes(files: Iterable[tuple[str, bytes]]) -> bytes:
    """A deflated ZIP of ``(name, content)`` pairs; names are made safe, extension kept."""
    buffer = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            stem, dot, ext = name.rpartition(".")
            safe = f"{safe_filename(stem or ext)}.{safe_filename(ext, 'bin')}" if dot else \
                safe_filename(name)
            unique, n = safe, 2
            while unique in seen:
                base, _, ext2 = safe.rpartition(".")
                unique, n = f"{base}_{n}.{ext2}", n + 1
            seen.add(unique)
            archive.writestr(unique, content)
    return buffer.getvalue()
