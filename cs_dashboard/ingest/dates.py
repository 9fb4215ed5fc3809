"""Date columns as exports write them: one reading per column, never a guess per cell.

ISO forms (``2024-03-15``, ``2024-03``, ``2024/03/15``, ISO date-times with or without seconds
and time zone, Excel date cells) are read as they are. Numeric forms with a day and a month
(``3/15/2022``, ``15.03.2022``, ``03-15-2022``, optionally followed by a time) take their
order from the whole column: a value that can only be month-first (a second number above 12)
makes the column month-first, likewise day-first; a column whose values fit both orders, or
that mixes both, is refused until the user chooses (``DateFormat``). Two-digit years are
refused: the century would be a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from cs_dashboard.ingest.parse import is_blank

MONTH_FIRST, DAY_FIRST = "month-first", "day-first"
_ORDER_TOKENS = {MONTH_FIRST: "MM/DD/YYYY", DAY_FIRST: "DD/MM/YYYY"}

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                  r"\s*(?:Z|UTC|[+-]\d{2}:?\d{2})?)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_ISO_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?)?"
_NUMERIC = re.compile(rf"^(\d{{1,2}})([/.\-])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_TIME}$")
_TIME_SUFFIX = re.compile(rf"{_TIME[:-1]}$")

#: How to choose, quoted in every refusal.
HOW_TO_CHOOSE = ("choose the order: --date-format MM/DD/YYYY or DD/MM/YYYY (or a strftime "
                 "pattern such as %d.%m.%Y) on the command line, 'date_format' in a mapping "
                 "file, or the date order on the Data page")


class DateFormatError(ValueError):
    """A date format the user gave that cannot be used."""


@dataclass(frozen=True)
class DateFormat:
    """The user's choice for dates that are not ISO: an order or a strftime ``pattern``."""

    text: str
    order: str | None = None
    pattern: str | None = None

    @classmethod
    def parse(cls, text: str) -> DateFormat:
        """``MM/DD/YYYY`` / ``M/D/YYYY`` (month first), ``DD/MM/YYYY`` / ``D.M.YYYY`` (day
        first), any separator; or a strftime pattern with ``%``. Two-digit years are refused."""
        given = str(text).strip()
        if "%" in given:
            if "%y" in given:
                raise DateFormatError(f"date format {given!r}: two-digit years (%y) are not "
                                      "accepted, the century would be a guess; use %Y")
            if "%Y" not in given:
                raise DateFormatError(f"date format {given!r}: needs a four-digit year (%Y)")
            return cls(given, pattern=given)
        tokens = re.findall(r"Y+|M+|D+", given.upper())
        if any(set(t) == {"Y"} and len(t) < 4 for t in tokens):
            raise DateFormatError(f"date format {given!r}: two-digit years are not accepted, "
                                  "the century would be a guess; export four-digit years (YYYY)")
        if tokens and set(tokens[0]) == {"Y"}:  # year first: the tokens as a strftime pattern
            pattern = re.sub(r"Y+|M+|D+", lambda m: {"Y": "%Y", "M": "%m", "D": "%d"}[m[0][0]],
                             given.upper())
            return cls(given, pattern=pattern)
        order = [t[0] for t in tokens if set(t) in ({"M"}, {"D"})]
        if order == ["M", "D"]:
            return cls(given, order=MONTH_FIRST)
        if order == ["D", "M"]:
            return cls(given, order=DAY_FIRST)
        raise DateFormatError(f"date format {given!r} not understood: use MM/DD/YYYY, DD/MM/YYYY "
                              "or a strftime pattern such as %d.%m.%Y")

    def describe(self) -> str:
        return f"as chosen: {self.text}"


@dataclass(frozen=True)
class ColumnDates:
    """A date column read as a whole: ``parsed`` (NaT where a value is not a date), how it was
    read (``reading``: ``ISO``, ``month-first (MM/DD/YYYY)``, ...), and the reason the column
    is refused (``refusal``, with an ``example`` value, and the values that wait for the
    choice: ``undecided``), if it is."""

    parsed: pd.Series
    reading: str
    refusal: str | None = None
    example: str | None = None
    undecided: pd.Series | None = None


def read_column(values: pd.Series, choice: DateFormat | None = None) -> ColumnDates:
    """Dates from the (distinct) text ``values`` of one column, read with one rule for all."""
    text = values.astype(str).str.strip().where(~is_blank(values))
    parsed = iso_dates(text)
    rest = text.where(parsed.isna() & text.notna())
    if choice is not None and choice.pattern:
        rest = rest.str.replace(_TIME_SUFFIX, "", regex=True) if "%H" not in choice.pattern else rest
        parsed = parsed.fillna(pd.to_datetime(rest, format=choice.pattern, errors="coerce"))
        return ColumnDates(parsed, choice.describe())
    parts = rest.str.extract(_NUMERIC)
    numeric = parts[0].notna()
    if not numeric.any():
        return ColumnDates(parsed, "ISO (YYYY-MM-DD)" if parsed.notna().any() else "")
    short = numeric & (parts[3].str.len() == 2)
    if short.any():
        return ColumnDates(parsed, "", "two-digit years are not accepted (the century would be "
                           "a guess); export the dates with four-digit years",
                           rest[short].iloc[0], numeric)
    first, second = parts[0].astype(float), parts[2].astype(float)
    month_first = numeric & (second > 12) & (first <= 12)
    day_first = numeric & (first > 12) & (second <= 12)
    either = numeric & (first <= 12) & (second <= 12)
    if choice is not None:
        order, reading = choice.order, choice.describe()
    elif month_first.any() and day_first.any():
        return ColumnDates(parsed, "", "the column mixes month-first dates (such as "
                           f"{rest[month_first].iloc[0]!r}) and day-first dates (such as "
                           f"{rest[day_first].iloc[0]!r}); export it again in one order, or "
                           + HOW_TO_CHOOSE, rest[day_first].iloc[0], numeric)
    elif month_first.any() or day_first.any():
        order = MONTH_FIRST if month_first.any() else DAY_FIRST
        witness = rest[month_first if order == MONTH_FIRST else day_first].iloc[0]
        reading = f"{order} ({_ORDER_TOKENS[order]}), as {witness!r} shows"
    elif either.any():
        example = rest[either].iloc[0]
        return ColumnDates(parsed, "", f"every date fits both month-first and day-first "
                           f"(such as {example!r}); {HOW_TO_CHOOSE}", example, numeric)
    else:  # no value has a day and a month that both fit: each is reported as not a date
        return ColumnDates(parsed, "ISO (YYYY-MM-DD)" if parsed.notna().any() else "")
    month, day = (first, second) if order == MONTH_FIRST else (second, first)
    built = pd.to_datetime(pd.DataFrame({"year": parts[3].astype(float), "month": month,
                                         "day": day}).where(numeric), errors="coerce")
    return ColumnDates(parsed.fillna(built), reading)


def iso_dates(text: pd.Series) -> pd.Series:
    """Timestamps from the ISO forms (date, year-month, year/month/day, date-time); NaT
    elsewhere. A date-time keeps the date as written, whatever its time zone."""
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for pattern, has_day in ((_ISO, True), (_ISO_MONTH, False), (_ISO_SLASH, True)):
        todo = out.isna() & text.notna()
        if not todo.any():
            break
        parts = text[todo].str.extract(pattern)
        found = parts[0].notna()
        if not found.any():
            continue
        parts = parts[found].astype(float)
        day = parts[2] if has_day else 1.0
        out[parts.index] = pd.to_datetime(pd.DataFrame({"year": parts[0], "month": parts[1],
                                                        "day": day}), errors="coerce")
    return out
