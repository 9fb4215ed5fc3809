"""Today's load per CSM: the hours each book demands under a scenario against the hours the
CSM has (``load`` is a fraction: 1.0 = fully booked)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cs_dashboard.capacity.compute import Base, Resolved, available_hours
from cs_dashboard.capacity.presets import BENCHMARK, OVERLOADED, UNDERLOADED
from cs_dashboard.fmt import fmt_count, fmt_money

FLAGS = ("overloaded", "balanced", "underloaded")
#: Benchmarks for accounts per CSM by tier position, for books of up to three tiers.
TOUCH_BENCHMARKS = ("high_touch", "low_touch", "tech_touch")


def flag(load: float) -> str:
    """``overloaded`` above 110% of available hours, ``underloaded`` below 70%."""
    if load > OVERLOADED:
        return "overloaded"
    if load < UNDERLOADED:
        return "underloaded"
    return "balanced"


def csm_loads(books: pd.DataFrame, roster: pd.DataFrame, data_tiers: tuple[str, ...],
              r: Resolved) -> pd.DataFrame:
    """One row per CSM (the roster plus anyone who owns accounts).

    In: ``books`` (csm, tier, accounts, arr: annual dollars) for accounts with a CSM;
    ``roster`` (csm, role, team, hours_per_week; missing columns allowed); ``data_tiers`` the
    data's tier names in order, matched by position to the scenario's tiers. Out: csm, role,
    team, one accounts column per data tier, accounts, arr, hours_demanded and
    hours_available (a year), load (fraction), flag.
    """
    av = r.scenario.availability
    hours = dict(zip(data_tiers, r.hours_per_account, strict=False))
    wide = books.pivot_table(index="csm", columns="tier", values="accounts", aggfunc="sum",
                             fill_value=0, observed=False)
    wide = wide.reindex(columns=list(data_tiers), fill_value=0)
    arr = books.groupby("csm")["arr"].sum()
    people = pd.Index(roster["csm"].astype(str)).union(wide.index.astype(str))
    out = pd.DataFrame({"csm": people})
    for col in ("role", "team"):
        values = roster.set_index("csm")[col] if col in roster else pd.Series(dtype=object)
        out[col] = out["csm"].map(values).fillna("")
    for tier in data_tiers:
        out[tier] = out["csm"].map(wide[tier]).fillna(0).astype(int)
    out["accounts"] = out[list(data_tiers)].sum(axis=1)
    out["arr"] = out["csm"].map(arr).fillna(0.0)
    demand = np.zeros(len(out))
    for tier in data_tiers:
        demand += out[tier].to_numpy() * hours.get(tier, 0.0)
    out["hours_demanded"] = demand
    hpw = roster.set_index("csm")["hours_per_week"] if "hours_per_week" in roster else pd.Series(dtype=float)
    weekly = out["csm"].map(hpw).astype(float).fillna(av.hours_per_week)
    out["hours_available"] = [available_hours(av, h) for h in weekly]
    out["load"] = np.where(out["hours_available"] > 0, demand / out["hours_available"].where(
        out["hours_available"] > 0, 1.0), np.inf)
    out["flag"] = [flag(x) for x in out["load"]]
    return out.sort_values("load", ascending=False, kind="mergesort").reset_index(drop=True)


def most_and_least_loaded(loads: pd.DataFrame, most: int = 25, least: int = 15) -> pd.DataFrame:
    """``loads`` (sorted by load, highest first) when it has at most ``most + least`` rows, else
    its ``most`` highest and ``least`` lowest rows."""
    if len(loads) <= most + least:
        return loads
    return pd.concat([loads.head(most), loads.tail(least)])


def book_holders(books: pd.DataFrame) -> int:
    """CSMs who hold a book: distinct named CSMs in ``books`` (``current_books`` output)."""
    return int(books.loc[books["accounts"] > 0, "csm"].dropna().nunique())


def tier_fte(books: pd.DataFrame) -> dict[str, float]:
    """CSM-equivalents per tier: each named CSM's time split across tiers in proportion to their
    accounts (``books``: csm, tier, accounts; rows without a CSM are left out)."""
    named = books[books["csm"].notna()]
    share = named["accounts"] / named.groupby("csm")["accounts"].transform("sum")
    return share.groupby(named["tier"].astype(str)).sum().to_dict()


def productivity_vs_benchmarks(books: pd.DataFrame, base: Base) -> pd.DataFrame:
    """Accounts and ARR (annual dollars) per CSM today next to the published benchmarks, and
    accounts per CSM by tier for books of up to three tiers (high, low, tech touch).

    Today's ratio, as on the Overview: all active accounts and their ARR divided by the CSMs who
    hold a book (``book_holders``), not by the model's required CSMs. Columns (display
    strings): Measure, Yours, Benchmark, Benchmark figure, Source (with its confidence grade)."""
    csms = max(book_holders(books), 1)
    accounts, arr = sum(base.accounts), sum(base.arr)
    rows = [
        ("Accounts per CSM", fmt_count(accounts / csms), BENCHMARK["accounts_per_csm_survey"], "104"),
        ("Accounts per CSM", fmt_count(accounts / csms), BENCHMARK["accounts_per_csm_rule"], "50"),
        ("ARR per CSM", fmt_money(arr / csms), BENCHMARK["arr_per_csm_rule"], "$2.0M"),
        ("ARR per CSM", fmt_money(arr / csms), BENCHMARK["arr_per_csm_survey"], "$1.7M"),
    ]
    if len(base.tiers) <= len(TOUCH_BENCHMARKS):
        fte = tier_fte(books)
        for i, tier in enumerate(base.tiers):
            b = BENCHMARK[TOUCH_BENCHMARKS[i]]
            per = base.accounts[i] / fte[tier] if fte.get(tier) else float("nan")
            figure = f"{b.value:,.0f}-{b.high:,.0f}" if b.high else f"about {b.value:,.0f}"
            rows.append((f"{tier}: accounts per CSM", fmt_count(per), b, figure))
    return pd.DataFrame([{"Measure": m, "Yours": y, "Benchmark": v, "Benchmark figure": b.name,
                          "Source": f"{b.source} ({b.confidence})"} for m, y, b, v in rows])
