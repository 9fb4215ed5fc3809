"""Data: the source, its tables, imports with validation, and templates."""

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from cs_dashboard import demo
from cs_dashboard.db.engine import DEFAULT_URL, describe_error, mask_url, opens_read_only
from cs_dashboard.db.schema import TABLES
from cs_dashboard.db.writer import replace_source
from cs_dashboard.ingest import load_tables
from cs_dashboard.ingest.load import max_upload_mb
from cs_dashboard.ingest.problems import problems_frame, spreadsheet_safe
from cs_dashboard.ingest.read import read_header
from cs_dashboard.ingest.templates import describe, missing_required, template_csv
from cs_dashboard.months import label
from cs_dashboard.ui import cache, context

st.title("Data")
ctx = context.get()

st.subheader("Source")
st.markdown(f"Reading from `{ctx.source_label}`.")
try:
    counts = cache.table_counts(ctx.url, ctx.version)
except Exception as exc:  # noqa: BLE001 - shown masked; the page stays usable
    counts = {}
    st.error(f"Could not read this database ({type(exc).__name__}). Choose another source below.")
cols = st.columns(len(TABLES) + 1)
for col, table in zip(cols, TABLES, strict=False):
    col.metric(f"{table} rows", f"{counts[table]:,}" if table in counts else "absent")
cols[-1].metric("Months", f"{label(ctx.months[0])} – {label(ctx.months[-1])}" if ctx.months else "–")

with st.expander("Use another database"):
    st.caption("Any SQLAlchemy URL: postgresql://user:password@host/db, snowflake://..., "
               "duckdb:///path/file.duckdb. The password is never shown. For a permanent "
               "choice set CS_DASHBOARD_DB_URL or `db_url` in Streamlit secrets.")
    new_url = st.text_input("Database URL", type="password", key="data_url")
    left, right = st.columns(2)
    if left.button("Connect", key="data_connect", disabled=not new_url):
        st.session_state[context.SOURCE_KEY] = new_url
        st.rerun()
    if right.button("Back to the embedded database", key="data_default"):
        st.session_state.pop(context.SOURCE_KEY, None)
        st.rerun()

st.subheader("Import your data")
read_only = opens_read_only(ctx.url)
st.markdown("Upload CSV or Excel files. Accounts and MRR are required; health and CSMs are "
            "optional. An import replaces all data in the source, in one transaction: if any "
            f"problem is found, nothing changes. Files up to {max_upload_mb():,.0f} MB each.")
if read_only:
    st.info("This source is opened read-only (CS_DASHBOARD_READ_ONLY=1), so the app cannot "
            "import into it. Switch back to the embedded database to import files.")
uploads = {}
mappings: dict[str, dict[str, str]] = {}
grid = st.columns(2)
for i, table in enumerate(TABLES):
    with grid[i % 2]:
        upload = st.file_uploader(f"{table} file" + (" (required)" if table in ("accounts", "mrr")
                                                     else ""),
                                  type=["csv", "txt", "xlsx", "xlsm"], key=f"data_up_{table}",
                                  help=describe(table))
        if upload is None:
            continue
        data = upload.getvalue()
        uploads[table] = (upload.name, data)
        header = read_header(data, upload.name, table)
        for target in missing_required(table, header) if header else []:
            source = st.selectbox(f"Which column of {upload.name} is **{target}**?",
                                  ["—"] + header, key=f"data_map_{table}_{target}")
            if source != "—":
                mappings.setdefault(table, {})[source] = target

if st.button("Validate and import", type="primary", key="data_import",
             disabled=read_only or not {"accounts", "mrr"} <= set(uploads)):
    with st.spinner("Validating…"):
        result = load_tables(uploads, mappings)
    for warning in result.warnings:
        st.warning(warning)
    written = False
    if result.ok:
        try:
            replace_source(cache.engine(ctx.url), result.frames)
            written = True
        except sa.exc.SQLAlchemyError as exc:
            st.error(f"Nothing was imported: {describe_error(exc, ctx.url)}")
    if written:
        cache.app_state().bump_data_version(mask_url(ctx.url))
        cache.clear()
        st.session_state["data_last_import"] = {t: len(f) for t, f in result.frames.items()}
        st.session_state.pop("data_report", None)
        st.rerun()
    st.session_state.pop("data_last_import", None)
    if result.ok:  # valid but not written (the error is shown above): no stale report
        st.session_state.pop("data_report", None)
    else:
        st.session_state["data_report"] = problems_frame(result.problems)
        st.session_state["data_report_count"] = result.problem_count

if "data_last_import" in st.session_state:
    counts = st.session_state["data_last_import"]
    st.success("Imported " + ", ".join(f"{n:,} {t} rows" for t, n in counts.items()) + ".")
if "data_report" in st.session_state:
    report: pd.DataFrame = st.session_state["data_report"]
    count = st.session_state["data_report_count"]
    st.error(f"{count:,} problem(s) found; nothing was imported and the previous data is intact.")
    st.dataframe(report.head(500), hide_index=True, width="stretch")
    st.download_button("Download the full report (CSV)", spreadsheet_safe(report).to_csv(index=False),
                       "import_problems.csv", "text/csv", key="data_report_dl",
                       on_click="ignore")

st.subheader("Templates")
tcols = st.columns(len(TABLES))
for col, table in zip(tcols, TABLES, strict=False):
    col.download_button(f"{table}.csv", template_csv(table), f"{table}_template.csv", "text/csv",
                        key=f"data_tpl_{table}", on_click="ignore")
st.caption("Column names match ignoring case, spaces and underscores. Dates: YYYY-MM-DD or "
           "YYYY-MM. Money: 1234.50, $1,234.50. Health components and scores: 0 to 100.")

if ctx.url == DEFAULT_URL or ctx.as_of is None:
    st.subheader("Demo portfolio")
    st.caption("A realistic, deterministic portfolio of 2,000 accounts over 36 months.")
    if st.button("Build the demo portfolio (replaces the data)", key="data_demo"):
        with st.spinner("Generating…"):
            replace_source(cache.engine(ctx.url), demo.generate())
            cache.app_state().bump_data_version(mask_url(ctx.url))
            cache.clear()
        st.rerun()
