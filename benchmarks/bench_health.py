"""Health page: every computation the page runs, aggregated in SQL (target < 1 s each at 200k)."""

from __future__ import annotations

from benchmarks.harness import Case
from cs_dashboard import api
from cs_dashboard.api import health as api_health
from cs_dashboard.db.engine import make_engine
from cs_dashboard.filters import Filters
from cs_dashboard.health import DEFAULT_BANDS
from cs_dashboard.months import add_months


def cases(size: int, url: str) -> list[Case]:
    engine = make_engine(url)
    as_of = api.default_as_of(engine)
    args = (Filters(), (), DEFAULT_BANDS)
    weighted = (Filters(), (("usage", 2.0), ("nps", 0.5)), (65.0, 85.0))

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
             lambda: api_health.account_health(engine, add_months(as_of, -3), *args, False),
             target_s=1.0),
        Case("health", "page tables: scores at T and T-3 + tiers + every per-account view (cached "
             "as one; composite of the three cases above)",
             lambda: api_health.page_tables(engine, as_of, *args), repeat=3, target_s=1.0),
        Case("health", "health --json (CLI: summary + back-test, two queries)",
             lambda: (api_health.health_summary(engine, as_of, *args),
                      api_health.backtest(engine, as_of, None, *args)), repeat=3),
    ]
