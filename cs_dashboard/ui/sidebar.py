"""Shared sidebar filters (as-of month, segment, region, industry, CSM), kept across pages."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.filters import FILTER_COLUMNS, Filters
from cs_dashboard.months import add_months, label, month_index
from cs_dashboard.ui import cache
from cs_dashboard.ui.context import Context

LABELS = {"segment": "Segment", "region": "Region", "industry": "Industry", "csm": "CSM"}


def render(url: str) -> Context:
    """Draw the filters and return the page context; stale selections are dropped."""
    version = cache.data_version(url)
    source_label, demo_accounts = cache.source_details(url)
    span = cache.month_range(url, version)
    if span is None:
        return Context(url, version, None, Filters(), (), source_label, demo_accounts)
    count = month_index(span[1]) - month_index(span[0]) + 1
    months = tuple(add_months(span[0], i) for i in range(count))
    newest_first = list(reversed(months))
    if st.session_state.get("f_as_of") not in newest_first:
        st.session_state["f_as_of"] = newest_first[0]
    sidebar = st.sidebar
    sidebar.header("Filters")
    as_of = sidebar.selectbox("As-of month", newest_first, format_func=label, key="f_as_of",
                              help="Metrics are computed at the end of this month.")
    options = cache.filter_options(url, version)
    chosen = {}
    for column in FILTER_COLUMNS:
        if column not in options:
            continue
        key = f"f_{column}"
        st.session_state[key] = [v for v in st.session_state.get(key, []) if v in options[column]]
        chosen[column] = sidebar.multiselect(LABELS[column], options[column], key=key,
                                             placeholder="All")
    filters = Filters.of(**chosen)
    if filters.active():
        sidebar.caption(f"Showing {filters.describe()}.")
    return Context(url, version, as_of, filters, months, source_label, demo_accounts)
