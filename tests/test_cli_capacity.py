"""``python -m cs_dashboard capacity``: the numbers of a scenario file, and clear refusals."""

from __future__ import annotations

import json

import pytest

from cs_dashboard.cli import main
from tests.conftest import ROOT

SCENARIOS = ROOT / "data" / "scenarios"


def run_json(capsys, *argv: str) -> dict:
    assert main(["capacity", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_wingtip_scenario_prints_its_team_without_needing_data(capsys, empty_url):
    out = run_json(capsys, "--db", empty_url, "--scenario", str(SCENARIOS / "wingtip.json"),
                   "--as-of", "2026-01")
    assert out["book"] == "scenario" and out["as_of"] == "2026-01"
    assert [t["fte"] for t in out["tiers"]] == [2.0, 11.0, 4.0, 1.0]
    assert (out["csm_heads"], out["total_heads"], out["team_cost"]) == (18, 21, 3_270_000.0)
    assert out["csm_cost"] == 18 * 150_000
    assert out["team_cost_share"] == pytest.approx(0.0818, abs=1e-4)
    assert out["arr_per_required_csm"] == pytest.approx(40_000_000 / 18, abs=1e-3)
    assert out["accounts_per_required_csm"] == pytest.approx(1600 / 18, abs=1e-3)
    assert {"hire", "opens", "starts", "productive"} <= set(out["hiring_plan"][0])


#: Two tiers with their own book: 25 accounts at 1:10 (2.5 FTE) and 120 at 1:50 (2.4 FTE).
HAND = {"name": "Hand", "current_csms": 5,
        "tiers": [{"name": "A", "accounts_per_csm": 10, "accounts": 25, "arr": 2_500_000, "churn": 0.1},
                  {"name": "B", "accounts_per_csm": 50, "accounts": 120, "arr": 1_500_000, "churn": 0.2}],
        "team": {"csm_cost": 100_000, "csms_per_manager": 4, "manager_cost": 200_000,
                 "csms_per_ops": 10, "ops_cost": 80_000},
        "growth": {"horizon": 12}}


def test_the_json_names_each_cost_and_ratio_for_what_it_divides(capsys, tmp_path, empty_url):
    """4.9 CSM FTE -> 5 CSM heads, ceil(5/4) = 2 managers, ceil(5/10) = 1 CS ops.
    CSM cost = 4.9 x $100k = $490k; team cost = 5 x $100k + 2 x $200k + 1 x $80k = $980k;
    team cost / ARR = 980k / 4M; ARR and accounts per required CSM = 4M / 5 and 145 / 5.
    In 12 months the tiers keep 90% and 80%: 22.5 / 10 + 96 / 50 = 4.17 FTE; 5 CSMs, no hires."""
    path = tmp_path / "hand.json"
    path.write_text(json.dumps(HAND))
    out = run_json(capsys, "--db", empty_url, "--scenario", str(path), "--as-of", "2026-01")
    assert out == {
        "scenario": "Hand", "as_of": "2026-01", "book": "scenario",
        "tiers": [{"tier": "A", "accounts": 25.0, "arr": 2_500_000.0, "hours_per_account": 131.04,
                   "accounts_per_csm": 10.0, "fte": 2.5, "heads": 3, "churn": 0.1},
                  {"tier": "B", "accounts": 120.0, "arr": 1_500_000.0, "hours_per_account": 26.208,
                   "accounts_per_csm": 50.0, "fte": 2.4, "heads": 3, "churn": 0.2}],
        "available_hours": 1310.4, "csm_fte": 4.9, "csm_heads": 5, "manager_heads": 2, "ops_heads": 1,
        "total_heads": 8, "csm_cost": 490_000.0, "team_cost": 980_000.0, "team_cost_share": 0.245,
        "arr": 4_000_000.0, "accounts": 145.0, "arr_per_required_csm": 800_000.0,
        "accounts_per_required_csm": 29.0, "current_csms": 5.0, "churn_tiers_as_of": None,
        "horizon": 12, "need_at_horizon_fte": 4.17, "hiring_plan": [],
    }


def test_churn_from_the_data_names_the_month_whose_tiers_it_uses(capsys, tiny_url):
    """At 2026-01 the tiny book's churn is measured on the tiers of 2025-01: B (Low touch) stayed,
    one of A and C (Tech touch) churned; High touch had no account then, so no churn."""
    out = run_json(capsys, "--db", tiny_url, "--scenario", str(SCENARIOS / "simple_rule.json"))
    assert [t["churn"] for t in out["tiers"]] == [0.0, 0.0, 0.5]
    assert out["churn_tiers_as_of"] == "2025-01"


def test_a_preset_takes_the_book_from_the_database(capsys, tiny_url):
    out = run_json(capsys, "--db", tiny_url, "--scenario", str(SCENARIOS / "simple_rule.json"))
    assert out["book"] == "data" and out["as_of"] == "2026-01"
    assert [t["accounts"] for t in out["tiers"]] == [0, 1, 2]
    assert out["csm_fte"] == pytest.approx(3 / 50)
    assert (out["csm_heads"], out["current_csms"], out["arr"]) == (1, 2, 6000.0)
    # 24 new logos a month against 2 CSMs losing 12% a year: hires open now, productive in 6 months
    assert out["hiring_plan"][0] == {"hire": 1, "opens": "2026-01", "starts": "2026-04",
                                     "productive": "2026-07"}


@pytest.mark.parametrize(("body", "message"), [
    ({"name": "x", "tiers": [{"name": "a", "colour": 1}]}, "unknown key 'colour' in tiers[0]"),
    ({"name": "x", "tiers": [{"name": "a", "mode": "hours",
                              "activities": [{"name": "QBR", "times_per_year": 4, "hours_each": -1}]}]},
     "hours_each must be >= 0"),
    ({"name": "x", "tiers": [{"name": "a"}], "availability": {"time_off": 1.5}}, "time_off is a share"),
])
def test_an_invalid_scenario_exits_2_with_a_clear_message(capsys, tmp_path, tiny_url, body, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(body))
    assert main(["capacity", "--db", tiny_url, "--scenario", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: invalid scenario: bad.json: ") and message in err


def test_a_scenario_whose_tiers_do_not_match_the_data_exits_2(capsys, tmp_path, tiny_url):
    path = tmp_path / "two.json"
    path.write_text(json.dumps({"name": "Two", "tiers": [{"name": "a"}, {"name": "b"}]}))
    assert main(["capacity", "--db", tiny_url, "--scenario", str(path)]) == 2
    assert "the scenario has 2 tiers but the data's tier rule has 3" in capsys.readouterr().err


def test_a_data_scenario_on_an_empty_database_says_there_is_no_data(capsys, empty_url):
    assert main(["capacity", "--db", empty_url, "--scenario", str(SCENARIOS / "gainsight_book.json")]) == 2
    assert "the database has none" in capsys.readouterr().err


def test_a_missing_file_is_reported(capsys, tiny_url, tmp_path):
    assert main(["capacity", "--db", tiny_url, "--scenario", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
