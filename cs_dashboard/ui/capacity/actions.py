"""Callbacks of the Scenarios tab; they run before the widgets are drawn and leave their
outcome in ``cap_msg`` (shown at the top of the tab)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from cs_dashboard.capacity import Base, Scenario, ScenarioError
from cs_dashboard.capacity.scenario_json import from_json, loads, to_json
from cs_dashboard.capacity.working import copy_name
from cs_dashboard.ui import auth, cache
from cs_dashboard.ui.capacity.widgets import load_into_widgets


def save_current() -> None:
    """Save the working scenario (as last computed) under the name typed in ``cap_save_name``."""
    state = st.session_state
    name = state.get("cap_save_name", "").strip()
    if not name:
        state["cap_msg"] = ("error", "Give the scenario a name to save it.")
        return
    sc = replace(state["cap_current_scenario"], name=name)
    cache.app_state().save_scenario(name, to_json(sc), auth.scenario_owner(), auth.who())
    state["cap_name"] = name
    state["cap_msg"] = ("success", f"Saved “{name}”. It stays available after a restart.")


def load_saved(base: Base) -> None:
    state = st.session_state
    name = state.get("cap_saved_pick")
    body = cache.app_state().load_scenario(name, auth.scenario_owner()) if name else None
    if body is None:
        state["cap_msg"] = ("error", "Pick a saved scenario first.")
        return
    try:
        load_into_widgets(from_json(body), base, f"“{name}”")
    except ScenarioError as exc:
        state["cap_msg"] = ("error", f"“{name}” is not a valid scenario: {exc}")


def duplicate_saved() -> None:
    name = st.session_state.get("cap_saved_pick")
    body = cache.app_state().load_scenario(name, auth.scenario_owner()) if name else None
    if body is None:
        return
    copy = copy_name(name, set(cache.app_state().scenario_names(auth.scenario_owner())))
    cache.app_state().save_scenario(copy, {**body, "name": copy}, auth.scenario_owner(),
                                     auth.who())
    st.session_state["cap_msg"] = ("success", f"Saved a copy as “{copy}”.")


def delete_saved() -> None:
    name = st.session_state.get("cap_saved_pick")
    if name:
        if cache.app_state().delete_scenario(name, auth.scenario_owner(), auth.who()):
            st.session_state["cap_msg"] = ("success", f"Deleted “{name}”.")
        else:
            st.session_state["cap_msg"] = ("error", f"“{name}” is a shared scenario: only an "
                                                    "admin can delete it.")


def load_example(base: Base, examples: dict[str, Scenario]) -> None:
    key = st.session_state.get("cap_example_pick")
    if key in examples:
        load_into_widgets(examples[key], base, f"the example “{examples[key].name}”")


def import_file(base: Base) -> None:
    upload = st.session_state.get("cap_import")
    if upload is None:
        return
    try:
        sc = loads(upload.getvalue())
    except ScenarioError as exc:
        st.session_state["cap_msg"] = ("error", f"{upload.name}: {exc}")
        return
    load_into_widgets(sc, base, f"“{sc.name}” from {upload.name}")
