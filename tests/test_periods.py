"""Period labels: a quarter or year only partly covered names the months it covers."""

from __future__ import annotations

import datetime as dt

import pytest

from cs_dashboard.months import month_index
from cs_dashboard.periods import is_partial, period_label


def mi(text: str) -> int:
    year, month = text.split("-")
    return month_index(dt.date(int(year), int(month), 1))


@pytest.mark.parametrize(("month", "period", "first", "last", "expected"), [
    ("2024-12", "quarter", "2024-12", None, "2024-Q4 (Dec only)"),
    ("2026-10", "quarter", None, "2026-11", "2026-Q4 (Oct-Nov)"),
    ("2024-03", "year", "2024-03", None, "2024 (Mar-Dec)"),
    ("2024-12", "year", "2024-12", "2026-11", "2024 (Dec only)"),
    ("2026-05", "year", "2024-12", "2026-11", "2026 (Jan-Nov)"),
    ("2025-02", "quarter", "2025-02", "2025-08", "2025-Q1 (Feb-Mar)"),
    ("2025-05", "quarter", "2025-05", "2025-05", "2025-Q2 (May only)"),
    ("2025-06", "quarter", "2025-04", "2025-06", "2025-Q2"),
    ("2025-06", "quarter", "2024-12", "2026-11", "2025-Q2"),
    ("2025-06", "quarter", None, None, "2025-Q2"),
    ("2025-01", "year", "2025-01", "2025-12", "2025"),
    ("2025-06", "month", "2025-06", "2025-06", "2025-06"),
])
def test_a_period_label_names_the_covered_months_when_they_are_not_the_whole_period(
        month, period, first, last, expected):
    label = period_label(mi(month), period, first and mi(first), last and mi(last))
    assert label == expected
    assert is_partial(label) == ("(" in expected)


def test_one_quarter_name_for_dates_periods_renewals_and_hiring_plans():
    import pandas as pd

    from cs_dashboard.periods import quarter_name, quarter_names

    assert quarter_name(dt.date(2026, 7, 31)) == "2026-Q3"
    named = quarter_names(pd.Series(pd.to_datetime(["2026-01-05", None, "2026-12-31"])))
    assert named.iloc[0] == "2026-Q1" and pd.isna(named.iloc[1]) and named.iloc[2] == "2026-Q4"
    assert period_label(month_index(dt.date(2026, 7, 1)), "quarter") == "2026-Q3"
