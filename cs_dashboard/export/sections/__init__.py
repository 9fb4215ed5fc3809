"""Board-pack sections: a registry of modules, each turning a database into slides.

Each module here defines ``KEY``, ``TITLE`` and ``build(engine, request) -> list[ChartSlide |
TableSlide]``. ``SECTION_KEYS`` fixes their order in the deck; a section without data at the
month and filters builds no slides (the pack lists it as left out).
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field

import altair as alt
import pandas as pd
import sqlalchemy as sa

from cs_dashboard.charts.theme import footnote
from cs_dashboard.filters import Filters
from cs_dashboard.health import ScoreSettings
from cs_dashboard.months import label
from cs_dashboard.tiers import TierRule

SECTION_KEYS = ("overview", "segmentation", "health", "retention", "forecast", "capacity")
COMPARE_PERIODS = {"month": 1, "quarter": 3, "year": 12}


@dataclass(frozen=True)
class Request:
    """What a pack shows: the as-of month, filters, tier rule, the comparison period and the
    health score settings."""

    as_of: dt.date
    filters: Filters = Filters()
    rule: TierRule = TierRule()
    compare_months: int = 3
    source_label: str = "database"
    score: ScoreSettings = ScoreSettings()

    def footnote(self) -> str:
        return footnote(label(self.as_of), self.source_label, self.filters.describe())

    def context_note(self) -> str:
        """The closing line of every slide's speaker notes."""
        return (f"Data as of {label(self.as_of)} (month end), {self.filters.describe()}, "
                f"source: {self.source_label}.")


@dataclass(frozen=True)
class ChartSlide:
    """One chart slide: a headline computed from the data, the chart, its data and notes."""

    name: str
    section: str
    headline: str
    chart: alt.TopLevelMixin
    data: pd.DataFrame = field(compare=False)
    notes: str


@dataclass(frozen=True)
class TableSlide:
    """One slide with a native table: ``columns`` headers and ``rows`` of display texts."""

    name: str
    section: str
    headline: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    data: pd.DataFrame = field(compare=False)
    notes: str


Slide = ChartSlide | TableSlide


def module(key: str):
    """The section module for ``key`` (``KeyError`` for a key not in ``SECTION_KEYS``)."""
    if key not in SECTION_KEYS:
        raise KeyError(f"unknown section {key!r}; choose from {', '.join(SECTION_KEYS)}")
    return importlib.import_module(f"{__name__}.{key}")


def available() -> dict[str, str]:
    """``{key: title}`` of every section, in deck order."""
    return {key: module(key).TITLE for key in SECTION_KEYS}


def build(engine: sa.Engine, key: str, request: Request) -> list[Slide]:
    """The slides of section ``key``."""
    return module(key).build(engine, request)
