"""Health: placeholder until issue 4 lands."""

import streamlit as st

from cs_dashboard.ui import messages

st.title("Health")
messages.placeholder("The Health page (scores, ARR at risk, back-test)", "issue 4")
