"""Retention: cohort tables, the MRR bridge, trailing-12 trends and survival, aggregated in SQL,
each beside the common tutorial approach (load every mrr row into pandas, group and pivot)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import sqlalchemy as sa

from benchmarks.harness import Case
from cs_dashboard.api import retention
from cs_dashboard.db.engine import make_engine

TUTORIAL = "tutorial: every mrr row into pandas"


def load_all_rows(engine: sa.Engine) -> pd.DataFrame:
    """The tutorial's first step: the whole revenue history as a DataFrame."""
    with engine.connect() as conn:
        frame = pd.read_sql(sa.text("SELECT account_id, month, mrr FROM mrr"), conn)
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


def _month_number(months: pd.Series) -> pd.Series:
    return months.dt.year * 12 + months.dt.month - 1


def tutorial_cohorts(engine: sa.Engine) -> pd.DataFrame:
    """Net revenue retention by month cohort, as tutorials do it (groupby + pivot_table)."""
    df = load_all_rows(engine)
    df = df[df["mrr"] > 0]
    df["m"] = _month_number(df["month"])
    df["cohort"] = df.groupby("account_id")["m"].transform("min")
    df["age"] = df["m"] - df["cohort"]
    table = df.pivot_table(index="cohort", columns="age", values="mrr", aggfunc="sum")
    return table.div(table[0], axis=0)


def tutorial_bridge(engine: sa.Engine) -> pd.DataFrame:
    """Monthly movements from an accounts x months matrix (pivot, shift, classify, sum)."""
    df = load_all_rows(engine)
    wide = df.pivot_table(index="account_id", columns="month", values="mrr", aggfunc="sum",
                          fill_value=0.0)
    cur = wide.to_numpy()
    prev = np.concatenate([np.zeros((len(wide), 1)), cur[:, :-1]], axis=1)
    ever = np.maximum.accumulate(prev > 0, axis=1)
    out = pd.DataFrame({
        "new": np.where((prev == 0) & (cur > 0) & ~ever, cur, 0).sum(axis=0),
        "reactivation": np.where((prev == 0) & (cur > 0) & ever, cur, 0).sum(axis=0),
        "expansion": np.where((prev > 0) & (cur > prev), cur - prev, 0).sum(axis=0),
        "contraction": np.where((prev > 0) & (cur > 0) & (cur < prev), cur - prev, 0).sum(axis=0),
        "churn": np.where((prev > 0) & (cur == 0), -prev, 0).sum(axis=0),
    }, index=wide.columns)
    return out.iloc[-12:]


def tutorial_trends(engine: sa.Engine) -> pd.DataFrame:
    """Trailing-12 NRR/GRR/logo for 24 months from the same matrix."""
    df = load_all_rows(engine)
    wide = df.pivot_table(index="account_id", columns="month", values="mrr", aggfunc="sum",
                          fill_value=0.0)
    rows = []
    for i in range(max(12, wide.shape[1] - 24), wide.shape[1]):
        base, now = wide.iloc[:, i - 12], wide.iloc[:, i]
        keep = base > 0
        rows.append({"month": wide.columns[i], "nrr": now[keep].sum() / base[keep].sum(),
                     "grr": np.minimum(now[keep], base[keep]).sum() / base[keep].sum(),
                     "logo": (now[keep] > 0).mean()})
    return pd.DataFrame(rows)


def cases(size: int, url: str) -> list[Case]:
    engine = make_engine(url)
    as_of = retention.window(engine)[1]
    sql = [
        Case("retention", "cohort table, net revenue by month (SQL)",
             lambda: retention.cohorts(engine, as_of, "net", "month"), target_s=1.0),
        Case("retention", "cohort table, logo by quarter (SQL)",
             lambda: retention.cohorts(engine, as_of, "logo", "quarter"), target_s=1.0),
        Case("retention", "cohort table, gross revenue by year (SQL)",
             lambda: retention.cohorts(engine, as_of, "gross", "year"), target_s=1.0),
        Case("retention", "MRR bridge, 12 months (SQL)",
             lambda: retention.movement_bridge(engine, as_of), target_s=1.0),
        Case("retention", "MRR bridge, 8 quarters (SQL)",
             lambda: retention.movement_bridge(engine, as_of, period="quarter", months=24),
             target_s=1.0),
        Case("retention", "trailing-12 NRR/GRR/logo, 24 months (SQL)",
             lambda: retention.trends(engine, as_of), target_s=1.0),
        Case("retention", "trailing-12 trends per tier, 24 months (SQL)",
             lambda: retention.trends(engine, as_of, by_tier=True), target_s=1.0),
        Case("retention", "NRR per CSM (SQL)", lambda: retention.nrr_by_csm(engine, as_of),
             target_s=1.0),
        Case("retention", "KM survival per tier (SQL lifetimes + lifelines)",
             lambda: retention.survival(engine, as_of, by="tier"), target_s=1.0),
        Case("retention", "cohort table, tenured accounts of one tier (SQL)",
             lambda: retention.cohorts(engine, as_of, "net", "month", tier="Tech touch",
                                       tenure="tenured"),
             target_s=1.0),
    ]
    repeat = 1 if size > 20_000 else 3
    tutorial = [
        Case("retention", f"cohort table, net by month ({TUTORIAL})",
             lambda: tutorial_cohorts(engine), repeat=repeat),
        Case("retention", f"MRR bridge, 12 months ({TUTORIAL})", lambda: tutorial_bridge(engine),
             repeat=repeat),
        Case("retention", f"trailing-12 trends, 24 months ({TUTORIAL})",
             lambda: tutorial_trends(engine), repeat=repeat),
    ]
    return sql + tutorial
