"""Reading an uploaded file into a DataFrame of text cells, or explaining why it can't be read."""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings as warnings_module
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from cs_dashboard.ingest.problems import Problem

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Bytes that text files hardly ever hold (controls other than tab, newlines and escape).
_BINARY_BYTES = (*range(0, 8), 11, 12, *range(14, 27), *range(28, 32))


def normalise_name(name: object) -> str:
    """Column-name key ignoring case, spaces, underscores and hyphens."""
    return re.sub(r"[\s_\-]+", "", str(name).strip().lower())


@dataclass
class Read:
    """A file read into text cells (``frame``, ``None`` when it cannot be read), with how it
    was read: ``encoding`` and ``delimiter`` of a CSV, or the ``sheet`` of a workbook."""

    frame: pd.DataFrame | None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None

    def describe(self) -> str:
        """``comma-separated, UTF-8`` or ``Excel sheet 'accounts'``."""
        if self.sheet is not None:
            return f"Excel sheet {self.sheet!r}"
        names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
        return f"{names.get(self.delimiter or ',', repr(self.delimiter))}-separated, {self.encoding}"


def read_file(data: bytes, filename: str, table: str) -> tuple[pd.DataFrame | None, list[Problem],
                                                                list[str]]:
    """Text cells of ``data`` (CSV or Excel) as a DataFrame, with problems and warnings."""
    read = read_table(data, filename, table)
    return read.frame, read.problems, read.warnings


def read_table(data: bytes, filename: str, table: str) -> Read:
    """``data`` (CSV or Excel) read into text cells, saying how (``Read``)."""
    if not data or not data.strip():
        return Read(None, [Problem(filename, None, None, None, "the file is empty")])
    if filename.lower().endswith(EXCEL_SUFFIXES) or zipfile.is_zipfile(io.BytesIO(data)):
        return _read_excel(data, filename, table)
    data, codec, warnings, problem = _decode(data, filename)
    if problem:
        return Read(None, [problem], warnings)
    read = _read_csv(data, codec, filename, warnings)
    utf16 = any(w.endswith("read as UTF-16") for w in warnings)
    read.encoding = "UTF-16" if utf16 else {"cp1252": "Windows-1252"}.get(codec, "UTF-8")
    return read


def read_header(data: bytes, filename: str, table: str) -> list[str]:
    """The column names of a file, reading only its start when it is a CSV (for the Data
    page's column mapping, which runs on every rerun); ``[]`` when it cannot be read."""
    if not (filename.lower().endswith(EXCEL_SUFFIXES) or zipfile.is_zipfile(io.BytesIO(data))):
        head = data[:65_536]
        if len(data) > len(head) and b"\n" in head:
            end = head.rindex(b"\n") + 1
            if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(head):
                end += end % 2  # keep whole UTF-16 code units
            head = data[:end]
        data = head
    frame, _, _ = read_file(data, filename, table)
    return [] if frame is None else list(frame.columns)


def _decode(data: bytes, filename: str) -> tuple[bytes, str, list[str], Problem | None]:
    """The bytes to parse and their codec; checked in chunks, never decoded whole in memory
    (UTF-16, rare and small, is converted to UTF-8)."""
    utf16 = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _utf16_without_bom(data)
    if utf16:
        try:
            data = data.decode(utf16).encode("utf-8")
        except UnicodeDecodeError as exc:
            return b"", "", [], Problem(filename, None, None, None,
                                        f"cannot decode the file as UTF-16 (byte {exc.start}); "
                                        "save it as CSV, UTF-8")
        return data, "utf-8", [f"{filename}: read as UTF-16"], None
    sample = data[:65_536]
    controls = sum(sample.count(bytes([b])) for b in _BINARY_BYTES)
    if sample.count(b"\x00") > max(1, len(sample) / 100) or controls > max(3, len(sample) / 20):
        return b"", "", [], Problem(filename, None, None, None,
                                    "cannot decode the file: it looks binary (save it as CSV, UTF-8)")
    warnings = []
    if b"\x00" in data:
        data = data.replace(b"\x00", b"")
        warnings.append(f"{filename}: NUL bytes removed")
    if _first_bad_byte(data, "utf-8-sig") is None:
        return data, "utf-8-sig", warnings, None
    bad = _first_bad_byte(data, "cp1252")
    if bad is None:
        return data, "cp1252", warnings + [f"{filename}: not UTF-8; read as Windows-1252 (Latin-1)"], None
    return b"", "", [], Problem(filename, None, None, None,
                                f"cannot decode the file (byte {bad}); save it as CSV, UTF-8")


def _first_bad_byte(data: bytes, codec: str) -> int | None:
    """Offset of the first byte ``codec`` cannot decode, or ``None``; 4 MB at a time."""
    decoder = codecs.getincrementaldecoder(codec)()
    view, step = memoryview(data), 1 << 22
    for start in range(0, max(len(data), 1), step):
        try:
            decoder.decode(view[start:start + step], final=start + step >= len(data))
        except UnicodeDecodeError as exc:
            return start + exc.start
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` / ``utf-16-be`` when ASCII text shows as every other byte zero."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    odd_zero, even_zero = sample[1::2].count(0), sample[0::2].count(0)
    if odd_zero >= 0.9 * half and even_zero <= 0.1 * half:
        return "utf-16-le"
    if even_zero >= 0.9 * half and odd_zero <= 0.1 * half:
        return "utf-16-be"
    return None


def _read_csv(data: bytes, codec: str, filename: str, warnings: list[str]) -> Read:
    sample = data[:20_000].decode(codec, errors="ignore")
    lines = sample.splitlines()
    try:
        delimiter = csv.Sniffer().sniff(lines[0] if lines else "", delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    if delimiter != ",":
        warnings.append(f"{filename}: columns separated by {delimiter!r}")
    try:
        header = next(csv.reader(io.StringIO(sample, newline=None), delimiter=delimiter))
    except StopIteration:
        return Read(None, [Problem(filename, None, None, None, "the file is empty")], warnings)
    except csv.Error as exc:
        return Read(None, [Problem(filename, 1, None, None, f"cannot read the header: {exc}")],
                    warnings)
    problems = _header_problems(header, filename)
    if problems:
        return Read(None, problems, warnings)
    try:
        with warnings_module.catch_warnings():
            warnings_module.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.BytesIO(data), encoding=codec, sep=delimiter, dtype="category",
                                names=header, header=0, keep_default_na=False, na_values=[],
                                skipinitialspace=True, engine="c", index_col=False)
    except pd.errors.ParserWarning:
        reason = f"cannot parse the CSV: expected {len(header)} fields in line 2, saw more"
        return Read(None, [Problem(filename, 2, None, None, reason)], warnings)
    except (pd.errors.ParserError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[-1].replace("Error tokenizing data. C error: ", "")
        reason = f"cannot parse the CSV: {reason[:1].lower()}{reason[1:]}"
        return Read(None, [Problem(filename, None, None, None, reason)], warnings)
    return Read(_clean_text(frame, filename, warnings), [], warnings,
                delimiter=delimiter)


def _read_excel(data: bytes, filename: str, table: str) -> Read:
    try:
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, header=None)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is reported, not raised
        return Read(None, [Problem(filename, None, None, None, f"cannot read the Excel file: {exc}")])
    if not sheets:
        return Read(None, [Problem(filename, None, None, None, "the workbook has no sheets")])
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
        return Read(None, [Problem(filename, None, None, None, f"sheet {sheet!r} is empty")],
                    warnings, sheet=str(sheet))
    header = [("" if pd.isna(v) else str(v)) for v in raw.iloc[0]]
    problems = _header_problems(header, filename)
    if problems:
        return Read(None, problems, warnings, sheet=str(sheet))
    frame = raw.iloc[1:].copy()
    frame.columns = header
    frame = frame.fillna("").reset_index(drop=True)
    return Read(_clean_text(frame, filename, warnings), [], warnings, sheet=str(sheet))


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
    """Every cell as text without surrounding whitespace or control characters (noting their
    removal once), each column a ``Categorical`` of distinct texts: checks then run once per
    distinct value, and a 4-million-row column takes 4 bytes a row."""
    frame.columns = [str(c).strip() for c in frame.columns]
    keep = [i for i, c in enumerate(frame.columns) if c and not c.startswith("Unnamed:")]
    cleaned = False
    columns = {}
    for i in keep:
        column = frame.iloc[:, i]
        if isinstance(column.dtype, pd.CategoricalDtype):
            codes = column.cat.codes.to_numpy()
            uniques = pd.Series(column.cat.categories.to_numpy(dtype=object), dtype=object)
        else:
            codes, found = pd.factorize(column, use_na_sentinel=True)
            uniques = pd.Series(found, dtype=object)
        values = pd.concat([uniques.where(uniques.notna(), "").astype(str), pd.Series([""])],
                           ignore_index=True)  # the last entry stands for missing cells (code -1)
        if values.str.contains(_CONTROL, regex=True).any():
            cleaned = True
            values = values.str.replace(_CONTROL, "", regex=True)
        canon_codes, canon = pd.factorize(values.str.strip())
        columns[frame.columns[i]] = pd.Categorical.from_codes(
            canon_codes.take(codes), categories=pd.Index(canon, dtype=object))
    if cleaned:
        warnings.append(f"{filename}: control characters removed from some cells")
    return pd.DataFrame(columns, index=pd.RangeIndex(len(frame)))
