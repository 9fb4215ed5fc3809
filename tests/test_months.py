"""Month arithmetic shared by Python and SQL."""

import datetime as dt

import pytest

from cs_dashboard.months import add_months, label, last_complete_month, month_index, parse_month


def test_add_months_crosses_years():
    assert add_months(dt.date(2025, 11, 1), 3) == dt.date(2026, 2, 1)
    assert add_months(dt.date(2025, 1, 15), -1) == dt.date(2024, 12, 1)


def test_month_index_round_trips_through_labels():
    d = dt.date(2026, 10, 1)
    assert month_index(add_months(d, 12)) - month_index(d) == 12
    assert label(d) == "2026-10"
    assert parse_month("2026-10") == d and parse_month("2026-10-17") == d


def test_last_complete_month_is_the_month_before_today():
    assert last_complete_month(dt.date(2026, 11, 23)) == dt.date(2026, 10, 1)
    assert last_complete_month(dt.date(2026, 1, 1)) == dt.date(2025, 12, 1)


def test_bad_month_text_is_rejected_clearly():
    with pytest.raises(ValueError, match="expected YYYY-MM"):
        parse_month("Oct 2026")
