"""Queries behind the capacity model: each active account's MRR and CSM, and the roster.

One row per account at a month (never the revenue history); filters as bound parameters.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from cs_dashboard.db.queries import apply_filters, fetch_frame
from cs_dashboard.db.schema import reflect
from cs_dashboard.filters import Filters

ROSTER_COLUMNS = ("csm", "team", "role", "start_date", "hours_per_week", "annual_cost")


def account_books(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters()) -> pd.DataFrame:
    """Accounts active at ``as_of`` with their MRR and CSM: columns ``account_id``, ``mrr``
    (monthly dollars), ``csm`` (``None`` when the account has no CSM)."""
    tables = reflect(engine)
    mrr = tables["mrr"]
    accounts = tables.get("accounts")
    if accounts is not None and "csm" in accounts.c:
        csm = sa.case((sa.func.trim(accounts.c.csm) == "", None), else_=accounts.c.csm)
        source = mrr.outerjoin(accounts, accounts.c.account_id == mrr.c.account_id)
    else:
        csm = sa.null()
        source = mrr
    query = apply_filters(
        sa.select(mrr.c.account_id, mrr.c.mrr, csm.label("csm")).select_from(source)
        .where(mrr.c.month == as_of, mrr.c.mrr > 0),
        mrr, tables, filters)
    frame = fetch_frame(engine, query, ["account_id", "mrr", "csm"])
    frame["account_id"] = frame["account_id"].astype(str)
    frame["mrr"] = frame["mrr"].astype(float)
    frame["csm"] = frame["csm"].astype(object).where(frame["csm"].notna(), None)
    return frame


def csm_roster(engine: sa.Engine) -> pd.DataFrame:
    """The ``csms`` table (columns that exist among ``ROSTER_COLUMNS``), one row per CSM,
    sorted by name; empty with a ``csm`` column when the table is absent."""
    table = reflect(engine).get("csms")
    if table is None:
        return pd.DataFrame(columns=["csm"])
    cols = [table.c[c] for c in ROSTER_COLUMNS if c in table.c]
    with engine.connect() as conn:
        rows = conn.execute(sa.select(*cols).where(table.c.csm.is_not(None)).order_by(table.c.csm)).all()
    frame = pd.DataFrame(rows, columns=[c.name for c in cols])
    frame["csm"] = frame["csm"].astype(str)
    for col in ("hours_per_week", "annual_cost"):
        if col in frame:
            frame[col] = pd.to_numeric(frame[col], errors="coerce")
    return frame.drop_duplicates("csm").reset_index(drop=True)
