"""The page context: which source (and its "Data source" label), which data version, which
month and filters."""

from __future__ import annotations

import datetime as dt
import inspect
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from cs_dashboard.db.engine import mask_url, resolve_url
from cs_dashboard.db.state import database_name
from cs_dashboard.filters import Filters
from cs_dashboard.ui import auth

SOURCE_KEY = "source_url"
#: The entry point, relative to the app's folder (``st.switch_page`` resolves it from there).
APP_SCRIPT = "app.py"


@dataclass(frozen=True)
class Context:
    """What every page needs; ``as_of`` is ``None`` when the source has no data.

    ``source_label`` names the data in words a reader knows ("Demo portfolio", "sales"): it goes
    on captions, chart footnotes and slides; ``location`` (the masked URL) only on the Data
    page. ``demo_accounts`` is the demo portfolio's size, ``None`` on anyone's own data.
    """

    url: str
    version: int
    as_of: dt.date | None
    filters: Filters
    months: tuple[dt.date, ...]
    source_label: str = ""
    demo_accounts: int | None = None

    def __post_init__(self) -> None:
        if not self.source_label:
            object.__setattr__(self, "source_label", database_name(self.url))

    @property
    def location(self) -> str:
        """Where the data lives, password masked: for the Data page, never for a slide."""
        return mask_url(self.url)


def source_url() -> str:
    """The session's source: a URL chosen on the Data page, else env, secrets or the demo DB."""
    chosen = st.session_state.get(SOURCE_KEY) if auth.is_admin() else None
    return chosen or resolve_url(None, _secrets_url())


def change_source(url: str | None) -> None:
    """Read this session from ``url`` (``None``: back to the configured source), recorded in
    the audit trail with both URLs masked; an admin's choice only. Reruns the app."""
    if not auth.is_admin():
        return
    before = source_url()
    if url:
        st.session_state[SOURCE_KEY] = url
    else:
        st.session_state.pop(SOURCE_KEY, None)
    after = source_url()
    if after != before:
        from cs_dashboard.ui import cache
        cache.app_state().record(auth.who(), "source change",
                                 {"from": mask_url(before), "to": mask_url(after)}, after)
    st.rerun()


def _secrets_url() -> str | None:
    try:
        return st.secrets.get("db_url") or st.secrets.get("CS_DASHBOARD_DB_URL")
    except Exception:  # noqa: BLE001 - no secrets file is the common case
        return None


#: Session key of a deep-linked page to open once ``app.py`` has set up navigation.
DEEP_LINK_KEY = "deep_link"


def get() -> Context:
    """The context set by ``app.py`` for this run.

    A server's very first run can execute a deep-linked page without ``app.py``: Streamlit
    treats a ``pages/`` folder as a legacy multipage app until ``st.navigation`` has been
    called once. The page then hands over to ``app.py``, which sets up navigation, the
    sidebar filters and the context, and opens the page (``open_deep_link``).
    """
    if "ctx" not in st.session_state:
        caller = Path(inspect.stack()[1].filename)
        st.session_state[DEEP_LINK_KEY] = f"{caller.parent.name}/{caller.name}"
        st.switch_page(APP_SCRIPT)
    return st.session_state["ctx"]


def open_deep_link() -> None:
    """In ``app.py`` after ``st.navigation``: open the page a deep link asked for, if any."""
    target = st.session_state.pop(DEEP_LINK_KEY, None)
    if target:
        st.switch_page(target)
