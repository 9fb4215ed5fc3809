"""Formatting of money, percentages and counts."""

import math

import pytest

from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct, fmt_points


@pytest.mark.parametrize(("value", "expected"), [
    (40_777_008, "$40.8M"), (3_400, "$3.4k"), (950, "$950"), (-1_200_000, "-$1.2M"),
    (2.5e9, "$2.5B"), (None, "–"), (math.nan, "–"),
])
def test_money_is_compact(value, expected):
    assert fmt_money(value) == expected


def test_money_can_be_exact():
    assert fmt_money(40_777_008.4, compact=False) == "$40,777,008"


@pytest.mark.parametrize(("value", "expected"), [(1.0213, "102.1%"), (0.5, "50.0%"), (None, "–")])
def test_fractions_show_as_percentages(value, expected):
    assert fmt_pct(value) == expected


def test_changes_of_fractions_are_points_and_counts_have_separators():
    assert fmt_points(0.012) == "+1.2 pts"
    assert fmt_points(-0.05) == "-5.0 pts"
    assert fmt_count(1654) == "1,654"
