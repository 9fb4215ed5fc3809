"""Renewals ahead: ARR up for renewal by month and quarter, split by band, tier and CSM, and
the red and yellow renewals of the next 90 days (pure).

Input: one row per account active at the as-of month T (``api.health.account_health`` with the
``tier`` column joined in): ``account_id``, ``band``, ``score``, ``dragging``, ``arr`` (ARR at
T) and, when the data has them, ``account_name``, ``csm``, ``tier``, ``renewal_date``. An
account renews in the month of its ``renewal_date``; the window is the ``months`` calendar
months after T. Accounts without a renewal date, with one after the window or with one at or
before T (a date not yet rolled forward) are counted apart, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from cs_dashboard.forecast.model import BANDS
from cs_dashboard.months import add_months, from_index, month_index
from cs_dashboard.periods import LENGTHS, period_label, period_start
from cs_dashboard.presets import declare

WATCH_DAYS = declare("watch-list window", 90.0, "days",
                     "The watch list holds the red and yellow renewals in this many days.",
                     "a quarter ahead: time to act before a renewal")
PERIODS: tuple[str, ...] = ("month", "quarter")
SPLITS: tuple[str, ...] = ("band", "tier", "csm")
#: Group name of accounts without a CSM in the CSM split.
NO_CSM = "(no CSM)"
#: Why an account is left out of the months ahead.
APART = {"no_date": "no renewal date", "later": "renews after the window",
         "past": "renewal date at or before the as-of month"}
WATCH_COLUMNS = ("account_id", "account_name", "band", "score", "arr", "renewal_date", "days",
                 "dragging", "csm", "tier")
RED_COLUMNS = ("account_id", "account_name", "tier", "csm", "score", "dragging", "arr",
               "renewal_date")


def month_end(month: dt.date) -> dt.date:
    """The last day of ``month``."""
    return add_months(month, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Renewals:
    """Renewals in the ``months`` calendar months after ``as_of``.

    - ``splits``: ``period`` (month or quarter), ``label`` (``2027-03``, ``2027-Q1``,
      ``2026-Q4 (Dec only)``), ``order`` (month index of the period's first month), ``by``
      (band, tier or csm), ``group``, ``accounts``, ``arr`` (ARR at the as-of month). Every
      period of the window appears for the band and tier splits (zeros included).
    - ``apart``: ``reason`` (no_date, later, past), ``accounts``, ``arr``.
    - ``watch``: red and yellow accounts renewing within ``WATCH_DAYS`` after the as-of
      month's end, red first then by ARR: ``WATCH_COLUMNS`` present (``days`` until renewal).
    - ``red``: every red account at the as-of month, largest ARR first (the what-if's
      candidates): ``RED_COLUMNS`` present.
    """

    as_of: dt.date
    months: int
    splits: pd.DataFrame = field(compare=False)
    apart: pd.DataFrame = field(compare=False)
    watch: pd.DataFrame = field(compare=False)
    red: pd.DataFrame = field(compare=False)
    book_arr: float = 0.0
    book_accounts: int = 0

    @property
    def has_dates(self) -> bool:
        return self.apart.set_index("reason").loc["no_date", "accounts"] < self.book_accounts

    def split(self, period: str = "month", by: str = "band") -> pd.DataFrame:
        """``label``, ``order``, ``group``, ``accounts``, ``arr`` of one period and split."""
        rows = self.splits[(self.splits["period"] == period) & (self.splits["by"] == by)]
        return rows[["label", "order", "group", "accounts", "arr"]].reset_index(drop=True)

    def by_csm(self, period: str = "month") -> pd.DataFrame:
        """ARR renewing per CSM (column ``CSM``), a ``Total`` column, then one column per period
        (named by its label, in time order); largest total first."""
        rows = self.split(period, "csm")
        table = rows.pivot_table(index="group", columns="order", values="arr", aggfunc="sum",
                                 fill_value=0)
        table = table.rename(columns=dict(zip(rows["order"], rows["label"], strict=False)))
        table.insert(0, "Total", table.sum(axis=1))
        return table.sort_values("Total", ascending=False).rename_axis("CSM").reset_index()

    def totals(self, period: str = "month") -> pd.DataFrame:
        """ARR and accounts renewing per period: ``label``, ``order``, ``accounts``, ``arr``."""
        rows = self.split(period, "band")
        return (rows.groupby(["order", "label"], as_index=False)[["accounts", "arr"]].sum()
                [["label", "order", "accounts", "arr"]])

    @property
    def upcoming_arr(self) -> float:
        return float(self.totals()["arr"].sum())

    @property
    def upcoming_accounts(self) -> int:
        return int(self.totals()["accounts"].sum())

    def apart_of(self, reason: str) -> tuple[int, float]:
        row = self.apart.set_index("reason").loc[reason]
        return int(row["accounts"]), float(row["arr"])

    @property
    def groups(self) -> tuple[str, ...]:
        """The splits the data allows (``tier`` and ``csm`` need their columns)."""
        return tuple(dict.fromkeys(self.splits["by"]))


def _groups(frame: pd.DataFrame, by: str) -> pd.Series:
    if by == "csm":
        return frame["csm"].astype(object).where(frame["csm"].notna(), NO_CSM)
    return frame[by].astype(object)


def _group_order(accounts: pd.DataFrame, upcoming: pd.DataFrame, by: str) -> list:
    if by == "band":
        return [b for b in BANDS if b in set(accounts["band"])] or [BANDS[0]]
    if by == "tier":
        tiers = accounts["tier"]
        if isinstance(tiers.dtype, pd.CategoricalDtype):
            return [str(t) for t in tiers.cat.categories]
        return sorted(str(t) for t in tiers.dropna().unique())
    totals = upcoming.groupby(_groups(upcoming, by))["arr"].sum()
    return sorted(totals.index, key=lambda g: (-totals[g], str(g)))


def build_renewals(accounts: pd.DataFrame, as_of: dt.date, months: int,
                   watch_days: float = WATCH_DAYS.value) -> Renewals:
    """``Renewals`` of ``accounts`` (see the module docstring) in the ``months`` calendar
    months after ``as_of``."""
    t = month_index(as_of)
    if "renewal_date" in accounts:
        dates = pd.to_datetime(accounts["renewal_date"], errors="coerce")
    else:
        dates = pd.Series(pd.NaT, index=accounts.index, dtype="datetime64[ns]")
    index = dates.dt.year * 12 + dates.dt.month - 1
    reason = pd.Series("upcoming", index=accounts.index, dtype=object)
    reason[dates.isna()] = "no_date"
    reason[dates.notna() & (index <= t)] = "past"
    reason[dates.notna() & (index > t + months)] = "later"
    apart = pd.DataFrame([{"reason": r, "accounts": int((reason == r).sum()),
                           "arr": float(accounts.loc[reason == r, "arr"].sum())} for r in APART])
    upcoming = accounts[reason == "upcoming"].assign(mi=index[reason == "upcoming"].astype(int))
    window = range(t + 1, t + months + 1)
    parts = []
    for period in PERIODS:
        starts = sorted({period_start(i, period) for i in window})
        labels = {s: period_label(s, period, t + 1, t + months) for s in starts}
        key = upcoming["mi"] // LENGTHS[period] * LENGTHS[period]  # period_start, vectorised
        for by in SPLITS:
            if by != "band" and by not in upcoming.columns:
                continue
            grouped = (upcoming.assign(order=key, group=_groups(upcoming, by))
                       .groupby(["order", "group"])["arr"].agg(["size", "sum"]))
            order = _group_order(accounts, upcoming, by)
            if by == "csm":
                full = grouped.index
            else:
                full = pd.MultiIndex.from_product([starts, order], names=["order", "group"])
            grouped = grouped.reindex(full, fill_value=0).reset_index()
            rank = {g: i for i, g in enumerate(order)}
            grouped = grouped.assign(rank=grouped["group"].map(rank)).sort_values(
                ["order", "rank"], kind="stable")
            parts.append(pd.DataFrame({
                "period": period, "label": grouped["order"].map(labels).to_numpy(),
                "order": grouped["order"].astype(int).to_numpy(), "by": by,
                "group": grouped["group"].astype(str).to_numpy(),
                "accounts": grouped["size"].astype(int).to_numpy(),
                "arr": grouped["sum"].astype(float).to_numpy()}))
    end = pd.Timestamp(month_end(as_of))
    soon = (dates > end) & (dates <= end + pd.Timedelta(days=watch_days))
    watch = accounts[soon & accounts["band"].isin(["red", "yellow"])].assign(
        days=(dates[soon] - end).dt.days)
    watch = watch.assign(_red=(watch["band"] != "red").astype(int)).sort_values(
        ["_red", "arr", "account_id"], ascending=[True, False, True])
    watch = watch[[c for c in WATCH_COLUMNS if c in watch]].reset_index(drop=True)
    red = accounts[accounts["band"] == "red"].sort_values(["arr", "account_id"],
                                                          ascending=[False, True])
    red = red[[c for c in RED_COLUMNS if c in red]].reset_index(drop=True)
    splits = pd.concat(parts, ignore_index=True)
    return Renewals(as_of, int(months), splits, apart, watch, red,
                    float(accounts["arr"].sum()), int(len(accounts)))


def window_label(as_of: dt.date, months: int) -> str:
    """``Dec 2026 – Nov 2027``: the months a renewal window covers."""
    first, last = from_index(month_index(as_of) + 1), add_months(as_of, months)
    return f"{first:%b %Y} – {last:%b %Y}"
