"""Portfolio KPIs at month T: accounts, MRR/ARR and trailing-12 NRR, GRR, logo retention.

Definitions: ``docs/definitions.md`` (Portfolio at month T). Ratios are fractions (1.02 = 102%).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from cs_dashboard.months import label


@dataclass(frozen=True)
class Portfolio:
    """Portfolio KPIs at ``as_of``; money in dollars, ratios as fractions (``None``: no base)."""

    as_of: dt.date
    accounts: int
    mrr: float
    arr: float
    nrr_12m: float | None
    grr_12m: float | None
    logo_retention_12m: float | None
    base_accounts: int

    def to_json(self) -> dict:
        data = asdict(self)
        data["as_of"] = label(self.as_of)
        return data


def portfolio(totals: dict, as_of: dt.date) -> Portfolio:
    """KPIs from the sums returned by ``db.queries.portfolio_totals``."""
    base_mrr = totals["base_mrr"]
    base_accounts = totals["base_accounts"]
    return Portfolio(
        as_of=as_of,
        accounts=totals["accounts"],
        mrr=round(totals["mrr"], 2),
        arr=round(12 * totals["mrr"], 2),
        nrr_12m=_ratio(totals["base_mrr_now"], base_mrr),
        grr_12m=_ratio(totals["base_mrr_kept"], base_mrr),
        logo_retention_12m=_ratio(totals["base_retained"], base_accounts),
        base_accounts=base_accounts,
    )


def change(current: float | None, prior: float | None) -> float | None:
    """Difference ``current - prior`` (``None`` when either is unknown)."""
    if current is None or prior is None:
        return None
    return current - prior


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None
