"""Every declared number: the defaults the app starts from and the published benchmarks it
compares with, one record type (``Preset``) in one registry (``REGISTRY``).

A module declares its presets with ``declare`` where it uses them; ``all_presets`` imports
every declaring module and returns the lot. Each preset is listed in docs/definitions.md
(Presets), which a test keeps true.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

#: Units a preset's value is in.
UNITS = ("share", "usd", "accounts", "hours", "months", "days", "points", "count", "ratio")
#: The modules that declare presets (imported by ``all_presets``).
DECLARING = ("cs_dashboard.health.scoring", "cs_dashboard.health.backtest",
             "cs_dashboard.api.health", "cs_dashboard.retention.survival",
             "cs_dashboard.retention.benchmarks", "cs_dashboard.forecast.model",
             "cs_dashboard.forecast.renewals", "cs_dashboard.forecast.whatif",
             "cs_dashboard.capacity.presets")


@dataclass(frozen=True)
class Preset:
    """A declared number: ``value`` in ``unit``, ``help`` (what it sets or compares), and its
    ``source``. Published figures may give a range (``value`` to ``high``) and a confidence
    (A = publisher's own report, B = credible quote, C = practitioner composite); a retention
    benchmark names the ``metric`` it compares with (``nrr``, ``grr``, ``logo``) and the ACV
    band it applies to (``acv_low`` inclusive to ``acv_high`` exclusive, dollars a year);
    ``key`` is a short name for code that looks presets up."""

    name: str
    value: float
    unit: str
    help: str
    source: str
    high: float | None = None
    confidence: str = ""
    key: str = ""
    metric: str = ""
    acv_low: float | None = None
    acv_high: float | None = None

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"{self.name}: unknown unit {self.unit!r}; use one of {UNITS}")

    def shown(self, value: float | None = None) -> str:
        """``value`` (default: the preset's) as text in the preset's unit: "102%", "$2,000,000",
        "90", "0.05" for a share below 1%."""
        value = self.value if value is None else value
        if self.unit == "share":
            return f"{value * 100:.0f}%" if value >= 0.01 else f"{value:g}"
        if self.unit == "usd":
            return f"${value:,.0f}"
        return f"{value:,.4g}" if value != int(value) else f"{value:,.0f}"

    @property
    def label(self) -> str:
        """Name and value, e.g. "Median NRR, private B2B SaaS (102%)"."""
        return f"{self.name} ({self.shown()})"

    @property
    def figure(self) -> str:
        """The value, or the range "value-high", as text."""
        return self.shown() if self.high is None else f"{self.shown()}-{self.shown(self.high)}"


REGISTRY: dict[str, Preset] = {}


def declare(name: str, value: float, unit: str, help: str, source: str, **extra) -> Preset:
    """Record a preset in ``REGISTRY`` (names are unique) and return it."""
    preset = Preset(name, float(value), unit, help, source, **extra)
    if REGISTRY.get(name, preset) != preset:
        raise ValueError(f"two presets are named {name!r}")
    REGISTRY[name] = preset
    return preset


def all_presets() -> tuple[Preset, ...]:
    """Every preset the app declares, in declaration order."""
    for module in DECLARING:
        importlib.import_module(module)
    return tuple(REGISTRY.values())
