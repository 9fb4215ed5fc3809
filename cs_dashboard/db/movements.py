"""The MRR movement bridge aggregated per month in SQL (``docs/definitions.md``, Revenue movements).

Each account-month is paired with the same account's previous month by month index (a full
outer join of the rows at ``mi`` with the rows shifted to ``mi + 1``: a missing row is 0),
classified, and summed per month. Amounts are summed in whole cents, so the bridge identity holds exactly.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import sqlalchemy as sa

from cs_dashboard.db.queries import cents, month_index_sql
from cs_dashboard.db.retention import EVERYONE, Scope, account_facts
from cs_dashboard.db.schema import reflect
from cs_dashboard.months import add_months, from_index, month_index

#: Movement kinds, in bridge order.
KINDS = ("new", "reactivation", "expansion", "contraction", "churn")


def movement_sums(engine: sa.Engine, first: dt.date, last: dt.date, w0: dt.date,
                  scope: Scope = EVERYONE) -> pd.DataFrame:
    """Per month index ``mi`` from ``first`` to ``last``: cents and account counts.

    Columns: ``mi``, ``start``, ``end`` (total MRR cents at mi-1 and mi), ``start_accounts``,
    ``end_accounts``, then per kind in ``KINDS`` the signed amount in cents (contraction and
    churn negative) and ``n_<kind>`` (accounts). Months without any row are absent.
    """
    tables = reflect(engine)
    mrr = tables["mrr"]
    # a tier scope keeps the accounts by the tier they held at the start of the bridge (the
    # month before ``first``), or in their first active month after it
    facts = account_facts(tables, last, scope, w0, start_mrr=False, attributes=False,
                          tiers_from=add_months(first, -1))
    lo, hi = month_index(first), month_index(last)
    rows = (sa.select(mrr.c.account_id, month_index_sql(mrr.c.month).label("mi"),
                      cents(mrr.c.mrr).label("c"), facts.c.first_mi)
            .select_from(mrr.join(facts, facts.c.account_id == mrr.c.account_id))
            .where(mrr.c.mrr > 0, mrr.c.month >= from_index(lo - 1), mrr.c.month <= last)
            .subquery("rows"))
    # Each account-month in [first, last] against the same account's previous month: a full
    # outer join, so a missing row on either side counts as 0.
    now = sa.select(rows).where(rows.c.mi.between(lo, hi)).subquery("now")
    before = (sa.select(rows.c.account_id, rows.c.first_mi, (rows.c.mi + 1).label("mi"), rows.c.c)
              .where((rows.c.mi + 1).between(lo, hi)).subquery("before"))
    zero = sa.cast(sa.literal(0), sa.BigInteger)
    per = (sa.select(sa.func.coalesce(now.c.first_mi, before.c.first_mi).label("first_mi"),
                     sa.func.coalesce(now.c.mi, before.c.mi).label("m"),
                     sa.func.coalesce(now.c.c, zero).label("cur"),
                     sa.func.coalesce(before.c.c, zero).label("prev"))
           .select_from(now.outerjoin(before, sa.and_(before.c.account_id == now.c.account_id,
                                                      before.c.mi == now.c.mi), full=True))
           .subquery("per"))
    cur, prev = per.c.cur, per.c.prev
    first_mi = per.c.first_mi
    conditions = {
        "new": (sa.and_(prev == 0, cur > 0, first_mi == per.c.m), cur),
        "reactivation": (sa.and_(prev == 0, cur > 0, first_mi < per.c.m), cur),
        "expansion": (sa.and_(prev > 0, cur > prev), cur - prev),
        "contraction": (sa.and_(prev > 0, cur > 0, cur < prev), cur - prev),
        "churn": (sa.and_(prev > 0, cur == 0), -prev),
    }
    cols: list[sa.ColumnElement] = [
        per.c.m.label("mi"), sa.func.sum(prev).label("start"), sa.func.sum(cur).label("end"),
        _count(prev > 0).label("start_accounts"), _count(cur > 0).label("end_accounts")]
    for kind, (cond, amount) in conditions.items():
        cols.append(sa.func.sum(sa.case((cond, amount), else_=0)).label(kind))
        cols.append(_count(cond).label(f"n_{kind}"))
    query = sa.select(*cols).group_by(per.c.m).order_by(per.c.m)
    names = [c.name for c in cols]
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all(), columns=names)
    for name in names:
        frame[name] = frame[name].map(int).astype("int64") if len(frame) else \
            frame[name].astype("int64")
    return frame


def _count(cond: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.sum(sa.case((cond, 1), else_=0))
