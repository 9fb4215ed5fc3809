"""Forecast queries: what happened to each band's revenue in the months after a start month.

``outcome_sums`` is the query behind the rates, the books the forecast applies them to and
the track record's actuals (one pass over the start months that are followed, a lighter one for
those only counted); ``calibration_deciles`` ranks one start month's accounts by
predicted risk. Both start from the rule of every health figure for a month
(``db.health._at_latest_snapshot``: each account active at the start month after filters,
scored from its latest snapshot at or before it) and follow each account ``k`` months on. Per
account and ``k``, with ``M0`` its MRR at the start and ``Mk`` its MRR ``k`` months later (0
without revenue):

- churned by ``k``: a month without revenue after the start and at or before ``k`` (the
  back-test's churn, ``docs/definitions.md``); its churn is ``M0 - min(Mk, M0)``, all of ``M0`` unless
  it came back by then;
- otherwise its contraction is ``M0 - min(Mk, M0)``; expansion is ``max(Mk - M0, 0)`` either way.

So churn + contraction = ``M0 - min(Mk, M0)``, and the sums give GRR and NRR exactly as
``docs/definitions.md`` defines them with the start month as the base. Sums are grouped by band and by a
*block* (``_block``: the accounts dealt into ``blocks`` groups), so the bootstrap can resample
accounts from small sums. Money is monthly (MRR dollars).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import sqlalchemy as sa

from cs_dashboard.db.health import _at_latest_snapshot, band_sql, score_sql
from cs_dashboard.db.queries import bytewise, fetch_frame
from cs_dashboard.db.schema import reflect
from cs_dashboard.filters import Filters
from cs_dashboard.forecast.model import BOOK, SUMS
from cs_dashboard.health.scoring import UNSCORED, Weights
from cs_dashboard.months import add_months

#: What the query sums per k (``kept`` = min(Mk, M0), ``later`` = Mk); contraction and
#: expansion follow from them: contraction = M0 - kept - churn, expansion = Mk - kept.
RAW = ("churned", "churn", "kept", "later", "churn_sq", "loss_sq", "net_sq")


def _scored(tables: dict[str, sa.Table], months: Sequence[dt.date], filters: Filters,
            weights: Weights, bands: Sequence[float], name: str) -> sa.Subquery:
    """``month``, ``account_id``, ``mrr``, ``score`` (NULL when unscored) and ``band`` of each
    account active in a month of ``months``, scored from its latest snapshot at or before it.
    The score is computed once (an inner query) and the band read from it."""
    book, source, snap = _at_latest_snapshot(tables, months, filters, name)
    if snap is None:
        inner = sa.select(book.c.month, book.c.account_id, book.c.mrr,
                          sa.cast(sa.null(), sa.Double).label("score")).subquery(f"{name}_inner")
        band: sa.ColumnElement = sa.literal(UNSCORED)
    else:
        score = sa.case((snap.c.account_id.is_(None), sa.null()), else_=score_sql(snap, weights))
        inner = (sa.select(book.c.month, book.c.account_id, book.c.mrr,
                           sa.cast(score, sa.Double).label("score"))
                 .select_from(source).subquery(f"{name}_inner"))
        band = band_sql(inner.c.score, bands)
    return sa.select(*inner.c, band.label("band")).subquery(f"{name}_scored")


def _block(scored: sa.Subquery, blocks: int, dialect: str) -> sa.ColumnElement[int]:
    """Each account's block, 0 to ``blocks - 1``: the accounts of a band at a month numbered by
    ``account_id`` and dealt round-robin; DuckDB deals them by a hash of ``account_id``
    instead (a sort of every account costs more than the rest of the query there)."""
    if blocks == 1:
        return sa.literal(0, sa.Integer)
    if dialect == "duckdb":
        return sa.cast(sa.func.hash(scored.c.account_id) % blocks, sa.Integer)
    number = sa.func.row_number().over(partition_by=[scored.c.month, scored.c.band],
                                       order_by=scored.c.account_id)
    return (number - 1) % blocks


def _followed(tables: dict[str, sa.Table], horizons: Mapping[dt.date, int], filters: Filters,
              weights: Weights, bands: Sequence[float], blocks: int, name: str,
              dialect: str) -> sa.Subquery:
    """One row per account active at a start month of ``horizons``: ``start``, ``band``,
    ``block``, ``m0`` (MRR at the start), ``m1`` .. ``m<H>`` (MRR k months on, 0 without
    revenue; ``H`` is the largest horizon and a start's columns past its own horizon are 0)
    and ``gap`` (the first k without revenue, ``H + 1`` when none). Only the columns the sums
    need travel through the query's layers."""
    starts = list(horizons)
    longest = max(horizons.values())
    scored = _scored(tables, starts, filters, weights, bands, name)
    cols: list[sa.ColumnElement] = [
        scored.c.month.label("start"), scored.c.band,
        _block(scored, max(1, int(blocks)), dialect).label("block"),
        sa.cast(scored.c.mrr, sa.Double).label("m0")]
    source: sa.FromClause = scored
    months = sorted({add_months(s, k) for s, h in horizons.items() for k in range(1, h + 1)})
    if months:
        mrr = tables["mrr"]
        # each account's MRR in every month any start follows, one pass over those months
        later = (sa.select(mrr.c.account_id,
                           *(sa.func.sum(sa.case((mrr.c.month == m, mrr.c.mrr))).label(f"p{i}")
                             for i, m in enumerate(months)))
                 .where(mrr.c.month >= months[0], mrr.c.month <= months[-1], mrr.c.mrr > 0)
                 .group_by(mrr.c.account_id).subquery(f"{name}_later"))
        column = {m: later.c[f"p{i}"] for i, m in enumerate(months)}
        source = scored.outerjoin(later, later.c.account_id == scored.c.account_id)
        for k in range(1, longest + 1):
            picks = [(scored.c.month == s, column[add_months(s, k)])
                     for s, h in horizons.items() if h >= k]
            cols.append(sa.cast(sa.func.coalesce(sa.case(*picks), 0.0), sa.Double).label(f"m{k}"))
    wide = sa.select(*cols).select_from(source).subquery(f"{name}_wide")
    gap = sa.case(*((wide.c[f"m{k}"] == 0, k) for k in range(1, longest + 1)),
                  else_=longest + 1) if longest else sa.literal(1)
    return sa.select(*wide.c, gap.label("gap")).subquery(f"{name}_followed")


def _at(rows: sa.Subquery, k: int) -> tuple[sa.ColumnElement, ...]:
    """``(mk, kept, churned)`` at ``k``: MRR k months on, ``min(Mk, M0)`` and 1.0 when the
    account had a month without revenue by then (else 0.0)."""
    m0, mk = rows.c.m0, rows.c[f"m{k}"]
    kept = sa.case((mk < m0, mk), else_=m0)
    churned = sa.case((rows.c.gap <= k, sa.literal(1.0, sa.Double)),
                      else_=sa.literal(0.0, sa.Double))
    return mk, kept, churned


def outcome_sums(engine: sa.Engine, horizons: Mapping[dt.date, int], filters: Filters,
                 weights: Weights, bands: Sequence[float], blocks: int = 1) -> pd.DataFrame:
    """Sums over the accounts active at each start month of ``horizons`` (start -> months to
    follow, which must stay inside the data), per band, block and ``k`` (0 to the start's
    horizon). Columns ``start`` (date), ``band``, ``block``, ``k`` and, in MRR dollars:

    - ``accounts``, ``mrr0`` (sum of M0), ``mrr0_sq`` (sum of M0²): the book at the start;
    - at ``k`` >= 1 (0 at ``k`` = 0): ``churned`` (accounts churned by k), ``churn``,
      ``contraction``, ``expansion``, and the second moments ``churn_sq``, ``loss_sq``,
      ``net_sq`` (sum of part² / M0 for churn, churn + contraction and the net change
      ``Mk - M0``).
    """
    horizons = {m: int(h) for m, h in horizons.items() if h >= 0}
    names = ["start", "band", "block", "k", *SUMS]
    if not horizons:
        return pd.DataFrame({n: pd.Series(dtype=object if n in ("start", "band") else float)
                             for n in names})
    tables, dialect = reflect(engine), engine.dialect.name
    keys = ["start", "band", "block"]
    frames = []
    # start months only counted (no month followed): the book alone, a light query
    counted = dict.fromkeys((m for m, h in horizons.items() if h == 0), 0)
    # start months followed: the book and what happened to it, in one pass
    followed = {m: h for m, h in horizons.items() if h > 0}
    for group, name in ((counted, "fc"), (followed, "fl")):
        if not group:
            continue
        longest = max(group.values())
        rows = _followed(tables, group, filters, weights, bands, blocks, name, dialect)
        m0 = rows.c.m0
        cols: list[sa.ColumnElement] = [sa.func.count(), sa.func.sum(m0), sa.func.sum(m0 * m0)]
        for k in range(1, longest + 1):
            mk, kept, churned = _at(rows, k)
            loss = m0 - kept
            cols += [sa.func.sum(churned), sa.func.sum(churned * loss), sa.func.sum(kept),
                     sa.func.sum(mk), sa.func.sum(churned * loss * loss / m0),
                     sa.func.sum(loss * loss / m0), sa.func.sum((mk - m0) * (mk - m0) / m0)]
        query = (sa.select(rows.c.start, rows.c.band, rows.c.block, *cols)
                 .group_by(rows.c.start, rows.c.band, rows.c.block))
        frames.append(fetch_frame(engine, query, [*keys, *BOOK, *(
            f"{n}_{k}" for k in range(1, longest + 1) for n in RAW)]))
    wide = pd.concat(frames, ignore_index=True).fillna(0.0) if len(frames) > 1 else frames[0]
    return _long(wide, horizons)


def _long(wide: pd.DataFrame, horizons: Mapping[dt.date, int]) -> pd.DataFrame:
    """``outcome_sums``'s wide rows (one per start, band and block) as one row per ``k``."""
    starts = [pd.Timestamp(m).date() for m in wide["start"]]
    longest = max(horizons.values())
    reach = np.array([horizons[s] for s in starts], dtype=int)
    raw = np.stack([np.stack([wide[f"{n}_{k}"].to_numpy(dtype=float) for n in RAW], axis=1)
                    for k in range(1, longest + 1)], axis=1) if longest else \
        np.zeros((len(wide), 0, len(RAW)))
    # k = 0 carries no outcome
    raw = np.concatenate([np.zeros((len(wide), 1, len(RAW))), raw], axis=1)
    row, k = np.nonzero(np.arange(longest + 1)[None, :] <= reach[:, None])
    value = {n: raw[row, k, i] for i, n in enumerate(RAW)}
    mrr0 = wide["mrr0"].to_numpy(dtype=float)[row]
    out = pd.DataFrame({
        "start": np.array(starts, dtype=object)[row],
        "band": wide["band"].to_numpy(dtype=object)[row],
        "block": wide["block"].to_numpy(dtype=int)[row], "k": k,
        "accounts": wide["accounts"].to_numpy(dtype=int)[row], "mrr0": mrr0,
        "mrr0_sq": wide["mrr0_sq"].to_numpy(dtype=float)[row],
        "churned": value["churned"].astype(int), "churn": value["churn"],
        "contraction": np.where(k > 0, mrr0 - value["kept"] - value["churn"], 0.0),
        "expansion": value["later"] - value["kept"],
        "churn_sq": value["churn_sq"], "loss_sq": value["loss_sq"], "net_sq": value["net_sq"]})
    return out[["start", "band", "block", "k", *SUMS]].sort_values(
        ["start", "band", "block", "k"], ignore_index=True)


def calibration_deciles(engine: sa.Engine, start: dt.date, horizon: int, filters: Filters,
                        weights: Weights, bands: Sequence[float], predicted: Mapping[str, float],
                        other: float, groups: int = 10) -> pd.DataFrame:
    """Accounts active at ``start`` ranked by predicted risk (``predicted``: the churn rate of
    their band by ``horizon``; ``other`` for a band not listed), riskiest first, ties by score
    (lowest first, unscored last) then ``account_id``, cut into ``groups`` groups of (nearly)
    equal size.

    Columns: ``decile`` (1 = riskiest), ``accounts``, ``mrr0`` (MRR at the start),
    ``predicted`` (sum of predicted rate x M0), ``churned`` (accounts churned by ``horizon``),
    ``churn`` (MRR lost to churn by then, as in ``outcome_sums``), ``score_low`` and
    ``score_high`` (the decile's lowest and highest score; NaN when all are unscored).
    Only the horizon's end matters here, so each account's months are counted rather than
    followed one by one: churned by then = fewer months with revenue than ``horizon``.
    """
    tables = reflect(engine)
    scored = _scored(tables, [start], filters, weights, bands, "cal")
    mrr = tables["mrr"]
    end = add_months(start, horizon)
    later = (sa.select(mrr.c.account_id, sa.func.count().label("months"),
                       sa.func.sum(sa.case((mrr.c.month == end, mrr.c.mrr))).label("at_end"))
             .where(mrr.c.month > start, mrr.c.month <= end, mrr.c.mrr > 0)
             .group_by(mrr.c.account_id).subquery("cal_later"))
    m0 = sa.cast(scored.c.mrr, sa.Double)
    mk = sa.cast(sa.func.coalesce(later.c.at_end, 0.0), sa.Double)
    churned = sa.case((sa.func.coalesce(later.c.months, 0) < horizon, 1), else_=0)
    churn = sa.case((sa.func.coalesce(later.c.months, 0) < horizon,
                     m0 - sa.case((mk < m0, mk), else_=m0)), else_=sa.literal(0.0, sa.Double))
    rate = sa.case(*((scored.c.band == band, sa.literal(float(value), sa.Double))
                     for band, value in predicted.items()),
                   else_=sa.literal(float(other), sa.Double)) if predicted \
        else sa.literal(float(other), sa.Double)
    unscored_last = sa.case((scored.c.score.is_(None), 1), else_=0)
    decile = sa.func.ntile(groups).over(
        order_by=[rate.desc(), unscored_last, scored.c.score, bytewise(scored.c.account_id)])
    ranked = (sa.select(m0.label("m0"), scored.c.score, churned.label("churned"),
                        churn.label("churn"), rate.label("rate"), decile.label("decile"))
              .select_from(scored.outerjoin(later, later.c.account_id == scored.c.account_id))
              .subquery("cal_ranked"))
    query = (sa.select(ranked.c.decile, sa.func.count(), sa.func.sum(ranked.c.m0),
                       sa.func.sum(ranked.c.rate * ranked.c.m0), sa.func.sum(ranked.c.churned),
                       sa.func.sum(ranked.c.churn), sa.func.min(ranked.c.score),
                       sa.func.max(ranked.c.score))
             .group_by(ranked.c.decile).order_by(ranked.c.decile))
    names = ["decile", "accounts", "mrr0", "predicted", "churned", "churn", "score_low",
             "score_high"]
    frame = fetch_frame(engine, query, names)
    for name in ("decile", "accounts", "churned"):
        frame[name] = frame[name].astype(int)
    for name in ("mrr0", "predicted", "churn", "score_low", "score_high"):
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return frame
