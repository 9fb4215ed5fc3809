"""Benchmark figures and coverage presets, each a declared record with its source.

Values follow docs/definitions.md (Presets). No
single industry standard exists: the app shows these as named presets with their source, never
as "the" answer. Shares are fractions; money in dollars a year.
"""

from __future__ import annotations

from dataclasses import dataclass

from cs_dashboard.capacity.model import Activity, Scenario, TierPlan
from cs_dashboard.presets import Preset, declare

GAINSIGHT = "Customer Success (Gainsight book, 2016)"
PRACTITIONER = "practitioner composite"
GUIDE = "practitioner capacity-model guide"


def _benchmark(key: str, name: str, value: float, unit: str, source: str, confidence: str,
               high: float | None = None, help: str = "") -> Preset:
    """A published figure (``value``, or the range ``value``-``high``) in ``unit``."""
    return declare(name, value, unit, help or f"{name}: a published figure pages compare with.",
                   source, high=high, confidence=confidence, key=key)


BENCHMARKS: tuple[Preset, ...] = (
    _benchmark("arr_per_csm_rule", "ARR per CSM, rule of thumb", 2_000_000, "usd",
               "SaaStr (Lemkin); $1M for high-touch enterprise", "B"),
    _benchmark("arr_per_csm_survey", "ARR per CSM, survey average", 1_720_000, "usd",
               "ClientSuccess survey of about 600 companies", "B"),
    _benchmark("accounts_per_csm_survey", "Accounts per CSM, survey average", 104, "accounts",
               "ClientSuccess survey of about 600 companies", "B"),
    _benchmark("accounts_per_csm_rule", "Accounts per CSM, simple rule", 50, "accounts",
               "CS leadership articles in the reference material", "B"),
    _benchmark("high_touch", "Accounts per CSM, high touch", 5, "accounts", GAINSIGHT, "A", 15),
    _benchmark("low_touch", "Accounts per CSM, low touch", 20, "accounts", GAINSIGHT, "A", 50),
    _benchmark("tech_touch", "Accounts per CSM, tech touch", 1000, "accounts", GAINSIGHT, "A"),
    _benchmark("cost_share", "CS cost / revenue, established companies", 0.05, "share",
               "CS leadership articles in the reference material", "B", 0.15),
    _benchmark("non_customer_share", "Non-customer share of CSM time", 0.30, "share", GUIDE, "C",
               0.40),
    _benchmark("productivity_gain", "CSM productivity gain from CS software", 0.25, "share",
               GAINSIGHT, "A", 0.30),
    _benchmark("csm_cost", "Fully loaded CSM cost, North America", 150_000, "usd", PRACTITIONER,
               "C", 220_000),
    _benchmark("customer_hours", "Customer-facing hours per month", 130, "hours",
               "practitioner (2017)", "C"),
)
BENCHMARK = {b.key: b for b in BENCHMARKS}

#: Load flags on the "who carries what" table (fractions of available hours).
OVERLOADED = declare("load flagged overloaded above", 1.10, "share",
                     "A CSM whose book needs more than this share of their hours is overloaded.",
                     "practitioner capacity-model guide: 10% over capacity").value
UNDERLOADED = declare("load flagged underloaded below", 0.70, "share",
                      "A CSM whose book needs less than this share of their hours is underloaded.",
                      "practitioner capacity-model guide: 30% spare capacity").value


@dataclass(frozen=True)
class CoveragePreset:
    """A coverage preset for a three-tier book (high, low, tech touch), with its source.

    ``ratios``: accounts per CSM per tier; ``activities`` (hours mode when given): per tier,
    with ``unplanned`` shares."""

    key: str
    name: str
    source: str
    ratios: tuple[float, float, float] = (10.0, 35.0, 1000.0)
    activities: tuple[tuple[Activity, ...], ...] = ()
    unplanned: tuple[float, ...] = ()

    def scenario(self, names: tuple[str, str, str] = ("High touch", "Low touch", "Tech touch")) -> Scenario:
        """The preset as a scenario over three tiers named ``names`` (data's churn, no growth)."""
        if self.activities:
            tiers = tuple(TierPlan(n, "hours", r, a, u) for n, r, a, u in
                          zip(names, self.ratios, self.activities, self.unplanned, strict=True))
        else:
            tiers = tuple(TierPlan(n, "ratio", r) for n, r in zip(names, self.ratios, strict=True))
        return Scenario(self.name, tiers, description=f"{self.name} coverage preset.",
                        source=self.source)


ENTERPRISE_ACTIVITIES = (
    Activity("Onboarding", 1, 20), Activity("Check-ins", 12, 2),
    Activity("Business reviews", 4, 5), Activity("Renewal", 1, 11),
)
MIDMARKET_ACTIVITIES = (
    Activity("Onboarding", 1, 8), Activity("Check-ins", 6, 1),
    Activity("Business reviews", 2, 3), Activity("Renewal", 1, 4),
)
SCALE_ACTIVITIES = (
    Activity("Onboarding webinar", 1, 0.5), Activity("Digital programme upkeep", 4, 0.15),
    Activity("Renewal", 1, 0.4),
)

PRESETS: tuple[CoveragePreset, ...] = (
    CoveragePreset("gainsight_book", "Gainsight book midpoints",
                   f"{GAINSIGHT}: high touch 5-15, low touch 20-50+, tech touch about 1,000 per CSM",
                   (10.0, 35.0, 1000.0)),
    CoveragePreset("spectrum_bands", "Four-band spectrum",
                   f"{PRACTITIONER}: high 20-80, low/scaled 150-400, tech/pooled 500-2,000 per CSM",
                   (50.0, 275.0, 1250.0)),
    CoveragePreset("simple_rule", "50 customers per CSM",
                   "CS leadership articles in the reference material: $2M ARR or 50 customers per CSM",
                   (50.0, 50.0, 50.0)),
    CoveragePreset("bottom_up_hours", "Bottom-up hours",
                   f"{GUIDE}: enterprise workload 75+ hours a year (onboarding, check-ins, business "
                   "reviews, renewal); 30% non-customer time",
                   (10.0, 35.0, 1000.0),
                   (ENTERPRISE_ACTIVITIES, MIDMARKET_ACTIVITIES, SCALE_ACTIVITIES),
                   (0.20, 0.20, 0.10)),
)
PRESET = {p.key: p for p in PRESETS}
