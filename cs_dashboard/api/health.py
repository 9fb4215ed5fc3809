"""Health entry points: engine first, hashable arguments (pages cache them with ``cache.run``).

``weights`` is a tuple of ``(component, weight)`` pairs (unlisted components keep the default
weight, a zero weight leaves a component out); ``bands`` is ``(red_below, green_from)``.
Money is annual (ARR = 12 x MRR); fractions stay fractions.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from cs_dashboard import api, health
from cs_dashboard.db import health as db
from cs_dashboard.db.schema import reflect
from cs_dashboard.db.state import AppState
from cs_dashboard.filters import Filters
from cs_dashboard.health import DEFAULT_BANDS, Backtest, HealthInputError, HealthSummary, ScoreSettings, views
from cs_dashboard.months import add_months
from cs_dashboard.tiers import TierRule

#: Default back-test look-back: scores at S = T - 6 months.
BACKTEST_MONTHS = health.Default("back-test look-back (months)", 6.0,
                                 "issue 4: snapshot S defaults to 6 months before the as-of month")


def components(engine: sa.Engine) -> tuple[str, ...]:
    """The health score components the data has (empty without a health table)."""
    return db.components(reflect(engine))


#: App-state key of the score settings saved on the Health page.
SETTINGS_KEY = "health_score"


def saved_settings(state: AppState) -> ScoreSettings:
    """The score settings saved on the Health page (default: equal weights, bands 70 / 85)."""
    body = state.get(SETTINGS_KEY)
    try:
        return ScoreSettings() if body is None else ScoreSettings.from_json(body)
    except HealthInputError:
        return ScoreSettings()


def save_settings(state: AppState, settings: ScoreSettings) -> None:
    """Make ``settings`` the score every page, the board pack and the CLI use."""
    state.set(SETTINGS_KEY, settings.to_json())


def scoring(engine: sa.Engine, settings: ScoreSettings) -> tuple[health.Weights, tuple[float, float]]:
    """``(weights, bands)`` arguments for this data from ``settings`` (weights of components the
    data lacks are dropped)."""
    return settings.weights_for(components(engine)), tuple(settings.bands)


def resolved_weights(engine: sa.Engine, weights: tuple = ()) -> health.Weights:
    """``weights`` checked against the data's components, defaults filled in."""
    return health.resolve_weights(components(engine), weights)


def health_summary(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters(),
                   weights: tuple = (), bands: tuple = DEFAULT_BANDS) -> HealthSummary:
    """Band counts and ARR, unscored accounts and ARR at risk at ``as_of`` (SQL aggregate).

    Accounts active at ``as_of`` are scored from their latest snapshot at or before it; without
    a health table every active account is unscored and ``has_health`` is False.
    """
    tables = reflect(engine)
    bands = health.check_bands(bands)
    resolved = health.resolve_weights(db.components(tables), weights)
    totals = db.band_totals(engine, as_of, filters, resolved, bands)
    return health.summarize(totals, as_of, bands, has_health="health" in tables)


def account_health(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters(),
                   weights: tuple = (), bands: tuple = DEFAULT_BANDS,
                   attributes: bool = True) -> pd.DataFrame:
    """One row per account active at ``as_of`` with components, ``score``, ``band``,
    ``source``, ``dragging``, ``mrr`` and ``arr`` (monthly and annual dollars), ``snapshot``
    and (with ``attributes``) the account attributes (name, CSM, segment, region, renewal
    date)."""
    bands = health.check_bands(bands)
    resolved = resolved_weights(engine, weights)
    rows = db.account_rows(engine, as_of, filters, attributes=attributes)
    return health.score_accounts(rows, resolved, bands)


def band_mix(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters(), weights: tuple = (),
             bands: tuple = DEFAULT_BANDS, snapshots: int = 12) -> pd.DataFrame:
    """Band mix (``snapshot``, ``band``, ``accounts``, ``arr``) over the last ``snapshots``
    snapshot months at or before ``as_of``; every band appears for every month."""
    bands = health.check_bands(bands)
    resolved = resolved_weights(engine, weights)
    months = [m for m in db.snapshot_months(engine) if m <= as_of][-snapshots:]
    mix = db.band_mix(engine, months, filters, resolved, bands)
    full = pd.MultiIndex.from_product([months, [*health.BAND_ORDER, health.UNSCORED]],
                                      names=["snapshot", "band"])
    mix = mix.set_index(["snapshot", "band"]).reindex(full, fill_value=0).reset_index()
    return mix.astype({"accounts": int, "arr": float})


def migration(engine: sa.Engine, start: dt.date, end: dt.date, filters: Filters = Filters(),
              weights: tuple = (), bands: tuple = DEFAULT_BANDS) -> pd.DataFrame:
    """Band migration of accounts active at ``start`` to their band at ``end`` (or churned)."""
    bands = health.check_bands(bands)
    resolved = resolved_weights(engine, weights)
    return db.migration(engine, start, end, filters, resolved, bands)


def default_backtest_snapshot(as_of: dt.date) -> dt.date:
    return add_months(as_of, -int(BACKTEST_MONTHS.value))


def backtest(engine: sa.Engine, as_of: dt.date, snapshot: dt.date | None = None,
             filters: Filters = Filters(), weights: tuple = (),
             bands: tuple = DEFAULT_BANDS) -> tuple[Backtest, pd.DataFrame]:
    """Back-test of scores at ``snapshot`` (default T - 6) against churn by ``as_of``; also the
    ROC curve points (``fpr``, ``tpr``, ``threshold``)."""
    snapshot = snapshot or default_backtest_snapshot(as_of)
    bands = health.check_bands(bands)
    resolved = resolved_weights(engine, weights)
    rows = db.account_rows(engine, snapshot, filters, churn_by=as_of, attributes=False)
    scored = health.score_accounts(rows, resolved, bands)
    result = health.backtest(scored, snapshot, as_of)
    pool = scored[scored["score"].notna()]
    curve = health.roc_curve(100.0 - pool["score"].to_numpy(dtype=float), pool["churned"].to_numpy())
    return result, curve


def snapshot_months(engine: sa.Engine) -> tuple[dt.date, ...]:
    """Months that have health snapshots, ascending."""
    return tuple(db.snapshot_months(engine))


#: Groupings the Health page splits the band mix by, when the data has them.
SPLITS: tuple[str, ...] = ("tier", "segment", "region", "csm")
MEASURES: tuple[str, ...] = ("accounts", "arr")


def band_splits(accounts: pd.DataFrame, present: list[str]) -> dict:
    """``{(by, measure): band shares}`` for every split and measure, one count per split."""
    splits = {}
    for by in present:
        counts = views.band_counts(accounts, by)
        for measure in MEASURES:
            splits[(by, measure)] = views.band_shares(accounts, by, measure, counts=counts)
    return splits


def page_tables(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters(),
                weights: tuple = (), bands: tuple = DEFAULT_BANDS,
                rule: TierRule = TierRule()) -> dict:
    """Every small table the Health page draws at ``as_of``, from one pass over the account
    rows (so a rerun reads them from the cache instead of recomputing from 200k rows).

    Keys: ``bins``, ``risk_tier``, ``risk_quarter``, ``means``, ``drags``, ``watch`` (red
    accounts with the score 3 months earlier), ``unscored``, ``splits`` (``{(by, measure):
    band shares}``) and ``groups`` (``{by: number of groups}``).
    """
    scored = account_health(engine, as_of, filters, weights, bands)
    # the same accounts and MRR as api.account_tiers, without querying them again
    accounts = views.with_tiers(scored, api.tier_frame(engine, scored[["account_id", "mrr"]], rule))
    earlier = account_health(engine, add_months(as_of, -3), filters, weights, bands, False)
    names = [n for n, _ in resolved_weights(engine, weights)]
    scored = accounts[accounts["score"].notna()]
    present = [by for by in SPLITS if by in accounts]
    return {
        "bins": views.score_bins(accounts),
        "risk_tier": views.risk_by(accounts, "tier"),
        "risk_quarter": views.risk_by(accounts, "renewal_quarter"),
        "means": views.component_means(accounts, names) if names else pd.DataFrame(),
        "drags": views.dragging_counts(accounts),
        "watch": views.watch_list(accounts, earlier),
        "unscored": views.unscored(accounts),
        "splits": band_splits(accounts, present),
        "groups": {by: int(scored[by].nunique(dropna=False)) for by in present},
    }
