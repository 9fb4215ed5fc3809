"""The Data page's "Data source" label: the words pages, slides, speaker notes and chart
footnotes use for this data instead of its URL or file path. Saved in app state per source,
so the command line's ``board-pack`` uses it too."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.db.state import DEMO_LABEL, MAX_LABEL_LENGTH
from cs_dashboard.ui import auth, cache
from cs_dashboard.ui.context import Context

KEY = "data_source_label"
_FOR = "data_source_label_for"


def editor(ctx: Context) -> None:
    """A text field seeded with the label in use, and a button that saves it for the source
    (an admin's: nothing for anyone else)."""
    if not auth.is_admin():
        return
    if st.session_state.get(_FOR) != ctx.location:
        st.session_state[KEY] = ctx.source_label
        st.session_state[_FOR] = ctx.location
    row = st.container(horizontal=True, vertical_alignment="bottom")
    row.text_input("Data source label", key=KEY, max_chars=MAX_LABEL_LENGTH, width=420,
                   help="How slides, speaker notes and chart footnotes name this data, e.g. "
                        f"\"CRM export, March\". Empty: \"{DEMO_LABEL}\" on the demo, otherwise "
                        "the database's name. Never a file path, host or user name unless "
                        "you type one.")
    row.button("Save label", key="data_source_label_save", on_click=_save, args=(ctx.location,))


def _save(location: str) -> None:
    st.session_state[KEY] = cache.app_state().set_source_label(location, st.session_state[KEY],
                                                                 who=auth.who())
    st.toast(f"Data source label saved: {st.session_state[KEY]}.", icon=":material/check_circle:")
