"""Capacity entry points: the data's book per tier and per CSM, the trailing-12 churn, and the
one result per scenario (``scenario_result``, ``shipped_scenarios``) that the page, the board
pack and the ``capacity`` command present.

Engine first, then hashable arguments, so pages can cache them with ``ui.cache.run``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from cs_dashboard import api
from cs_dashboard.api import retention as api_retention
from cs_dashboard.api import tier_frame
from cs_dashboard.api.health import account_health
from cs_dashboard.capacity import CapacityResult, Scenario, ScenarioSet, evaluate, evaluate_all
from cs_dashboard.capacity.compute import Base
from cs_dashboard.capacity.scenario_json import shipped
from cs_dashboard.db import capacity as q
from cs_dashboard.db.schema import reflect
from cs_dashboard.filters import Filters
from cs_dashboard.health import DEFAULT_BANDS
from cs_dashboard.tiers import TierRule


def current_books(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters(),
                  rule: TierRule = TierRule()) -> pd.DataFrame:
    """Accounts and ARR (annual dollars) per CSM and tier at ``as_of``: columns csm (``None``
    for accounts without a CSM), tier (ordered categorical), accounts, arr."""
    tiered = tier_frame(engine, q.account_books(engine, as_of, filters), rule)
    tiered["csm"] = tiered["csm"].fillna("\0")
    books = (tiered.groupby(["csm", "tier"], observed=True)
             .agg(accounts=("account_id", "size"), arr=("mrr", "sum")).reset_index())
    books["arr"] = books["arr"] * 12
    books["csm"] = books["csm"].replace("\0", None)
    return books


def churn_by_tier(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters(),
                  rule: TierRule = TierRule()) -> pd.DataFrame:
    """Trailing-12 logo churn per tier, each account in the tier it held at T-12 (the same
    figures as ``api.retention.retention_by_tier``). Columns: tier, base_accounts, retained,
    churn (fraction; NaN for an empty tier)."""
    kept = api_retention.retention_by_tier(engine, as_of, filters, rule)
    if kept["base_accounts"].sum() == 0:
        return pd.DataFrame(columns=["tier", "base_accounts", "retained", "churn"])
    return kept.assign(churn=1 - kept["logo"])[["tier", "base_accounts", "retained", "churn"]]


def csm_roster(engine: sa.Engine) -> pd.DataFrame:
    """The CSM roster (``csms`` table): csm, team, role, start_date, hours_per_week, annual_cost."""
    return q.csm_roster(engine)


def base_book(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters(),
              rule: TierRule = TierRule()) -> Base:
    """The book the model starts from: accounts, ARR and trailing-12 churn per tier, and the
    number of CSMs (the roster; with filters, the CSMs who own the filtered accounts).
    ``api.OutsideData`` for a month outside the data."""
    as_of = api.data_month(engine, as_of)
    return book_from(current_books(engine, as_of, filters, rule),
                     churn_by_tier(engine, as_of, filters, rule), q.csm_roster(engine), as_of,
                     bool(filters.active()))


def book_from(books: pd.DataFrame, churn: pd.DataFrame, roster: pd.DataFrame, as_of: dt.date,
              filtered: bool = False) -> Base:
    """``Base`` from ``current_books`` and ``churn_by_tier`` output and the roster."""
    names = tuple(str(c) for c in books["tier"].cat.categories)
    per_tier = books.groupby("tier", observed=False)[["accounts", "arr"]].sum()
    by_tier = churn.set_index("tier")["churn"] if not churn.empty else pd.Series(dtype=float)
    owners = set(books["csm"].dropna())
    return Base(
        tiers=names,
        accounts=tuple(int(per_tier.loc[n, "accounts"]) for n in names),
        arr=tuple(float(per_tier.loc[n, "arr"]) for n in names),
        churn=tuple(None if n not in by_tier or pd.isna(by_tier[n]) else float(by_tier[n]) for n in names),
        csms=len(owners) if filtered or roster.empty else len(roster), as_of=as_of,
    )


def health_mix(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters(),
               weights: tuple = (), bands: tuple = DEFAULT_BANDS) -> pd.DataFrame:
    """Accounts per health band for each CSM at ``as_of`` (``weights`` and ``bands`` as in
    ``api.health``): columns csm, then one column per band (red, yellow, green, unscored);
    empty when the data has no health table."""
    if "health" not in reflect(engine):
        return pd.DataFrame(columns=["csm"])
    scored = account_health(engine, as_of, filters, weights, bands)
    if scored.empty or "csm" not in scored:
        return pd.DataFrame(columns=["csm"])
    scored = scored[scored["csm"].notna()]
    mix = pd.crosstab(scored["csm"].astype(str), scored["band"].astype(str))
    mix = mix.reindex(columns=["red", "yellow", "green", "unscored"], fill_value=0)
    return mix.rename_axis(None, axis=1).reset_index().rename(columns={"index": "csm"})


def scenario_result(engine: sa.Engine, scenario: Scenario, as_of: dt.date, filters: Filters = Filters(),
                    rule: TierRule = TierRule()) -> CapacityResult:
    """``scenario`` run from ``as_of`` on the data's book (``base_book``), or on its own book
    when every tier states its accounts (the database is then not read). ``ScenarioError`` when
    its tiers do not match the tier rule."""
    base = None if scenario.has_portfolio else base_book(engine, as_of, filters, rule)
    return evaluate(scenario, base, as_of)


def shipped_scenarios(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters(),
                      rule: TierRule = TierRule()) -> ScenarioSet:
    """The example scenarios in ``data/scenarios`` run on the data's book at ``as_of`` (those
    that model their own book or do not match the tier rule are left out and named)."""
    return evaluate_all(shipped().values(), base_book(engine, as_of, filters, rule), as_of)
