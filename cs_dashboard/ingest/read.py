"""Reading an uploaded file into a DataFrame of text cells, or explaining why it can't be read."""

from __future__ import annotations

import csv
import io
import re
import warnings as warnings_module
import zipfile

import pandas as pd

from cs_dashboard.ingest.parse import by_distinct
from cs_dashboard.ingest.problems import Problem

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_name(name: object) -> str:
    """Column-name key ignoring case, spaces, underscores and hyphens."""
    return re.sub(r"[\s_\-]+", "", str(name).strip().lower())


def read_file(data: bytes, filename: str, table: str) -> tuple[pd.DataFrame | None, list[Problem],
                                                                list[str]]:
    """Text cells of ``data`` (CSV or Excel) as a DataFrame, with problems and warnings."""
    if not data or not data.strip():
        return None, [Problem(filename, None, None, None, "the file is empty")], []
    if filename.lower().endswith(EXCEL_SUFFIXES) or zipfile.is_zipfile(io.BytesIO(data)):
        return _read_excel(data, filename, table)
    text, warnings, problem = _decode(data, filename)
    if problem:
        return None, [problem], warnings
    return _read_csv(text, filename, warnings)


def _decode(data: bytes, filename: str) -> tuple[str, list[str], Problem | None]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), [f"{filename}: read as UTF-16"], None
    if b"\x00" in data:
        return "", [], Problem(filename, None, None, None,
                               "cannot decode the file: it looks binary (save it as CSV, UTF-8)")
    try:
        return data.decode("utf-8-sig"), [], None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), [f"{filename}: not UTF-8; read as Windows-1252 (Latin-1)"], None
    except UnicodeDecodeError as exc:
        return "", [], Problem(filename, None, None, None,
                               f"cannot decode the file (byte {exc.start}); save it as CSV, UTF-8")


def _read_csv(text: str, filename: str, warnings: list[str]) -> tuple[pd.DataFrame | None,
                                                                      list[Problem], list[str]]:
    sample = text[:20_000]
    try:
        delimiter = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    if delimiter != ",":
        warnings.append(f"{filename}: columns separated by {delimiter!r}")
    try:
        header = next(csv.reader(io.StringIO(sample), delimiter=delimiter))
    except StopIteration:
        return None, [Problem(filename, None, None, None, "the file is empty")], warnings
    problems = _header_problems(header, filename)
    if problems:
        return None, problems, warnings
    try:
        with warnings_module.catch_warnings():
            warnings_module.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, names=header,
                                header=0, keep_default_na=False, na_values=[],
                                skipinitialspace=True, engine="c", index_col=False)
    except pd.errors.ParserWarning:
        reason = f"cannot parse the CSV: expected {len(header)} fields in line 2, saw more"
        return None, [Problem(filename, 2, None, None, reason)], warnings
    except (pd.errors.ParserError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[-1].replace("Error tokenizing data. C error: ", "")
        reason = f"cannot parse the CSV: {reason[:1].lower()}{reason[1:]}"
        return None, [Problem(filename, None, None, None, reason)], warnings
    return _clean_text(frame, filename, warnings), [], warnings


def _read_excel(data: bytes, filename: str, table: str) -> tuple[pd.DataFrame | None,
                                                                 list[Problem], list[str]]:
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, header=None)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is reported, not raised
        return None, [Problem(filename, None, None, None, f"cannot read the Excel file: {exc}")], []
    if not sheets:
        return None, [Problem(filename, None, None, None, "the workbook has no sheets")], []
    warnings: list[str] = []
    by_key = {normalise_name(k): k for k in sheets}
    sheet = by_key.get(normalise_name(table))
    if sheet is None:
        sheet = next(iter(sheets))
        if len(sheets) > 1:
            warnings.append(f"{filename}: no sheet named {table!r}; used the first sheet "
                            f"{sheet!r} of {len(sheets)}")
    raw = sheets[sheet].dropna(how="all")
    if raw.empty:
        return None, [Problem(filename, None, None, None, f"sheet {sheet!r} is empty")], warnings
    header = [("" if pd.isna(v) else str(v)) for v in raw.iloc[0]]
    problems = _header_problems(header, filename)
    if problems:
        return None, problems, warnings
    frame = raw.iloc[1:].copy()
    frame.columns = header
    frame = frame.fillna("").reset_index(drop=True)
    return _clean_text(frame, filename, warnings), [], warnings


def _header_problems(header: list[str], filename: str) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for name in header:
        key = normalise_name(name)
        if key and key in seen:
            problems.append(Problem(filename, 1, name, None,
                                    f"duplicate column (same as {seen[key]!r})"))
        seen.setdefault(key, name)
    return problems


def _clean_text(frame: pd.DataFrame, filename: str, warnings: list[str]) -> pd.DataFrame:
    """Strip whitespace and control characters from every cell (noting it once)."""
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.loc[:, [c for c in frame.columns if c and not c.startswith("Unnamed:")]]
    cleaned = False
    for col in frame.columns:
        s = frame[col].astype(str)
        if by_distinct(s, lambda u: u.str.contains(_CONTROL, regex=True)).any():
            cleaned = True
            s = by_distinct(s, lambda u: u.str.replace(_CONTROL, "", regex=True))
        frame[col] = by_distinct(s, lambda u: u.str.strip())
    if cleaned:
        warnings.append(f"{filename}: control characters removed from some cells")
    return frame
