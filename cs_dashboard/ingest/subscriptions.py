"""Subscriptions in, monthly MRR out (docs/definitions.md, "MRR from subscriptions").

One row per subscription, in Baremetrics' import template, Stripe's subscription export or the
plain form (``labels``). ``check_subscriptions`` validates the rows into ``Subscriptions``;
``monthly_mrr`` derives the ``mrr`` table: MRR of month m is the sum over the account's
subscriptions active on m's last day (start <= that day < end) of amount x quantity normalised
to a month; trials (status ``trialing``, or a zero amount) contribute nothing; months run from
the first subscription's start month to the last complete month (``through``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cs_dashboard.ingest import validate as v
from cs_dashboard.ingest.problems import Problem
from cs_dashboard.months import month_index

#: Months one billing interval lasts; aliases as billing systems write them.
INTERVAL_MONTHS: dict[str, float] = {"day": 12 / 365, "week": 12 / 52, "month": 1.0,
                                     "quarter": 3.0, "year": 12.0}
_ALIASES = {"daily": "day", "days": "day", "weekly": "week", "weeks": "week",
            "monthly": "month", "months": "month", "quarterly": "quarter", "quarters": "quarter",
            "yearly": "year", "years": "year", "annual": "year", "annually": "year"}
TRIAL_STATUSES = ("trialing",)


def check_subscriptions(check: v.Checker, accounts: set[str] | None,
                        currency: str) -> pd.DataFrame:
    """The subscriptions of ``check``'s file, every bad cell a problem: ``account_id``,
    ``account_name``, ``currency``, ``monthly`` (amount x quantity per month in the
    subscription's currency; 0 for trials), ``trial``, ``start`` (revenue starts: the later of
    the start and a trial's end) and ``end`` (NaT while active). A blank currency is the
    reporting ``currency`` (stated as a warning)."""
    f = check.frame
    ids = v.text_id(check, "account_id")
    v.known_accounts(check, accounts)
    if "subscription_id" in f:
        v.unique(check, ["subscription_id"], "subscription_id")
    out = pd.DataFrame({"account_id": ids})
    out["account_name"] = v.text(check, "account_name") if "account_name" in f else None
    monthly = _monthly_amount(check)
    start = v.dates(check, "start", required=True)
    end = v.dates(check, "end") if "end" in f else pd.Series(pd.NaT, index=f.index)
    check.flag(end.notna() & start.notna() & (end < start), "end", "ends before it starts")
    if "trial_end" in f:
        trial_end = v.dates(check, "trial_end")
        start = start.where(~(trial_end > start), trial_end)
    status = (check.map("status", lambda u: u.astype(str).str.strip().str.lower())
              if "status" in f else pd.Series("", index=f.index))
    trial = status.isin(TRIAL_STATUSES) | (monthly == 0)
    out["currency"] = _currencies(check, currency)
    out["monthly"] = monthly.where(~trial, 0.0)
    out["trial"] = trial
    out["start"] = start
    out["end"] = end
    return out


def _monthly_amount(check: v.Checker) -> pd.Series:
    """Amount x quantity / (months per interval x interval count), in the file's currency."""
    f = check.frame
    if "amount" in f and "amount_cents" in f:
        check.file_problem("give the amount in one column: amount (in currency units) or "
                           "amount_cents (Baremetrics' plan_amount), not both", "amount")
        return pd.Series(np.nan, index=f.index)
    if "amount" in f:
        amount = v.numbers(check, "amount", money=True, low=0, required=True)
    elif "amount_cents" in f:
        cents = v.numbers(check, "amount_cents", low=0, required=True)
        check.flag(cents.notna() & (cents % 1 != 0), "amount_cents", "not a whole number of cents")
        amount = cents / 100
    else:
        check.file_problem("missing an amount column: amount (in currency units) or "
                           "amount_cents (Baremetrics' plan_amount)", "amount")
        return pd.Series(np.nan, index=f.index)
    quantity = (v.numbers(check, "quantity", low=0).fillna(1.0) if "quantity" in f
                else pd.Series(1.0, index=f.index))
    count = pd.Series(1.0, index=f.index)
    if "interval_count" in f:
        count = v.numbers(check, "interval_count", low=1)
        check.flag(count.notna() & (count % 1 != 0), "interval_count", "not a whole number")
        count = count.fillna(1.0)
    interval = check.map("interval", _interval_months)
    check.flag(interval.isna() & ~check.blank("interval"), "interval",
               "not an interval: use day, week, month, quarter or year")
    check.flag(check.blank("interval"), "interval", "empty value in a required column")
    return amount * quantity / (interval * count)


def _interval_months(values: pd.Series) -> pd.Series:
    text = values.astype(str).str.strip().str.lower()
    return text.replace(_ALIASES).map(INTERVAL_MONTHS).astype(float)


def _currencies(check: v.Checker, reporting: str) -> pd.Series:
    if "currency" not in check.frame:
        return pd.Series(reporting, index=check.frame.index)
    codes = check.map("currency", lambda u: u.astype(str).str.strip().str.upper())
    blank = check.blank("currency")
    check.flag(~codes.str.fullmatch(r"[A-Z]{3}") & ~blank, "currency",
               "not a currency code (three letters, such as USD or EUR)")
    if blank.any():
        check.warnings.append(f"{check.filename}: {int(blank.sum())} subscriptions without a "
                              f"currency taken as {reporting}, the reporting currency")
    return codes.where(~blank, reporting)


def monthly_mrr(subs: pd.DataFrame, through: dt.date, rates: pd.DataFrame | None,
                reporting: str, filename: str,
                rates_file: str | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """The ``mrr`` table (``account_id``, ``month``, ``mrr``; rows with MRR > 0 only) from
    validated subscriptions, converted to ``reporting`` per month with ``rates`` (``currency``,
    ``mi`` month index, ``rate``: 1 unit = rate reporting units). Without a needed rate
    nothing is derived and the problem names the currencies or the months."""
    empty = pd.DataFrame({"account_id": pd.Series(dtype=object),
                          "month": pd.Series(dtype="datetime64[ns]"), "mrr": pd.Series(dtype=float)})
    paid = subs[subs["monthly"] > 0]
    if paid.empty:
        return empty, []
    last = month_index(through)
    first_mi = _index(paid["start"])
    end_mi = np.where(paid["end"].notna(), _index(paid["end"].fillna(paid["start"])) - 1, last)
    end_mi = np.minimum(end_mi, last)
    spans = np.maximum(end_mi - first_mi + 1, 0)
    rows = np.repeat(np.arange(len(paid)), spans)
    offsets = np.arange(len(rows)) - np.repeat(np.cumsum(spans) - spans, spans)
    out = pd.DataFrame({"account_id": paid["account_id"].to_numpy()[rows],
                        "currency": paid["currency"].to_numpy()[rows],
                        "mi": first_mi[rows] + offsets,
                        "mrr": paid["monthly"].to_numpy()[rows]})
    foreign = out["currency"] != reporting
    if foreign.any():
        problem = _convert(out, foreign, rates, reporting, filename, rates_file)
        if problem:
            return empty, [problem]
    mrr = out.groupby(["account_id", "mi"], sort=True, as_index=False)["mrr"].sum()
    mrr["mrr"] = mrr["mrr"].round(2)
    mrr = mrr[mrr["mrr"] > 0]
    month = pd.to_datetime(pd.DataFrame({"year": mrr["mi"] // 12, "month": mrr["mi"] % 12 + 1,
                                         "day": 1}))
    return pd.DataFrame({"account_id": mrr["account_id"].to_numpy(), "month": month.to_numpy(),
                         "mrr": mrr["mrr"].to_numpy()}), []


def _index(dates: pd.Series) -> np.ndarray:
    return (dates.dt.year * 12 + dates.dt.month - 1).to_numpy(dtype=np.int64)


def _convert(out: pd.DataFrame, foreign: pd.Series, rates: pd.DataFrame | None, reporting: str,
             filename: str, rates_file: str | None) -> Problem | None:
    """Converts ``out``'s foreign amounts in place, or says which rates are missing."""
    if rates is None:
        found = sorted(out.loc[foreign, "currency"].unique())
        return Problem(filename, None, "currency", None,
                       f"amounts in {', '.join(found)} need exchange rates to {reporting}: give a "
                       "rates file (--fx FILE, or the rates upload on the Data page) with columns "
                       f"currency, month (or date) and rate (1 {found[0]} = rate {reporting})")
    keyed = out[foreign].merge(rates, on=["currency", "mi"], how="left")
    missing = keyed[keyed["rate"].isna()]
    if not missing.empty:
        by_currency = missing.groupby("currency")["mi"].unique()
        parts = []
        for code, months in by_currency.items():
            labels = [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in sorted(months)]
            more = f" and {len(labels) - 6} more" if len(labels) > 6 else ""
            parts.append(f"{code} in {', '.join(labels[:6])}{more}")
        return Problem(rates_file or filename, None, "rate", None,
                       "no rate for " + "; ".join(parts) + f": every month with revenue in a "
                       f"currency other than {reporting} needs a rate dated in that month")
    out.loc[foreign, "mrr"] = out.loc[foreign, "mrr"].to_numpy() * keyed["rate"].to_numpy()
    return None


def derived_accounts(subs: pd.DataFrame) -> pd.DataFrame:
    """One account per customer of the subscriptions: ``account_id``, ``account_name`` (the
    name on its latest subscription that has one) and ``customer_since`` (the start of its first
    paid subscription; empty when it never paid)."""
    ordered = subs.sort_values("start", kind="stable")
    names = ordered.dropna(subset=["account_name"]).groupby("account_id")["account_name"].last()
    paid = ordered[ordered["monthly"] > 0].groupby("account_id")["start"].min()
    ids = pd.Index(ordered["account_id"].unique(), name="account_id")
    return pd.DataFrame({"account_id": ids, "account_name": names.reindex(ids).to_numpy(),
                         "customer_since": paid.reindex(ids).to_numpy()})
