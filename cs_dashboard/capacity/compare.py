"""Scenarios side by side, and the sentences a leader can say out loud about each option (and
about what each cost sums)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cs_dashboard.capacity.analysis import Funded
from cs_dashboard.capacity.compute import Coverage
from cs_dashboard.capacity.model import Team
from cs_dashboard.capacity.result import CapacityResult
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct
from cs_dashboard.months import label


def ratio_label(accounts_per_csm: float) -> str:
    """``1:15`` (one CSM per 15 accounts); one decimal below 100 when the ratio is not whole
    (``1:12.5``)."""
    if accounts_per_csm != accounts_per_csm or accounts_per_csm == float("inf"):
        return "–"
    whole = accounts_per_csm >= 100 or abs(accounts_per_csm - round(accounts_per_csm)) < 0.05
    return f"1:{accounts_per_csm:,.0f}" if whole else f"1:{accounts_per_csm:,.1f}"


def comparison_table(options: list[CapacityResult]) -> pd.DataFrame:
    """Rows = inputs and results, one column per scenario (display strings)."""
    rows: dict[str, list[str]] = {}

    def add(name: str, value: str) -> None:
        rows.setdefault(name, []).append(value)

    for res in options:
        sc, cov, proj = res.scenario, res.coverage, res.projection
        for _, t in cov.tiers.iterrows():
            add(f"{t['tier']}: accounts per CSM", ratio_label(t["accounts_per_csm"]))
            add(f"{t['tier']}: hours per account a year", f"{t['hours_per_account']:,.1f}")
        add("Customer hours per CSM a year", f"{cov.available_hours:,.0f}")
        add("Fully loaded cost per CSM", fmt_money(sc.team.csm_cost))
        add("Required CSMs (exact FTE)", f"{cov.csm_fte:,.1f}")
        add("Required CSMs (whole heads)", fmt_count(cov.csm_heads))
        add("Total CS team (with managers and ops)", fmt_count(cov.total_heads))
        add("CSM cost (FTE × cost per CSM)", fmt_money(cov.csm_cost))
        add("Team cost (whole heads, managers and ops)", fmt_money(cov.team_cost))
        add("Team cost ÷ ARR", fmt_pct(cov.team_cost_share))
        add("ARR per required CSM", fmt_money(cov.arr_per_required_csm))
        add("Accounts per required CSM", fmt_count(cov.accounts_per_required_csm))
        end = proj.months.iloc[-1]
        add(f"CSMs needed in {len(proj.months) - 1} months", fmt_count(end["need_heads"]))
        add("Hires in the plan", fmt_count(len(proj.hires)))
    return pd.DataFrame(rows, index=[res.scenario.name for res in options]).T.rename_axis("").reset_index()


def summary(option: CapacityResult, baseline: CapacityResult) -> str:
    """E.g. "Option B keeps High touch coverage at 1:15 with 24 CSMs (28 in CS) for $1.2M more a
    year than Option A: team cost $4.1M a year, 6.8% of ARR"."""
    sc, cov, base_sc, base_cov = option.scenario, option.coverage, baseline.scenario, baseline.coverage
    top = cov.tiers.iloc[0]
    same = abs(top["accounts_per_csm"] - base_cov.tiers.iloc[0]["accounts_per_csm"]) < 1e-9
    verb = "keeps" if same else "sets"
    diff = cov.team_cost - base_cov.team_cost
    if abs(diff) < 0.5:
        money = f"for the same team cost as {base_sc.name}"
    else:
        money = f"for {fmt_money(abs(diff))} {'more' if diff > 0 else 'less'} a year than {base_sc.name}"
    return (f"{sc.name} {verb} {top['tier']} coverage at {ratio_label(top['accounts_per_csm'])} "
            f"with {fmt_count(cov.csm_heads)} CSMs ({fmt_count(cov.total_heads)} in CS) {money}: "
            f"team cost {fmt_money(cov.team_cost)} a year, {fmt_pct(cov.team_cost_share)} of ARR.")


def standalone(option: CapacityResult) -> str:
    """One option described on its own."""
    sc, cov = option.scenario, option.coverage
    top = cov.tiers.iloc[0]
    return (f"{sc.name}: {top['tier']} at {ratio_label(top['accounts_per_csm'])}, "
            f"{fmt_count(cov.csm_heads)} CSMs ({fmt_count(cov.total_heads)} in CS), "
            f"team cost {fmt_money(cov.team_cost)} a year, {fmt_pct(cov.team_cost_share)} of ARR.")


def team_cost_sum(cov: Coverage, team: Team) -> str:
    """What the team cost adds up, e.g. "18 CSMs × $150.0k + 2 managers × $220.0k + 1 CS ops ×
    $130.0k = $3.3M a year" (roles without anyone left out)."""
    parts = [(cov.csm_heads, "CSM", "CSMs", team.csm_cost),
             (cov.manager_heads, "manager", "managers", team.manager_cost),
             (cov.ops_heads, "CS ops", "CS ops", team.ops_cost)]
    terms = [f"{fmt_count(n)} {one if n == 1 else many} × {fmt_money(cost)}"
             for n, one, many, cost in parts if n]
    return f"{' + '.join(terms) or '0 CSMs'} = {fmt_money(cov.team_cost)} a year"


def team_cost_per_csm_sum(team: Team) -> str:
    """The pro-rata team cost of one CSM FTE in words, e.g. "$160.0k CSM cost + $27.5k manager
    share ($220.0k ÷ 8) + $6.5k CS-ops share ($130.0k ÷ 20) = $194.0k a year"."""
    parts = [f"{fmt_money(team.csm_cost)} CSM cost"]
    if team.csms_per_manager:
        parts.append(f"{fmt_money(team.manager_cost / team.csms_per_manager)} manager share "
                     f"({fmt_money(team.manager_cost)} ÷ {team.csms_per_manager:g})")
    if team.csms_per_ops:
        parts.append(f"{fmt_money(team.ops_cost / team.csms_per_ops)} CS-ops share "
                     f"({fmt_money(team.ops_cost)} ÷ {team.csms_per_ops:g})")
    return f"{' + '.join(parts)} = {fmt_money(team.team_cost_per_csm)} a year"


def churn_tiers_note(tiers_as_of: dt.date) -> str:
    """How measured churn per tier places accounts: "tiers as at 2025-11, the start of the
    trailing-12 period" (``docs/definitions.md``: tiers in look-back figures)."""
    return f"tiers as at {label(tiers_as_of)}, the start of the trailing-12 period"


def budget_verdict(funded: Funded, arr: float, protected_tier: str | None = None) -> str:
    """What a team budget buys in one sentence, e.g. "A team budget of $2.0M a year (5.0% of ARR)
    funds 11.1 CSM FTE with their share of managers and CS operations, 80% of the modelled 13.9."
    ``arr`` in dollars a year; ``protected_tier`` names the tier the budget was asked to protect
    (the sentence says when it could not)."""
    share = fmt_pct(funded.budget / arr if arr else None)
    text = (f"A team budget of {fmt_money(funded.budget)} a year ({share} of ARR) funds "
            f"{funded.funded_fte:,.1f} CSM FTE with their share of managers and CS operations, "
            f"{fmt_pct(funded.funded_share, 0)} of the modelled {funded.required_fte:,.1f}")
    if protected_tier is not None and not funded.protected_kept:
        text += f"; it cannot fully fund {protected_tier}, so every tier is scaled alike"
    return text + "."
