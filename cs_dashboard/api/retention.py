"""Retention entry points: revenue bridge, cohort tables, trailing-12 trends, survival.

Engine first, then hashable arguments (dates, strings, ``Filters``, ``TierRule``), so pages
cache them with ``ui.cache.run``. A ``tier`` restricts to one tier of the saved rule, held at
the start of the period measured (``docs/definitions.md``, Tiers in look-back figures): at
T-12 for trailing-12 figures, at the first active month for cohorts and survival, at the
start of the bridge for movements. The database applies the rule month by month
(``db.tiers``), so a tier filter never ships account ids to it. ``tenure`` is
``"first-year"`` (started within the 12 months to T) or ``"tenured"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa

from cs_dashboard import api
from cs_dashboard.db import movements as db_movements
from cs_dashboard.db import queries
from cs_dashboard.db import retention as db_retention
from cs_dashboard.db.retention import Scope
from cs_dashboard.db.tiers import TierSpec
from cs_dashboard.filters import Filters
from cs_dashboard.months import add_months, from_index, label, month_index
from cs_dashboard.portfolio import Portfolio
from cs_dashboard.retention import (
    CohortTable,
    SurvivalResult,
    bridge,
    cohort_table,
    kaplan_meier,
    trailing_retention,
)
from cs_dashboard.tiers import TierRule

#: How every per-tier retention figure places accounts (docs/definitions.md).
TIER_RULE_HELP = ("Tiers of the rule saved on the Segmentation page, held at the start of the "
                  "period measured: 12 months before for trailing-12 figures, the first active "
                  "month for cohorts and survival, the month before the bridge starts for "
                  "revenue movements (never the tier now, which would flatter the top tier).")
TIER_TREND_CAPTION = ("Each month's trailing-12 figure places accounts in the tier they held 12 "
                      "months earlier, at the start of the period measured.")
TIER_SURVIVAL_CAPTION = ("Accounts are placed in the tier they held in their first active month "
                         "in the data, ranked among the accounts active that month.")

#: Account attributes survival can be grouped by (besides ``tier``).
GROUP_COLUMNS = ("segment", "region", "industry", "plan", "csm")


def survival_groups(present: Iterable[str]) -> dict[str, str | None]:
    """The groupings ``survival`` accepts for accounts with the columns ``present``, by label:
    all accounts together, tier, then each of ``GROUP_COLUMNS`` the data has."""
    groups: dict[str, str | None] = {"All accounts": None, "Tier": "tier"}
    groups.update({("CSM" if c == "csm" else c.capitalize()): c for c in GROUP_COLUMNS
                   if c in set(present)})
    return groups


def window(engine: sa.Engine) -> tuple[dt.date, dt.date]:
    """(W0, latest month) of the revenue data; raises ``api.NoData`` when there is none."""
    return api.data_window(engine)


def window_at(engine: sa.Engine, as_of: dt.date | None) -> tuple[dt.date, dt.date]:
    """(W0, the as-of month): ``as_of`` defaults to the latest month and is refused with
    ``api.OutsideData`` outside the data."""
    return window(engine)[0], api.data_month(engine, as_of)


def tier_spec(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters(),
              rule: TierRule = TierRule()) -> TierSpec:
    """The saved rule as SQL applies it at any month; its tier names in order (for the segment
    rule, the segments ordered by median MRR at ``as_of``)."""
    if rule.rule != "segment":
        return TierSpec(rule, tuple(rule.names))
    tiers = api.account_tiers(engine, as_of, filters, rule)
    return TierSpec(rule, tuple(str(c) for c in tiers["tier"].cat.categories))


def scope(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters(),
          rule: TierRule = TierRule(), tier: str | None = None, tenure: str | None = None,
          with_tiers: bool = False) -> Scope:
    """The accounts a retention query covers (the tier rule resolved only when needed)."""
    spec = tier_spec(engine, as_of, filters, rule) if tier or with_tiers else None
    return Scope(filters, spec, tier, tenure)


def movement_bridge(engine: sa.Engine, as_of: dt.date | None = None, filters: Filters = Filters(),
                    period: str = "month", months: int = 12, first: dt.date | None = None,
                    rule: TierRule = TierRule(), tier: str | None = None,
                    tenure: str | None = None) -> pd.DataFrame:
    """The MRR bridge (``movements.bridge``) for the ``months`` months to ``as_of``, or from
    ``first``; never before the second month of data (the first has nothing to compare to).
    Quarterly bridges start at a quarter boundary."""
    w0, as_of = window_at(engine, as_of)
    first = api.data_month(engine, first) if first else add_months(as_of, -months + 1)
    if period == "quarter":
        first = from_index(month_index(first) // 3 * 3)
    first = max(first, add_months(w0, 1))
    if first > as_of:
        return bridge(pd.DataFrame(), as_of, add_months(as_of, -1), period)
    sums = db_movements.movement_sums(engine, first, as_of, w0,
                                      scope(engine, as_of, filters, rule, tier, tenure))
    return bridge(sums, first, as_of, period)


def cohorts(engine: sa.Engine, as_of: dt.date | None = None, basis: str = "net",
            period: str = "month", filters: Filters = Filters(), rule: TierRule = TierRule(),
            tier: str | None = None, tenure: str | None = None) -> CohortTable:
    """Cohort table of ``basis`` by ``period`` at ``as_of`` (pre-window accounts left out)."""
    w0, as_of = window_at(engine, as_of)
    sizes, cells = db_retention.cohort_cells(engine, as_of, w0,
                                             scope(engine, as_of, filters, rule, tier, tenure))
    return cohort_table(sizes, cells, as_of, basis, period, w0=w0)


def trends(engine: sa.Engine, as_of: dt.date | None = None, filters: Filters = Filters(),
           rule: TierRule = TierRule(), by_tier: bool = False, months: int = 24,
           tier: str | None = None, tenure: str | None = None) -> pd.DataFrame:
    """Trailing-12 NRR, GRR and logo retention for the ``months`` months to ``as_of``.

    Columns: ``month``, ``nrr``, ``grr``, ``logo`` (fractions) and the sums behind them; with
    ``by_tier`` one row per month and ``tier`` (ordered categorical).
    """
    w0, as_of = window_at(engine, as_of)
    sc = scope(engine, as_of, filters, rule, tier, tenure, with_tiers=by_tier)
    sums = db_retention.trailing_sums(engine, as_of, w0, months, sc, "tier" if by_tier else None)
    out = trailing_retention(sums)
    if by_tier:
        names = list(sc.tiers.names) if sc.tiers else []
        out = out[out["key"].notna()]
        out.insert(1, "tier", pd.Categorical.from_codes(out["key"].astype(int), names, ordered=True))
        out = out.drop(columns="key")
    return out.drop(columns="mi").reset_index(drop=True)


def retention_by_tier(engine: sa.Engine, as_of: dt.date | None = None,
                      filters: Filters = Filters(), rule: TierRule = TierRule(),
                      tenure: str | None = None) -> pd.DataFrame:
    """Trailing-12 NRR, GRR and logo retention at ``as_of`` per tier, each account in the tier
    it held at T-12 (the start of the period). One row per tier, tier 1 first, empty tiers
    included: ``tier`` (str), ``base_accounts``, ``retained``, ``base_mrr``, ``now_mrr``,
    ``kept_mrr`` (monthly dollars) and ``nrr``, ``grr``, ``logo`` (fractions, NaN for an empty
    base). The one source of every per-tier trailing-12 figure (Retention, Capacity, CLI)."""
    w0, as_of = window_at(engine, as_of)
    names = list(tier_spec(engine, as_of, filters, rule).names)
    by_tier = trends(engine, as_of, filters, rule, by_tier=True, months=1, tenure=tenure)
    out = by_tier.assign(tier=by_tier["tier"].astype(str)).set_index("tier").reindex(names)
    counts = ["base_accounts", "retained"]
    out[counts] = out[counts].fillna(0).astype(int)
    for col in ("base_mrr", "now_mrr", "kept_mrr"):
        out[col] = out[col].fillna(0.0)
    cols = ["base_accounts", "retained", "base_mrr", "now_mrr", "kept_mrr", "nrr", "grr", "logo"]
    return out[cols].rename_axis("tier").reset_index()


def retention_by_tier_json(engine: sa.Engine, as_of: dt.date | None = None,
                           filters: Filters = Filters(), rule: TierRule = TierRule()) -> dict:
    """``retention_by_tier`` for the CLI: ``tiers_as_of`` (T-12, where tiers are taken) and one
    record per tier with ``base_accounts``, ``retained``, ``base_mrr`` (monthly dollars) and
    ``nrr_12m``, ``grr_12m``, ``logo_retention_12m`` (fractions; ``None`` for an empty base)."""
    as_of = api.data_month(engine, as_of)
    table = retention_by_tier(engine, as_of, filters, rule)

    def ratio(value: float) -> float | None:
        return None if pd.isna(value) else float(value)

    return {"tiers_as_of": label(add_months(as_of, -12)),
            "tiers": [{"tier": r.tier, "base_accounts": int(r.base_accounts),
                       "retained": int(r.retained), "base_mrr": round(float(r.base_mrr), 2),
                       "nrr_12m": ratio(r.nrr), "grr_12m": ratio(r.grr),
                       "logo_retention_12m": ratio(r.logo)} for r in table.itertuples()]}


def nrr_by_csm(engine: sa.Engine, as_of: dt.date | None = None, filters: Filters = Filters(),
               rule: TierRule = TierRule(), tier: str | None = None,
               tenure: str | None = None) -> pd.DataFrame:
    """Trailing-12 NRR, GRR and logo retention at ``as_of`` per CSM (the account's current
    CSM; ``(no CSM)`` when empty), largest base first."""
    w0, as_of = window_at(engine, as_of)
    tables = list(queries.columns(engine).get("accounts", []))
    if "csm" not in tables:
        return pd.DataFrame(columns=["csm", "base_accounts", "base_mrr", "nrr", "grr", "logo"])
    sums = db_retention.trailing_sums(engine, as_of, w0, 1,
                                      scope(engine, as_of, filters, rule, tier, tenure), "csm")
    out = trailing_retention(sums)
    out["csm"] = out.pop("key").fillna("(no CSM)").astype(str)
    cols = ["csm", "base_accounts", "base_mrr", "now_mrr", "kept_mrr", "nrr", "grr", "logo"]
    return out[cols].sort_values(["base_mrr", "csm"], ascending=[False, True]).reset_index(drop=True)


def survival(engine: sa.Engine, as_of: dt.date | None = None, filters: Filters = Filters(),
             by: str | None = None, rule: TierRule = TierRule(), tier: str | None = None,
             tenure: str | None = None) -> SurvivalResult:
    """Kaplan-Meier logo survival at ``as_of``, one curve per ``by`` value (``tier`` or an
    account column in ``GROUP_COLUMNS``), one curve named "All" without ``by``."""
    w0, as_of = window_at(engine, as_of)
    if by is not None and by != "tier":
        present = queries.columns(engine).get("accounts", [])
        if by not in GROUP_COLUMNS or by not in present:
            raise ValueError(f"cannot group by {by!r}; the data has "
                             f"{', '.join(c for c in GROUP_COLUMNS if c in present) or 'no columns'}")
    sc = scope(engine, as_of, filters, rule, tier, tenure, with_tiers=by == "tier")
    lives = db_retention.lifetime_counts(engine, as_of, w0, sc, by)
    if by == "tier":
        names = list(sc.tiers.names) if sc.tiers else []
        lives = lives[lives["group"].notna()]
        lives["group"] = pd.Categorical.from_codes(lives["group"].astype(int), names, ordered=True)
    elif by is not None:
        lives["group"] = lives["group"].fillna(f"(no {by})").astype(str)
    return kaplan_meier(lives)


def average_acv(engine: sa.Engine, as_of: dt.date | None = None,
                filters: Filters = Filters()) -> float | None:
    """Average annual contract value at ``as_of``: ARR / active accounts (dollars a year)."""
    result = api.portfolio_at(engine, as_of, filters)
    return result.arr / result.accounts if result.accounts else None


def csm_coverage(engine: sa.Engine, as_of: dt.date | None = None,
                 filters: Filters = Filters()) -> dict:
    """CSMs covering the active accounts at ``as_of`` (distinct ``csm`` values), accounts and
    ARR per CSM. Keys: ``csms``, ``accounts_per_csm``, ``arr_per_csm`` (``None`` without CSMs)."""
    as_of = api.data_month(engine, as_of)
    return coverage(db_retention.active_csms(engine, as_of, filters),
                    api.portfolio_at(engine, as_of, filters))


def coverage(csms: int, book: Portfolio) -> dict:
    """``csm_coverage`` from the number of CSMs with active accounts and the portfolio at the
    same month and filters (for a caller that has the portfolio already)."""
    return {"as_of": label(book.as_of), "csms": csms,
            "accounts_per_csm": book.accounts / csms if csms else None,
            "arr_per_csm": book.arr / csms if csms else None}
