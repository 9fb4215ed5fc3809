"""Health page: every computation the page runs, aggregated in SQL (target < 1 s each at 200k)."""

from __future__ import annotations

from benchmarks.harness import Case
from cs_dashboard import api
from cs_dashboard.api import health as api_health
from cs_dashboard.db.engine import make_engine
from cs_dashboard.filters import Filters
from cs_dashboard.health import DEFAULT_BANDS, views
from cs_dashboard.months import add_months


def cases(size: int, url: str) -> list[Case]:
    engine = make_engine(url)
    as_of = api.default_as_of(engine)
    args = (Filters(), (), DEFAULT_BANDS)
    weighted = (Filters(), (("usage", 2.0), ("nps", 0.5)), (65.0, 85.0))

    scored = api_health.account_health(engine, as_of, *args)
    tiers = api.account_tiers(engine, as_of)
    earlier = api_health.account_health(engine, add_months(as_of, -3), *args)
    names = api_health.components(engine)

    def page_views():
        """The pure tables behind the charts, from the (cached) per-account rows."""
        accounts = views.with_tiers(scored, tiers)
        return (views.score_bins(accounts), views.band_shares(accounts, "tier"),
                views.risk_by(accounts, "tier"), views.risk_by(accounts, "renewal_quarter"),
                views.component_means(accounts, names),
                views.dragging_counts(accounts), views.watch_list(accounts, earlier))

    return [
        Case("health", "health summary (bands, ARR at risk; Overview tiles)",
             lambda: api_health.health_summary(engine, as_of, *args), target_s=1.0),
        Case("health", "health summary, custom weights and bands",
             lambda: api_health.health_summary(engine, as_of, *weighted), target_s=1.0),
        Case("health", "per-account scores at T (histogram, drivers, watch list)",
             lambda: api_health.account_health(engine, as_of, *args), target_s=1.0),
        Case("health", "band mix over the last 12 snapshots (SQL)",
             lambda: api_health.band_mix(engine, as_of, *args), target_s=1.0),
        Case("health", "band migration T-3 -> T (SQL)",
             lambda: api_health.migration(engine, add_months(as_of, -3), as_of, *args), target_s=1.0),
        Case("health", "back-test S = T-6 (churn by band, exact AUC)",
             lambda: api_health.backtest(engine, as_of, None, *args), target_s=1.0),
        Case("health", "snapshot months", lambda: api_health.snapshot_months(engine), target_s=1.0),
        Case("health", "per-account scores at T-3 (watch-list trend)",
             lambda: api_health.account_health(engine, add_months(as_of, -3), *args), target_s=1.0),
        Case("health", "page tables from cached account rows (bins, splits, risk, drivers, watch list)",
             page_views, target_s=1.0),
        Case("health", "health --json (CLI: summary + back-test, two queries)",
             lambda: (api_health.health_summary(engine, as_of, *args),
                      api_health.backtest(engine, as_of, None, *args)), repeat=3),
    ]
