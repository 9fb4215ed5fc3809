"""Data: the source, its tables, imports with a preview before anything changes, templates."""

import streamlit as st

from cs_dashboard.db.engine import DEFAULT_URL, opens_read_only
from cs_dashboard.db.schema import TABLES
from cs_dashboard.ingest.load import max_upload_mb
from cs_dashboard.ingest.templates import EXAMPLES, template_csv
from cs_dashboard.months import label
from cs_dashboard.ui import audit_log, auth, cache, context, header, messages, source_label
from cs_dashboard.ui import data_import as di

header.title("Data")
ctx = context.get()

st.subheader("Source")
st.markdown(f"Reading from `{ctx.location}`.")
source_label.editor(ctx)
mapped = di.mapping_notice(ctx.url)
try:
    counts = cache.table_counts(ctx.url, ctx.version)
except Exception as exc:  # noqa: BLE001 - shown masked; the page stays usable
    counts = {}
    messages.source_error(exc, ctx.url, "Choose another source below.")
cols = st.columns(len(TABLES) + 1)
for col, table in zip(cols, TABLES, strict=False):
    col.metric(f"{table} rows", f"{counts[table]:,}" if table in counts else "absent")
cols[-1].metric("Months", f"{len(ctx.months):,}" if ctx.months else "–")
if ctx.months:
    cols[-1].caption(f"{label(ctx.months[0])} – {label(ctx.months[-1])}")

if not auth.admin_only("Importing data and changing the source"):
    st.stop()

with st.expander("Use another database"):
    st.caption("Any SQLAlchemy URL: postgresql://user:password@host/db, snowflake://..., "
               "duckdb:///path/file.duckdb. The password is never shown. For a permanent "
               "choice set CS_DASHBOARD_DB_URL or `db_url` in Streamlit secrets; to read your "
               "own tables or views in place, add a source mapping (docs/operations.md).")
    new_url = st.text_input("Database URL", type="password", key="data_url")
    left, right = st.columns(2)
    if left.button("Connect", key="data_connect", disabled=not new_url):
        context.change_source(new_url)
    if right.button("Back to the embedded database", key="data_default"):
        context.change_source(None)

st.subheader("Import your data")
read_only = opens_read_only(ctx.url)
st.markdown("Upload CSV or Excel files as your CRM and billing systems export them: Salesforce "
            "and HubSpot account reports, Stripe and Baremetrics subscriptions, or our templates. "
            "You see a preview first; an import replaces all data in the source in one "
            f"transaction, and nothing changes while any problem remains. Files up to "
            f"{max_upload_mb():,.0f} MB each.")
if read_only:
    st.info("This source is opened read-only (CS_DASHBOARD_READ_ONLY=1), so the app cannot "
            "import into it. Switch back to the embedded database to import files.")
elif mapped:
    st.info("This source is read through a source mapping, so the app does not import into it: "
            "load those tables with your own pipeline, or switch to another database to import.")
files = di.file_inputs()
result = None
if files.error:
    messages.error(files.error, stop=False)
elif files.ready():
    result = di.validated(files)
    di.show_preview(result)
di.import_button(result, ctx.url, disabled=read_only or mapped, files=files)

if "data_last_import" in st.session_state:
    imported = st.session_state["data_last_import"]
    st.success("Imported " + ", ".join(f"{n:,} {t} rows" for t, n in imported.items()) + ".")

st.subheader("Templates")
templates = st.container(horizontal=True, wrap=True)
for table in EXAMPLES:
    templates.download_button(f"{table}.csv", template_csv(table), f"{table}_template.csv", "text/csv",
                              key=f"data_tpl_{table}", on_click="ignore")
st.caption("Column names match ignoring case, spaces and underscores, and the labels of common "
           "exports are recognised. Dates: YYYY-MM-DD, YYYY-MM, or MM/DD/YYYY and DD/MM/YYYY "
           "(the order is read from each column). Money: 1234.50, $1,234.50. Health components "
           "and scores: 0 to 100.")
with st.expander("Export labels recognised"):
    st.dataframe(di.recognised_labels(), hide_index=True, width="stretch")

if ctx.url == DEFAULT_URL or ctx.as_of is None:
    di.demo_button(ctx.url, disabled=read_only or mapped)

audit_log.recent()
