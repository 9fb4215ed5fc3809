"""Revenue movements: the MRR bridge per month or quarter (docs/definitions.md, Revenue
movements).

For month m against m-1: new, reactivation, expansion (positive), contraction and churn
(negative). ``MRR(m-1) + new + reactivation + expansion + contraction + churn = MRR(m)``
exactly to the cent: the bridge is assembled from sums in whole cents and converted to dollars
only at the end. All amounts are monthly MRR in dollars; counts are accounts. A quarter only
partly inside the bridge's months (the bridge starts at the second month of data, and the last
quarter may still be running at the as-of month) is labelled with the months whose movements
it sums: ``2024-Q4 (Dec only)``, ``2026-Q4 (Oct-Nov)``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from cs_dashboard.months import from_index, month_index
from cs_dashboard.periods import is_partial, period_label

KINDS = ("new", "reactivation", "expansion", "contraction", "churn")
PERIODS = ("month", "quarter")
AMOUNTS = ("start", *KINDS, "end")
COUNTS = ("start_accounts", *(f"n_{k}" for k in KINDS), "end_accounts")
LABELS = {"start": "Starting MRR", "new": "New", "reactivation": "Reactivation",
          "expansion": "Expansion", "contraction": "Contraction", "churn": "Churn",
          "end": "Ending MRR"}
#: Caption sentence for a bridge with a partly covered quarter (``period_note``).
PARTIAL_QUARTER_NOTE = ("A quarter only partly inside the bridge (the first month of data has "
                        "nothing to compare to, and the latest quarter may still be running) "
                        "names the months whose movements it sums, e.g. 2026-Q4 (Oct-Nov).")


def period_note(bridge_frame: pd.DataFrame) -> str:
    """``PARTIAL_QUARTER_NOTE`` when a period of the bridge is only partly covered, else ``""``."""
    return PARTIAL_QUARTER_NOTE if any(is_partial(p) for p in bridge_frame["period"]) else ""


def bridge(sums: pd.DataFrame, first: dt.date, last: dt.date, period: str = "month") -> pd.DataFrame:
    """The bridge per month (or quarter) from ``first`` to ``last``.

    In: ``db.movements.movement_sums`` output (cents and counts per month index ``mi``; absent
    months are all zero). Out, one row per period: ``period`` (label), ``month`` (first month
    of the period, a date), the dollar amounts in ``AMOUNTS`` and the counts in ``COUNTS``.
    A quarter starts with its first month's start and ends with its last month's end; its
    movements and counts are the sums over its months (an account moving twice counts twice).
    A quarter that ``first`` or ``last`` cuts is labelled with its months in the bridge.
    """
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    index = pd.RangeIndex(month_index(first), month_index(last) + 1, name="mi")
    cols = [c for c in (*AMOUNTS, *COUNTS)]
    monthly = (sums.set_index("mi")[cols].reindex(index, fill_value=0).astype("int64")
               if len(sums) else pd.DataFrame(0, index=index, columns=cols, dtype="int64"))
    if period == "quarter":
        keys = [(mi // 3) * 3 for mi in index]
        grouped = monthly.groupby(keys)
        flows = grouped[[*KINDS, *(f"n_{k}" for k in KINDS)]].sum()
        monthly = pd.concat([grouped[["start", "start_accounts"]].first(), flows,
                             grouped[["end", "end_accounts"]].last()], axis=1)[cols]
    out = monthly.reset_index(drop=False).rename(columns={"index": "mi"})
    lo, hi = month_index(first), month_index(last)
    out.insert(0, "period", [period_label(int(mi), period, lo, hi) for mi in out["mi"]])
    out.insert(1, "month", [from_index(int(mi)) for mi in out["mi"]])
    for col in AMOUNTS:
        out[col] = out[col].to_numpy(dtype="int64") / 100.0
    return out.drop(columns="mi")


def check_identity(bridge_frame: pd.DataFrame) -> bool:
    """True when every row satisfies the bridge identity to the cent."""
    cents = {c: np.round(bridge_frame[c].to_numpy(dtype=float) * 100).astype("int64")
             for c in AMOUNTS}
    total = cents["start"] + sum(cents[k] for k in KINDS)
    return bool((total == cents["end"]).all())


def history_sums(history: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """In-memory reference for ``db.movements.movement_sums`` on a small account-month frame.

    In: ``account_id``, ``month`` (first of month), ``mrr`` (missing row = 0). Out: the same
    columns as ``movement_sums``. Used by tests and as the "load everything" comparison in the
    benchmarks; pages never call it.
    """
    h = history[history["mrr"] > 0].copy()
    h["mi"] = [month_index(pd.Timestamp(m).date()) for m in h["month"]]
    h = h[h["mi"] <= month_index(last)]
    h["c"] = np.round(h["mrr"].to_numpy(dtype=float) * 100).astype("int64")
    lo, hi = month_index(first), month_index(last)
    first_mi = h.groupby("account_id")["mi"].min()
    cur = h[["account_id", "mi", "c"]].rename(columns={"c": "cur"})
    prev = h[["account_id", "mi", "c"]].assign(mi=h["mi"] + 1).rename(columns={"c": "prev"})
    both = cur.merge(prev, on=["account_id", "mi"], how="outer").fillna(0)
    both = both[(both["mi"] >= lo) & (both["mi"] <= hi)]
    both[["cur", "prev"]] = both[["cur", "prev"]].astype("int64")
    both["first_mi"] = both["account_id"].map(first_mi)
    cur_v, prev_v = both["cur"], both["prev"]
    masks = {
        "new": (prev_v == 0) & (cur_v > 0) & (both["first_mi"] == both["mi"]),
        "reactivation": (prev_v == 0) & (cur_v > 0) & (both["first_mi"] < both["mi"]),
        "expansion": (prev_v > 0) & (cur_v > prev_v),
        "contraction": (prev_v > 0) & (cur_v > 0) & (cur_v < prev_v),
        "churn": (prev_v > 0) & (cur_v == 0),
    }
    amounts = {"new": cur_v, "reactivation": cur_v, "expansion": cur_v - prev_v,
               "contraction": cur_v - prev_v, "churn": -prev_v}
    cols = {"start": prev_v, "end": cur_v, "start_accounts": (prev_v > 0).astype("int64"),
            "end_accounts": (cur_v > 0).astype("int64")}
    for kind in KINDS:
        cols[kind] = amounts[kind].where(masks[kind], 0)
        cols[f"n_{kind}"] = masks[kind].astype("int64")
    frame = pd.DataFrame(cols).assign(mi=both["mi"].astype("int64"))
    return frame.groupby("mi", as_index=False).sum().astype("int64")
