"""The Retention page's Streamlit parts; ``pages/retention.py`` wires them together.

Map of the parts:

- ``choose_scope``: the Tier and Tenure choices and the chart footnote (``Scope``).
- ``tiles``: the four tiles above the tabs.
- ``cohorts``, ``survival``, ``movements``, ``trends``: one module per tab, each with
  ``render(...)`` taking what it shows explicitly.

The numbers come from ``cs_dashboard.api.retention`` and ``cs_dashboard.retention`` (pure).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from cs_dashboard.api import retention as api_retention
from cs_dashboard.api.retention import TIER_RULE_HELP
from cs_dashboard.charts.theme import footnote
from cs_dashboard.db.tiers import TierSpec
from cs_dashboard.fmt import fmt_money, fmt_pct
from cs_dashboard.months import label
from cs_dashboard.retention.movements import KINDS
from cs_dashboard.tiers import TierRule
from cs_dashboard.ui import cache
from cs_dashboard.ui.context import Context
from cs_dashboard.ui.overview import TRAILING

TABS = ("Cohorts", "Survival", "Revenue movements", "NRR / GRR trends")
#: Session State key of the open tab, and the keys of the widgets inside the tabs.
TAB_KEY = "ret_tab"
KEEP = ("ret_basis", "ret_period", "ret_unit", "ret_benchmark", "ret_surv_by", "ret_move_period",
        "ret_move_pick", "ret_tier_metric")
TENURE = {"All accounts": None, "First-year": "first-year", "Tenured": "tenured"}


@dataclass(frozen=True)
class Scope:
    """The page's selection: the saved rule and its tiers, one tier (``None``: all), a tenure
    (``None``: all) and the chart footnote saying so."""

    rule: TierRule
    tiers: TierSpec
    tier: str | None
    tenure: str | None
    note: str

    def args(self) -> tuple:
        """(rule, tier, tenure), as the ``api.retention`` functions take them."""
        return self.rule, self.tier, self.tenure


def choose_scope(ctx: Context, rule: TierRule) -> Scope:
    """The Tier and Tenure choices over the tabs."""
    tiers = cache.run(api_retention.tier_spec, ctx.url, ctx.version, ctx.as_of, ctx.filters, rule)
    left, right = st.columns([2, 3])
    tier_choice = left.selectbox("Tier", ["All tiers", *tiers.names], key="ret_tier",
                                 help=TIER_RULE_HELP)
    tier = None if tier_choice == "All tiers" else tier_choice
    tenure_choice = right.segmented_control(
        "Tenure", list(TENURE), default="All accounts", key="ret_tenure",
        help="First-year: started within the 12 months to the as-of month (pre-window accounts "
             "use their customer_since). Tenured: started earlier.") or "All accounts"
    tenure = TENURE[tenure_choice]
    scope_text = "; ".join(p for p in (ctx.filters.describe(), tier and f"tier: {tier}",
                                       tenure and f"{tenure} accounts") if p)
    return Scope(rule, tiers, tier, tenure, footnote(label(ctx.as_of), ctx.source_label, scope_text))


def tiles(ctx: Context, scope: Scope, trend: pd.DataFrame) -> None:
    """Trailing-12 NRR, GRR and logo retention (the last row of ``trend``) and the month's net
    new MRR."""
    latest = trend.iloc[-1] if len(trend) else None
    columns = st.columns(4)
    for tile, (key, (name, text)) in zip(columns, TRAILING.items(), strict=False):
        tile.metric(name, fmt_pct(None if latest is None else latest[key]), help=text)
    month_bridge = cache.run(api_retention.movement_bridge, ctx.url, ctx.version, ctx.as_of,
                             ctx.filters, "month", 1, None, *scope.args())
    net_new = float(month_bridge[list(KINDS)].sum(axis=1).iloc[-1]) if len(month_bridge) else None
    columns[3].metric("Net new MRR (month)", fmt_money(net_new),
                      help="New + reactivation + expansion + contraction + churn in the as-of "
                           "month.")
