"""Retention: placeholder until issue 5 lands."""

import streamlit as st

from cs_dashboard.ui import messages

st.title("Retention")
messages.placeholder("The Retention page (cohorts, survival, revenue movements)", "issue 5")
