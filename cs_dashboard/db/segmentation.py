"""Segmentation queries: each account's MRR at T and at T-12 in one aggregating query."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from cs_dashboard.db.queries import apply_filters, fetch_frame
from cs_dashboard.db.schema import reflect
from cs_dashboard.filters import Filters
from cs_dashboard.months import add_months


def account_mrr_now_and_then(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters(),
                             months_back: int = 12) -> pd.DataFrame:
    """One row per account active at ``as_of`` or ``months_back`` months earlier.

    Columns: ``account_id`` (str), ``mrr_now`` and ``mrr_then`` (monthly USD, 0 when inactive).
    """
    tables = reflect(engine)
    mrr = tables["mrr"]
    then = add_months(as_of, -months_back)
    query = apply_filters(
        sa.select(
            mrr.c.account_id,
            sa.func.sum(sa.case((mrr.c.month == as_of, mrr.c.mrr), else_=0.0)).label("mrr_now"),
            sa.func.sum(sa.case((mrr.c.month == then, mrr.c.mrr), else_=0.0)).label("mrr_then"),
        ).where(mrr.c.month.in_([as_of, then]), mrr.c.mrr > 0).group_by(mrr.c.account_id),
        mrr, tables, filters)
    frame = fetch_frame(engine, query, ["account_id", "mrr_now", "mrr_then"])
    return frame.astype({"account_id": str, "mrr_now": float, "mrr_then": float})
