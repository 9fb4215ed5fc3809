"""One result per scenario: ``evaluate`` / ``evaluate_all`` and their JSON, on hand-built books."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cs_dashboard.capacity import Base, Scenario, Team, TierPlan, evaluate, evaluate_all
from cs_dashboard.capacity.result import TABLE_COLUMNS
from tests.conftest import ROOT

T = dt.date(2026, 1, 1)
TEAM = Team(100_000, 4, 200_000, 10, 80_000)
#: The data's book: 25 and 120 accounts, $2.5M and $1.5M ARR, churn 10% and none measurable.
BASE = Base(("A", "B"), (25, 120), (2_500_000.0, 1_500_000.0), (0.1, None), csms=4, as_of=T)


def on_data(name: str, ratio_a: float, ratio_b: float) -> Scenario:
    return Scenario(name, (TierPlan("A", accounts_per_csm=ratio_a), TierPlan("B", accounts_per_csm=ratio_b)),
                    team=TEAM, source=f"{name} source")


def test_the_result_carries_csm_cost_and_team_cost_as_the_contract_defines_them():
    """1:10 and 1:50: 2.5 + 2.4 = 4.9 FTE, 5 CSMs, 2 managers, 1 CS ops."""
    res = evaluate(on_data("Base", 10, 50), BASE, T)
    cov = res.coverage
    assert cov.csm_cost == pytest.approx(4.9 * 100_000)
    assert cov.team_cost == 5 * 100_000 + 2 * 200_000 + 1 * 80_000
    assert cov.team_cost_share == pytest.approx(980_000 / 4_000_000)
    assert (cov.arr_per_required_csm, cov.accounts_per_required_csm) == (800_000, 29)
    assert res.book == "data"


def test_churn_taken_from_the_data_is_flagged_with_the_month_of_its_tiers():
    """Tier A leaves churn open (the data's 10%, tiers as at T-12); B states its own."""
    sc = on_data("Base", 10, 50).with_tier(1, churn=0.3)
    res = evaluate(sc, BASE, T)
    assert res.resolved.churn_measured == (True, False)
    assert list(res.resolved.churn) == pytest.approx([0.1, 0.3])
    assert res.to_json()["churn_tiers_as_of"] == "2025-01"
    assert evaluate(sc.with_tier(0, churn=0.2), BASE, T).to_json()["churn_tiers_as_of"] is None


def test_a_scenario_set_orders_by_required_heads_and_names_what_it_leaves_out():
    """Tight: 2.5 + 2.4 = 4.9 FTE -> 5 CSMs; loose: 25/25 + 120/120 = 2 FTE -> 2 CSMs (1 manager,
    1 CS ops: team cost $480k). Own book and three tiers are left out, each with the reason."""
    own = Scenario("Own", (TierPlan("A", accounts=1), TierPlan("B", accounts=1)))
    three = Scenario("Three", (TierPlan("A"), TierPlan("B"), TierPlan("C")))
    found = evaluate_all([on_data("Tight", 10, 50), own, three, on_data("Loose", 25, 120)], BASE, T)
    assert found.skipped == (("Own", "it models a book of its own"),
                             ("Three", "its tiers do not match the tier rule"))
    assert found.current_csms == 4
    table = found.table()
    assert tuple(table.columns) == TABLE_COLUMNS
    assert table.to_dict("records") == [
        {"scenario": "Loose", "csm_fte": pytest.approx(2.0), "csm_heads": 2, "total_heads": 4,
         "csm_cost": pytest.approx(200_000), "team_cost": 480_000.0, "team_cost_share": pytest.approx(0.12),
         "arr_per_required_csm": 2_000_000.0, "accounts_per_required_csm": 72.5, "source": "Loose source"},
        {"scenario": "Tight", "csm_fte": pytest.approx(4.9), "csm_heads": 5, "total_heads": 8,
         "csm_cost": pytest.approx(490_000), "team_cost": 980_000.0, "team_cost_share": pytest.approx(0.245),
         "arr_per_required_csm": 800_000.0, "accounts_per_required_csm": 29.0, "source": "Tight source"},
    ]
    assert [s["scenario"] for s in found.to_json()["scenarios"]] == ["Loose", "Tight"]


def documented_keys() -> set[str]:
    """Keys in the first column of the command line's table in docs/capacity.md."""
    text = (ROOT / "docs" / "capacity.md").read_text()
    section = text[text.index("## Command line"):text.index("## Board pack")]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {key for row in rows for key in re.findall(r"`([^`]+)`", row)}


def test_every_key_of_the_json_is_documented_in_docs_capacity():
    out = evaluate(on_data("Base", 10, 50), BASE, T).to_json()
    keys = set(out) | {f"tiers[].{k}" for k in out["tiers"][0]}
    assert keys - documented_keys() == set()
