"""Health entry points: engine first, hashable arguments (pages cache them with ``cache.run``).

``weights`` is a tuple of ``(component, weight)`` pairs (unlisted components keep the default
weight, a zero weight leaves a component out); ``bands`` is ``(red_below, green_from)``.
Money is annual (ARR = 12 x MRR); fractions stay fractions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import sqlalchemy as sa

from cs_dashboard import api, health
from cs_dashboard.db import health as db
from cs_dashboard.db import queries
from cs_dashboard.db.schema import reflect
from cs_dashboard.db.state import AppState
from cs_dashboard.filters import Filters
from cs_dashboard.health import (
    DEFAULT_BANDS,
    Backtest,
    HealthInputError,
    HealthReport,
    HealthSummary,
    ScoreSettings,
    views,
)
from cs_dashboard.months import add_months
from cs_dashboard.presets import declare
from cs_dashboard.tiers import TierRule

#: The Health page compares its tiles and the watch list's scores with this many months earlier.
COMPARE_MONTHS = declare("health comparison window", 3.0, "months",
                         "The Health page compares its tiles and the watch list's scores with "
                         "this many months earlier.",
                         "a quarter: long enough for a score to move, short enough to act")
#: Default back-test look-back: scores at S = T - 6 months.
BACKTEST_MONTHS = declare("back-test look-back", 6.0, "months",
                          "The back-test scores accounts at this many months before the as-of "
                          "month by default.",
                          "docs/definitions.md, Health: snapshot S = T - 6 months by default")


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


def save_settings(state: AppState, settings: ScoreSettings, who: str | None = None) -> None:
    """Make ``settings`` the score every page, the board pack and the CLI use; ``who``: record
    the change (old and new settings) in the audit trail."""
    old = state.get(SETTINGS_KEY)
    state.set(SETTINGS_KEY, settings.to_json())
    if who is not None:
        state.record(who, "health score", {"old": old, "new": settings.to_json()})


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
    return health_summaries(engine, (as_of,), filters, weights, bands)[0]


def health_summaries(engine: sa.Engine, months: Sequence[dt.date], filters: Filters = Filters(),
                     weights: tuple = (), bands: tuple = DEFAULT_BANDS) -> list[HealthSummary]:
    """``health_summary`` at each of ``months``, in order, from one query (one pass over the
    health rows, which is most of the cost: the Overview compares two months)."""
    months = [api.data_month(engine, m) for m in months]
    tables = reflect(engine)
    bands = health.check_bands(bands)
    resolved = health.resolve_weights(db.components(tables), weights)
    mix = db.band_mix(engine, months, filters, resolved, bands)
    has_health = "health" in tables
    return [health.summarize(mix[mix["month"] == m].drop(columns="month"), m, bands, has_health)
            for m in months]


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


#: Months of the band-mix trend: the last 12 calendar months of the data at or before T.
MIX_MONTHS = 12


def mix_months(engine: sa.Engine, as_of: dt.date, months: int = MIX_MONTHS) -> tuple[dt.date, ...]:
    """The last ``months`` calendar months of the revenue data at or before ``as_of``, ascending
    (every month, with or without snapshots; none before the data's first month)."""
    span = queries.month_range(engine)
    first = span[0] if span else as_of
    return tuple(m for m in (add_months(as_of, k - months + 1) for k in range(months)) if m >= first)


def band_mix(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters(), weights: tuple = (),
             bands: tuple = DEFAULT_BANDS, months: int = MIX_MONTHS) -> pd.DataFrame:
    """Band mix over the last ``months`` calendar months of the data at or before ``as_of``:
    ``month``, ``band``, ``accounts``, ``arr``, ``share_accounts``, ``share_arr``; every band in
    every month.

    Each month counts every account active that month (after filters), scored from its latest
    snapshot at or before that month (unscored when it has none): the rule of
    ``health_summary``, so the last month equals ``health_summary(as_of)`` exactly.
    """
    bands = health.check_bands(bands)
    resolved = resolved_weights(engine, weights)
    return _mix(engine, mix_months(engine, as_of, months), filters, resolved, bands)


def _mix(engine: sa.Engine, months: tuple[dt.date, ...], filters: Filters, weights: health.Weights,
         bands: tuple[float, float]) -> pd.DataFrame:
    return health.complete_mix(db.band_mix(engine, months, filters, weights, bands), months)


def health_report(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters(),
                  weights: tuple = (), bands: tuple = DEFAULT_BANDS, rule: TierRule = TierRule(),
                  months: int = MIX_MONTHS) -> HealthReport:
    """Every health figure at ``as_of`` that the Health page, the board pack and the ``health``
    command show, computed once: the summary (band counts and ARR, ARR at risk), accounts and
    ARR by tier (``rule`` at ``as_of``) and band, the band mix over the last ``months`` months
    with its shares, the weights used and the thresholds. Raises ``HealthInputError`` for bad
    weights or bands, ``TierRuleError`` for a rule the data cannot follow and
    ``api.OutsideData`` for a month outside the data."""
    as_of = api.data_month(engine, as_of)
    tables = reflect(engine)
    bands = health.check_bands(bands)
    resolved = health.resolve_weights(db.components(tables), weights)
    mix = _mix(engine, mix_months(engine, as_of, months), filters, resolved, bands)
    accounts = db.scored_accounts(engine, as_of, filters, resolved, bands)
    tiers = api.tier_frame(engine, accounts[["account_id", "mrr"]], rule)
    by_tier = health.tier_bands(views.with_tiers(accounts, tiers))
    return health.build_report(mix, by_tier, as_of, bands, resolved, has_health="health" in tables)


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
    as_of = api.data_month(engine, as_of)
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

    Keys: ``bins``, ``risk_quarter``, ``means``, ``drags``, ``watch`` (red accounts with the
    score 3 months earlier), ``unscored``, ``splits`` (``{(by, measure): band shares}``) and
    ``groups`` (``{by: number of groups}``). The figures the board pack and the CLI also show
    (band totals, ARR at risk by tier, the band mix) are in ``health_report``.
    """
    scored = account_health(engine, as_of, filters, weights, bands)
    # the same accounts and MRR as api.account_tiers, without querying them again
    accounts = views.with_tiers(scored, api.tier_frame(engine, scored[["account_id", "mrr"]], rule))
    earlier = account_health(engine, add_months(as_of, -int(COMPARE_MONTHS.value)), filters,
                             weights, bands, False)
    names = [n for n, _ in resolved_weights(engine, weights)]
    scored = accounts[accounts["score"].notna()]
    present = [by for by in SPLITS if by in accounts]
    return {
        "bins": views.score_bins(accounts),
        "risk_quarter": views.risk_by(accounts, "renewal_quarter"),
        "means": views.component_means(accounts, names) if names else pd.DataFrame(),
        "drags": views.dragging_counts(accounts),
        "watch": views.watch_list(accounts, earlier),
        "unscored": views.unscored(accounts),
        "splits": band_splits(accounts, present),
        "groups": {by: int(scored[by].nunique(dropna=False)) for by in present},
    }
