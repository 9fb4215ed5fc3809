"""Board pack: placeholder until issue 6 lands."""

import streamlit as st

from cs_dashboard.ui import messages

st.title("Board pack")
messages.placeholder("The Board pack page (PowerPoint deck and chart exports)", "issue 6")
