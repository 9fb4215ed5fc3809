"""Retention queries: per-account facts, cohort cells, trailing-12 retention and lifetimes.

Definitions: ``docs/definitions.md`` (Portfolio, Cohort retention, Survival). Every query aggregates in
the database and returns one row per (cohort, age), per month, per CSM or per account; none
returns the account-month history. Month arithmetic uses ``queries.month_index_sql``.

All queries are built on ``account_facts``: one row per account that was active at some month
up to T, restricted to the ``Scope`` (sidebar filters, a tier, first-year or tenured accounts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import sqlalchemy as sa

from cs_dashboard.db.queries import apply_filters, cents, month_index_sql
from cs_dashboard.db.schema import reflect
from cs_dashboard.db.tiers import TierSpec, month_tiers, start_tiers
from cs_dashboard.filters import Filters
from cs_dashboard.months import from_index, month_index

TENURES = ("first-year", "tenured")


@dataclass(frozen=True)
class Scope:
    """Which accounts a retention query covers (hashable, so pages can cache on it).

    ``tiers``: the tier rule as SQL applies it (needed for a ``tier`` or a split by tier);
    ``tier``: keep only the accounts in this tier at the start of the period measured.
    """

    filters: Filters = field(default_factory=Filters)
    tiers: TierSpec | None = None
    tier: str | None = None
    tenure: str | None = None

    def tier_position(self) -> int | None:
        """Position of ``tier`` among the tier names (-1 when it is not one of them)."""
        if self.tier is None or self.tiers is None:
            return None
        names = self.tiers.names
        return names.index(self.tier) if self.tier in names else -1


#: Multiplier packing a month index and an amount in cents into one integer (amounts below
#: $100M a month).
PACK = 10**10

#: The whole portfolio (sidebar filters only).
EVERYONE = Scope()


def account_facts(tables: dict[str, sa.Table], as_of: dt.date, scope: Scope, w0: dt.date,
                  start_mrr: bool = True, attributes: bool = True,
                  tiers_from: dt.date | None = None) -> sa.CTE:
    """One row per account active at some month up to T, within ``scope``.

    Columns: ``account_id``; ``first_mi`` (month index of c(a)); ``last_month`` (last active
    month up to T); ``tier`` (with ``scope.tiers``: the tier position the account held in its
    earliest active month from ``tiers_from`` (default W0: its first active month) to T; else
    NULL). With ``start_mrr``: ``start_mrr`` (MRR at c(a)). With ``attributes`` (implied by a
    tenure scope): ``pre_window`` (1/0), ``since_mi`` (month index of ``customer_since``, NULL
    when unknown), ``start_mi`` (``since_mi`` for pre-window accounts that have it, else
    ``first_mi``) and the account columns present. Leaving parts out saves a pass over
    ``mrr`` or a join on large data.
    """
    mrr = tables["mrr"]
    accounts = tables.get("accounts")
    # MRR at the first active month in the same pass as the months themselves: month index x
    # 10^10 + cents packs (month, MRR) into one integer whose min is the first active month
    # (no second scan of mrr, portable integer arithmetic).
    packed = month_index_sql(mrr.c.month) * sa.cast(sa.literal(PACK), sa.BigInteger) \
        + cents(mrr.c.mrr)
    span = apply_filters(
        sa.select(mrr.c.account_id, sa.func.min(mrr.c.month).label("first_month"),
                  sa.func.max(mrr.c.month).label("last_month"),
                  sa.func.min(packed).label("first_packed"))
        .where(mrr.c.mrr > 0, mrr.c.month <= as_of).group_by(mrr.c.account_id),
        mrr, tables, scope.filters).subquery("span")
    w0_mi = month_index(w0)
    first_mi = month_index_sql(span.c.first_month)
    cols: list[sa.ColumnElement] = [span.c.account_id, first_mi.label("first_mi"),
                                    span.c.last_month]
    source: sa.FromClause = span
    if start_mrr:
        start_cents = span.c.first_packed - first_mi * PACK
        cols.append((sa.cast(start_cents, sa.Double) / 100.0).label("start_mrr"))
    attributes = attributes or scope.tenure in TENURES
    since = None
    unknown_start = start_mi = None
    if attributes and accounts is not None:
        source = source.outerjoin(accounts, accounts.c.account_id == span.c.account_id)
        cols += [accounts.c[n] for n in ("segment", "region", "industry", "plan", "csm")
                 if n in accounts.c]
        since = accounts.c.customer_since if "customer_since" in accounts.c else None
    if attributes:
        if since is not None:
            since_mi = sa.case((since.is_(None), sa.null()), else_=month_index_sql(since))
            pre = sa.or_(since < w0, sa.and_(since.is_(None), first_mi == w0_mi))
            start_mi = sa.case((since < w0, month_index_sql(since)), else_=first_mi)
            unknown_start = sa.and_(since.is_(None), first_mi == w0_mi)
        else:
            since_mi = sa.null()
            pre = first_mi == w0_mi
            start_mi = first_mi
            unknown_start = pre
        cols += [sa.case((pre, 1), else_=0).label("pre_window"), since_mi.label("since_mi"),
                 start_mi.label("start_mi")]
    tier: sa.ColumnElement = sa.cast(sa.null(), sa.Integer)
    if scope.tiers is not None:
        held = start_tiers(tables, tiers_from or w0, as_of, scope.filters, scope.tiers)
        source = source.outerjoin(held, held.c.account_id == span.c.account_id)
        tier = held.c.tier
    cols.append(tier.label("tier"))
    query = sa.select(*cols).select_from(source)
    position = scope.tier_position()
    if position is not None:
        query = query.where(tier == position)
    if scope.tenure in TENURES:
        # Pre-window accounts without customer_since may be of any age: tenured.
        first_year = sa.and_(sa.not_(unknown_start), month_index(as_of) - start_mi < 12)
        query = query.where(first_year if scope.tenure == "first-year" else sa.not_(first_year))
    return query.cte("facts")


def active_rows(tables: dict[str, sa.Table], facts: sa.CTE, as_of: dt.date) -> sa.Subquery:
    """Active account-months up to T of the accounts in ``facts``: account_id, mi, mrr."""
    mrr = tables["mrr"]
    return (sa.select(mrr.c.account_id, month_index_sql(mrr.c.month).label("mi"), mrr.c.mrr)
            .select_from(mrr.join(facts, facts.c.account_id == mrr.c.account_id))
            .where(mrr.c.mrr > 0, mrr.c.month <= as_of).subquery("rows"))


def cohort_cells(engine: sa.Engine, as_of: dt.date, w0: dt.date,
                 scope: Scope = EVERYONE) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly-cohort sums, pre-window accounts left out.

    Returns ``sizes`` (cohort_mi, accounts, start_mrr) and ``cells`` (cohort_mi, age,
    active, mrr, kept): at month age ``age``, the number of active members, their MRR and
    the sum of min(MRR, starting MRR). Missing cells mean no member was active (0).
    """
    tables = reflect(engine)
    facts = account_facts(tables, as_of, scope, w0)
    mrr = tables["mrr"]
    members = sa.select(facts).where(facts.c.pre_window == 0).subquery("members")
    kept = sa.case((mrr.c.mrr < members.c.start_mrr, mrr.c.mrr), else_=members.c.start_mrr)
    age = month_index_sql(mrr.c.month) - members.c.first_mi
    cells = (sa.select(members.c.first_mi, age.label("age"), sa.func.count().label("active"),
                       sa.func.sum(mrr.c.mrr).label("mrr"), sa.func.sum(kept).label("kept"))
             .select_from(mrr.join(members, members.c.account_id == mrr.c.account_id))
             .where(mrr.c.mrr > 0, mrr.c.month <= as_of)
             .group_by(members.c.first_mi, age))
    sizes = (sa.select(members.c.first_mi, sa.func.count().label("accounts"),
                       sa.func.sum(members.c.start_mrr).label("start_mrr"))
             .group_by(members.c.first_mi))
    with engine.connect() as conn:
        size_frame = pd.DataFrame(conn.execute(sizes).all(),
                                  columns=["cohort_mi", "accounts", "start_mrr"])
        cell_frame = pd.DataFrame(conn.execute(cells).all(),
                                  columns=["cohort_mi", "age", "active", "mrr", "kept"])
    return (_typed(size_frame, ints=("cohort_mi", "accounts"), floats=("start_mrr",)),
            _typed(cell_frame, ints=("cohort_mi", "age", "active"), floats=("mrr", "kept")))


def trailing_sums(engine: sa.Engine, as_of: dt.date, w0: dt.date, months: int = 24,
                  scope: Scope = EVERYONE, by: str | None = None) -> pd.DataFrame:
    """Trailing-12 retention sums for each of the ``months`` months ending at T.

    One row per month index ``mi`` (and per ``by`` value: ``"tier"`` or an account column):
    ``base_accounts``, ``base_mrr`` (MRR at mi-12 of accounts active then), ``now_mrr`` (their
    MRR at mi), ``kept_mrr`` (sum of min(now, then)) and ``retained`` (still active at mi).
    Tiers (``by="tier"`` and a ``scope.tier``) are those held at mi-12, the start of each
    trailing-12 period.
    """
    tables = reflect(engine)
    mrr = tables["mrr"]
    t = month_index(as_of)
    lo, hi = t - months + 1 - 12, t - 12
    mi = month_index_sql(mrr.c.month)
    base = _base_rows(tables, from_index(lo), from_index(hi), scope)
    key: sa.ColumnElement = base.c.tier if by == "tier" else sa.literal(0)
    source: sa.FromClause = base
    if by not in (None, "tier") or scope.tenure in TENURES:
        facts = account_facts(tables, as_of, Scope(scope.filters, tenure=scope.tenure), w0,
                              start_mrr=False, attributes=by not in (None, "tier"))
        source = base.join(facts, facts.c.account_id == base.c.account_id)
        if by not in (None, "tier"):
            key = facts.c[by]
    position = scope.tier_position()
    rows = (sa.select(base.c.account_id, base.c.mi, base.c.mrr, key.label("key"))
            .select_from(source)
            .where(sa.true() if position is None else base.c.tier == position)
            .subquery("rows"))
    # Each base account-month joined with the same account twelve months later (missing = 0).
    later = (sa.select(mrr.c.account_id, (mi - 12).label("b"), mrr.c.mrr)
             .where(mrr.c.mrr > 0, mrr.c.month >= from_index(lo + 12), mrr.c.month <= as_of)
             .subquery("later"))
    now = sa.func.coalesce(later.c.mrr, 0.0)
    per = sa.select(rows.c.account_id, rows.c.key, rows.c.mi.label("b"),
                    rows.c.mrr.label("base"), now.label("now")).select_from(
        rows.outerjoin(later, sa.and_(later.c.account_id == rows.c.account_id,
                                      later.c.b == rows.c.mi))).subquery("per")
    kept = sa.case((per.c.now < per.c.base, per.c.now), else_=per.c.base)
    keys = [(per.c.b + 12).label("mi")]
    if by is not None:
        keys.append(per.c.key)
    query = (sa.select(*keys, sa.func.count().label("base_accounts"),
                       sa.func.sum(per.c.base).label("base_mrr"),
                       sa.func.sum(per.c.now).label("now_mrr"), sa.func.sum(kept).label("kept_mrr"),
                       sa.func.sum(sa.case((per.c.now > 0, 1), else_=0)).label("retained"))
             .where(per.c.base > 0).group_by(*keys))
    names = ["mi"] + (["key"] if by else []) + ["base_accounts", "base_mrr", "now_mrr",
                                                  "kept_mrr", "retained"]
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all(), columns=names)
    frame = _typed(frame, ints=("mi", "base_accounts", "retained"),
                   floats=("base_mrr", "now_mrr", "kept_mrr"))
    return frame.sort_values(names[: 2 if by else 1], kind="mergesort").reset_index(drop=True)


def _base_rows(tables: dict[str, sa.Table], first: dt.date, last: dt.date,
               scope: Scope) -> sa.Subquery:
    """Active account-months from ``first`` to ``last`` after the sidebar filters, with the
    tier held that month (NULL without ``scope.tiers``): account_id, mi, mrr, tier."""
    if scope.tiers is not None:
        return month_tiers(tables, first, last, scope.filters, scope.tiers)
    mrr = tables["mrr"]
    return apply_filters(
        sa.select(mrr.c.account_id, month_index_sql(mrr.c.month).label("mi"), mrr.c.mrr,
                  sa.cast(sa.null(), sa.Integer).label("tier"))
        .where(mrr.c.mrr > 0, mrr.c.month >= first, mrr.c.month <= last),
        mrr, tables, scope.filters).subquery("base_rows")


def lifetimes(engine: sa.Engine, as_of: dt.date, w0: dt.date, scope: Scope = EVERYONE,
              by: str | None = None) -> pd.DataFrame:
    """Per-account lifetimes for Kaplan-Meier (``docs/definitions.md``, Survival), one row per
    account.

    Columns ``account_id``, ``duration`` (months), ``event`` (1 churned, 0 censored), ``entry``
    (months before entering the risk set; > 0 for accounts whose ``customer_since`` is before
    their first active month) and ``group`` (the ``by`` value, or the tier position for
    ``by="tier"``). Pre-window accounts without ``customer_since`` are left out.
    """
    query = _lifetimes_query(reflect(engine), as_of, w0, scope, by)
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all(),
                             columns=["account_id", "duration", "event", "entry", "group"])
    frame["account_id"] = frame["account_id"].astype(str)
    frame = _typed(frame, ints=("duration", "event", "entry"), floats=())
    return frame.sort_values("account_id", kind="mergesort").reset_index(drop=True)


def lifetime_counts(engine: sa.Engine, as_of: dt.date, w0: dt.date, scope: Scope = EVERYONE,
                    by: str | None = None) -> pd.DataFrame:
    """``lifetimes`` counted in SQL: one row per ``group``, ``duration``, ``event`` and
    ``entry`` with ``accounts`` (how many accounts share them). A few thousand rows at any
    portfolio size, where ``lifetimes`` returns one per account."""
    lives = _lifetimes_query(reflect(engine), as_of, w0, scope, by).subquery("lives")
    keys = [lives.c.group, lives.c.duration, lives.c.event, lives.c.entry]
    query = sa.select(*keys, sa.func.count().label("accounts")).group_by(*keys)
    names = ["group", "duration", "event", "entry", "accounts"]
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all(), columns=names)
    frame = _typed(frame, ints=("duration", "event", "entry", "accounts"), floats=())
    order = ["group", "duration", "event", "entry"]
    return frame.sort_values(order, kind="mergesort", na_position="last").reset_index(drop=True)


def _lifetimes_query(tables: dict[str, sa.Table], as_of: dt.date, w0: dt.date, scope: Scope,
                     by: str | None) -> sa.Select:
    """The per-account lifetimes select behind ``lifetimes`` and ``lifetime_counts``.

    Age starts at c(a), or at the month of ``customer_since`` when that is earlier (late entry:
    the account enters the risk set at the age of c(a), and its months before c(a) are never a
    churn). The event is the first month after c(a), at or before T, without MRR; otherwise
    the account is censored at age ``T - start``.
    """
    facts = account_facts(tables, as_of, scope, w0)
    rows = active_rows(tables, facts, as_of)
    t = month_index(as_of)
    # Each active month with the account's next active month; a month not followed by the
    # next calendar month (before T) ends a run, and the earliest such end is the first gap.
    following = sa.func.lead(rows.c.mi).over(partition_by=rows.c.account_id, order_by=rows.c.mi)
    runs = sa.select(rows.c.account_id, rows.c.mi, following.label("next_mi")).subquery("runs")
    ends = sa.and_(runs.c.mi < t, sa.or_(runs.c.next_mi.is_(None), runs.c.next_mi > runs.c.mi + 1))
    first_gap = (sa.select(runs.c.account_id, sa.func.min(runs.c.mi + 1).label("gap_mi"))
                 .where(ends).group_by(runs.c.account_id).subquery("first_gap"))
    late = sa.and_(facts.c.since_mi.is_not(None), facts.c.since_mi < facts.c.first_mi)
    start = sa.case((late, facts.c.since_mi), else_=facts.c.first_mi)
    gap = first_gap.c.gap_mi
    duration = sa.case((gap.is_(None), t - start), else_=gap - start)
    cols = [facts.c.account_id, duration.label("duration"),
            sa.case((gap.is_(None), 0), else_=1).label("event"),
            sa.case((late, facts.c.first_mi - facts.c.since_mi), else_=0).label("entry")]
    cols.append((facts.c[by] if by else sa.literal("All")).label("group"))
    return (sa.select(*cols)
            .select_from(facts.outerjoin(first_gap, first_gap.c.account_id == facts.c.account_id))
            .where(sa.or_(facts.c.pre_window == 0, facts.c.since_mi.is_not(None))))


def active_csms(engine: sa.Engine, as_of: dt.date, filters: Filters = Filters()) -> int:
    """Distinct non-empty ``csm`` values of the accounts active at ``as_of`` (0 without them)."""
    tables = reflect(engine)
    accounts = tables.get("accounts")
    if accounts is None or "csm" not in accounts.c:
        return 0
    mrr = tables["mrr"]
    query = apply_filters(
        sa.select(sa.func.count(sa.distinct(accounts.c.csm)))
        .select_from(mrr.join(accounts, accounts.c.account_id == mrr.c.account_id))
        .where(mrr.c.month == as_of, mrr.c.mrr > 0, accounts.c.csm.is_not(None),
               accounts.c.csm != ""),
        mrr, tables, filters)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _typed(frame: pd.DataFrame, ints: tuple[str, ...], floats: tuple[str, ...]) -> pd.DataFrame:
    for col in ints:
        frame[col] = frame[col].astype("int64")
    for col in floats:
        frame[col] = frame[col].astype(float)
    return frame
