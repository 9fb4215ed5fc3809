"""The working scenario the Capacity page edits: its default on the data's tiers and the small
rules the page applies to it (pure; the widgets that hold it live in ``cs_dashboard.ui.capacity``).

Units as in ``model``: churn is an annual fraction, new logos are accounts a month.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

import pandas as pd

from cs_dashboard.capacity.compute import Base, resolve
from cs_dashboard.capacity.model import Activity, Growth, Scenario, ScenarioError, TierPlan
from cs_dashboard.capacity.presets import PRESETS
from cs_dashboard.capacity.projection import monthly_rate

#: The activity a tier switched to hours mode starts with (12 check-ins of one hour a year).
DEFAULT_ACTIVITY = Activity("Check-ins", 12, 1.0)
#: Accounts per CSM for a single-tier rule (the preset's ratios need two tiers to spread).
SINGLE_TIER_RATIO = 50.0
#: CSM attrition (annual fraction) of the default working scenario.
DEFAULT_ATTRITION = 0.12


def replacement_logos(base: Base, position: int) -> float:
    """New logos a month that offset the measured churn of the tier at ``position`` (the tier
    keeps its size); one decimal. A tier without measurable churn needs none."""
    churn = base.churn[position] or 0.0
    return round(base.accounts[position] * monthly_rate(churn), 1)


def spread_ratios(ratios: tuple[float, ...], count: int) -> list[float]:
    """``count`` accounts-per-CSM ratios picked evenly from ``ratios`` (first and last kept)."""
    if count <= 1:
        return [SINGLE_TIER_RATIO] * count
    return [ratios[round(i * (len(ratios) - 1) / (count - 1))] for i in range(count)]


def default_scenario(base: Base) -> Scenario:
    """The Gainsight-book preset on the data's tiers (ratios spread over any tier count), new
    logos at replacement level and 12% CSM attrition."""
    preset = PRESETS[0]
    tiers = tuple(TierPlan(name, "ratio", ratio, new_logos_per_month=replacement_logos(base, i))
                  for i, (name, ratio) in enumerate(zip(base.tiers, spread_ratios(preset.ratios,
                                                                                  len(base.tiers)),
                                                        strict=True)))
    return Scenario("Working scenario", tiers, growth=Growth(attrition=DEFAULT_ATTRITION),
                    source=preset.source,
                    description="Gainsight-book ratios; new logos at replacement level (each tier keeps its "
                                "size), 12% CSM attrition.")


def misfit(scenario: Scenario, base: Base) -> str | None:
    """Why ``scenario`` cannot run on the data's book (``None`` when it can)."""
    try:
        resolve(scenario, base)
    except ScenarioError as exc:
        return str(exc)
    return None


def activities_from_rows(rows: pd.DataFrame) -> tuple[Activity, ...]:
    """Activities from an edited table (columns activity, times_per_year, hours_each): blank rows
    and rows without a name are skipped, blank numbers count as 0."""
    out = []
    for row in rows.dropna(how="all").itertuples(index=False):
        if not str(row.activity or "").strip():
            continue
        out.append(Activity(str(row.activity), float(row.times_per_year or 0), float(row.hours_each or 0)))
    return tuple(out)


def on_data_book(scenario: Scenario) -> Scenario:
    """The scenario's coverage applied to the data's book (its own accounts and ARR dropped)."""
    return replace(scenario, tiers=tuple(replace(t, accounts=None, arr=None) for t in scenario.tiers))


def copy_name(name: str, taken: Collection[str]) -> str:
    """``name (copy)``, or ``name (copy 2)``, ``(copy 3)``... when that is taken."""
    candidate, n = f"{name} (copy)", 2
    while candidate in taken:
        candidate, n = f"{name} (copy {n})", n + 1
    return candidate


def export_filename(scenario: Scenario) -> str:
    """``option_b.json`` for a scenario named "Option B"."""
    return f"{scenario.name.replace(' ', '_').lower()}.json"


def staffing_delta(gap: float) -> str:
    """Required minus current CSMs in words: ``3 short``, ``2 spare`` or ``on target``."""
    if gap > 0:
        return f"{gap:,.0f} short"
    return f"{-gap:,.0f} spare" if gap < 0 else "on target"
