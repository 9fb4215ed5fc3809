"""The tier-rule editor: widgets seeded from the saved rule, and saving it for every page."""

from __future__ import annotations

import streamlit as st

from cs_dashboard import api
from cs_dashboard.tiers import TierRule
from cs_dashboard.ui import auth, cache

RULES = {"accounts": "Top % of accounts", "revenue": "% of revenue covered", "floor": "MRR floors",
         "segment": "Own segment column"}
CUT_LABELS = {"accounts": "Tier {i} ends at (% of accounts)",
              "revenue": "Tier {i} ends at (% of MRR covered)",
              "floor": "Tier {i} floor (MRR, $ per month)"}
CUT_HELP = {"accounts": "Cumulative percent of accounts, largest first; boundaries are rounded "
                        "to the nearest whole account.",
            "revenue": "Tier ends with the account at which the cumulative share of MRR reaches "
                       "this percent.",
            "floor": "Accounts with MRR at or above this floor (and below the tier above)."}


def editor(saved: TierRule, has_segment: bool) -> TierRule:
    """Widgets for the rule, seeded from the saved rule; raises ``TierRuleError`` if invalid."""
    options = [r for r in RULES if r != "segment" or has_segment]
    st.session_state.setdefault("seg_rule", saved.rule if saved.rule in options else "accounts")
    top = st.columns([3, 1])
    kind = top[0].segmented_control("Tier accounts by", options, format_func=RULES.get,
                                    key="seg_rule") or "accounts"
    if kind == "segment":
        top[1].caption("One tier per value of the accounts' `segment` column, ordered by "
                       "median MRR.")
        return TierRule("segment", (), ())
    st.session_state.setdefault("seg_tiers", saved.tier_count or 3)
    count = int(top[1].selectbox("Number of tiers", [2, 3, 4], key="seg_tiers"))
    start = saved if (saved.rule, saved.tier_count) == (kind, count) else TierRule.suggested(kind, count)
    name_start = saved.names if saved.tier_count == count else TierRule.suggested(kind, count).names
    columns = st.columns(4)
    names, cuts = [], []
    for i in range(count):
        name_key = f"seg_name_{count}_{i}"
        st.session_state.setdefault(name_key, name_start[i])
        names.append(columns[i].text_input(f"Tier {i + 1} name", key=name_key).strip())
        if i < count - 1:
            cut_key = f"seg_cut_{kind}_{count}_{i}"
            st.session_state.setdefault(cut_key, float(start.cuts[i]))
            cuts.append(columns[i].number_input(
                CUT_LABELS[kind].format(i=i + 1), key=cut_key, min_value=0.0,
                max_value=None if kind == "floor" else 100.0,
                step=100.0 if kind == "floor" else 1.0, format="%.0f" if kind == "floor" else "%.1f",
                help=CUT_HELP[kind]))
        else:
            columns[i].caption("The rest of the active accounts.")
    return TierRule(kind, tuple(cuts), tuple(names))


def save_button(rule: TierRule, saved: TierRule) -> TierRule:
    """The Save button and a caption on the saved rule; returns the saved rule (``rule`` once
    saved)."""
    if auth.admin_only("Saving the tier rule") and st.button(
            "Save as the tier rule used everywhere", key="seg_save", type="primary",
            disabled=rule == saved, icon=":material/save:"):
        api.save_tier_rule(cache.app_state(), rule, auth.who())
        saved = cache.tier_rule()
        st.toast("Tier rule saved: every page now groups accounts by these tiers.",
                 icon=":material/check_circle:")
    names = ", ".join(saved.names) if saved.names else "one tier per segment"
    state = "" if rule == saved else " You have unsaved changes: other pages still use the saved rule."
    st.caption(f"Saved rule: {saved.describe()} ({names}).{state}")
    return saved
