"""Showing a chart with the downloads of the data behind it: the one helper every page uses."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import plotly.graph_objects as go
import streamlit as st


def safe_filename(name: str) -> str:
    """A file-name stem of letters, digits, dashes and underscores."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", name).strip("_").lower()
    return stem[:80] or "chart"


def show_chart(chart: go.Figure | alt.TopLevelMixin, data: pd.DataFrame | None, name: str,
               key: str) -> None:
    """Render ``chart`` full width, with a CSV download of ``data`` (downloads never rerun)."""
    if isinstance(chart, go.Figure):
        st.plotly_chart(chart, width="stretch", key=f"{key}_chart")
    else:
        st.altair_chart(chart, width="stretch", key=f"{key}_chart")
    if data is not None and not data.empty:
        st.download_button("Download data (CSV)", data.to_csv(index=False).encode("utf-8"),
                           f"{safe_filename(name)}.csv", "text/csv", key=f"{key}_csv",
                           on_click="ignore", icon=":material/download:")
