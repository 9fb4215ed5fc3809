"""Foundation: portfolio KPIs and the ARR trend, aggregated in SQL."""

from __future__ import annotations

from benchmarks.harness import Case
from cs_dashboard import api
from cs_dashboard.db import queries
from cs_dashboard.db.engine import make_engine


def cases(size: int, url: str) -> list[Case]:
    engine = make_engine(url)
    as_of = api.default_as_of(engine)
    return [
        Case("portfolio", "portfolio KPIs (metrics --json)", lambda: api.portfolio_at(engine, as_of),
             target_s=1.0),
        Case("portfolio", "ARR trend by month", lambda: queries.mrr_by_month(engine), target_s=1.0),
    ]
