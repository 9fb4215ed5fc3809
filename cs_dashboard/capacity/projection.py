"""Projection by month: accounts per tier, CSMs needed, supply and the hiring plan.

Month 0 is the as-of month (today); months 1..horizon are the future. Accounts per tier
change each month by new logos (or the net growth rate), that tier's churn (annual logo churn
turned monthly: ``1 - (1 - churn) ** (1/12)``) and the share moving up a tier. Supply is in
productive CSM FTE: today's CSMs less attrition, plus hires that start ``time_to_hire``
months after their requisition opens and ramp linearly to full capacity over ``ramp_months``
(a hire who has left is expected-value attrition: everyone decays by the monthly attrition).
Money in dollars. The cost by month is the **team cost, pro rata**: payroll CSM FTE x
``Team.team_cost_per_csm`` (CSM cost plus each CSM's share of a manager and of CS operations)
/ 12. Payroll FTE is fractional (attrition as an expected value), so it is not the whole-head
team cost of ``coverage``; the columns say so in their names.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cs_dashboard.capacity.compute import EPS, Resolved, ceil_heads
from cs_dashboard.months import add_months
from cs_dashboard.periods import quarter_names


def monthly_rate(annual: float) -> float:
    """The monthly rate that compounds to ``annual`` over twelve months."""
    return 1.0 - (1.0 - annual) ** (1.0 / 12.0)


def accounts_path(r: Resolved) -> np.ndarray:
    """Accounts per tier by month: array ``(horizon + 1, tiers)``, row 0 = today."""
    g = r.scenario.growth
    k = len(r.tiers)
    out = np.empty((g.horizon + 1, k))
    out[0] = r.accounts
    if g.mode == "rate":
        keep = np.full(k, (1.0 + g.annual_growth_rate) ** (1.0 / 12.0))
        new = np.zeros(k)
    else:
        keep = 1.0 - np.array([monthly_rate(c) for c in r.churn])
        new = np.array([t.new_logos_per_month for t in r.scenario.tiers], dtype=float)
    up = g.upgrade_share / 12.0
    current = r.accounts.astype(float)
    for t in range(1, g.horizon + 1):
        current = current * keep + new
        if up and k > 1:
            moving = current[1:] * up
            current = current.copy()
            current[1:] -= moving
            current[:-1] += moving
        out[t] = current
    return out


def need_path(r: Resolved) -> np.ndarray:
    """Required CSM FTE (exact) by month, ``horizon + 1`` values."""
    return accounts_path(r) @ r.fte_per_account


def _profiles(r: Resolved) -> tuple[np.ndarray, np.ndarray]:
    """(productive, payroll) FTE of one hire by months since their start, over the horizon."""
    g = r.scenario.growth
    k = np.arange(g.horizon + 1)
    decay = (1.0 - monthly_rate(g.attrition)) ** k
    ramp = np.ones_like(decay) if g.ramp_months == 0 else np.minimum(1.0, k / g.ramp_months)
    return ramp * decay, decay


@dataclass(frozen=True)
class Projection:
    """``months``: month (0..horizon), date, accounts per tier (one column per tier name),
    accounts, arr (dollars a year), required FTE per tier (``fte: <tier>``), need_fte,
    need_heads, supply_fte (productive, with the plan), baseline_fte (no hires), payroll_fte,
    hires_starting, team_cost_pro_rata (dollars that month: payroll FTE x team cost per CSM FTE
    / 12), team_cost_pro_rata_share (that cost annualised / ARR, a fraction) and gap_fte
    (need - supply, > 0 is a shortfall).
    ``hires``: one row per requisition: hire, opens, starts, productive (month offsets) and
    their dates, for_month (the month whose need it meets). ``quarters``: quarter,
    team_cost_pro_rata (dollars), months (how many projected months fall in it: the first and
    last may be partial).
    ``lead_time``: time to hire + ramp (months); shortfalls before it cannot be closed."""

    months: pd.DataFrame
    hires: pd.DataFrame
    quarters: pd.DataFrame
    lead_time: int

    @property
    def unclosable_shortfall(self) -> pd.DataFrame:
        """Months before the lead time with need above supply."""
        m = self.months
        return m[(m["month"] < self.lead_time) & (m["gap_fte"] > EPS)]


def hiring_plan(r: Resolved, need: np.ndarray | None = None) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Hires per start month and the requisitions ``(full_month, start_month)``.

    Greedy from the first month the lead time allows: whenever productive supply falls short
    of the need, enough hires are opened ``time_to_hire + ramp`` months earlier to be fully
    productive that month.
    """
    g = r.scenario.growth
    need = need_path(r) if need is None else need
    productive, _ = _profiles(r)
    h = g.horizon
    supply = r.current_csms * productive_decay(r)
    starts = np.zeros(h + 1)
    reqs: list[tuple[int, int]] = []
    lead = g.time_to_hire + g.ramp_months
    at_full = productive[g.ramp_months] if g.ramp_months <= h else 1.0
    for t in range(lead, h + 1):
        gap = need[t] - supply[t]
        if gap <= EPS:
            continue
        count = max(1, math.ceil(gap / at_full - EPS))
        start = t - g.ramp_months
        starts[start] += count
        supply[start:] += count * productive[: h + 1 - start]
        reqs.extend([(t, start)] * count)
    return starts, reqs


def productive_decay(r: Resolved) -> np.ndarray:
    """Share of today's CSMs still on the team by month (attrition)."""
    g = r.scenario.growth
    return (1.0 - monthly_rate(g.attrition)) ** np.arange(g.horizon + 1)


def project(r: Resolved, start: dt.date) -> Projection:
    """The month-by-month projection and hiring plan from ``start`` (the as-of month)."""
    g = r.scenario.growth
    team = r.scenario.team
    h = g.horizon
    paths = accounts_path(r)
    need = paths @ r.fte_per_account
    starts, reqs = hiring_plan(r, need)
    productive, payroll = _profiles(r)
    baseline = r.current_csms * productive_decay(r)
    supply = baseline.copy()
    pay = baseline.copy()
    for s in np.nonzero(starts)[0]:
        supply[s:] += starts[s] * productive[: h + 1 - s]
        pay[s:] += starts[s] * payroll[: h + 1 - s]
    with np.errstate(divide="ignore", invalid="ignore"):
        arr_per_account = np.where(r.accounts > 0, r.arr / np.where(r.accounts > 0, r.accounts, 1), 0.0)
    arr = paths @ arr_per_account
    cost = pay * team.team_cost_per_csm / 12.0
    dates = [add_months(start, t) for t in range(h + 1)]
    months = pd.DataFrame({"month": np.arange(h + 1), "date": pd.to_datetime(dates)})
    for i, name in enumerate(r.tiers):
        months[name] = paths[:, i]
    months["accounts"] = paths.sum(axis=1)
    months["arr"] = arr
    for i, name in enumerate(r.tiers):
        months[f"fte: {name}"] = paths[:, i] * r.fte_per_account[i]
    months["need_fte"] = need
    months["need_heads"] = [ceil_heads(x) for x in need]
    months["supply_fte"] = supply
    months["baseline_fte"] = baseline
    months["payroll_fte"] = pay
    months["hires_starting"] = starts.astype(int)
    months["team_cost_pro_rata"] = cost
    months["team_cost_pro_rata_share"] = np.where(arr > 0, cost * 12 / np.where(arr > 0, arr, 1), np.nan)
    months["gap_fte"] = need - supply
    lead = g.time_to_hire + g.ramp_months
    hires = _hires(reqs, start, g.time_to_hire)
    future = months[months["month"] >= 1]
    quarter = quarter_names(future["date"])
    quarters = future.groupby(quarter, sort=True).agg(team_cost_pro_rata=("team_cost_pro_rata", "sum"),
                                                      months=("team_cost_pro_rata", "size"))
    quarters = quarters.rename_axis("quarter").reset_index()
    return Projection(months=months, hires=hires, quarters=quarters, lead_time=lead)


HIRE_COLUMNS = ["hire", "opens", "starts", "productive", "opens_date", "starts_date",
                "productive_date", "for_month"]


def _hires(reqs: list[tuple[int, int]], start: dt.date, time_to_hire: int) -> pd.DataFrame:
    """One row per requisition ``(productive month, start month)``, numbered in order of
    starting month: the months it opens, starts and is productive (offsets from ``start``) and
    their dates. Dates are looked up once per distinct month (a large book hires thousands)."""
    if not reqs:
        return pd.DataFrame(columns=HIRE_COLUMNS)
    full, begin = (np.array(column, dtype=np.int64) for column in zip(*reqs, strict=True))
    order = np.lexsort((full, begin))
    full, begin = full[order], begin[order]
    opens = begin - time_to_hire
    date_of = {int(k): add_months(start, int(k)) for k in np.unique(np.concatenate([opens, begin, full]))}
    return pd.DataFrame({
        "hire": np.arange(1, len(full) + 1), "opens": opens, "starts": begin, "productive": full,
        "opens_date": [date_of[k] for k in opens.tolist()],
        "starts_date": [date_of[k] for k in begin.tolist()],
        "productive_date": [date_of[k] for k in full.tolist()], "for_month": full})


def hiring_waves(hires: pd.DataFrame) -> pd.DataFrame:
    """Requisitions grouped by the month they open and start: columns wave (1..), opens_date,
    starts_date, productive_date and hires (how many), in order of opening."""
    cols = ["opens_date", "starts_date", "productive_date"]
    if hires.empty:
        return pd.DataFrame(columns=["wave", *cols, "hires"])
    waves = hires.groupby(cols, sort=True).size().rename("hires").reset_index()
    waves.insert(0, "wave", range(1, len(waves) + 1))
    return waves
