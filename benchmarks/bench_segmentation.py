"""Segmentation: tier computation (< 300 ms at 200k) and the Pareto chart spec (< 2 MB).

The spec size is measured once when the cases are built and reported in the case name; the
case itself times building and serialising the chart.
"""

from __future__ import annotations

import plotly.io as pio

from benchmarks.harness import Case
from cs_dashboard import api
from cs_dashboard.api import segmentation as seg_api
from cs_dashboard.charts.segmentation import pareto_chart
from cs_dashboard.db import segmentation as db_segmentation
from cs_dashboard.db.engine import make_engine
from cs_dashboard.filters import Filters
from cs_dashboard.tiers import TierRule, assign_tiers

SPEC_LIMIT_BYTES = 2_000_000


def cases(size: int, url: str) -> list[Case]:
    engine = make_engine(url)
    as_of = api.default_as_of(engine)
    rule = TierRule()
    account_mrr = db_segmentation.account_mrr_now_and_then(engine, as_of)[["account_id", "mrr_now"]] \
        .rename(columns={"mrr_now": "mrr"})
    result = seg_api.segmentation(engine, as_of, Filters(), rule)

    def spec() -> str:
        return pio.to_json(pareto_chart(result.tiered, result.table), validate=False)

    spec_bytes = len(spec().encode("utf-8"))
    verdict = "under" if spec_bytes < SPEC_LIMIT_BYTES else "OVER"
    return [
        Case("segmentation", "tiers: rank + assign (accounts in memory)",
             lambda: assign_tiers(account_mrr, rule), target_s=0.3),
        Case("segmentation", "tiers: query + rank + assign (page path)",
             lambda: assign_tiers(db_segmentation.account_mrr_now_and_then(engine, as_of)
                                  [["account_id", "mrr_now"]].rename(columns={"mrr_now": "mrr"}),
                                  rule), target_s=0.3),
        Case("segmentation", "tiers: api.account_tiers (shared entry point)",
             lambda: api.account_tiers(engine, as_of, Filters(), rule), target_s=0.3),
        Case("segmentation", "page result: tiers, table, migration, grid",
             lambda: seg_api.segmentation(engine, as_of, Filters(), rule), repeat=3, target_s=1.0),
        Case("segmentation", f"Pareto chart spec {spec_bytes:,} bytes ({verdict} 2 MB): build",
             spec, repeat=3),
    ]
