"""The Data page's recent history of imports, source changes and saved settings (admins only)."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.access.audit import history_frame
from cs_dashboard.ui import auth, cache

SHOWN = 50


def recent() -> None:
    """The latest ``SHOWN`` recorded changes, for an admin; nothing for anyone else."""
    if not auth.is_admin():
        return
    st.subheader("Recent changes")
    entries = cache.app_state().history(SHOWN)
    if not entries:
        st.caption("Nothing recorded yet: imports, source changes and saved settings (tier rule, "
                   "health score, scenarios, data source label) appear here with who and when.")
        return
    st.dataframe(history_frame(entries), hide_index=True, width="stretch")
    st.caption(f"The latest {len(entries)} of the changes recorded in the app's own state "
               "(no file content, no password).")
