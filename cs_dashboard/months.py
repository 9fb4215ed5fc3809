"""Calendar-month arithmetic on first-of-month dates.

A month index is ``year * 12 + (month - 1)``; the same expression is built in SQL by the
data layer, so Python and the database agree on month arithmetic.
"""

from __future__ import annotations

import datetime as dt


def month_index(d: dt.date) -> int:
    """Months since year 0 for the month containing ``d``."""
    return d.year * 12 + d.month - 1


def from_index(i: int) -> dt.date:
    """First day of the month with index ``i``."""
    return dt.date(i // 12, i % 12 + 1, 1)


def add_months(d: dt.date, n: int) -> dt.date:
    """First day of the month ``n`` months after the month of ``d``."""
    return from_index(month_index(d) + n)


def first_of_month(d: dt.date) -> dt.date:
    return dt.date(d.year, d.month, 1)


def latest_quarter_end(d: dt.date) -> dt.date:
    """The last month of the latest complete calendar quarter at or before the month of ``d``
    (March, June, September or December)."""
    i = month_index(d)
    return from_index(i if i % 3 == 2 else i // 3 * 3 - 1)


def parse_month(text: str) -> dt.date:
    """Parse ``YYYY-MM`` (or a full ISO date) into the first day of that month."""
    text = text.strip()
    try:
        if len(text) == 7:
            return dt.datetime.strptime(text, "%Y-%m").date()
        return first_of_month(dt.date.fromisoformat(text))
    except ValueError as exc:
        raise ValueError(f"not a month: {text!r} (expected YYYY-MM)") from exc


def label(d: dt.date) -> str:
    """``YYYY-MM`` label of a month."""
    return f"{d.year:04d}-{d.month:02d}"


def last_complete_month(today: dt.date | None = None) -> dt.date:
    """The last complete calendar month before ``today``."""
    today = today or dt.date.today()
    return add_months(first_of_month(today), -1)
