"""Formatting of money, percentages and counts."""

import math

import pytest

from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct, fmt_points


@pytest.mark.parametrize(("value", "expected"), [
    (40_777_008, "$40.8M"), (3_400, "$3.4k"), (950, "$950"), (-1_200_000, "-$1.2M"),
    (2.5e9, "$2.5B"), (None, "–"), (math.nan, "–"), (math.inf, "–"),
])
def test_money_is_compact(value, expected):
    assert fmt_money(value) == expected


# Round first, then pick the unit: a figure that rounds up to 1,000 of a unit takes the next.
@pytest.mark.parametrize(("value", "expected"), [
    (999.4, "$999"), (999.5, "$1.0k"), (999.96, "$1.0k"), (1_000, "$1.0k"),
    (999_949, "$999.9k"), (999_950, "$1.0M"), (999_960, "$1.0M"), (1_000_000, "$1.0M"),
    (999_949_999, "$999.9M"), (999_950_000, "$1.0B"), (999_999_999, "$1.0B"),
    (1.2e12, "$1,200.0B"),
    (-999.96, "-$1.0k"), (-999_960, "-$1.0M"), (-999_999_999, "-$1.0B"), (-999.4, "-$999"),
    (1_250, "$1.3k"), (1_249.99, "$1.2k"), (2_250_000, "$2.3M"),
    (0.4, "$0"), (-0.4, "$0"), (0, "$0"),
])
def test_compact_money_rounds_before_it_picks_the_unit(value, expected):
    assert fmt_money(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (40_777_008.4, "$40,777,008"), (999.5, "$1,000"), (1_234.5, "$1,235"), (-1_234.5, "-$1,235"),
    (-0.4, "$0"), (999_999.5, "$1,000,000"),
])
def test_exact_money_rounds_to_the_dollar_with_halves_up(value, expected):
    assert fmt_money(value, compact=False) == expected


@pytest.mark.parametrize(("value", "expected"), [(1.0213, "102.1%"), (0.5, "50.0%"), (None, "–")])
def test_fractions_show_as_percentages(value, expected):
    assert fmt_pct(value) == expected


def test_changes_of_fractions_are_points_and_counts_have_separators():
    assert fmt_points(0.012) == "+1.2 pts"
    assert fmt_points(-0.05) == "-5.0 pts"
    assert fmt_count(1654) == "1,654"
