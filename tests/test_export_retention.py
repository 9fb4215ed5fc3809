"""The board pack's retention section: its survival headline on hand-made curves."""

from __future__ import annotations

import pandas as pd

from cs_dashboard.export.sections.retention import survival_curves, survival_headline
from cs_dashboard.retention.survival import GroupSurvival, SurvivalResult


def group(name: str, survival: list[float]) -> GroupSurvival:
    months = range(len(survival))
    curve = pd.DataFrame({"timeline": list(months), "survival": survival,
                          "lower": [s - 0.05 for s in survival], "upper": survival})
    return GroupSurvival(name, 10, 3, curve, None)


def test_the_headline_compares_the_first_and_last_group_at_24_months():
    result = SurvivalResult((group("High touch", [1.0] * 20 + [0.9] * 10),
                             group("Tech touch", [1.0] * 20 + [0.6] * 10)), 0.01)
    assert survival_headline(result) == ("90% of High touch accounts are still customers after "
                                         "24 months, against 60% of Tech touch")


def test_the_headline_falls_back_to_12_months_when_24_is_not_observed():
    result = SurvivalResult((group("High touch", [1.0] * 12 + [0.75] * 3),
                             group("Tech touch", [1.0] * 30)), 0.5)
    assert survival_headline(result).endswith("after 12 months, against 100% of Tech touch")
    assert survival_headline(result).startswith("75% of High touch")


def test_one_group_reads_as_the_whole_book():
    result = SurvivalResult((group("All", [1.0] * 24 + [0.5]),), None)
    assert survival_headline(result) == "50% of accounts are still customers 24 months after they start"


def test_a_short_history_gets_a_plain_headline():
    result = SurvivalResult((group("All", [1.0] * 6),), None)
    assert survival_headline(result) == "Logo survival by months since start"


def test_the_curves_are_one_long_frame_with_each_groups_accounts():
    result = SurvivalResult((group("A", [1.0, 0.5]), group("B", [1.0])), None)
    curves = survival_curves(result)
    assert curves["group"].tolist() == ["A", "A", "B"]
    assert curves["accounts"].tolist() == [10, 10, 10]
    assert list(curves.columns) == ["group", "accounts", "timeline", "survival", "lower", "upper"]
