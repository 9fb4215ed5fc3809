"""Capacity: who carries what today, how many CSMs the book needs, the hiring plan and budget options."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from cs_dashboard.api import capacity as api_capacity
from cs_dashboard.capacity import (
    Activity,
    Availability,
    Growth,
    Scenario,
    ScenarioError,
    Team,
    TierPlan,
    coverage,
    coverage_for_budget,
    csm_loads,
    project,
    resolve,
    sensitivity,
)
from cs_dashboard.capacity.compare import comparison_table, ratio_label, standalone, summary
from cs_dashboard.capacity.presets import BENCHMARK, PRESETS
from cs_dashboard.capacity.projection import hiring_waves, monthly_rate
from cs_dashboard.capacity.scenario_json import dumps, from_json, loads, shipped, to_json
from cs_dashboard.charts.capacity import (
    cost_share_chart,
    hiring_timeline_chart,
    load_chart,
    need_supply_chart,
    scenario_need_chart,
    tornado_chart,
)
from cs_dashboard.charts.theme import footnote
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct
from cs_dashboard.months import label
from cs_dashboard.tiers import TierRuleError
from cs_dashboard.ui import cache, context, messages
from cs_dashboard.ui.charts import show_chart

MODES = {"ratio": "Accounts per CSM", "hours": "Hours per account"}
GROWTH = {"logos": "New logos per month", "rate": "Net annual growth rate"}
FLAG_ICONS = {"overloaded": "🔴 overloaded", "balanced": "🟢 balanced", "underloaded": "🟡 underloaded"}
ACTIVITY_COLUMNS = ["activity", "times_per_year", "hours_each"]

st.title("Capacity")
ctx = context.get()
if ctx.as_of is None:
    messages.empty_state()
    st.stop()

state = st.session_state
rule = cache.tier_rule()
try:
    books = cache.run(api_capacity.current_books, ctx.url, ctx.version, ctx.as_of, ctx.filters, rule)
    churn_table = cache.run(api_capacity.churn_by_tier, ctx.url, ctx.version, ctx.as_of, ctx.filters, rule)
    roster = cache.run(api_capacity.csm_roster, ctx.url, ctx.version)
    base = api_capacity.book_from(books, churn_table, roster, ctx.as_of, bool(ctx.filters.active()))
except TierRuleError as exc:
    st.error(f"The saved tier rule cannot be applied: {exc}. Adjust it on the Segmentation page.",
             icon=":material/error:")
    st.stop()
if sum(base.accounts) == 0:
    st.info("No active accounts match the filters at this month.", icon=":material/info:")
    st.stop()
note = footnote(label(ctx.as_of), ctx.source_label, ctx.filters.describe())


# --- the working scenario <-> widgets ------------------------------------------------------------

def default_scenario() -> Scenario:
    """The Gainsight-book preset on the data's tiers (ratios spread over any tier count)."""
    ratios = PRESETS[0].ratios
    k = len(base.tiers)
    picks = [ratios[round(i * (len(ratios) - 1) / (k - 1))] if k > 1 else 50.0 for i in range(k)]
    tiers = tuple(TierPlan(n, "ratio", r, new_logos_per_month=replacement_logos(i))
                  for i, (n, r) in enumerate(zip(base.tiers, picks, strict=True)))
    return Scenario("Working scenario", tiers, growth=Growth(attrition=0.12), source=PRESETS[0].source,
                    description="Gainsight-book ratios; new logos at replacement level (each tier keeps its "
                                "size), 12% CSM attrition.")


def replacement_logos(i: int) -> float:
    """New logos a month that offset tier ``i``'s measured churn (the tier keeps its size)."""
    churn = base.churn[i] or 0.0
    return round(base.accounts[i] * monthly_rate(churn), 1)


def fits(sc: Scenario) -> str | None:
    """Why ``sc`` cannot run on this data (``None`` when it can)."""
    try:
        resolve(sc, base)
    except ScenarioError as exc:
        return str(exc)
    return None


def put(sc: Scenario) -> None:
    """Write ``sc`` into the widgets (in callbacks or before the widgets are drawn)."""
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
        acts = t.activities or (Activity("Check-ins", 12, 1.0),)
        state[f"cap_t{i}_acts_base"] = pd.DataFrame(
            [(a.name, float(a.times_per_year), float(a.hours_each)) for a in acts], columns=ACTIVITY_COLUMNS)
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


def load_into_widgets(sc: Scenario, what: str) -> None:
    problem = None if sc.has_portfolio else fits(sc)
    if problem:
        state["cap_msg"] = ("error", f"Could not load {what}: {problem}")
        return
    put(sc)
    state["cap_msg"] = ("success", f"Loaded {what}.")


def activities(i: int) -> tuple[Activity, ...]:
    frame = state.get(f"cap_t{i}_acts_value", state[f"cap_t{i}_acts_base"])
    out = []
    for row in frame.dropna(how="all").itertuples(index=False):
        if not str(row.activity or "").strip():
            continue
        out.append(Activity(str(row.activity), float(row.times_per_year or 0), float(row.hours_each or 0)))
    return tuple(out)


def from_widgets() -> Scenario:
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


if "cap_tiers" not in state or (not state.get("cap_own_book") and len(state["cap_tiers"]) != len(base.tiers)):
    put(default_scenario())
elif state.get("cap_base") != base and not state["cap_own_book"]:
    # another month or filter: the data-driven inputs follow the data (CSMs today, churn per tier)
    state["cap_current"] = float(base.csms)
    for i, churn in enumerate(base.churn):
        state[f"cap_t{i}_churn"] = round((churn or 0.0) * 100, 1)
state["cap_base"] = base


# --- scenario actions (callbacks run before the widgets are drawn) ---------------------------------

def save_current() -> None:
    name = state.get("cap_save_name", "").strip()
    if not name:
        state["cap_msg"] = ("error", "Give the scenario a name to save it.")
        return
    sc = replace(state["cap_current_scenario"], name=name)
    cache.app_state().save_scenario(name, to_json(sc))
    state["cap_name"] = name
    state["cap_msg"] = ("success", f"Saved “{name}”. It stays available after a restart.")


def load_saved() -> None:
    name = state.get("cap_saved_pick")
    body = cache.app_state().load_scenario(name) if name else None
    if body is None:
        state["cap_msg"] = ("error", "Pick a saved scenario first.")
        return
    try:
        load_into_widgets(from_json(body), f"“{name}”")
    except ScenarioError as exc:
        state["cap_msg"] = ("error", f"“{name}” is not a valid scenario: {exc}")


def duplicate_saved() -> None:
    name = state.get("cap_saved_pick")
    body = cache.app_state().load_scenario(name) if name else None
    if body is None:
        return
    names = set(cache.app_state().scenario_names())
    copy_name, n = f"{name} (copy)", 2
    while copy_name in names:
        copy_name, n = f"{name} (copy {n})", n + 1
    cache.app_state().save_scenario(copy_name, {**body, "name": copy_name})
    state["cap_msg"] = ("success", f"Saved a copy as “{copy_name}”.")


def delete_saved() -> None:
    name = state.get("cap_saved_pick")
    if name:
        cache.app_state().delete_scenario(name)
        state["cap_msg"] = ("success", f"Deleted “{name}”.")


def load_example() -> None:
    key = state.get("cap_example_pick")
    if key in examples:
        load_into_widgets(examples[key], f"the example “{examples[key].name}”")


def import_file() -> None:
    upload = state.get("cap_import")
    if upload is None:
        return
    try:
        sc = loads(upload.getvalue())
    except ScenarioError as exc:
        state["cap_msg"] = ("error", f"{upload.name}: {exc}")
        return
    load_into_widgets(sc, f"“{sc.name}” from {upload.name}")


examples = shipped()


# --- layout -------------------------------------------------------------------------------------

st.caption(f"As of {label(ctx.as_of)} · {ctx.filters.describe()} · tiers: {', '.join(base.tiers)} "
           f"(the rule saved on the Segmentation page). Required CSMs follow the working scenario below; "
           "ratios and benchmarks are presets with their sources, not an industry standard.")
headline = st.container()
tab_today, tab_inputs, tab_plan, tab_budget, tab_scen = st.tabs([
    "Today: who carries what", "Assumptions", "Need, supply and hiring plan", "Budget and sensitivity",
    "Scenarios"])

with tab_inputs:
    top = st.columns([2, 1])
    top[0].text_input("Working scenario name", key="cap_name")
    top[1].toggle("Model its own book", key="cap_own_book",
                  help="Off: accounts, ARR and churn per tier come from the data. On: type a hypothetical "
                       "book per tier (the Wingtip example does this).")
    if state.get("cap_source"):
        st.caption(f"Source of the figures: {state['cap_source']}")
    t_cov, t_hours, t_team, t_growth = st.tabs(["Coverage per tier", "Available hours", "Team and cost",
                                                "Growth and hiring"])
    with t_cov:
        tier_notes = []
        tier_tabs = st.tabs(state["cap_tiers"])
        for i, tab in enumerate(tier_tabs):
            with tab:
                left, right = st.columns([1, 2])
                mode = left.segmented_control("Coverage", list(MODES.values()), key=f"cap_t{i}_mode",
                                              help="A ratio, or bottom-up hours from the activity table.")
                if mode == MODES["hours"]:
                    with right:
                        edited = st.data_editor(
                            state[f"cap_t{i}_acts_base"], key=f"cap_t{i}_acts", num_rows="dynamic",
                            width="stretch", hide_index=True,
                            column_config={
                                "activity": st.column_config.TextColumn("Activity", required=True),
                                "times_per_year": st.column_config.NumberColumn("Times a year", min_value=0.0,
                                                                                format="%.1f"),
                                "hours_each": st.column_config.NumberColumn("Hours each", min_value=0.0,
                                                                            format="%.2f")})
                        state[f"cap_t{i}_acts_value"] = edited
                    left.number_input("Unplanned work (% of planned hours)", 0.0, 100.0, step=5.0,
                                      key=f"cap_t{i}_unplanned", format="%.0f")
                else:
                    left.number_input("Accounts per CSM", min_value=0.1, step=5.0, key=f"cap_t{i}_ratio",
                                      format="%.1f")
                left.number_input("Annual logo churn (%)", 0.0, 100.0, step=1.0, key=f"cap_t{i}_churn",
                                  format="%.1f", help="Default: the data's trailing-12 logo churn for "
                                                      "this tier (tiered by the same rule 12 months ago).")
                left.number_input("New logos per month", min_value=0.0, step=1.0, key=f"cap_t{i}_logos",
                                  format="%.1f")
                tier_notes.append(right.container())
                if len(base.tiers) == len(state["cap_tiers"]):
                    churn = base.churn[i]
                    churn_text = fmt_pct(churn) if churn is not None else "not measurable (no base)"
                    right.markdown(
                        f"**In the data:** {fmt_count(base.accounts[i])} active accounts, "
                        f"{fmt_money(base.arr[i])} ARR, trailing-12 logo churn "
                        f"{churn_text}."
                        f" New logos that would keep the tier's size: {replacement_logos(i):,.1f} a month.")
                if state["cap_own_book"]:
                    left.number_input("Accounts today", min_value=0.0, step=10.0, key=f"cap_t{i}_accounts",
                                      format="%.0f")
                    left.number_input("ARR today ($)", min_value=0.0, step=100_000.0, key=f"cap_t{i}_arr",
                                      format="%.0f")
    with t_hours:
        c = st.columns(5)
        c[0].number_input("Weeks a year", 0.0, 52.0, step=1.0, key="cap_weeks", format="%.0f")
        c[1].number_input("Hours per week", 0.0, 80.0, step=1.0, key="cap_hpw", format="%.1f")
        c[2].number_input("Time off (%)", 0.0, 100.0, step=1.0, key="cap_timeoff", format="%.1f")
        c[3].number_input("Non-customer work (%)", 0.0, 100.0, step=1.0, key="cap_noncust", format="%.1f",
                          help=f"{BENCHMARK['non_customer_share'].name}: 30-40% "
                               f"({BENCHMARK['non_customer_share'].source}).")
        c[4].number_input("Productivity gain (%)", 0.0, 100.0, step=5.0, key="cap_gain", format="%.0f",
                          help=f"{BENCHMARK['productivity_gain'].name}: 25-30% "
                               f"({BENCHMARK['productivity_gain'].source}).")
    with t_team:
        c = st.columns(3)
        c[0].number_input("CSM fully loaded cost ($ a year)", 0.0, step=5_000.0, key="cap_csm_cost",
                          format="%.0f", help=f"{BENCHMARK['csm_cost'].name}: $150-220k "
                                              f"({BENCHMARK['csm_cost'].source}).")
        c[1].number_input("CSMs per manager (0 = none)", 0.0, step=1.0, key="cap_per_mgr", format="%.0f")
        c[2].number_input("Manager cost ($ a year)", 0.0, step=5_000.0, key="cap_mgr_cost", format="%.0f")
        c = st.columns(3)
        c[0].toggle("Whole heads per tier", key="cap_per_tier_ceil",
                    help="Round each tier up to whole CSMs instead of rounding the total.")
        c[1].number_input("CSMs per CS-ops person (0 = none)", 0.0, step=1.0, key="cap_per_ops",
                          format="%.0f")
        c[2].number_input("CS-ops cost ($ a year)", 0.0, step=5_000.0, key="cap_ops_cost", format="%.0f")
    with t_growth:
        c = st.columns(4)
        gmode = c[0].segmented_control("Growth", list(GROWTH.values()), key="cap_growth_mode")
        if gmode == GROWTH["rate"]:
            c[1].number_input("Net growth of accounts (% a year)", -100.0, 500.0, step=5.0,
                              key="cap_growth_rate", format="%.1f")
        else:
            c[1].caption("New logos and churn are set per tier under *Coverage per tier*.")
        c[2].number_input("Moving up a tier (% a year)", 0.0, 100.0, step=1.0, key="cap_upgrade",
                          format="%.1f")
        c[3].number_input("Horizon (months)", 1, 60, step=6, key="cap_horizon")
        c = st.columns(4)
        c[0].number_input("CSMs today", 0.0, step=1.0, key="cap_current", format="%.0f",
                          help=f"Default: the {base.csms} CSMs in the data's roster.")
        c[1].number_input("CSM attrition (% a year)", 0.0, 100.0, step=1.0, key="cap_attrition",
                          format="%.1f")
        c[2].number_input("Time to hire (months)", 0, 36, key="cap_tth",
                          help="From opening the requisition to the start date.")
        c[3].number_input("Ramp (months)", 0, 36, key="cap_ramp",
                          help="New CSMs ramp linearly to full capacity over these months.")

try:
    scenario = from_widgets()
    resolved = resolve(scenario, base)
except ScenarioError as exc:
    with headline:
        st.error(f"The assumptions are not valid: {exc}", icon=":material/error:")
    st.stop()
state["cap_current_scenario"] = scenario
cov = coverage(resolved)
proj = project(resolved, ctx.as_of)
horizon = scenario.growth.horizon

for note_box, (_, row) in zip(tier_notes, cov.tiers.iterrows(), strict=True):
    note_box.markdown(f"**Result:** {fmt_count(row['accounts'])} accounts at "
                      f"{ratio_label(row['accounts_per_csm'])} "
                      f"({row['hours_per_account']:,.1f} hours per account a year) need "
                      f"**{row['fte']:,.2f} CSM FTE**.")

# --- headline -----------------------------------------------------------------------------------

with headline:
    gap = cov.csm_heads - resolved.current_csms
    tiles = st.columns(6)
    tiles[0].metric("CSMs needed", fmt_count(cov.csm_heads), help=f"{cov.csm_fte:,.1f} exact FTE, rounded up "
                    "to whole heads.")
    tiles[1].metric("CSMs today", fmt_count(resolved.current_csms),
                    f"{gap:,.0f} short" if gap > 0 else (f"{-gap:,.0f} spare" if gap < 0 else "on target"),
                    delta_color="off", delta_arrow="off")
    tiles[2].metric("Total CS team", fmt_count(cov.total_heads),
                    help=f"{cov.csm_heads} CSMs, {cov.manager_heads} managers, "
                         f"{cov.ops_heads} CS operations.")
    tiles[3].metric("Annual cost", fmt_money(cov.annual_cost), help="Whole heads × fully loaded cost.")
    band = BENCHMARK["cost_share"]
    tiles[4].metric("CS cost ÷ ARR", fmt_pct(cov.cost_share),
                    help=f"{band.name}: 5-15% ({band.source}).")
    tiles[5].metric("ARR per CSM", fmt_money(cov.arr_per_csm),
                    help=f"{fmt_count(cov.accounts_per_csm)} accounts per CSM.")
    end = proj.months.iloc[-1]
    st.markdown(
        f"**{scenario.name}:** {fmt_count(cov.accounts)} accounts need **{cov.csm_fte:,.1f} CSM FTE** "
        f"({fmt_count(cov.csm_heads)} heads) today; you have {fmt_count(resolved.current_csms)}. "
        f"In {horizon} months the book needs {end['need_fte']:,.1f} FTE; "
        f"the plan opens **{fmt_count(len(proj.hires))} requisitions**. "
        f"The team costs {fmt_money(cov.annual_cost)} a year, **{fmt_pct(cov.cost_share)} of ARR** "
        f"(band: 5-15%).")

# --- today ------------------------------------------------------------------------------------

with tab_today:
    if state["cap_own_book"]:
        st.info("The working scenario models its own book, so today's loads below use the data's book with "
                "the scenario's coverage per tier where the tiers line up.", icon=":material/info:")
    assigned = books[books["csm"].notna()]
    unassigned = books[books["csm"].isna()]
    if len(scenario.tiers) == len(base.tiers):
        data_view = resolve(replace(scenario, tiers=tuple(
            replace(t, accounts=None, arr=None) for t in scenario.tiers)), base)
        loads_frame = csm_loads(assigned, roster, base.tiers, data_view)
        if ctx.filters.active():
            loads_frame = loads_frame[loads_frame["accounts"] > 0]
        counts = loads_frame["flag"].value_counts()
        c = st.columns(4)
        c[0].metric("CSMs with a book", fmt_count((loads_frame["accounts"] > 0).sum()))
        c[1].metric("Overloaded (> 110%)", fmt_count(counts.get("overloaded", 0)))
        c[2].metric("Underloaded (< 70%)", fmt_count(counts.get("underloaded", 0)))
        c[3].metric("Accounts without a CSM", fmt_count(unassigned["accounts"].sum()),
                    help=f"{fmt_money(unassigned['arr'].sum())} ARR has no named CSM.")
        drawn = loads_frame if len(loads_frame) <= 40 else \
            pd.concat([loads_frame.head(25), loads_frame.tail(15)])
        show_chart(load_chart(drawn, note), loads_frame, "capacity_load_per_csm", "cap_load")
        if len(drawn) < len(loads_frame):
            st.caption(f"The chart shows the 25 most and 15 least loaded of {len(loads_frame):,} CSMs; "
                       "the table and the CSV have everyone.")
        mix = cache.run(api_capacity.health_mix, ctx.url, ctx.version, ctx.as_of, ctx.filters)
        table = loads_frame.merge(mix, on="csm", how="left") if len(mix.columns) > 1 else loads_frame
        show = pd.DataFrame({"CSM": table["csm"], "Load": table["load"] * 100,
                             "Flag": table["flag"].map(FLAG_ICONS), "Role": table["role"]})
        for tier in base.tiers:
            show[tier] = table[tier]
        show["ARR"] = table["arr"]
        for band_name in ("red", "yellow", "green"):
            if band_name in table:
                show[f"Health {band_name}"] = table[band_name].fillna(0).astype(int)
        show["Hours demanded"] = table["hours_demanded"].round(0)
        show["Hours available"] = table["hours_available"].round(0)
        st.dataframe(show, hide_index=True, width="stretch", height=min(700, 35 * (len(show) + 1) + 3),
                     column_config={
                         "ARR": st.column_config.NumberColumn(format="$%,.0f"),
                         "Hours demanded": st.column_config.NumberColumn(format="%,d"),
                         "Hours available": st.column_config.NumberColumn(format="%,d"),
                         "Load": st.column_config.ProgressColumn("Load", format="%.0f%%", min_value=0,
                                                                 max_value=200)})
        caption = ("Accounts per tier are today's book; hours demanded use the working scenario's hours per "
                   "account (in ratio mode, a CSM's available hours ÷ the ratio).")
        if len(mix.columns) <= 1:
            caption += " The data has no health table, so the health mix is left out."
        else:
            caption += (" Health bands use the Health page's default weights and cut-offs "
                        "(red < 70, green ≥ 85).")
        st.caption(caption)
    else:
        st.warning("The working scenario's tiers do not match the data's tiers, so loads per CSM cannot be "
                   "computed; load a scenario built on the data to see them.", icon=":material/warning:")
    st.subheader("Productivity against benchmarks")
    csms_now = max(base.csms, 1)
    named = books[books["csm"].notna()]
    # each CSM's time split across tiers in proportion to their accounts: CSM-equivalents per tier
    share = named["accounts"] / named.groupby("csm")["accounts"].transform("sum")
    tier_fte = share.groupby(named["tier"].astype(str)).sum().to_dict()
    accounts_now, arr_now = sum(base.accounts), sum(base.arr)
    bench = [
        ("Accounts per CSM", fmt_count(accounts_now / csms_now), BENCHMARK["accounts_per_csm_survey"], "104"),
        ("Accounts per CSM", fmt_count(accounts_now / csms_now), BENCHMARK["accounts_per_csm_rule"], "50"),
        ("ARR per CSM", fmt_money(arr_now / csms_now), BENCHMARK["arr_per_csm_rule"], "$2.0M"),
        ("ARR per CSM", fmt_money(arr_now / csms_now), BENCHMARK["arr_per_csm_survey"], "$1.7M"),
    ]
    for i, tier in enumerate(base.tiers):
        key = ("high_touch", "low_touch", "tech_touch")[min(i, 2)] if len(base.tiers) <= 3 else None
        if key is None:
            continue
        b = BENCHMARK[key]
        per = base.accounts[i] / tier_fte[tier] if tier_fte.get(tier) else float("nan")
        rng = f"{b.value:,.0f}-{b.high:,.0f}" if b.high else f"about {b.value:,.0f}"
        bench.append((f"{tier}: accounts per CSM", fmt_count(per), b, rng))
    st.dataframe(pd.DataFrame([{"Measure": m, "Yours": y, "Benchmark": v, "Benchmark figure": b.name,
                                "Source": f"{b.source} ({b.confidence})"} for m, y, b, v in bench]),
                 hide_index=True, width="stretch")
    st.caption(f"Yours: {fmt_count(accounts_now)} active accounts and {fmt_money(arr_now)} ARR over "
               f"{fmt_count(base.csms)} CSMs. Accounts per CSM by tier count each CSM's time split across "
               "tiers in proportion to their accounts. Confidence: A = publisher's own report, "
               "B = credible quote, C = practitioner composite. No single standard exists; "
               "compare like for like.")

# --- need, supply and hiring plan -----------------------------------------------------------------

with tab_plan:
    per_tier = cov.tiers.assign(**{"accounts per CSM": cov.tiers["accounts_per_csm"].map(ratio_label)})
    st.dataframe(pd.DataFrame({
        "Tier": per_tier["tier"], "Accounts": per_tier["accounts"].round(0),
        "ARR": per_tier["arr"], "Hours per account a year": per_tier["hours_per_account"].round(1),
        "Coverage": per_tier["accounts per CSM"], "CSM FTE": per_tier["fte"].round(2),
        "Whole heads (per tier)": per_tier["heads"]}),
        hide_index=True, width="stretch",
        column_config={"ARR": st.column_config.NumberColumn(format="$%,.0f"),
                       "Accounts": st.column_config.NumberColumn(format="%,d")})
    rounding = "per-tier" if scenario.team.per_tier_ceil else "ceiling of the total"
    st.caption(f"Each CSM has {cov.available_hours:,.0f} customer hours a year. "
               f"Total {cov.csm_fte:,.2f} FTE → {cov.csm_heads} CSMs ({rounding}), "
               f"{cov.manager_heads} managers, {cov.ops_heads} CS operations.")
    show_chart(need_supply_chart(proj.months, note), proj.months, "capacity_need_vs_supply", "cap_need")
    short = proj.unclosable_shortfall
    if not short.empty:
        st.warning(f"Supply falls short of need in {len(short)} month(s) before the first requisition "
                   f"opened today can be fully productive ({proj.lead_time} months: "
                   f"{scenario.growth.time_to_hire} to hire + {scenario.growth.ramp_months} to ramp). "
                   "Largest gap: "
                   f"{short['gap_fte'].max():,.1f} FTE.", icon=":material/schedule:")
    st.subheader("Hiring plan")
    if proj.hires.empty:
        st.success("No hires needed within the horizon: supply covers the need.", icon=":material/check:")
    else:
        plan = proj.hires
        waves = hiring_waves(plan)
        st.dataframe(pd.DataFrame({
            "Requisitions open": waves["opens_date"].map(label), "Hires": waves["hires"],
            "Start": waves["starts_date"].map(label),
            "Fully productive": waves["productive_date"].map(label)}),
            hide_index=True, width="stretch", height=min(400, 35 * (len(waves) + 1) + 3))
        st.caption(f"{fmt_count(len(plan))} requisitions in {len(waves)} waves; the CSV below lists each "
                   "requisition.")
        show_chart(hiring_timeline_chart(waves, note), plan, "capacity_hiring_plan", "cap_hiring")
    c = st.columns([1, 2])
    with c[0]:
        st.markdown("**Cost by quarter**")
        q = proj.quarters
        st.dataframe(pd.DataFrame({"Quarter": q["quarter"] + q["months"].map(lambda m: "" if m == 3 else
                                                                              f" ({m} of 3 months)"),
                                   "Cost": q["cost"]}), hide_index=True, width="stretch",
                     column_config={"Cost": st.column_config.NumberColumn(format="$%,.0f")})
    with c[1]:
        show_chart(cost_share_chart(proj.months, note), proj.months, "capacity_cost_share", "cap_cost")

# --- budget and sensitivity -----------------------------------------------------------------------

with tab_budget:
    st.subheader("What does a budget buy?")
    c = st.columns([1, 1, 1])
    state.setdefault("cap_budget_basis", "Dollars a year")
    state.setdefault("cap_budget_usd", float(round(cov.annual_cost_fte * 0.8, -5)))
    state.setdefault("cap_budget_pct", 8.0)
    state.setdefault("cap_protect", True)
    basis = c[0].segmented_control("Budget as", ["Dollars a year", "Share of ARR"],
                                   key="cap_budget_basis") or "Dollars a year"
    if basis == "Dollars a year":
        budget = c[1].number_input("Budget ($ a year)", 0.0, step=100_000.0, format="%.0f",
                                   key="cap_budget_usd")
    else:
        share = c[1].number_input("Budget (% of ARR)", 0.0, 100.0, step=0.5, format="%.1f",
                                  key="cap_budget_pct")
        budget = share / 100 * cov.arr
    protect = c[2].toggle(f"Protect {scenario.tiers[0].name} coverage", key="cap_protect")
    funded = coverage_for_budget(resolved, budget, (0,) if protect else ())
    ft = funded.tiers
    st.dataframe(pd.DataFrame({
        "Tier": ft["tier"], "Modelled coverage": cov.tiers["accounts_per_csm"].map(ratio_label),
        "Funded coverage": ft["accounts_per_csm"].map(ratio_label),
        "Required FTE": ft["required_fte"].round(1),
        "Funded FTE": ft["funded_fte"].round(1), "Share of modelled coverage": ft["funded_share"] * 100,
        "Hours per account a year": ft["hours_per_account"].round(1)}),
        hide_index=True, width="stretch", column_config={
            "Share of modelled coverage": st.column_config.ProgressColumn(format="%.0f%%", min_value=0,
                                                                          max_value=100)})
    verdict = (f"{fmt_money(budget)} a year ({fmt_pct(budget / cov.arr if cov.arr else None)} of ARR) funds "
               f"{funded.funded_fte:,.1f} CSM FTE, {fmt_pct(funded.funded_share, 0)} of the modelled "
               f"{funded.required_fte:,.1f}")
    if protect and not funded.protected_kept:
        verdict += f"; it cannot fully fund {scenario.tiers[0].name}, so every tier is scaled alike"
    st.markdown(verdict + ".")
    st.caption("Budget at exact FTE, each CSM carrying their share of managers and CS operations "
               f"({fmt_money(scenario.team.csm_cost + scenario.team.overhead_per_csm)} a year per CSM).")
    st.subheader("Sensitivity")
    sens = sensitivity(scenario, base)
    if sens.empty:
        st.info("No driver moves the need in this scenario.", icon=":material/info:")
    else:
        show_chart(tornado_chart(sens, horizon, footnote=note), sens, "capacity_tornado", "cap_tornado")
        st.caption(f"Change in CSMs needed in month {horizon} (base {sens['base_fte'].iloc[0]:,.1f} FTE) "
                   "when each driver moves 20% down or up, the others held. Drivers that do not move "
                   "the need (e.g. hours per week in ratio mode) are left out.")

# --- scenarios -----------------------------------------------------------------------------------

with tab_scen:
    if "cap_msg" in state:
        kind, text = state.pop("cap_msg")
        (st.success if kind == "success" else st.error)(text)
    saved = cache.app_state().scenario_names()
    left, right = st.columns(2)
    with left:
        st.markdown("**Save the working scenario**")
        st.text_input("Name", key="cap_save_name", placeholder="e.g. Option B: keep enterprise at 1:15")
        st.button("Save scenario", key="cap_save", on_click=save_current, icon=":material/save:")
        st.markdown("**Saved scenarios**")
        if saved:
            st.selectbox("Saved scenario", saved, key="cap_saved_pick")
            b = st.columns(3)
            b[0].button("Load", key="cap_load_saved", on_click=load_saved, width="stretch")
            b[1].button("Duplicate", key="cap_dup_saved", on_click=duplicate_saved, width="stretch")
            b[2].button("Delete", key="cap_del_saved", on_click=delete_saved, width="stretch")
        else:
            st.caption("None yet: saved scenarios are kept in the app's own state and survive a restart.")
    with right:
        st.markdown("**Shipped examples** (`data/scenarios/`)")
        st.selectbox("Example", list(examples), key="cap_example_pick",
                     format_func=lambda k: examples[k].name)
        st.button("Load example", key="cap_load_example", on_click=load_example)
        st.markdown("**Export and import JSON**")
        st.download_button("Export the working scenario (JSON)", dumps(scenario).encode("utf-8"),
                           f"{scenario.name.replace(' ', '_').lower()}.json", "application/json",
                           key="cap_export", on_click="ignore", icon=":material/download:")
        st.file_uploader("Import a scenario (JSON)", type=["json"], key="cap_import", on_change=import_file,
                         help="The format is documented in docs/capacity.md.")
    st.subheader("Compare up to three options")
    choices = ["Working scenario"] + [f"Saved: {n}" for n in saved] + [f"Example: {examples[k].name}"
                                                                      for k in examples]
    picked = st.multiselect("Options", choices, key="cap_compare", max_selections=3,
                            default=["Working scenario"])
    options, problems = [], []
    for choice in picked:
        if choice == "Working scenario":
            sc = scenario
        elif choice.startswith("Saved: "):
            try:
                sc = from_json(cache.app_state().load_scenario(choice[7:]))
            except ScenarioError as exc:
                problems.append(f"{choice[7:]}: {exc}")
                continue
        else:
            sc = next(s for s in examples.values() if f"Example: {s.name}" == choice)
        try:
            r = resolve(sc, base)
        except ScenarioError as exc:
            problems.append(f"{sc.name}: {exc}")
            continue
        options.append((sc, coverage(r), project(r, ctx.as_of)))
    for problem in problems:
        st.warning(problem, icon=":material/warning:")
    if options:
        first = (options[0][0], options[0][1])
        for i, (sc, c_, _) in enumerate(options):
            st.markdown("- " + (standalone(sc, c_) if i == 0 else summary((sc, c_), first)))
        table = comparison_table(options)
        st.dataframe(table, hide_index=True, width="stretch", height=35 * (len(table) + 1) + 3)
        curves = [(sc.name, p.months) for sc, _, p in options]
        data = pd.concat([p.months[["date", "need_fte"]].assign(scenario=n) for n, p in
                          [(sc.name, p) for sc, _, p in options]])
        show_chart(scenario_need_chart(curves, note), data, "capacity_scenarios", "cap_compare_chart")
    st.caption("Plain-words lines compare each option with the first one. The scenario file format is "
               "documented in docs/capacity.md.")
