"""Tier rules (docs/definitions.md, Segmentation) on small hand-computed portfolios."""

import pandas as pd
import pytest

from cs_dashboard.tiers import TierRule, TierRuleError, assign_tiers, rank_accounts

# Ten accounts, MRR 1000, 900, ..., 100 (total 5500).
TEN = pd.DataFrame({"account_id": [f"a{i}" for i in range(10)],
                    "mrr": [1000.0 - 100 * i for i in range(10)]})


def tiers(rule: TierRule, frame: pd.DataFrame = TEN) -> list[str]:
    return assign_tiers(frame, rule).sort_values("rank")["tier"].astype(str).tolist()


def test_ranking_is_by_mrr_then_account_id_and_shares_end_at_one():
    frame = pd.DataFrame({"account_id": ["b", "a", "c", "z"], "mrr": [5.0, 5.0, 9.0, 0.0]})
    ranked = rank_accounts(frame)
    assert ranked["account_id"].tolist() == ["c", "a", "b"]  # inactive z left out
    assert ranked["cum_share_mrr"].iloc[-1] == pytest.approx(1.0)
    assert ranked["cum_share_accounts"].tolist() == pytest.approx([1 / 3, 2 / 3, 1.0])


def test_share_of_accounts_rounds_each_boundary_to_the_nearest_account():
    # 10% of 10 = 1 account; 30% = 3 accounts.
    assert tiers(TierRule()) == ["High touch"] + ["Low touch"] * 2 + ["Tech touch"] * 7
    # 25% of 10 = 2.5 -> 3 (halves round up); 45% -> 4.5 -> 5.
    rule = TierRule("accounts", (25.0, 45.0), ("A", "B", "C"))
    assert tiers(rule) == ["A"] * 3 + ["B"] * 2 + ["C"] * 5


def test_revenue_coverage_ends_a_tier_at_the_account_that_reaches_the_cut():
    # Cumulative shares: 1000/5500 = 18.2%, 1900 = 34.5%, 2700 = 49.1%, 3400 = 61.8%, 4000 = 72.7%
    # 4500 = 81.8%. 45% is reached at account 3; 75% at account 6.
    rule = TierRule("revenue", (45.0, 75.0), ("A", "B", "C"))
    assert tiers(rule) == ["A"] * 3 + ["B"] * 3 + ["C"] * 4


def test_mrr_floors_include_the_floor_itself():
    rule = TierRule("floor", (800.0, 500.0), ("A", "B", "C"))
    assert tiers(rule) == ["A"] * 3 + ["B"] * 3 + ["C"] * 4


def test_segment_rule_orders_tiers_by_median_mrr():
    frame = TEN.assign()
    segments = pd.Series(["Ent"] * 2 + ["SMB"] * 8, index=TEN["account_id"])
    out = assign_tiers(frame, TierRule("segment", (), ()), segments)
    assert list(out["tier"].cat.categories) == ["Ent", "SMB"]


@pytest.mark.parametrize(("rule", "cuts", "names", "message"), [
    ("accounts", (30.0, 10.0), ("A", "B", "C"), "strictly increasing"),
    ("floor", (100.0, 500.0), ("A", "B", "C"), "strictly decreasing"),
    ("accounts", (10.0,), ("A", "B", "C"), "need 2 names"),
    ("accounts", (10.0, 20.0, 30.0, 40.0), ("A", "B", "C", "D", "E"), "two and four tiers"),
    ("pyramid", (10.0,), ("A", "B"), "unknown tier rule"),
    ("accounts", (10.0,), ("A", " "), "every tier needs a name"),
    ("revenue", (45.0,), ("A", "A"), "names must differ"),
])
def test_invalid_rules_are_rejected_with_a_clear_message(rule, cuts, names, message):
    with pytest.raises(TierRuleError, match=message):
        TierRule(rule, cuts, names)


@pytest.mark.parametrize(("rule", "tiers", "cuts", "names"), [
    ("accounts", 2, (10.0,), ("High touch", "Tech touch")),
    ("revenue", 3, (45.0, 75.0), ("High touch", "Low touch", "Tech touch")),
    ("floor", 4, (10000.0, 5000.0, 1700.0), ("Strategic", "High touch", "Low touch", "Tech touch")),
])
def test_suggested_rules_are_valid_for_two_to_four_tiers(rule, tiers, cuts, names):
    suggested = TierRule.suggested(rule, tiers)
    assert (suggested.cuts, suggested.names, suggested.tier_count) == (cuts, names, tiers)


def test_rules_explain_their_tiers_for_slide_notes():
    assert TierRule().explain() == ("Tiers by cumulative share of accounts: High touch 0-10%, "
                                    "Low touch 10-30%, Tech touch 30-100%.")
    assert TierRule.default("floor").explain() == (
        "Tiers by MRR floor: High touch from $5,000 MRR, Low touch from $1,700 MRR; "
        "Tech touch below.")
    assert TierRule("segment", (), ()).explain() == "Tiers are the accounts' own segment column."


def test_rules_describe_themselves_in_plain_words():
    assert TierRule().describe() == "by share of accounts: 10% / 30%"
    assert TierRule.default("floor").describe() == "by MRR floor: $5,000 / $1,700"
    assert TierRule.default("revenue").describe() == "by cumulative share of revenue: 45% / 75%"


def test_a_rule_survives_a_json_round_trip():
    rule = TierRule("floor", (9000.0, 1200.0), ("Gold", "Silver", "Bronze"))
    assert TierRule.from_json(rule.to_json()) == rule
