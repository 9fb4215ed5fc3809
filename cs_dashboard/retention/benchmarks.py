"""Published retention benchmarks as declared presets (docs/definitions.md, Presets;
docs/retention.md).

Values are fractions (1.02 = 102%). Annual contract value (ACV) bands are in dollars a year.
"""

from __future__ import annotations

from cs_dashboard.presets import Preset, declare

SAAS_CAPITAL_2023 = "SaaS Capital retention survey 2023 (FY2022 data, >1,500 companies)"
SAAS_CAPITAL_BRIEF = "SaaS Capital 2023 research brief"


def _benchmark(name: str, metric: str, value: float, source: str, confidence: str,
               acv_low: float | None = None, acv_high: float | None = None) -> Preset:
    """A published annual ``metric`` (``nrr``, ``grr``, or ``logo``: the renewal rate) as a
    fraction (a floor for the best-in-class renewal rate)."""
    return declare(name, value, "share", f"Published annual {metric.upper()} pages compare with.",
                   source, confidence=confidence, metric=metric, acv_low=acv_low,
                   acv_high=acv_high)


MEDIANS = (
    _benchmark("Median NRR, private B2B SaaS", "nrr", 1.02, SAAS_CAPITAL_2023, "A"),
    _benchmark("Median GRR, private B2B SaaS", "grr", 0.91, SAAS_CAPITAL_2023, "B"),
    _benchmark("Median NRR, 2024 data", "nrr", 1.01, "Benchmarkit 2025 B2B SaaS benchmarks", "A"),
    _benchmark("Best-in-class renewal rate", "logo", 0.90,
               "Customer Success (Gainsight book, 2016)", "A"),
)

_BANDS = ((None, 12_000.0, "<$12k"), (12_000.0, 25_000.0, "$12-25k"),
          (25_000.0, 50_000.0, "$25-50k"), (50_000.0, 100_000.0, "$50-100k"),
          (100_000.0, 250_000.0, "$100-250k"), (250_000.0, None, ">$250k"))
_NRR = (1.00, 1.02, 1.03, 1.05, 1.07, 1.10)
_GRR = (0.90, 0.90, 0.92, 0.93, 0.93, 0.93)

BY_ACV = tuple(
    _benchmark(f"Median {metric.upper()}, ACV {name}", metric, value, SAAS_CAPITAL_BRIEF, "A",
               low, high)
    for metric, values in (("nrr", _NRR), ("grr", _GRR))
    for (low, high, name), value in zip(_BANDS, values, strict=True)
)

ALL = MEDIANS + BY_ACV


def acv_band(acv: float) -> str:
    """The SaaS Capital ACV band name containing ``acv`` (dollars a year)."""
    for low, high, name in _BANDS:
        if (low is None or acv >= low) and (high is None or acv < high):
            return name
    return _BANDS[-1][2]


def for_acv(acv: float, metric: str) -> Preset:
    """The ``nrr`` or ``grr`` median for the ACV band containing ``acv`` (dollars a year)."""
    band = acv_band(acv)
    return next(b for b in BY_ACV if b.metric == metric and b.name.endswith(f"ACV {band}"))
