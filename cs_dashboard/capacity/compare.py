"""Scenarios side by side, and the sentence a leader can say out loud about each option."""

from __future__ import annotations

import pandas as pd

from cs_dashboard.capacity.analysis import Funded
from cs_dashboard.capacity.compute import Coverage
from cs_dashboard.capacity.model import Scenario
from cs_dashboard.capacity.projection import Projection
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct


def ratio_label(accounts_per_csm: float) -> str:
    """``1:15`` (one CSM per 15 accounts); one decimal below 100 when the ratio is not whole
    (``1:12.5``)."""
    if accounts_per_csm != accounts_per_csm or accounts_per_csm == float("inf"):
        return "–"
    whole = accounts_per_csm >= 100 or abs(accounts_per_csm - round(accounts_per_csm)) < 0.05
    return f"1:{accounts_per_csm:,.0f}" if whole else f"1:{accounts_per_csm:,.1f}"


def comparison_table(options: list[tuple[Scenario, Coverage, Projection]]) -> pd.DataFrame:
    """Rows = inputs and results, one column per scenario (display strings)."""
    rows: dict[str, list[str]] = {}

    def add(label: str, value: str) -> None:
        rows.setdefault(label, []).append(value)

    for sc, cov, proj in options:
        for _, t in cov.tiers.iterrows():
            add(f"{t['tier']}: accounts per CSM", ratio_label(t["accounts_per_csm"]))
            add(f"{t['tier']}: hours per account a year", f"{t['hours_per_account']:,.1f}")
        add("Customer hours per CSM a year", f"{cov.available_hours:,.0f}")
        add("CSM cost (fully loaded)", fmt_money(sc.team.csm_cost))
        add("Required CSMs (exact FTE)", f"{cov.csm_fte:,.1f}")
        add("Required CSMs (whole heads)", fmt_count(cov.csm_heads))
        add("Total CS team (with managers and ops)", fmt_count(cov.total_heads))
        add("Annual cost", fmt_money(cov.annual_cost))
        add("CS cost / ARR", fmt_pct(cov.cost_share))
        add("ARR per CSM", fmt_money(cov.arr_per_csm))
        add("Accounts per CSM", fmt_count(cov.accounts_per_csm))
        end = proj.months.iloc[-1]
        add(f"CSMs needed in {len(proj.months) - 1} months", fmt_count(end["need_heads"]))
        add("Hires in the plan", fmt_count(len(proj.hires)))
    return pd.DataFrame(rows, index=[sc.name for sc, _, _ in options]).T.rename_axis("").reset_index()


def summary(option: tuple[Scenario, Coverage], baseline: tuple[Scenario, Coverage]) -> str:
    """E.g. "Option B keeps High touch coverage at 1:15 with 24 CSMs for $1.2M more a year than
    Option A, 6.8% of ARR"."""
    (sc, cov), (base_sc, base_cov) = option, baseline
    top = cov.tiers.iloc[0]
    same = abs(top["accounts_per_csm"] - base_cov.tiers.iloc[0]["accounts_per_csm"]) < 1e-9
    verb = "keeps" if same else "sets"
    diff = cov.annual_cost - base_cov.annual_cost
    if abs(diff) < 0.5:
        money = f"for the same cost as {base_sc.name}"
    else:
        money = f"for {fmt_money(abs(diff))} {'more' if diff > 0 else 'less'} a year than {base_sc.name}"
    return (f"{sc.name} {verb} {top['tier']} coverage at {ratio_label(top['accounts_per_csm'])} "
            f"with {fmt_count(cov.csm_heads)} CSMs ({fmt_count(cov.total_heads)} in CS) {money}: "
            f"{fmt_money(cov.annual_cost)} a year, {fmt_pct(cov.cost_share)} of ARR.")


def standalone(sc: Scenario, cov: Coverage) -> str:
    """One option described on its own."""
    top = cov.tiers.iloc[0]
    return (f"{sc.name}: {top['tier']} at {ratio_label(top['accounts_per_csm'])}, "
            f"{fmt_count(cov.csm_heads)} CSMs ({fmt_count(cov.total_heads)} in CS), "
            f"{fmt_money(cov.annual_cost)} a year, {fmt_pct(cov.cost_share)} of ARR.")


def budget_verdict(funded: Funded, arr: float, protected_tier: str | None = None) -> str:
    """What a budget buys in one sentence, e.g. "$2.0M a year (5.0% of ARR) funds 11.1 CSM FTE,
    80% of the modelled 13.9." ``arr`` in dollars a year; ``protected_tier`` names the tier the
    budget was asked to protect (the sentence says when it could not)."""
    text = (f"{fmt_money(funded.budget)} a year ({fmt_pct(funded.budget / arr if arr else None)} of ARR) "
            f"funds {funded.funded_fte:,.1f} CSM FTE, {fmt_pct(funded.funded_share, 0)} of the modelled "
            f"{funded.required_fte:,.1f}")
    if protected_tier is not None and not funded.protected_kept:
        text += f"; it cannot fully fund {protected_tier}, so every tier is scaled alike"
    return text + "."
