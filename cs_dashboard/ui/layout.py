"""Styling every page shares, set once by ``app.py``: text that fits, the question under each
page's title (``header``) and the demo note (``demo_note``); and tabs that run only the open
tab (``lazy_tabs``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:  # Streamlit's type for a tab, not part of its public API
    from streamlit.elements.lib.mutable_tab_container import TabContainer

CSS = """<style>
/* A metric's label wraps onto a second line instead of ending in an ellipsis. */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
/* Room for two lines, the label at the bottom: values in a row stay level when one wraps. */
[data-testid="stMetricLabel"] { min-height: 2.6em; display: flex; align-items: flex-end; }
.st-key-page_question p { font-size: 1.15rem; color: #4a4f55; margin: -0.6rem 0 0 0; }
.st-key-demo_note {
  background: #eef4fa; border: 1px solid #d3e2f0; border-radius: 0.5rem;
  padding: 0.1rem 0.25rem 0.1rem 0.75rem; margin-bottom: -1.5rem;
}
.st-key-demo_note p { margin: 0; font-size: 0.9rem; }
</style>"""


def apply() -> None:
    """Add the shared style to the page (an invisible element)."""
    st.html(CSS)


def lazy_tabs(names: Sequence[str], key: str, keep: Sequence[str] = ()) -> Sequence[TabContainer]:
    """``st.tabs`` whose content runs only in the open tab (``tab.open``; opening another tab
    reruns the page), so a page's first view computes the tab it shows, not every tab.
    ``st.session_state[key]`` holds the open tab's name. The values of the widgets named in
    ``keep`` (keys of widgets inside the tabs) are kept while their tab is closed: Streamlit
    forgets a widget's value in a run that does not draw it, unless it is set in Session
    State."""
    for name in keep:
        if name in st.session_state:
            st.session_state[name] = st.session_state[name]
    return st.tabs(list(names), key=key, on_change="rerun")


def when_open(tab: TabContainer, draw: Callable[..., object], *args: object) -> None:
    """``draw(*args)`` inside ``tab`` when it is the open tab of ``lazy_tabs``; nothing else."""
    if tab.open:
        with tab:
            draw(*args)
