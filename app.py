"""CS Dashboard entry point: navigation, shared filters and the page context."""

import sqlalchemy as sa
import streamlit as st

from cs_dashboard.filters import Filters
from cs_dashboard.ui import auth, context, demo_note, layout, messages, prewarm, sidebar, timing

timing.start()
st.set_page_config(page_title="CS Dashboard", page_icon=":material/monitoring:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/segmentation.py", title="Segmentation", icon=":material/bar_chart:"),
    st.Page("pages/health.py", title="Health", icon=":material/favorite:"),
    st.Page("pages/retention.py", title="Retention", icon=":material/autorenew:"),
    st.Page("pages/forecast.py", title="Forecast", icon=":material/trending_up:"),
    st.Page("pages/capacity.py", title="Capacity", icon=":material/groups:"),
    st.Page("pages/board_pack.py", title="Board pack", icon=":material/slideshow:"),
    st.Page("pages/data.py", title="Data", icon=":material/database:"),
    st.Page("pages/definitions.py", title="Definitions", icon=":material/menu_book:"),
]

# with [auth] in the secrets: signed in, with a role, or it stops here
access = auth.gate([page.url_path for page in PAGES])
navigation = st.navigation(PAGES)
context.open_deep_link()
url = context.source_url()
try:
    ctx = sidebar.render(url)
except sa.exc.SQLAlchemyError as exc:
    messages.source_error(exc, url)
    ctx = context.Context(url, 0, None, Filters(), ())
st.session_state["ctx"] = ctx
if ctx.as_of is not None and auth.scope() is None:  # a whole-book session: warm every page
    prewarm.start(ctx.url, ctx.version)
st.sidebar.caption(f"Data source: {ctx.source_label}")
auth.sidebar(access)
layout.apply()
demo_note.show(ctx)
try:
    navigation.run()
finally:
    timing.finish(navigation.title)
