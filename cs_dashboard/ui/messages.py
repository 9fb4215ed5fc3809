"""One place that renders empty states and problems on a page."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.db.engine import mask_text


def empty_state() -> None:
    """Friendly notice for a source without data, pointing to the Data page."""
    st.info("There is no revenue data in this database yet. Open the **Data** page to import "
            "your accounts and MRR files, or to build the demo portfolio.", icon=":material/info:")
    st.page_link("pages/data.py", label="Go to the Data page", icon=":material/database:")


def source_error(exc: Exception, url: str) -> None:
    """The source could not be read: say so without revealing the password."""
    st.error(f"Could not read the database: {mask_text(str(exc).splitlines()[0], url)}. "
             "Check the connection on the Data page.", icon=":material/error:")


def placeholder(what: str, issue: str) -> None:
    """A clear notice for a page whose feature has not landed yet."""
    st.info(f"{what} is being built ({issue}). Until then, the Overview and Data pages are "
            "ready to use.", icon=":material/construction:")
