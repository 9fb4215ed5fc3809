"""Segmentation metrics (docs/definitions.md, Segmentation): pure functions on tiered accounts.

Input everywhere is the output of ``tiers.assign_tiers`` (one row per active account at T with
``account_id``, ``mrr`` (monthly, USD), ``rank``, ``cum_share_mrr``, ``cum_share_accounts`` and
an ordered categorical ``tier``). Map of the parts:

- ``table``: the tier table and the concentration figures (top 10, top 20%, accounts for 50%
  and 80% of revenue, Herfindahl index).
- ``migration``: tiers at T against T-12 under the same rule (higher, same, lower, new, churned).
- ``grid``: the complexity x potential 3x3 grid.
- ``pareto``: the Pareto bar series (aggregated above ``MAX_BARS`` accounts) and the Pareto
  curves per group of another dimension.
"""

from cs_dashboard.segmentation.grid import (
    COMPLEXITY_LEVELS,
    POTENTIAL_LEVELS,
    TOUCH_BY_SCORE,
    Grid,
    complexity_potential_grid,
)
from cs_dashboard.segmentation.migration import MOVEMENTS, Migration, tier_migration
from cs_dashboard.segmentation.pareto import (
    MAX_BARS,
    ParetoDrawing,
    pareto_bars,
    pareto_by,
    pareto_drawing,
)
from cs_dashboard.segmentation.table import Concentration, concentration, tier_table

__all__ = [
    "COMPLEXITY_LEVELS", "MAX_BARS", "MOVEMENTS", "POTENTIAL_LEVELS", "TOUCH_BY_SCORE",
    "Concentration", "Grid", "Migration", "ParetoDrawing", "complexity_potential_grid",
    "concentration", "pareto_bars", "pareto_by", "pareto_drawing", "tier_migration", "tier_table",
]
