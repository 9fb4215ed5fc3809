"""Touch tiers in SQL: the tier rule applied at any month, for look-back figures.

A figure that looks back over a period places each account in the tier it held at the start
of that period (``docs/definitions.md``, Tiers in look-back figures): at T-12 for trailing-12
figures, at its first active month for cohorts and survival. This module is
``tiers.assign_tiers`` in the database, month by month: accounts active in a month (after the
sidebar filters) ranked by MRR descending, ties by ``account_id``, with the same exact integer
arithmetic for the boundaries, so the tiers it gives at a month equal ``assign_tiers`` on that
month's MRR.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from cs_dashboard.db.queries import apply_filters, bytewise, cents, month_index_sql
from cs_dashboard.filters import Filters
from cs_dashboard.tiers import NO_SEGMENT, TierRule, exact_cut

#: Multiplier packing a month index and a tier position into one integer (fewer than 16 tiers).
PACK = 16


@dataclass(frozen=True)
class TierSpec:
    """A tier rule as the database applies it: the rule and its tier names in order (for the
    ``segment`` rule, the segment values in tier order)."""

    rule: TierRule
    names: tuple[str, ...]


def month_tiers(tables: dict[str, sa.Table], first: dt.date, last: dt.date, filters: Filters,
                spec: TierSpec) -> sa.Subquery:
    """Active account-months from ``first`` to ``last`` (after ``filters``), each with the tier
    the account held that month. Columns: ``account_id``, ``mi`` (month index), ``mrr``
    (monthly dollars), ``tier`` (position, 0 = tier 1; NULL when the account is in no tier)."""
    mrr = tables["mrr"]
    mi = month_index_sql(mrr.c.month)
    window = (mrr.c.mrr > 0, mrr.c.month >= first, mrr.c.month <= last)
    if spec.rule.rule == "segment":
        return _segment_tiers(tables, mi, window, filters, spec.names)
    c = cents(mrr.c.mrr)
    ranked_by = {"partition_by": mi, "order_by": (mrr.c.mrr.desc(), bytewise(mrr.c.account_id))}
    ranked = apply_filters(sa.select(
        mrr.c.account_id, mi.label("mi"), mrr.c.mrr, c.label("c"),
        sa.func.row_number().over(**ranked_by).label("rank"),
        sa.func.count().over(partition_by=mi).label("n"),
        sa.func.sum(c).over(partition_by=mi).label("total"),
        sa.func.sum(c).over(**ranked_by, rows=(None, 0)).label("running"),
    ).where(*window), mrr, tables, filters).subquery("ranked")
    tier = _rank_tier(spec.rule, ranked.c)
    return sa.select(ranked.c.account_id, ranked.c.mi, ranked.c.mrr,
                     tier.label("tier")).subquery("month_tiers")


def start_tiers(tables: dict[str, sa.Table], first: dt.date, last: dt.date, filters: Filters,
                spec: TierSpec) -> sa.Subquery:
    """The tier each account held in its earliest active month from ``first`` to ``last``:
    columns ``account_id``, ``tier`` (NULL when in no tier)."""
    rows = month_tiers(tables, first, last, filters, spec)
    earliest = sa.func.min(rows.c.mi * PACK + sa.func.coalesce(rows.c.tier, PACK - 1))
    packed = (sa.select(rows.c.account_id, earliest.label("packed"))
              .group_by(rows.c.account_id).subquery("earliest"))
    position = packed.c.packed % PACK
    tier = sa.case((position == PACK - 1, sa.null()), else_=position)
    return sa.select(packed.c.account_id, tier.label("tier")).subquery("start_tiers")


def _rank_tier(rule: TierRule, c: sa.ColumnCollection) -> sa.ColumnElement[int]:
    """Tier position from rank, count, cents and running cents (``tiers.assign_tiers``)."""
    whens = []
    for i, cut in enumerate(rule.cuts):
        if rule.rule == "accounts":
            # rank <= floor(n x cut / 100 + 1/2), exactly: 200 den rank <= 2 n num + 100 den
            q = exact_cut(cut)
            cond = 200 * q.denominator * c.rank <= 2 * q.numerator * c.n + 100 * q.denominator
        elif rule.rule == "revenue":
            # the share covered before this account is below the cut: 100 den before < num total
            q = exact_cut(cut)
            cond = 100 * q.denominator * (c.running - c.c) < q.numerator * c.total
        else:
            cond = c.c >= round(cut * 100)
        whens.append((cond, i))
    return sa.case(*whens, else_=len(rule.cuts))


def _segment_tiers(tables: dict[str, sa.Table], mi: sa.ColumnElement, window: tuple,
                   filters: Filters, names: tuple[str, ...]) -> sa.Subquery:
    mrr, accounts = tables["mrr"], tables.get("accounts")
    if accounts is None or "segment" not in accounts.c:
        tier = sa.cast(sa.null(), sa.Integer)
        source: sa.FromClause = mrr
    else:
        value = sa.func.coalesce(accounts.c.segment, NO_SEGMENT)
        tier = sa.case(*[(value == name, i) for i, name in enumerate(names)], else_=sa.null())
        source = mrr.outerjoin(accounts, accounts.c.account_id == mrr.c.account_id)
    query = apply_filters(sa.select(mrr.c.account_id, mi.label("mi"), mrr.c.mrr, tier.label("tier"))
                          .select_from(source).where(*window), mrr, tables, filters)
    return query.subquery("month_tiers")
