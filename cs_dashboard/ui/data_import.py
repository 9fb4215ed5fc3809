"""The Data page's import: the files and choices, the preview before anything changes, the
import itself (``db.writer.load_source``, as the CLI runs it), the demo portfolio, and the source
mapping notice. The page wires these in order."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from cs_dashboard import demo
from cs_dashboard.db import source_map
from cs_dashboard.db.engine import describe_error
from cs_dashboard.db.writer import load_source
from cs_dashboard.errors import InputError
from cs_dashboard.ingest import load_tables
from cs_dashboard.ingest.currency import currency_code
from cs_dashboard.ingest.labels import LABELS, match_columns, missing_fields
from cs_dashboard.ingest.load import ImportResult
from cs_dashboard.ingest.mapping import ImportOptions, MappingError, mapping_json, read_mapping
from cs_dashboard.ingest.preview import first_rows, mapping_frame, reports
from cs_dashboard.ingest.problems import problems_frame, spreadsheet_safe
from cs_dashboard.ingest.read import read_header
from cs_dashboard.ingest.templates import describe
from cs_dashboard.ui import auth, cache

FILE_TYPES = ["csv", "txt", "xlsx", "xlsm"]
MRR_FILE, SUBSCRIPTIONS = "A monthly MRR file", "Subscriptions (a billing export)"
DATE_CHOICES = {"Infer from each column": None, "Month first (MM/DD/YYYY)": "MM/DD/YYYY",
                "Day first (DD/MM/YYYY)": "DD/MM/YYYY"}
_PREVIEW = "data_preview"


@dataclass
class Files:
    """What the user gave: the files per kind (name, bytes), their upload ids, column choices
    made on the page, and the options (a mapping file's, with the page's choices over them)."""

    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    options: ImportOptions = field(default_factory=ImportOptions)
    error: InputError | None = None

    def ready(self) -> bool:
        """Enough files to import: accounts and MRR, or subscriptions."""
        return "subscriptions" in self.uploads or {"accounts", "mrr"} <= set(self.uploads)


def mapping_notice(url: str) -> bool:
    """Say when the source is read through a source mapping (or the mapping is broken);
    True when one applies, so the page does not import into it."""
    try:
        smap = source_map.configured()
    except source_map.SourceMapError as exc:
        st.error(str(exc), icon=":material/error:")
        return False
    if smap is None or not smap.tables:
        return False
    if smap.url is None:
        st.info(f"The source mapping in `{smap.origin}` names no database, so it is not used: "
                "add `url = ...` under `[source]` (or `db_url`).")
        return False
    if not smap.applies_to(url):
        return False
    st.markdown(f"Read through the source mapping in `{smap.origin}`:")
    st.dataframe(pd.DataFrame({
        "table": [t.table for t in smap.tables], "reads": [t.name for t in smap.tables],
        "columns renamed": [", ".join(f"{a} → {b}" for a, b in t.columns) or "–"
                            for t in smap.tables]}), hide_index=True, width="stretch")
    return True


def file_inputs() -> Files:
    """The uploads and choices: what kind of revenue file, the files, a mapping file, the date
    order and currency, and a column for each required field no column feeds."""
    files = Files()
    kind = st.radio("Your revenue data", [MRR_FILE, SUBSCRIPTIONS], horizontal=True,
                    key="data_kind", help="A table of MRR per account and month, or one row per "
                    "subscription from a billing system (Baremetrics template, Stripe export, or "
                    "account_id, start, end, amount, interval, quantity): monthly MRR is derived.")
    kinds = (["accounts", "mrr"] if kind == MRR_FILE else ["subscriptions", "accounts", "fx"])
    kinds += ["health", "csms"]
    labels = {"accounts": "accounts file" + (" (required)" if kind == MRR_FILE else
                                             " (optional: else one account per customer)"),
              "mrr": "mrr file (required)", "subscriptions": "subscriptions file (required)",
              "fx": "exchange rates (only for currencies other than the reporting one)",
              "health": "health file", "csms": "csms file"}
    with st.expander("Mapping file, date order and currency"):
        saved = st.file_uploader("Mapping file (JSON or TOML), as downloaded after a preview",
                                 type=["json", "toml"], key="data_up_mapping")
        left, right = st.columns(2)
        order = left.selectbox("Dates such as 03/04/2024", list(DATE_CHOICES), key="data_dates",
                               help="Each column's order is inferred from its values (a day above "
                                    "12 decides it); choose one when every date fits both.")
        currency = right.text_input("Reporting currency", key="data_currency",
                                    placeholder="USD", help="Subscriptions in other currencies "
                                    "are converted with the exchange rates file.")
    try:
        if saved is not None:
            files.options = read_mapping(saved.getvalue(), saved.name)
        if DATE_CHOICES[order]:
            files.options = dataclasses.replace(files.options, date_format=DATE_CHOICES[order])
        if currency.strip():
            files.options = dataclasses.replace(files.options, currency=currency_code(currency))
    except MappingError as exc:
        files.error = exc
    except ValueError as exc:
        files.error = InputError(f"reporting currency: {exc}")
    grid = st.columns(2)
    for i, table in enumerate(kinds):
        with grid[i % 2]:
            upload = st.file_uploader(labels[table], type=FILE_TYPES, key=f"data_up_{table}",
                                      help=describe(table))
            if upload is None:
                continue
            data = upload.getvalue()
            files.uploads[table] = (upload.name, data)
            files.ids[table] = upload.file_id
            _missing_columns(files, table, upload.name, read_header(data, upload.name, table))
    return files


def _missing_columns(files: Files, table: str, name: str, header: list[str]) -> None:
    """A selectbox for each required field of ``table`` that no column of ``header`` feeds."""
    if not header:
        return
    saved = files.options.columns.get(table)
    for target in missing_fields(table, match_columns(header, table, saved)):
        source = st.selectbox(f"Which column of {name} is **{target}**?", ["—"] + header,
                              key=f"data_map_{table}_{target}")
        if source != "—":
            files.columns.setdefault(table, {})[source] = target


def validated(files: Files) -> ImportResult:
    """The files validated, once per set of uploads and choices (kept in the session)."""
    key = (tuple(sorted(files.ids.items())), repr(files.options), repr(files.columns))
    kept = st.session_state.get(_PREVIEW)
    if kept is None or kept[0] != key:
        with st.spinner("Reading and checking the files…"):
            kept = (key, load_tables(files.uploads, files.columns, files.options))
        st.session_state[_PREVIEW] = kept
    return kept[1]


def show_preview(result: ImportResult) -> None:
    """Per table: rows read, how, date orders, the column mapping, the first rows; the MRR by
    month; the warnings; and every problem, downloadable."""
    st.subheader("Preview")
    st.caption("Nothing has changed yet: check what will be imported, then import.")
    found = reports(result)
    for tab, report in zip(st.tabs([r.table for r in found]), found, strict=True):
        with tab:
            st.markdown(f"**{report.file}**: {report.rows:,} rows read, {report.read}.")
            for column, reading in report.dates.items():
                st.markdown(f"Dates in `{column}`: {reading}.")
            if report.columns:
                st.caption("Which column of the file fed which field (blank: ignored, and why).")
                st.dataframe(mapping_frame(report), hide_index=True, width="stretch")
            head = first_rows(report)
            if not head.empty:
                st.caption("The first rows, as they will be imported.")
                st.dataframe(head, hide_index=True, width="stretch")
    totals = result.mrr_by_month()
    if not totals.empty:
        st.markdown(f"**Total MRR by month** ({result.options.currency}), "
                    f"{totals['month'].min():%Y-%m} to {totals['month'].max():%Y-%m}: "
                    f"{totals['mrr'].iloc[-1]:,.2f} in the last month.")
        by_month = totals.assign(month=totals["month"].dt.strftime("%Y-%m")).set_index("month")
        st.bar_chart(by_month["mrr"], height=220, x_label="month",
                     y_label=f"MRR ({result.options.currency})")
    for warning in result.warnings:
        st.warning(warning)
    if not result.ok:
        report = problems_frame(result.problems)
        st.error(f"{result.problem_count:,} problem(s) found; nothing can be imported until they "
                 "are fixed, and the current data is intact.")
        st.dataframe(report.head(500), hide_index=True, width="stretch")
        st.download_button("Download the full report (CSV)",
                           spreadsheet_safe(report).to_csv(index=False), "import_problems.csv",
                           "text/csv", key="data_report_dl", on_click="ignore")
    if result.matches():
        st.download_button("Download this mapping (JSON)",
                           mapping_json(result.options, result.matches()), "cs_dashboard_mapping.json",
                           "application/json", key="data_mapping_dl", on_click="ignore",
                           help="Reuse it with `python -m cs_dashboard import --mapping FILE` or "
                                "upload it here next month.")


def import_button(result: ImportResult | None, url: str, disabled: bool,
                  files: Files | None = None) -> None:
    """The Import button, enabled once the preview shows files without problems: writes all
    tables in one transaction (recorded in the audit trail with the files' names and sizes),
    then refreshes every page."""
    ready = result is not None and result.ok
    if not st.button("Import", type="primary", key="data_import", disabled=disabled or not ready,
                     help=None if ready else "Upload the files; the preview comes first."):
        return
    try:
        uploads = files.uploads if files is not None else {}
        rows = load_source(cache.engine(url), url, result.frames, cache.app_state(),
                           who=auth.who(),
                           files={k: (name, len(data)) for k, (name, data) in uploads.items()})
    except sa.exc.SQLAlchemyError as exc:
        st.error(f"Nothing was imported: {describe_error(exc, url)}")
        return
    cache.clear()
    st.session_state["data_last_import"] = rows
    st.session_state.pop(_PREVIEW, None)
    st.rerun()


def demo_button(url: str, disabled: bool) -> None:
    """The button that builds the demo portfolio into the source (replacing its data)."""
    st.subheader("Demo portfolio")
    st.caption("A realistic, deterministic portfolio of 2,000 accounts over 36 months.")
    if st.button("Build the demo portfolio (replaces the data)", key="data_demo",
                 disabled=disabled):
        with st.spinner("Generating…"):
            load_source(cache.engine(url), url, demo.generate(), cache.app_state(), demo=True,
                        who=auth.who())
            cache.clear()
        st.rerun()


def recognised_labels() -> pd.DataFrame:
    """The export labels the importer recognises, by system (``labels.LABELS``)."""
    return pd.DataFrame({"system": [x.system for x in LABELS], "file": [x.table for x in LABELS],
                         "column label": [x.label for x in LABELS],
                         "field": [x.field for x in LABELS]})
