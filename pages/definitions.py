"""Definitions: every metric the app, the CLI and the board pack show, as the contract states it."""

from pathlib import Path

import streamlit as st

from cs_dashboard.ui import header

header.title("Definitions")
st.caption("The numbers on every page, in the CLI and in the board pack follow these definitions.")
text = (Path(__file__).resolve().parents[1] / "docs" / "definitions.md").read_text(encoding="utf-8")
st.markdown(text.split("\n", 1)[1])  # the page title replaces the document's heading
