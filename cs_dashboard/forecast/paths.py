"""``db.forecast.outcome_sums`` computed from accounts' MRR paths in memory (pure).

The same sums the database returns, from one start month's accounts given as arrays: used to
check the SQL against hand-built data and to run the forecast on simulated portfolios.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from cs_dashboard.forecast.model import OUTCOMES, SUMS


def outcome_sums(start: dt.date, band: Sequence[str], mrr0: Sequence[float],
                 later: np.ndarray | None = None, block: Sequence[int] | None = None) -> pd.DataFrame:
    """Sums per band, block and k for accounts active at ``start``: ``band`` and ``mrr0`` (MRR
    at the start) per account, ``later`` their MRR 1..H months on (accounts x H, 0 = no
    revenue; ``None`` for H = 0) and ``block`` (default: every account its own block).
    Columns as ``db.forecast.outcome_sums``."""
    band = np.asarray(band, dtype=object)
    m0 = np.asarray(mrr0, dtype=float)
    n = m0.size
    later = np.zeros((n, 0)) if later is None else np.asarray(later, dtype=float).reshape(n, -1)
    block = np.arange(n) if block is None else np.asarray(block, dtype=int)
    horizon = later.shape[1]
    mk = np.concatenate([m0[:, None], later], axis=1)             # accounts x k = 0..H
    no_revenue = later <= 0
    gap = np.where(no_revenue.any(axis=1), no_revenue.argmax(axis=1) + 1, horizon + 1)
    churned = np.arange(horizon + 1)[None, :] >= gap[:, None]
    kept = np.minimum(mk, m0[:, None])
    loss = m0[:, None] - kept
    churn = np.where(churned, loss, 0.0)
    ones = np.ones_like(mk)
    per_account = {
        "accounts": ones, "churned": churned.astype(float), "mrr0": m0[:, None] * ones,
        "mrr0_sq": (m0 * m0)[:, None] * ones, "churn": churn,
        "contraction": np.where(churned, 0.0, loss), "expansion": mk - kept,
        "churn_sq": churn * churn / m0[:, None], "loss_sq": loss * loss / m0[:, None],
        "net_sq": (mk - m0[:, None]) ** 2 / m0[:, None]}
    keys = pd.MultiIndex.from_arrays([band, block], names=["band", "block"])
    codes, groups = pd.factorize(keys, sort=True)
    total = {}
    for name, values in per_account.items():
        acc = np.zeros((len(groups), horizon + 1))
        np.add.at(acc, codes, values)
        total[name] = acc
    for name in OUTCOMES:
        total[name][:, 0] = 0.0
    out = pd.DataFrame({
        "start": start,
        "band": np.repeat(groups.get_level_values(0).to_numpy(dtype=object), horizon + 1),
        "block": np.repeat(groups.get_level_values(1).to_numpy(dtype=int), horizon + 1),
        "k": np.tile(np.arange(horizon + 1), len(groups)),
        **{name: total[name].ravel() for name in SUMS}})
    for name in ("accounts", "churned"):
        out[name] = out[name].round().astype(int)
    return out
