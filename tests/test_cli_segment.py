"""``segment`` and ``metrics --json`` tiers: JSON shape, hand-computed values, the demo example."""

from __future__ import annotations

import json

import pytest

from cs_dashboard.cli import main
from cs_dashboard.db.state import AppState
from cs_dashboard.tiers import STATE_KEY, TierRule

TIER_KEYS = {"tier", "accounts", "share_accounts", "mrr", "arr", "share_mrr", "floor_mrr"}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def segment(capsys, url, *args):
    code, out, err = run(capsys, "segment", "--db", url, "--json", *args)
    assert code == 0, err
    return json.loads(out)


def test_segment_json_has_the_documented_shape(capsys, tiny_url):
    data = segment(capsys, tiny_url, "--rule", "accounts", "--cuts", "10,30", "--as-of", "2026-01")
    assert {"as_of", "total_mrr", "tiers", "accounts_for_50pct", "accounts_for_80pct",
            "hhi"} <= data.keys()
    assert all(set(t) == TIER_KEYS for t in data["tiers"])
    assert data["as_of"] == "2026-01" and data["total_mrr"] == 500.0


def test_floor_cuts_are_dollars_of_mrr_and_values_are_hand_computed(capsys, tiny_url):
    # At 2026-01: D 300, A 150, B 50 (total 500).
    data = segment(capsys, tiny_url, "--rule", "floor", "--cuts", "200,100", "--as-of", "2026-01")
    assert [(t["tier"], t["accounts"], t["mrr"], t["floor_mrr"]) for t in data["tiers"]] == [
        ("High touch", 1, 300.0, 300.0), ("Low touch", 1, 150.0, 150.0),
        ("Tech touch", 1, 50.0, 50.0)]
    assert [t["share_mrr"] for t in data["tiers"]] == pytest.approx([0.6, 0.3, 0.1])
    assert [t["arr"] for t in data["tiers"]] == [3600.0, 1800.0, 600.0]
    assert data["accounts_for_50pct"] == 1 and data["accounts_for_80pct"] == 2
    assert data["hhi"] == pytest.approx(0.6 ** 2 + 0.3 ** 2 + 0.1 ** 2)


def test_revenue_cuts_are_percents_of_mrr_with_custom_names(capsys, tiny_url):
    data = segment(capsys, tiny_url, "--rule", "revenue", "--cuts", "50", "--names", "Named,Pooled",
                   "--as-of", "2026-01")
    assert [(t["tier"], t["accounts"]) for t in data["tiers"]] == [("Named", 1), ("Pooled", 2)]


def test_the_default_rule_reproduces_the_reference_example_on_the_demo(capsys, demo_url):
    data = segment(capsys, demo_url, "--rule", "accounts", "--cuts", "10,30")
    first, second = data["tiers"][0], data["tiers"][1]
    assert first["share_mrr"] == pytest.approx(0.45, abs=0.03)
    assert first["floor_mrr"] == pytest.approx(5000, rel=0.15)
    assert first["share_mrr"] + second["share_mrr"] == pytest.approx(0.75, abs=0.03)
    assert second["floor_mrr"] == pytest.approx(1700, rel=0.15)
    assert sum(t["accounts"] for t in data["tiers"]) > 1500
    assert data["accounts_for_50pct"] < data["accounts_for_80pct"]


def test_an_invalid_rule_exits_2_with_the_rule_message(capsys, tiny_url):
    code, _, err = run(capsys, "segment", "--db", tiny_url, "--rule", "floor", "--cuts", "100,500")
    assert code == 2 and "strictly decreasing" in err


def test_metrics_json_gains_the_tiers_of_the_saved_rule(capsys, tiny_url):
    state = AppState()
    state.set(STATE_KEY, TierRule("floor", (200.0,), ("Named", "Pooled")).to_json())
    try:
        code, out, _ = run(capsys, "metrics", "--db", tiny_url, "--as-of", "2026-01", "--json")
    finally:
        state.set(STATE_KEY, TierRule().to_json())
    data = json.loads(out)
    assert code == 0 and data["accounts"] == 3
    assert [(t["tier"], t["accounts"], t["mrr"]) for t in data["tiers"]] == [
        ("Named", 1, 300.0), ("Pooled", 2, 200.0)]
    assert all(set(t) == TIER_KEYS for t in data["tiers"])
