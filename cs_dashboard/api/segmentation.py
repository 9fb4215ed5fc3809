"""Segmentation entry points: tiers, tier table, concentration, migration, grid and Pareto.

Engine first, then hashable arguments (``ui.cache.run``). Tiers are computed over the filtered
accounts at ``as_of``; migration applies the same rule and filters at ``as_of`` - 12 months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from cs_dashboard import api
from cs_dashboard.db import queries
from cs_dashboard.db import segmentation as db_segmentation
from cs_dashboard.filters import Filters
from cs_dashboard.months import add_months, label
from cs_dashboard.segmentation import (
    Concentration,
    Grid,
    Migration,
    ParetoDrawing,
    complexity_potential_grid,
    concentration,
    pareto_by,
    pareto_drawing,
    tier_migration,
    tier_table,
)
from cs_dashboard.tiers import TierRule, TierRuleError, assign_tiers

#: Dimensions the Pareto can be split by, when the accounts table has them.
DIMENSIONS = ("segment", "region", "industry", "csm", "plan")


@dataclass(frozen=True)
class Segmentation:
    """Everything the Segmentation page shows at ``as_of``.

    ``tiered``: ``api.account_tiers`` output plus ``account_name`` when the data has it.
    ``pareto``: what the Pareto chart draws (``segmentation.pareto_drawing``).
    ``migration`` is ``None`` when the data does not reach back 12 months; ``grid`` is ``None``
    without ``complexity`` and ``potential_arr`` columns.
    """

    as_of: dt.date
    rule: TierRule
    tiered: pd.DataFrame
    table: pd.DataFrame
    concentration: Concentration
    migration: Migration | None
    grid: Grid | None
    pareto: ParetoDrawing

    @property
    def empty(self) -> bool:
        return self.tiered.empty


def segmentation(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters(),
                 rule: TierRule = TierRule()) -> Segmentation:
    """Tiers, tier table, concentration, migration vs 12 months earlier and the 3x3 grid."""
    as_of = api.data_month(engine, as_of)
    both = db_segmentation.account_mrr_now_and_then(engine, as_of, filters)
    wanted = ["account_name", "complexity", "potential_arr"] + (["segment"] if rule.rule == "segment"
                                                                 else [])
    attrs = queries.account_attributes(engine, wanted)
    tiered = _tiers(both.rename(columns={"mrr_now": "mrr"}), rule, attrs)
    if "account_name" in attrs:
        names = attrs.set_index("account_id")["account_name"]
        tiered = tiered.assign(account_name=tiered["account_id"].map(names))
    migration = None
    span = queries.month_range(engine)
    if span is not None and add_months(as_of, -12) >= span[0]:
        then = _tiers(both.rename(columns={"mrr_then": "mrr"}), rule, attrs)
        migration = tier_migration(tiered, then)
    return Segmentation(as_of, rule, tiered, tier_table(tiered), concentration(tiered), migration,
                        complexity_potential_grid(tiered, attrs), pareto_drawing(tiered))


def _tiers(account_mrr: pd.DataFrame, rule: TierRule, attrs: pd.DataFrame) -> pd.DataFrame:
    segments = None
    if rule.rule == "segment":
        if "segment" not in attrs:
            raise TierRuleError("the data has no 'segment' column to use as tiers")
        segments = attrs.set_index("account_id")["segment"]
    return assign_tiers(account_mrr[["account_id", "mrr"]], rule, segments)


def dimensions(engine: sa.Engine) -> tuple[str, ...]:
    """The ``DIMENSIONS`` present in the accounts table."""
    present = set(queries.columns(engine).get("accounts", []))
    return tuple(d for d in DIMENSIONS if d in present)


def pareto_by_dimension(engine: sa.Engine, as_of: dt.date, filters: Filters, rule: TierRule,
                        dimension: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``segmentation.pareto_by`` of the filtered accounts at ``as_of`` by ``dimension``."""
    tiered = api.account_tiers(engine, as_of, filters, rule)
    attrs = queries.account_attributes(engine, [dimension])
    if dimension not in attrs:
        raise ValueError(f"the accounts table has no {dimension!r} column")
    return pareto_by(tiered, attrs.set_index("account_id")[dimension])


def tiers_json(engine: sa.Engine, as_of: dt.date, rule: TierRule,
               filters: Filters = Filters()) -> dict:
    """The CLI's JSON: as_of, total_mrr, tiers (accounts, shares, MRR, ARR, floor), accounts
    for 50% and 80% of revenue and the Herfindahl index (a fraction)."""
    tiered = api.account_tiers(engine, as_of, filters, rule)
    figures = concentration(tiered)
    return {
        "as_of": label(as_of),
        "rule": rule.to_json(),
        "total_mrr": round(figures.total_mrr, 2),
        "tiers": tier_rows(tier_table(tiered)),
        "accounts_for_50pct": figures.accounts_for_50pct,
        "accounts_for_80pct": figures.accounts_for_80pct,
        "hhi": figures.to_json()["hhi"],
    }


def tier_rows(table: pd.DataFrame) -> list[dict]:
    """Tier table rows as JSON records (floor ``None`` for an empty tier)."""
    return [{"tier": r.tier, "accounts": int(r.accounts),
             "share_accounts": float(r.share_accounts), "mrr": round(float(r.mrr), 2),
             "arr": round(float(r.arr), 2), "share_mrr": float(r.share_mrr),
             "floor_mrr": None if pd.isna(r.floor_mrr) else float(r.floor_mrr)}
            for r in table.itertuples()]
