"""Scenario JSON: strict validation with clear errors, round trips, shipped examples, presets."""

from __future__ import annotations

import copy
import json

import pytest

from cs_dashboard.capacity import ScenarioError, coverage, resolve
from cs_dashboard.capacity.presets import BENCHMARKS, PRESETS
from cs_dashboard.capacity.scenario_json import dumps, from_json, load_file, loads, shipped, to_json
from tests.conftest import ROOT

SCENARIOS = ROOT / "data" / "scenarios"
VALID = {
    "name": "Option A",
    "tiers": [
        {"name": "High touch", "mode": "hours", "unplanned_share": 0.2,
         "activities": [{"name": "Check-ins", "times_per_year": 12, "hours_each": 2}]},
        {"name": "Tech touch", "mode": "ratio", "accounts_per_csm": 1000},
    ],
    "availability": {"hours_per_week": 40, "time_off": 0.1},
    "team": {"csm_cost": 160000},
    "growth": {"attrition": 0.1, "horizon": 24},
}


def changed(path: tuple, value) -> dict:
    data = copy.deepcopy(VALID)
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


@pytest.mark.parametrize(("data", "message"), [
    (changed(("colour",), "blue"), "unknown key 'colour' in the scenario"),
    (changed(("availability", "weeks_per_year"), 50), "unknown key 'weeks_per_year' in availability"),
    (changed(("tiers", 0, "ratio"), 10), "unknown key 'ratio' in tiers[0]"),
    (changed(("tiers", 0, "activities", 0, "minutes"), 5), "unknown key 'minutes' in tiers[0].activities[0]"),
    (changed(("tiers", 0, "activities", 0, "hours_each"), -2),
     "tiers[0].activities[0]: activity 'Check-ins': hours_each must be >= 0, got -2"),
    (changed(("availability", "time_off"), 1.5),
     "availability: availability: time_off is a share and must be between 0 and 1 (0.1 means 10%), got 1.5"),
    (changed(("tiers", 0, "unplanned_share"), 20), "unplanned_share is a share and must be between 0 and 1"),
    (changed(("growth", "attrition"), 1.2), "growth: attrition is a share"),
    (changed(("team", "csm_cost"), "lots"), "team: csm_cost must be a number, got 'lots'"),
    (changed(("growth", "horizon"), 2.5), "horizon must be a whole number"),
    (changed(("tiers", 1, "mode"), "vibes"), "mode must be one of ratio, hours"),
    (changed(("tiers", 1, "accounts_per_csm"), 0), "accounts_per_csm must be > 0"),
    (changed(("tiers",), []), "needs \"tiers\""),
    (changed(("tiers", 1, "name"), "High touch"), "tier names must differ"),
    (changed(("format",), 9), "format 9 is not supported"),
    ({"tiers": VALID["tiers"]}, "needs a \"name\""),
    ([1, 2], "the scenario must be an object"),
])
def test_invalid_scenarios_are_rejected_with_a_message_naming_the_place(data, message):
    with pytest.raises(ScenarioError) as err:
        from_json(data)
    assert message in str(err.value)


def test_text_that_is_not_json_is_rejected():
    with pytest.raises(ScenarioError, match="not valid JSON"):
        loads("{name: 1")


def test_a_scenario_round_trips_through_json():
    sc = from_json(VALID)
    assert loads(dumps(sc)) == sc
    assert to_json(sc)["tiers"][1] == {"name": "Tech touch", "mode": "ratio", "accounts_per_csm": 1000,
                                       "unplanned_share": 0.0, "new_logos_per_month": 0.0}


def test_omitted_sections_take_the_documented_defaults():
    sc = from_json({"name": "Bare", "tiers": [{"name": "All"}]})
    assert sc.availability.hours_per_week == 40 and sc.availability.time_off == 0.1
    assert sc.availability.non_customer_share == 0.3 and sc.growth.horizon == 24
    assert sc.tiers[0].mode == "ratio" and sc.tiers[0].churn is None


def test_a_broken_file_names_itself(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(changed(("availability", "non_customer_share"), 2)))
    with pytest.raises(ScenarioError, match=r"^mine.json: availability: .*non_customer_share"):
        load_file(path)


def test_every_shipped_scenario_loads():
    found = shipped(SCENARIOS)
    assert set(found) >= {p.key for p in PRESETS} | {"wingtip"}
    for name, sc in found.items():
        assert sc.source, f"{name} states no source"
        assert loads(dumps(sc)) == sc


@pytest.mark.parametrize("preset", PRESETS, ids=lambda p: p.key)
def test_each_preset_ships_as_a_scenario_with_the_same_coverage(preset):
    sc = load_file(SCENARIOS / f"{preset.key}.json")
    expected = preset.scenario()
    assert sc.source == preset.source
    for got, want in zip(sc.tiers, expected.tiers, strict=True):
        assert (got.name, got.mode, got.accounts_per_csm, got.activities, got.unplanned_share) == \
            (want.name, want.mode, want.accounts_per_csm, want.activities, want.unplanned_share)


def test_the_wingtip_file_describes_the_reference_books_team():
    sc = load_file(SCENARIOS / "wingtip.json")
    cov = coverage(resolve(sc, None))
    assert (cov.accounts, cov.arr, cov.total_heads) == (1600, 40_000_000, 21)


def test_every_benchmark_and_preset_is_documented_with_its_source():
    doc = (ROOT / "docs" / "capacity.md").read_text()
    for item in (*BENCHMARKS, *PRESETS):
        assert item.name in doc, item.name
    for key in ("availability", "non_customer_share", "unplanned_share", "accounts_per_csm",
                "time_to_hire", "ramp_months", "upgrade_share", "csms_per_manager", "per_tier_ceil"):
        assert f"`{key}`" in doc, key
