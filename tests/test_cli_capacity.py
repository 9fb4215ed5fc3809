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
    assert (out["csm_heads"], out["total_heads"], out["annual_cost"]) == (18, 21, 3_270_000.0)
    assert out["cost_share"] == pytest.approx(0.0818, abs=1e-4)
    assert out["arr_per_csm"] == pytest.approx(40_000_000 / 18, abs=1e-3)
    assert out["accounts_per_csm"] == pytest.approx(1600 / 18, abs=1e-3)
    assert {"hire", "opens", "starts", "productive"} <= set(out["hiring_plan"][0])


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
