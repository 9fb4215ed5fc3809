"""Plain-text output of the CLI: values formatted by key name, records as aligned tables."""

from __future__ import annotations

import pytest

from cs_dashboard.plaintext import render


@pytest.mark.parametrize(("key", "value", "expected"), [
    ("mrr", 3_383_723.0, "$3.4M"),
    ("arr", 40_604_676.0, "$40.6M"),
    ("floor_mrr", 5_005.0, "$5.0k"),
    ("arr_at_risk_with_half_yellow", 16_211_796.0, "$16.2M"),
    ("team_cost", 3_270_000.0, "$3.3M"),
    ("arr_per_required_csm", 999_960.0, "$1.0M"),
    ("nrr_12m", 1.0018723, "100.2%"),
    ("grr_12m", 0.891, "89.1%"),
    ("logo_retention_12m", 2 / 3, "66.7%"),
    ("share_accounts", 0.1002, "10.0%"),
    ("team_cost_share", 0.0818, "8.2%"),
    ("churn_rate", 0.205128, "20.5%"),
    ("churn", 0.05, "5.0%"),
    ("survival", 0.98, "98.0%"),
    ("s12", 0.84, "84.0%"),
    ("mrr", 40_317, "40,317"),  # an int is a count: demo reports the mrr table's rows
    ("accounts", 1_647, "1,647"),
    ("accounts", 1_600.0, "1,600"),
    ("churned", 85, "85"),
    ("available_hours", 1_310.4, "1,310.4"),
    ("need_at_horizon_fte", 19.1483, "19.15"),
    ("accounts_per_csm", 12.5, "12.5"),
    ("auc", 0.797079, "0.797"),
    ("logrank_p", None, "–"),
    ("estimator", "Kaplan-Meier", "Kaplan-Meier"),
    ("cuts", (10.0, 30.0), "10, 30"),
])
def test_a_value_is_formatted_by_its_key_as_the_pages_show_it(key, value, expected):
    assert render({key: value}) == f"{key}: {expected}"


def test_records_are_an_aligned_table_with_exact_dollars():
    tiers = [{"tier": "High touch", "accounts": 2, "mrr": 1_500.0, "share_mrr": 0.75},
             {"tier": "Tech touch", "accounts": 10, "mrr": 500.0, "share_mrr": 0.25}]
    assert render({"as_of": "2026-01", "tiers": tiers}) == "\n".join([
        "as_of: 2026-01",
        "",
        "tiers",
        "  tier        accounts     mrr  share_mrr",
        "  ----------  --------  ------  ---------",
        "  High touch         2  $1,500      75.0%",
        "  Tech touch        10    $500      25.0%",
    ])


def test_a_nested_dict_is_an_indented_section_whose_key_formats_unnamed_values():
    data = {"backtest": {"churn_rate": {"red": 0.2, "green": 0.01}, "auc": 0.8}, "unscored": 3}
    assert render(data) == "\n".join([
        "backtest",
        "",
        "  churn_rate",
        "    red:   20.0%",
        "    green: 1.0%",
        "",
        "  auc:        0.8",
        "",
        "unscored: 3",
    ])


def test_a_dict_of_records_with_the_same_fields_is_a_table_with_one_row_per_key():
    bands = {"red": {"accounts": 3, "arr": 1_200.0}, "green": {"accounts": 12, "arr": 60_000.0}}
    assert render({"bands": bands}) == "\n".join([
        "bands",
        "         accounts      arr",
        "  -----  --------  -------",
        "  red           3   $1,200",
        "  green        12  $60,000",
    ])


def test_a_list_field_spreads_over_age_columns_left_blank_where_immature():
    cohorts = [{"cohort": "2025-Q1", "accounts": 2, "values": [1.0, 0.5, None]},
               {"cohort": "2025-Q2 (Apr-May)", "accounts": 1, "values": [1.0, None, None]}]
    assert render(cohorts) == "\n".join([
        "cohort             accounts       0      1  2",
        "-----------------  --------  ------  -----  -",
        "2025-Q1                   2  100.0%  50.0%",
        "2025-Q2 (Apr-May)         1  100.0%",
    ])


def test_a_table_wider_than_the_terminal_splits_into_blocks_that_repeat_the_first_column():
    rows = [{"month": "2025-04", "start": 230.0, "churn": -80.0, "end": 200.0,
             "start_accounts": 3, "n_churn": 1}]
    assert render(rows, width=40, money=("start", "churn", "end")) == "\n".join([
        "month    start  churn   end",
        "-------  -----  -----  ----",
        "2025-04   $230   -$80  $200",
        "",
        "month    start_accounts  n_churn",
        "-------  --------------  -------",
        "2025-04               3        1",
    ])


def test_a_long_curve_is_shown_every_twelfth_row_and_its_last():
    curve = {"group": "All", "timeline": list(range(30)),
             "survival": [1 - t / 100 for t in range(30)]}
    assert render(curve) == "\n".join([
        "group: All",
        "",
        "timeline  survival",
        "--------  --------",
        "       0    100.0%",
        "      12     88.0%",
        "      24     76.0%",
        "      29     71.0%",
        "(every 12th of 30 rows; --json prints them all)",
    ])


def test_long_text_wraps_under_its_value_and_empty_lists_say_none():
    text = render({"reading": "word " * 30, "hires": []}, width=40)
    assert text.splitlines() == [
        "reading: word word word word word word",
        "         word word word word word word",
        "         word word word word word word",
        "         word word word word word word",
        "         word word word word word word",
        "hires:   (none)",
    ]
