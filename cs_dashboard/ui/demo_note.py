"""The slim note every page shows on the demo portfolio, and nothing on anyone's own data.

The app knows the demo from the mark the ``demo`` command and the Data page's demo button
record in app state (``AppState.demo_accounts``), not from a file name. Closing the note
hides it for the rest of the browser session.
"""

from __future__ import annotations

import streamlit as st

from cs_dashboard.ui.context import Context

HIDDEN_KEY = "demo_note_hidden"


def text(accounts: int) -> str:
    """The note's words, e.g. "Demo portfolio: 2,000 fictional accounts."."""
    return f"**Demo portfolio:** {accounts:,} fictional accounts."


def show(ctx: Context) -> None:
    """Draw the note at the top of the page when ``ctx`` is the demo and it was not closed."""
    if ctx.demo_accounts is None or st.session_state.get(HIDDEN_KEY):
        return
    note = st.container(horizontal=True, vertical_alignment="center", gap="small",
                        key="demo_note")
    note.markdown(f":material/science: {text(ctx.demo_accounts)}", width="content")
    note.page_link("pages/data.py", label="Bring your own data", icon=":material/upload:")
    note.space("stretch")
    note.button("Hide", key="demo_note_close", type="tertiary", icon=":material/close:",
                help="Hide this note for this session.", on_click=_hide)


def _hide() -> None:
    st.session_state[HIDDEN_KEY] = True
