"""Tables behind the Health page's views, from scored account rows (pure).

Input rows come from ``score_accounts`` (one per account, ``score`` in points, ``band``,
``arr`` in annual dollars); outputs are small frames ready to chart or download.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from cs_dashboard.fmt import fmt_count, fmt_money
from cs_dashboard.health.scoring import BAND_ORDER, UNSCORED, BandTotal, arr_at_risk, renewal_quarter
from cs_dashboard.months import add_months, label

#: Width of a histogram bin in score points.
BIN_WIDTH = 5


def with_tiers(accounts: pd.DataFrame, tiers: pd.DataFrame) -> pd.DataFrame:
    """``accounts`` with the ``tier`` column (ordered categorical) of ``tiers`` joined in."""
    out = accounts.copy()
    tier = tiers.set_index("account_id")["tier"]
    out["tier"] = tier.reindex(out["account_id"].to_numpy()).to_numpy()
    if isinstance(tiers["tier"].dtype, pd.CategoricalDtype):
        out["tier"] = pd.Categorical(out["tier"], categories=tiers["tier"].cat.categories,
                                     ordered=True)
    return out


def score_bins(accounts: pd.DataFrame, width: int = BIN_WIDTH) -> pd.DataFrame:
    """Scored accounts per ``width``-point score bin and band: columns ``bin_start``, ``band``,
    ``accounts``, ``arr`` (the top bin includes 100)."""
    scored = accounts[accounts["score"].notna()]
    start = (np.floor(scored["score"].to_numpy(dtype=float) / width) * width).clip(0, 100 - width)
    frame = scored.assign(bin_start=start.astype(int), band=scored["band"].astype(str))
    out = (frame.groupby(["bin_start", "band"]).agg(accounts=("band", "size"), arr=("arr", "sum"))
           .reset_index())
    out["band"] = pd.Categorical(out["band"], categories=list(BAND_ORDER), ordered=True)
    return out.sort_values(["bin_start", "band"], ignore_index=True)


#: Most groups a band split shows (the largest by the chosen measure).
MAX_GROUPS = 25


def band_counts(accounts: pd.DataFrame, by: str) -> pd.DataFrame:
    """Scored accounts and their ARR per group ``by`` and band: columns ``by`` (missing values
    as "(none)"), ``band`` (text), ``accounts``, ``arr``. The input of ``band_shares``."""
    scored = accounts.loc[accounts["score"].notna(), [by, "band", "arr"]]
    # group the columns as they are (categoricals stay codes) and relabel the small result
    out = (scored.groupby([by, "band"], observed=True, dropna=False)
           .agg(accounts=("band", "size"), arr=("arr", "sum")).reset_index())
    return out.assign(**{by: out[by].astype(object).where(out[by].notna(), "(none)"),
                         "band": out["band"].astype(str)})


def band_shares(accounts: pd.DataFrame, by: str, measure: str = "accounts",
                limit: int = MAX_GROUPS, counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Band mix within each group ``by`` (scored accounts only): columns ``by``, ``band``,
    ``accounts``, ``arr`` and ``share`` (fraction of the group's ``measure``); groups ordered by
    their red share, worst first. Only the ``limit`` largest groups (by ``measure``) are kept.
    ``counts``: ``band_counts(accounts, by)`` when the caller already has it."""
    out = band_counts(accounts, by) if counts is None else counts.copy()
    out["share"] = out[measure] / out.groupby(by)[measure].transform("sum")
    sizes = out.groupby(by)[measure].sum().sort_values(ascending=False, kind="stable")
    out = out[out[by].isin(set(sizes.index[:limit]))]
    red = out[out["band"] == "red"].set_index(by)["share"]
    order = sorted(out[by].unique(), key=lambda g: (-red.get(g, 0.0), str(g)))
    if by == "tier" and isinstance(accounts[by].dtype, pd.CategoricalDtype):
        order = [t for t in accounts[by].cat.categories if t in set(out[by])]
    out[by] = pd.Categorical(out[by], categories=order, ordered=True)
    out["band"] = pd.Categorical(out["band"], categories=list(BAND_ORDER), ordered=True)
    return out.sort_values([by, "band"], ignore_index=True)


def risk_by(accounts: pd.DataFrame, by: str) -> pd.DataFrame:
    """ARR at risk per group (``red``, ``yellow``, ``at_risk``, ``at_risk_with_yellow``,
    ``arr``, ``red_accounts``); ``by="renewal_quarter"`` groups by the renewal date's quarter."""
    keep = [c for c in (by, "band", "arr", "renewal_date") if c in accounts]
    frame = accounts[keep].copy()
    if by == "renewal_quarter":
        frame[by] = renewal_quarter(frame["renewal_date"]) if "renewal_date" in frame \
            else "No renewal date"
    out = arr_at_risk(frame, by)
    counts = frame[frame["band"] == "red"].groupby(by, observed=True).size()
    out["red_accounts"] = [int(counts.get(g, 0)) for g in out[by]]
    if by == "renewal_quarter":
        out = out.sort_values(by, key=lambda s: s.map(lambda v: (v == "No renewal date", v)),
                              ignore_index=True)
    return out


def component_means(accounts: pd.DataFrame, names: Sequence[str], by: str = "tier") -> pd.DataFrame:
    """Average of each component (points, over accounts that have it) per group: columns
    ``by``, ``component``, ``average``, ``accounts`` (how many had the component)."""
    grouped = accounts.groupby(by, observed=True)[list(names)]
    means = grouped.mean().stack().rename("average")
    counts = grouped.count().stack().rename("accounts")
    out = pd.concat([means, counts], axis=1).dropna(subset=["average"])
    out = out.rename_axis([by, "component"]).reset_index()
    out["accounts"] = out["accounts"].astype(int)
    out["component"] = pd.Categorical(out["component"], categories=list(names), ordered=True)
    return out.sort_values([by, "component"], ignore_index=True)


def dragging_counts(accounts: pd.DataFrame) -> pd.DataFrame:
    """Accounts and ARR by dragging component and band (scored from components only)."""
    frame = accounts[accounts["dragging"].notna()].copy()
    frame["band"] = frame["band"].astype(str)
    out = (frame.groupby(["dragging", "band"]).agg(accounts=("band", "size"), arr=("arr", "sum"))
           .reset_index())
    totals = out.groupby("dragging")["accounts"].sum().sort_values()
    out["dragging"] = pd.Categorical(out["dragging"], categories=list(totals.index), ordered=True)
    out["band"] = pd.Categorical(out["band"], categories=list(BAND_ORDER), ordered=True)
    return out.sort_values(["dragging", "band"], ignore_index=True)


def watch_list(accounts: pd.DataFrame, earlier: pd.DataFrame | None = None) -> pd.DataFrame:
    """Red accounts by ARR, largest first: name, tier, CSM, renewal date, score, the score at
    an earlier month (``earlier``: rows with ``account_id``, ``score``), the change in points,
    the dragging component and ARR."""
    red = accounts[accounts["band"] == "red"].copy()
    if earlier is not None:
        prior = earlier.set_index("account_id")["score"]
        red["score_before"] = red["account_id"].map(prior)
        red["change"] = red["score"] - red["score_before"]
    cols = [c for c in ("account_id", "account_name", "tier", "csm", "renewal_date", "score",
                        "score_before", "change", "dragging", "arr") if c in red]
    return red.sort_values(["arr", "account_id"], ascending=[False, True])[cols].reset_index(drop=True)


def unscored(accounts: pd.DataFrame) -> pd.DataFrame:
    """Active accounts without a score, by ARR: why (no snapshot / empty snapshot) and ARR."""
    frame = accounts[accounts["band"] == UNSCORED].copy()
    has_snapshot = frame["snapshot"].notna() if "snapshot" in frame else pd.Series(False, frame.index)
    frame["reason"] = np.where(has_snapshot, "snapshot without components or score", "no snapshot")
    cols = [c for c in ("account_id", "account_name", "tier", "csm", "snapshot", "reason", "arr")
            if c in frame]
    return frame.sort_values(["arr", "account_id"], ascending=[False, True])[cols].reset_index(drop=True)


def migration_matrix(flows: pd.DataFrame, measure: str = "accounts") -> pd.DataFrame:
    """Flows as a from-band x to-band table of ``measure`` (``accounts`` or ``arr_start``)."""
    table = flows.pivot_table(index="from_band", columns="to_band", values=measure, aggfunc="sum",
                              fill_value=0)
    rows = [b for b in (*BAND_ORDER, UNSCORED) if b in table.index]
    cols = [b for b in (*BAND_ORDER, UNSCORED, "churned") if b in table.columns]
    return table.loc[rows, cols]


def migration_moves(flows: pd.DataFrame) -> dict[str, BandTotal]:
    """Accounts and ARR at the first month (``arr_start``) that moved ``down`` a band (e.g.
    green to yellow or red), ``up`` a band, or ``churned``, from ``api.health.migration``
    flows (unscored accounts move neither up nor down)."""
    rank = {band: i for i, band in enumerate(BAND_ORDER)}
    start, end = flows["from_band"].map(rank), flows["to_band"].map(rank)
    masks = {"down": end < start, "up": end > start, "churned": flows["to_band"] == "churned"}
    return {name: BandTotal(name, int(flows.loc[mask, "accounts"].sum()),
                            float(flows.loc[mask, "arr_start"].sum()))
            for name, mask in masks.items()}


def migration_summary(flows: pd.DataFrame, start: dt.date, end: dt.date) -> str:
    """One sentence on ``migration_moves``: how many accounts moved down a band, up, or churned
    from ``start`` to ``end``, with their ARR at ``start``."""
    moves = migration_moves(flows)
    down, up, churned = moves["down"], moves["up"], moves["churned"]
    return (f"Of the accounts active in {label(start)}: {fmt_count(down.accounts)} moved down a "
            f"band ({fmt_money(down.arr)} ARR), {fmt_count(up.accounts)} moved up "
            f"({fmt_money(up.arr)}), {fmt_count(churned.accounts)} churned "
            f"({fmt_money(churned.arr)}) by {label(end)}. ARR at {label(start)}.")


def _at_or_before(options: Sequence[dt.date], target: dt.date, among: Sequence[dt.date]) -> int:
    """Index in ``options`` of the latest month of ``among`` at or before ``target`` (the first
    of ``among`` when none is); 0 when that month is not an option."""
    chosen = max((m for m in among if m <= target), default=among[0])
    return list(options).index(chosen) if chosen in options else 0


def migration_starts(snapshots: Sequence[dt.date], prior: dt.date) -> tuple[list[dt.date], int]:
    """Snapshot months a band migration can start from (all but the last, unless there is one)
    and the default's index: the latest snapshot at or before ``prior``."""
    starts = list(snapshots[:-1]) or list(snapshots)
    return starts, _at_or_before(starts, prior, snapshots)


def migration_ends(snapshots: Sequence[dt.date], start: dt.date) -> list[dt.date]:
    """Snapshot months a migration from ``start`` can end at (the last one when none is later)."""
    return [m for m in snapshots if m > start] or [snapshots[-1]]


def backtest_snapshots(snapshots: Sequence[dt.date], as_of: dt.date,
                       months: int) -> tuple[list[dt.date], int]:
    """Snapshot months before ``as_of`` a back-test can score at, and the default's index: the
    latest at or before ``months`` before ``as_of``. Empty when no snapshot is earlier."""
    earlier = [m for m in snapshots if m < as_of]
    if not earlier:
        return [], 0
    return earlier, _at_or_before(earlier, add_months(as_of, -months), earlier)
