"""Exchange rates to the reporting currency, one per currency and month."""

from __future__ import annotations

import re

import pandas as pd

from cs_dashboard.ingest import validate as v

DEFAULT_CURRENCY = "USD"


def currency_code(text: str) -> str:
    """``text`` as an upper-case ISO 4217 code; ``ValueError`` when it is not three letters."""
    code = str(text).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError(f"not a currency code: {text!r} (three letters, such as USD or EUR)")
    return code


def check_rates(check: v.Checker, reporting: str) -> pd.DataFrame:
    """The rates file of ``check``: columns ``currency``, ``month`` (or a date) and ``rate``
    (1 unit of the currency = rate units of ``reporting``). Out: ``currency``, ``mi`` (month
    index) and ``rate``, one row per currency and month: the latest rate dated in that month."""
    codes = check.map("currency", lambda u: u.astype(str).str.strip().str.upper())
    blank = check.blank("currency")
    check.flag(blank, "currency", "empty value in a required column")
    check.flag(~codes.str.fullmatch(r"[A-Z]{3}") & ~blank, "currency",
               "not a currency code (three letters, such as USD or EUR)")
    dated = v.dates(check, "month", required=True)
    rate = v.numbers(check, "rate", required=True)
    check.flag(rate <= 0, "rate", "a rate must be above 0")
    check.flag((codes == reporting) & rate.notna() & (rate != 1), "rate",
               f"the rate of {reporting}, the reporting currency, is 1")
    frame = pd.DataFrame({"currency": codes, "date": dated, "rate": rate})
    check.flag(frame.duplicated(["currency", "date"]) & dated.notna(), "month",
               "duplicate (currency, date)")
    frame = frame.dropna().sort_values("date", kind="stable")
    frame["mi"] = frame["date"].dt.year * 12 + frame["date"].dt.month - 1
    latest = frame.groupby(["currency", "mi"], as_index=False).last()
    return latest[["currency", "mi", "rate"]]
