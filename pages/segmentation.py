"""Segmentation: placeholder until issue 3 lands."""

import streamlit as st

from cs_dashboard.ui import messages

st.title("Segmentation")
messages.placeholder("The Segmentation page (Pareto chart and touch tiers)", "issue 3")
