"""The Scenarios tab: save, load, duplicate and delete; shipped examples; JSON export and
import; up to three options compared side by side."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from cs_dashboard.capacity import Base, Scenario, ScenarioError, evaluate
from cs_dashboard.capacity.compare import comparison_table, standalone, summary
from cs_dashboard.capacity.scenario_json import dumps, from_json
from cs_dashboard.capacity.working import export_filename
from cs_dashboard.charts.capacity import scenario_need_chart
from cs_dashboard.ui import auth, cache
from cs_dashboard.ui.capacity import actions
from cs_dashboard.ui.charts import show_chart

WORKING = "Working scenario"


def render(scenario: Scenario, base: Base, as_of: dt.date, examples: dict[str, Scenario], note: str) -> None:
    """``scenario``: the working scenario; ``examples``: the shipped ones by file stem."""
    state = st.session_state
    if "cap_msg" in state:
        kind, text = state.pop("cap_msg")
        (st.success if kind == "success" else st.error)(text)
    saved = cache.app_state().scenario_names(auth.scenario_owner())
    left, right = st.columns(2)
    with left:
        st.markdown("**Save the working scenario**")
        st.text_input("Name", key="cap_save_name", placeholder="e.g. Option B: keep enterprise at 1:15")
        st.button("Save scenario", key="cap_save", on_click=actions.save_current, icon=":material/save:")
        if auth.scenario_owner() is not None:
            st.caption("Scenarios you save are your own; the shared ones are saved by an admin.")
        st.markdown("**Saved scenarios**")
        if saved:
            st.selectbox("Saved scenario", saved, key="cap_saved_pick")
            b = st.columns(3)
            b[0].button("Load", key="cap_load_saved", on_click=actions.load_saved, args=(base,),
                        width="stretch")
            b[1].button("Duplicate", key="cap_dup_saved", on_click=actions.duplicate_saved, width="stretch")
            b[2].button("Delete", key="cap_del_saved", on_click=actions.delete_saved, width="stretch")
        else:
            st.caption("None yet: saved scenarios are kept in the app's own state and survive a restart.")
    with right:
        st.markdown("**Shipped examples** (`data/scenarios/`)")
        st.selectbox("Example", list(examples), key="cap_example_pick",
                     format_func=lambda k: examples[k].name)
        st.button("Load example", key="cap_load_example", on_click=actions.load_example,
                  args=(base, examples))
        st.markdown("**Export and import JSON**")
        st.download_button("Export the working scenario (JSON)", dumps(scenario).encode("utf-8"),
                           export_filename(scenario), "application/json",
                           key="cap_export", on_click="ignore", icon=":material/download:")
        st.file_uploader("Import a scenario (JSON)", type=["json"], key="cap_import",
                         on_change=actions.import_file, args=(base,),
                         help="The format is documented in docs/capacity.md.")
    st.subheader("Compare up to three options")
    choices = [WORKING] + [f"Saved: {n}" for n in saved] + [f"Example: {examples[k].name}" for k in examples]
    picked = st.multiselect("Options", choices, key="cap_compare", max_selections=3, default=[WORKING])
    _compare(picked, scenario, base, as_of, examples, note)
    st.caption("Plain-words lines compare each option with the first one. CSM cost = required CSM FTE × "
               "cost per CSM; team cost = whole heads of CSMs, managers and CS operations, each at their "
               "own cost; per required CSM divides by the required CSM heads. The scenario file format is "
               "documented in docs/capacity.md.")


def _compare(picked: list[str], scenario: Scenario, base: Base, as_of: dt.date,
             examples: dict[str, Scenario], note: str) -> None:
    options, problems = [], []
    for choice in picked:
        if choice == WORKING:
            sc = scenario
        elif choice.startswith("Saved: "):
            try:
                sc = from_json(cache.app_state().load_scenario(choice[7:], auth.scenario_owner()))
            except ScenarioError as exc:
                problems.append(f"{choice[7:]}: {exc}")
                continue
        else:
            sc = next(s for s in examples.values() if f"Example: {s.name}" == choice)
        try:
            options.append(evaluate(sc, base, as_of))
        except ScenarioError as exc:
            problems.append(f"{sc.name}: {exc}")
    for problem in problems:
        st.warning(problem, icon=":material/warning:")
    if not options:
        return
    for i, option in enumerate(options):
        st.markdown("- " + (standalone(option) if i == 0 else summary(option, options[0])))
    table = comparison_table(options)
    st.dataframe(table, hide_index=True, width="stretch", height=35 * (len(table) + 1) + 3)
    curves = [(option.scenario.name, option.projection.months) for option in options]
    data = pd.concat([months[["date", "need_fte"]].assign(scenario=name) for name, months in curves])
    show_chart(scenario_need_chart(curves, note), data, "capacity_scenarios", "cap_compare_chart")
