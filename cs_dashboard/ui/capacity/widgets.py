"""The working scenario lives in session state under ``cap_*`` keys; these move it in and out.

``put`` writes a scenario into the widgets (in callbacks or before the widgets are drawn);
``from_widgets`` reads it back after the Assumptions tab has drawn them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cs_dashboard.capacity import Activity, Availability, Base, Growth, Scenario, Team, TierPlan
from cs_dashboard.capacity.working import DEFAULT_ACTIVITY, activities_from_rows, default_scenario, misfit

MODES = {"ratio": "Accounts per CSM", "hours": "Hours per account"}
GROWTH = {"logos": "New logos per month", "rate": "Net annual growth rate"}
ACTIVITY_COLUMNS = ["activity", "times_per_year", "hours_each"]


def activity_table(tier: TierPlan) -> pd.DataFrame:
    """The tier's activities as the editable table (a default check-in row when it has none)."""
    acts = tier.activities or (DEFAULT_ACTIVITY,)
    return pd.DataFrame([(a.name, float(a.times_per_year), float(a.hours_each)) for a in acts],
                        columns=ACTIVITY_COLUMNS)


def put(sc: Scenario, base: Base) -> None:
    """Write ``sc`` into the widgets; what it leaves open comes from ``base`` when the tiers fit."""
    state = st.session_state
    for key in [k for k in state if str(k).startswith("cap_t")]:
        del state[key]
    state["cap_tiers"] = [t.name for t in sc.tiers]
    state["cap_name"] = sc.name
    state["cap_source"] = sc.source
    state["cap_description"] = sc.description
    state["cap_own_book"] = sc.has_portfolio
    data_fits = len(base.tiers) == len(sc.tiers)
    for i, t in enumerate(sc.tiers):
        state[f"cap_t{i}_mode"] = MODES[t.mode]
        state[f"cap_t{i}_ratio"] = float(t.accounts_per_csm)
        state[f"cap_t{i}_acts_base"] = activity_table(t)
        state[f"cap_t{i}_unplanned"] = t.unplanned_share * 100
        data_churn = base.churn[i] if data_fits and base.churn[i] is not None else 0.0
        state[f"cap_t{i}_churn"] = round((t.churn if t.churn is not None else data_churn) * 100, 1)
        state[f"cap_t{i}_logos"] = float(t.new_logos_per_month)
        state[f"cap_t{i}_accounts"] = float(t.accounts if t.accounts is not None else
                                            (base.accounts[i] if data_fits else 0))
        state[f"cap_t{i}_arr"] = float(t.arr if t.arr is not None else (base.arr[i] if data_fits else 0))
    av, team, g = sc.availability, sc.team, sc.growth
    state.update({
        "cap_weeks": float(av.weeks), "cap_hpw": float(av.hours_per_week), "cap_timeoff": av.time_off * 100,
        "cap_noncust": av.non_customer_share * 100, "cap_gain": av.productivity_gain * 100,
        "cap_csm_cost": float(team.csm_cost), "cap_per_mgr": float(team.csms_per_manager),
        "cap_mgr_cost": float(team.manager_cost), "cap_per_ops": float(team.csms_per_ops),
        "cap_ops_cost": float(team.ops_cost), "cap_per_tier_ceil": team.per_tier_ceil,
        "cap_growth_mode": GROWTH[g.mode], "cap_growth_rate": g.annual_growth_rate * 100,
        "cap_upgrade": g.upgrade_share * 100, "cap_attrition": g.attrition * 100,
        "cap_tth": int(g.time_to_hire), "cap_ramp": int(g.ramp_months), "cap_horizon": int(g.horizon),
        "cap_current": float(sc.current_csms if sc.current_csms is not None else base.csms),
    })


def load_into_widgets(sc: Scenario, base: Base, what: str) -> None:
    """``put`` a loaded scenario unless it cannot run on the data; say which in ``cap_msg``."""
    problem = None if sc.has_portfolio else misfit(sc, base)
    if problem:
        st.session_state["cap_msg"] = ("error", f"Could not load {what}: {problem}")
        return
    put(sc, base)
    st.session_state["cap_msg"] = ("success", f"Loaded {what}.")


def sync(base: Base) -> None:
    """Start from the default scenario, or let the data-driven inputs (CSMs today, churn per
    tier) follow another month or filter when the scenario uses the data's book."""
    state = st.session_state
    if "cap_tiers" in state and "cap_own_book" not in state:
        # Streamlit drops widget values while the user is on another page: restore them.
        put(state.get("cap_current_scenario") or default_scenario(base), base)
    other_tiers = "cap_tiers" in state and len(state["cap_tiers"]) != len(base.tiers)
    if "cap_tiers" not in state or (not state.get("cap_own_book") and other_tiers):
        put(default_scenario(base), base)
    elif state.get("cap_base") != base and not state["cap_own_book"]:
        state["cap_current"] = float(base.csms)
        for i, churn in enumerate(base.churn):
            state[f"cap_t{i}_churn"] = round((churn or 0.0) * 100, 1)
    state["cap_base"] = base


def activities(i: int) -> tuple[Activity, ...]:
    """Tier ``i``'s activities as edited (or as loaded when the editor is not shown)."""
    state = st.session_state
    return activities_from_rows(state.get(f"cap_t{i}_acts_value", state[f"cap_t{i}_acts_base"]))


def from_widgets() -> Scenario:
    """The scenario the widgets describe (``ScenarioError`` when an input is out of range)."""
    state = st.session_state
    own = state["cap_own_book"]
    tiers = []
    for i, name in enumerate(state["cap_tiers"]):
        mode = "hours" if state[f"cap_t{i}_mode"] == MODES["hours"] else "ratio"
        tiers.append(TierPlan(
            name, mode, state[f"cap_t{i}_ratio"], activities(i), state[f"cap_t{i}_unplanned"] / 100,
            state[f"cap_t{i}_churn"] / 100, state[f"cap_t{i}_logos"],
            state[f"cap_t{i}_accounts"] if own else None, state[f"cap_t{i}_arr"] if own else None))
    return Scenario(
        state["cap_name"].strip() or "Working scenario", tuple(tiers),
        Availability(state["cap_weeks"], state["cap_hpw"], state["cap_timeoff"] / 100,
                     state["cap_noncust"] / 100, state["cap_gain"] / 100),
        Team(state["cap_csm_cost"], state["cap_per_mgr"], state["cap_mgr_cost"], state["cap_per_ops"],
             state["cap_ops_cost"], bool(state["cap_per_tier_ceil"])),
        Growth("rate" if state["cap_growth_mode"] == GROWTH["rate"] else "logos",
               state["cap_growth_rate"] / 100, state["cap_upgrade"] / 100, state["cap_attrition"] / 100,
               int(state["cap_tth"]), int(state["cap_ramp"]), int(state["cap_horizon"])),
        description=state.get("cap_description", ""), source=state.get("cap_source", ""),
        current_csms=state["cap_current"])
