"""Styling every page shares, set once by ``app.py``: text that fits, the question under each
page's title (``header``) and the demo note (``demo_note``)."""

from __future__ import annotations

import streamlit as st

CSS = """<style>
/* A metric's label wraps onto a second line instead of ending in an ellipsis. */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
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
