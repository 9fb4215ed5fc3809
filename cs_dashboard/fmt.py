"""Formatting money, percentages and counts for screens, charts and slides."""

from __future__ import annotations

import math


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_money(value: float | None, compact: bool = True) -> str:
    """``$40.8M``, ``$3.4k``, ``$950`` (compact) or ``$40,777,008`` (exact); ``–`` if unknown."""
    if _missing(value):
        return "–"
    sign = "-" if value < 0 else ""
    v = abs(value)
    if not compact:
        return f"{sign}${v:,.0f}"
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if v >= size:
            return f"{sign}${v / size:,.1f}{suffix}"
    return f"{sign}${v:,.0f}"


def fmt_pct(value: float | None, digits: int = 1) -> str:
    """A fraction as a percentage: ``1.0213`` -> ``102.1%``; ``–`` if unknown."""
    if _missing(value):
        return "–"
    return f"{value * 100:.{digits}f}%"


def fmt_points(value: float | None, digits: int = 1) -> str:
    """A change of a fraction in percentage points: ``0.012`` -> ``+1.2 pts``."""
    if _missing(value):
        return "–"
    return f"{value * 100:+.{digits}f} pts"


def fmt_count(value: float | None) -> str:
    """``1,654``; ``–`` if unknown."""
    if _missing(value):
        return "–"
    return f"{value:,.0f}"
