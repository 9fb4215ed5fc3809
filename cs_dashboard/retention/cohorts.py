"""Cohort retention tables (``docs/definitions.md``, Cohort retention tables).

Cohort tables are built from monthly-cohort sums (``db.retention.cohort_cells``): counts, MRR
and min(MRR, starting MRR) are additive, so quarterly and yearly cohorts are exact roll-ups of
month cohorts at month ages 3k and 12k. Ratios are fractions (1.02 = 102%); money is monthly
MRR in dollars. Immature cells are NaN, never 0. A quarter or year cohort only partly inside
the data (before W0, or after the as-of month) is labelled with the months it covers
(``periods.period_label``): ``2023-Q4 (Dec only)``, ``2026 (Jan-Nov)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cs_dashboard.months import month_index
from cs_dashboard.periods import LENGTHS, is_partial, period_label, period_start

BASES = ("logo", "net", "gross")
PERIODS = LENGTHS
BASIS_LABELS = {"logo": "Logo retention", "net": "Net revenue retention",
                "gross": "Gross revenue retention"}
#: Numerator and denominator columns of each basis.
_PARTS = {"logo": ("active", "accounts"), "net": ("mrr", "start_mrr"),
          "gross": ("kept", "start_mrr")}
#: Caption sentence for a table with a partly covered cohort (``CohortTable.period_note``).
PARTIAL_COHORT_NOTE = ("A quarter or year only partly inside the data (the data starts "
                       "mid-period, or the period is still running at the as-of month) names "
                       "the months its accounts were acquired in, e.g. 2023-Q4 (Dec only).")


@dataclass(frozen=True)
class CohortTable:
    """A cohort table: rows are cohorts (oldest first), columns ages 0, 1, ... (periods).

    ``ratios``: fractions, NaN where immature. ``amounts``: the numerators (active accounts for
    logo, MRR or kept MRR in dollars for net and gross), NaN where immature. ``sizes``:
    ``accounts`` and ``start_mrr`` per cohort. ``average``: the weighted-average ratio per age
    over the cohorts mature at that age (weights: cohort size for logo, starting MRR for
    revenue); ``average_amount``: the numerator summed over those cohorts. Cohort labels name
    the covered months of a partly covered quarter or year (``2023-Q4 (Dec only)``).
    """

    basis: str
    period: str
    ratios: pd.DataFrame
    amounts: pd.DataFrame
    sizes: pd.DataFrame
    average: pd.Series
    average_amount: pd.Series

    def to_json(self) -> dict:
        cohorts = []
        for key, row in self.ratios.iterrows():
            cohorts.append({"cohort": key, "accounts": int(self.sizes.at[key, "accounts"]),
                            "start_mrr": round(float(self.sizes.at[key, "start_mrr"]), 2),
                            "values": _floats(row)})
        average = {"weights": _PARTS[self.basis][1], "values": _floats(self.average)}
        return {"basis": self.basis, "period": self.period, "cohorts": cohorts,
                "average": average}

    @property
    def period_note(self) -> str:
        """``PARTIAL_COHORT_NOTE`` when a cohort is only partly covered, else ``""``."""
        return PARTIAL_COHORT_NOTE if any(is_partial(c) for c in self.ratios.index) else ""

    def long(self) -> pd.DataFrame:
        """One row per mature cell: cohort, age, ratio, amount (for charts and downloads)."""
        ratios = self.ratios.stack().rename("ratio")
        amounts = self.amounts.stack().rename("amount")
        out = pd.concat([ratios, amounts], axis=1).reset_index()
        out.columns = ["cohort", "age", "ratio", "amount"]
        return out


def _floats(values) -> list[float | None]:
    return [None if np.isnan(v) else float(v) for v in values]


def cohort_table(sizes: pd.DataFrame, cells: pd.DataFrame, as_of: dt.date, basis: str = "net",
                 period: str = "month", *, w0: dt.date | None = None) -> CohortTable:
    """Cohort table of ``basis`` (logo, net, gross) by ``period`` (month, quarter, year).

    In: ``sizes`` (cohort_mi, accounts, start_mrr) and ``cells`` (cohort_mi, age, active,
    mrr, kept) of monthly cohorts. A cell (cohort, age k) is mature when every member
    month-cohort has reached month age ``k x period length`` by ``as_of``. ``w0``, the first
    month of the data, marks a first quarter or year that starts before it; the period
    containing ``as_of`` is marked when it runs on after ``as_of``.
    """
    if basis not in BASES:
        raise ValueError(f"basis must be one of {', '.join(BASES)}")
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    step = PERIODS[period]
    t = month_index(as_of)
    sizes = sizes[sizes["cohort_mi"] <= t]
    if sizes.empty:
        empty = pd.DataFrame()
        return CohortTable(basis, period, empty, empty,
                           pd.DataFrame(columns=["accounts", "start_mrr"]),
                           pd.Series(dtype=float), pd.Series(dtype=float))
    def key(mi: int) -> int:
        return period_start(mi, period)

    sizes = sizes.assign(group=sizes["cohort_mi"].map(key))
    groups = sizes.groupby("group").agg(first_mi=("cohort_mi", "min"), last_mi=("cohort_mi", "max"),
                                        accounts=("accounts", "sum"), start_mrr=("start_mrr", "sum"))
    max_age = (t - int(groups["last_mi"].min())) // step
    ages = list(range(max_age + 1))
    on_step = cells[(cells["age"] % step == 0) & (cells["age"] // step <= max_age)]
    on_step = on_step.assign(group=on_step["cohort_mi"].map(key), k=on_step["age"] // step)
    num_col, den_col = _PARTS[basis]
    numer = (on_step.groupby(["group", "k"])[num_col].sum().unstack("k")
             .reindex(index=groups.index, columns=ages).fillna(0.0).astype(float))
    mature = np.array([[int(last) + k * step <= t for k in ages] for last in groups["last_mi"]])
    numer = numer.where(mature)
    denom = groups[den_col].astype(float)
    ratios = numer.div(denom.where(denom > 0), axis=0)
    first = None if w0 is None else month_index(w0)
    labels = [period_label(int(mi), period, first, t) for mi in groups["first_mi"]]
    for frame in (numer, ratios):
        frame.index = pd.Index(labels, name="cohort")
        frame.columns = pd.Index(ages, name="age")
    weight = pd.DataFrame(np.where(mature, denom.to_numpy()[:, None], 0.0), columns=ages).sum()
    total = numer.sum(axis=0, min_count=1)
    average = (total.to_numpy() / weight.where(weight > 0).to_numpy())
    size_frame = groups[["accounts", "start_mrr"]].set_axis(pd.Index(labels, name="cohort"))
    return CohortTable(basis, period, ratios, numer, size_frame,
                       pd.Series(average, index=pd.Index(ages, name="age")),
                       pd.Series(total.to_numpy(), index=pd.Index(ages, name="age")))


def history_cells(history: pd.DataFrame, accounts: pd.DataFrame | None, as_of: dt.date,
                  w0: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """In-memory reference for ``db.retention.cohort_cells`` on a small account-month frame.

    Used by tests and as the "load everything" comparison in the benchmarks.
    """
    h = history[history["mrr"] > 0].copy()
    h["mi"] = [month_index(pd.Timestamp(m).date()) for m in h["month"]]
    h = h[h["mi"] <= month_index(as_of)]
    first = h.groupby("account_id")["mi"].min().rename("cohort_mi")
    pre = first == month_index(w0)
    if accounts is not None and "customer_since" in accounts:
        since = accounts.set_index("account_id")["customer_since"].reindex(first.index)
        known = since.notna()
        before = pd.to_datetime(since) < pd.Timestamp(w0)
        pre = (known & before) | (~known & pre)
    members = first[~pre]
    h = h[h["account_id"].isin(members.index)].join(members, on="account_id")
    start = h[h["mi"] == h["cohort_mi"]].set_index("account_id")["mrr"].rename("start_mrr")
    h = h.join(start, on="account_id")
    h["age"] = h["mi"] - h["cohort_mi"]
    h["kept"] = np.minimum(h["mrr"], h["start_mrr"])
    cells = (h.groupby(["cohort_mi", "age"]).agg(active=("mrr", "size"), mrr=("mrr", "sum"),
                                                  kept=("kept", "sum")).reset_index())
    sizes = (pd.concat([members, start], axis=1).groupby("cohort_mi")
             .agg(accounts=("start_mrr", "size"), start_mrr=("start_mrr", "sum")).reset_index())
    return sizes, cells
