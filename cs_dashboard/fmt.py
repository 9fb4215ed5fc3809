"""Formatting money, percentages and counts for screens, charts and slides."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

#: Compact money units, smallest first: a value takes the first unit in which its rounded
#: figure stays below 1,000 (billions take any size).
_UNITS = ((Decimal(1), ""), (Decimal(1_000), "k"), (Decimal(1_000_000), "M"),
          (Decimal(1_000_000_000), "B"))


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _round(value: Decimal, digits: int) -> Decimal:
    """``value`` to ``digits`` decimals, halves away from zero (``$1,250`` -> ``$1.3k``)."""
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _compact(amount: Decimal) -> tuple[Decimal, int, str]:
    """(rounded figure, decimals, unit) of a non-negative amount in compact form."""
    for size, suffix in _UNITS[:-1]:
        digits = 0 if size == 1 else 1
        rounded = _round(amount / size, digits)
        if rounded < 1000:
            return rounded, digits, suffix
    size, suffix = _UNITS[-1]
    return _round(amount / size, 1), 1, suffix


def fmt_money(value: float | None, compact: bool = True) -> str:
    """``$40.8M``, ``$3.4k``, ``$950`` (compact) or ``$40,777,008`` (exact); ``–`` if unknown.

    The figure is rounded first and the unit picked from the rounded figure, so ``$999,960``
    is ``$1.0M`` (not ``$1,000.0k``) and ``$999.96`` is ``$1.0k``. Halves round up; a value
    that rounds to zero has no minus sign.
    """
    if _missing(value) or math.isinf(value):
        return "–"
    amount = Decimal(repr(float(value)))
    rounded, digits, suffix = _compact(abs(amount)) if compact else (_round(abs(amount), 0), 0, "")
    sign = "-" if amount < 0 and rounded else ""
    return f"{sign}${rounded:,.{digits}f}{suffix}"


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
