"""Capacity: placeholder until issue 8 lands."""

import streamlit as st

from cs_dashboard.ui import messages

st.title("Capacity")
messages.placeholder("The Capacity page (CSM coverage and hiring plan)", "issue 8")
