"""Kaplan-Meier logo survival per group, with left truncation (``docs/definitions.md``,
Survival).

Lifetimes (``db.retention.lifetimes``) are months from an account's start to its first month
without MRR (event) or to T (censored at age ``T - start``); accounts whose ``customer_since``
is before their first active month enter the risk set late (``entry``). The estimator is
lifelines' ``KaplanMeierFitter`` with ``entry=``; ``S(t) = P(duration > t)`` for
t = 0, 1, 2, ... months; survival values are fractions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cs_dashboard.presets import declare

#: Months at which the table reports survival.
MILESTONES = (12, 24, 36)
#: Significance level at which the log-rank test says the groups' curves differ.
LOGRANK_ALPHA = declare("log-rank significance level", 0.05, "share",
                        "Survival curves differ when the log-rank p-value is below this.",
                        "the conventional 5% level (docs/definitions.md, Survival)")
#: The survival table's headings as pages show it (``readable_table``).
HEADINGS = {"group": "Group", "accounts": "Accounts", "churned": "Churned",
            "late_entrants": "Entered late", "median_months": "Median lifetime",
            **{f"s{m}": f"S({m})" for m in MILESTONES}}
KAPLAN_MEIER = "Kaplan-Meier"
FALLBACK = "Breslow-Fleming-Harrington"
#: Why a group falls back to ``FALLBACK`` (lifelines refuses Kaplan-Meier).
FALLBACK_REASON = ("too few accounts at risk early on for Kaplan-Meier with late entry "
                   "(lifelines refuses it)")


@dataclass(frozen=True)
class GroupSurvival:
    """One group's curve: ``curve`` has columns ``timeline`` (months), ``survival``,
    ``lower``, ``upper`` (95% band); ``median`` in months (``None`` if never below 50%);
    ``late_entrants``: accounts entering the risk set late. ``estimator`` is ``KAPLAN_MEIER``,
    or ``FALLBACK`` when lifelines refuses Kaplan-Meier because late entries leave the early
    risk set empty (small groups)."""

    group: str
    accounts: int
    churned: int
    curve: pd.DataFrame
    median: float | None
    estimator: str = KAPLAN_MEIER
    late_entrants: int = 0

    @property
    def estimator_reason(self) -> str | None:
        """Why the fallback estimator was used (``None`` for Kaplan-Meier)."""
        return None if self.estimator == KAPLAN_MEIER else FALLBACK_REASON

    def at(self, month: int) -> float | None:
        """S(month), or ``None`` beyond the observed timeline or where no account was at risk
        yet (only late entrants, entering after ``month``)."""
        row = self.curve[self.curve["timeline"] == month]
        value = None if row.empty else float(row["survival"].iloc[0])
        return None if value is None or math.isnan(value) else value


@dataclass(frozen=True)
class SurvivalResult:
    groups: tuple[GroupSurvival, ...]
    logrank_p: float | None

    def table(self) -> pd.DataFrame:
        """Per group: accounts, churned, late entrants, median lifetime and S(12/24/36)
        (fractions)."""
        rows = []
        for g in self.groups:
            row = {"group": g.group, "accounts": g.accounts, "churned": g.churned,
                   "late_entrants": g.late_entrants, "median_months": g.median}
            row.update({f"s{m}": g.at(m) for m in MILESTONES})
            rows.append(row)
        return pd.DataFrame(rows)

    def readable_table(self) -> pd.DataFrame:
        """``table()`` for reading: ``HEADINGS``, S(t) in percent (0-100), the median lifetime
        in words ("24 months", or "not reached" when survival never fell below 50%)."""
        shown = self.table().rename(columns=HEADINGS)
        for m in MILESTONES:
            shown[f"S({m})"] = pd.to_numeric(shown[f"S({m})"]) * 100
        shown["Median lifetime"] = [f"{m:.0f} months" if m is not None and m == m
                                    else "not reached" for m in shown["Median lifetime"]]
        return shown

    def to_json(self) -> dict:
        return {"groups": [{"group": g.group, "accounts": g.accounts, "events": g.churned,
                            "late_entrants": g.late_entrants, "estimator": g.estimator,
                            "estimator_reason": g.estimator_reason,
                            "timeline": [int(t) for t in g.curve["timeline"]],
                            "survival": _floats(g.curve["survival"]),
                            "lower": _floats(g.curve["lower"]),
                            "upper": _floats(g.curve["upper"]),
                            "median": g.median} for g in self.groups],
                "logrank_p": self.logrank_p}


def kaplan_meier(lifetimes: pd.DataFrame, alpha: float = 0.05) -> SurvivalResult:
    """KM curves per ``group`` and the log-rank p-value between groups.

    In: ``duration``, ``event`` (1/0), ``entry`` (months) and ``group``, one row per account,
    or one row per distinct lifetime with an ``accounts`` count (``db.retention.lifetime_counts``;
    lifelines takes the counts as integer weights, giving the same estimates). The log-rank test
    (lifelines ``multivariate_logrank_test``) uses durations and events only: it has no
    left-truncation option, so it is ``None`` with fewer than two non-empty groups.
    """
    # lifelines (and scipy) load only when a curve is fitted: commands that never draw
    # survival start faster
    from lifelines import BreslowFlemingHarringtonFitter, KaplanMeierFitter
    from lifelines.exceptions import StatError
    from lifelines.statistics import multivariate_logrank_test

    if "accounts" not in lifetimes:
        lifetimes = lifetimes.assign(accounts=1)
    groups = []
    for name, part in lifetimes.groupby("group", sort=True, observed=True):
        if part.empty:
            continue
        horizon = int(part["duration"].max())
        timeline = np.arange(0, horizon + 1)
        estimator = KAPLAN_MEIER
        data = (part["duration"], part["event"])
        options = {"entry": part["entry"], "timeline": timeline, "weights": part["accounts"]}
        try:
            fitter = KaplanMeierFitter(alpha=alpha).fit(*data, **options)
            band = fitter.confidence_interval_survival_function_
        except StatError:
            estimator = FALLBACK
            fitter = BreslowFlemingHarringtonFitter(alpha=alpha).fit(*data, **options)
            band = fitter.confidence_interval_
        curve = pd.DataFrame({
            "timeline": timeline,
            "survival": fitter.survival_function_.iloc[:, 0].to_numpy(),
            "lower": band.iloc[:, 0].to_numpy(),
            "upper": band.iloc[:, 1].to_numpy(),
        })
        median = float(fitter.median_survival_time_)
        groups.append(GroupSurvival(str(name), int(part["accounts"].sum()),
                                    int((part["event"] * part["accounts"]).sum()), curve,
                                    None if math.isinf(median) else median, estimator,
                                    int(part.loc[part["entry"] > 0, "accounts"].sum())))
    p = None
    if len(groups) >= 2:
        test = multivariate_logrank_test(lifetimes["duration"], lifetimes["group"].astype(str),
                                         lifetimes["event"], weights=lifetimes["accounts"])
        p = float(test.p_value)
    return SurvivalResult(tuple(groups), p)


def _floats(values: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else round(float(v), 6) for v in values]
