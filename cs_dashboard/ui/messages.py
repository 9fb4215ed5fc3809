"""One place that renders empty states and problems on a page."""

from __future__ import annotations

import streamlit as st

from cs_dashboard.db.engine import mask_text
from cs_dashboard.errors import InputError


def empty_state() -> None:
    """Friendly notice for a source without data, pointing to the Data page."""
    st.info("There is no revenue data in this database yet. Open the **Data** page to import "
            "your accounts and MRR files, or to build the demo portfolio.", icon=":material/info:")
    st.page_link("pages/data.py", label="Go to the Data page", icon=":material/database:")


def error(exc: InputError, advice: str = "", fallback: str = "", stop: bool = True) -> None:
    """Show ``exc.message`` (and ``advice``: what to do about it). With ``fallback``, what the
    page does instead, it is a warning and the page goes on; otherwise an error, and the page
    stops here unless ``stop`` is False (the rest of the page still works)."""
    text = " ".join(t for t in (exc.message, advice) if t)
    if fallback:
        st.warning(f"{text} {fallback}", icon=":material/warning:")
        return
    st.error(text, icon=":material/error:")
    if stop:
        st.stop()


def source_error(exc: Exception, url: str,
                 advice: str = "Check the connection on the Data page.") -> None:
    """The source could not be read: say so without revealing the password."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    st.error(f"Could not read the database: {mask_text(first, url)}. {advice}",
             icon=":material/error:")

