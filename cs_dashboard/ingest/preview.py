"""The summary of an import before it changes anything: what ``validate`` prints and the
Data page shows (per table: rows read, how the file was read, date orders, the column mapping,
the first rows; and total MRR by month)."""

from __future__ import annotations

import pandas as pd

from cs_dashboard.ingest.load import ImportResult, TableReport
from cs_dashboard.ingest.mapping import mapping_document

#: Order of the tables in a summary.
ORDER = ("accounts", "subscriptions", "fx", "mrr", "health", "csms")


def reports(result: ImportResult) -> list[TableReport]:
    """The result's table reports in summary order."""
    return [result.reports[k] for k in ORDER if k in result.reports]


def mapping_frame(report: TableReport) -> pd.DataFrame:
    """Which column fed which field: ``column in file``, ``field`` (blank: ignored), ``how``."""
    return pd.DataFrame({"column in file": [m.column for m in report.columns],
                         "field": [m.field or "" for m in report.columns],
                         "how": [m.how for m in report.columns]})


def first_rows(report: TableReport) -> pd.DataFrame:
    """The report's first rows as they will be stored, dates as ``YYYY-MM-DD``, text cut short."""
    head = report.head.copy() if report.head is not None else pd.DataFrame()
    for col in head.columns:
        if pd.api.types.is_datetime64_any_dtype(head[col]):
            head[col] = head[col].dt.strftime("%Y-%m-%d")
        elif head[col].dtype == object:
            head[col] = head[col].map(lambda x: x if not isinstance(x, str) or len(x) <= 60
                                      else x[:57] + "...")
    return head


def summary_json(result: ImportResult) -> dict:
    """The summary as JSON-ready data (``validate --json``)."""
    tables = {}
    for report in reports(result):
        head = first_rows(report)
        tables[report.table] = {
            "file": report.file, "rows": report.rows, "read": report.read, "dates": report.dates,
            "columns": [{"column": m.column, "field": m.field, "how": m.how}
                        for m in report.columns],
            "first_rows": head.astype(object).where(head.notna(), None).to_dict("records"),
        }
    totals = result.mrr_by_month()
    return {
        "status": "valid" if result.ok else "invalid",
        **{t: len(f) for t, f in result.frames.items()},
        "tables": tables,
        "mrr_by_month": [{"month": f"{m:%Y-%m}", "mrr": round(float(v), 2)}
                         for m, v in zip(totals["month"], totals["mrr"], strict=True)],
        "mapping": mapping_document(result.options, result.matches()),
    }


def summary_text(result: ImportResult) -> str:
    """The summary as plain text (``validate`` without ``--json``)."""
    lines = []
    for report in reports(result):
        lines.append(f"{report.table}: {report.file}, {report.rows:,} rows, {report.read}")
        for column, reading in report.dates.items():
            lines.append(f"  dates in {column}: {reading}")
        fed = [f"{m.column} -> {m.field} ({m.how})" for m in report.columns if m.field]
        ignored = [f"{m.column} ({m.how.removeprefix('ignored: ')})" for m in report.columns
                   if not m.field]
        if fed:
            lines.append("  columns: " + "; ".join(fed))
        if ignored:
            lines.append("  ignored: " + "; ".join(ignored))
        head = first_rows(report)
        if not head.empty:
            lines.append("  first rows:")
            lines += ["    " + line for line in head.to_string(index=False).splitlines()]
    totals = result.mrr_by_month()
    if not totals.empty:
        lines.append("MRR by month:")
        lines += [f"  {m:%Y-%m}  {v:>16,.2f} {result.options.currency}"
                  for m, v in zip(totals["month"], totals["mrr"], strict=True)]
    lines.append("valid: nothing was imported (validate only)" if result.ok else
                 f"{result.problem_count:,} problem(s): nothing can be imported until they are fixed")
    return "\n".join(lines)
