"""Trailing-12 NRR, GRR and logo retention per month (``docs/definitions.md``, Portfolio at
month T), from the sums ``db.retention.trailing_sums`` aggregates in SQL."""

from __future__ import annotations

import pandas as pd

from cs_dashboard.months import from_index


def trailing_retention(sums: pd.DataFrame) -> pd.DataFrame:
    """Trailing-12 NRR, GRR and logo retention per month (and per ``key`` when present).

    In: ``db.retention.trailing_sums`` output. Out adds ``month`` (date), ``nrr``, ``grr``,
    ``logo`` (fractions; NaN when the base is empty) and keeps the sums.
    """
    out = sums.copy()
    out.insert(0, "month", [from_index(int(mi)) for mi in out["mi"]])
    base = out["base_mrr"].where(out["base_mrr"] > 0)
    out["nrr"] = out["now_mrr"] / base
    out["grr"] = out["kept_mrr"] / base
    out["logo"] = out["retained"] / out["base_accounts"].where(out["base_accounts"] > 0)
    return out
