"""``python -m cs_dashboard health``: JSON shape, hand-computed numbers, demo back-test, errors."""

from __future__ import annotations

import json

import pytest

from cs_dashboard.cli import main
from tests.conftest import write_duckdb
from tests.test_db_health import health_frames


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def health_url(tmp_path) -> str:
    return write_duckdb(tmp_path, health_frames(), "health_cli")


def test_json_has_the_documented_shape_and_hand_computed_values(capsys, health_url):
    code, out, _ = run(capsys, "health", "--db", health_url, "--as-of", "2025-07",
                       "--backtest-from", "2025-01", "--json")
    data = json.loads(out)
    assert code == 0
    assert {"as_of", "bands", "unscored", "arr_at_risk", "backtest"} <= data.keys()
    assert data["as_of"] == "2025-07"
    assert data["bands"] == {"red": {"accounts": 1, "arr": 1200.0},
                             "yellow": {"accounts": 0, "arr": 0.0},
                             "green": {"accounts": 2, "arr": 4200.0}}
    assert (data["unscored"], data["arr_at_risk"]) == (2, 1200.0)
    assert data["backtest"]["snapshot"] == "2025-01"
    assert data["backtest"]["churn_rate"] == {"red": 1.0, "yellow": 0.0, "green": 0.5}
    assert data["backtest"]["auc"] == pytest.approx(4 / 6, abs=1e-6)


def test_weights_and_bands_options_apply(capsys, health_url):
    code, out, _ = run(capsys, "health", "--db", health_url, "--as-of", "2025-07",
                       "--weights", "usage=3", "--bands", "50,90", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["bands"]["yellow"] == {"accounts": 2, "arr": 3600.0}
    assert data["weights"] == {"usage": 3.0, "adoption": 1.0}


def test_on_the_default_demo_the_score_anticipates_churn(capsys, demo_url):
    code, out, _ = run(capsys, "health", "--db", demo_url, "--json")
    backtest = json.loads(out)["backtest"]
    assert code == 0
    assert backtest["auc"] >= 0.70
    assert backtest["churn_rate"]["red"] > backtest["churn_rate"]["green"]


@pytest.mark.parametrize("option, value, message", [
    ("--weights", "usge=2", "unknown health component(s): usge"),
    ("--weights", "usage", "bad weight 'usage'"),
    ("--weights", "usage=-1", "zero or positive"),
    ("--weights", "usage=0,adoption=0", "positive weight"),
    ("--bands", "85,70", "0 < red < green <= 100"),
    ("--bands", "70", "two thresholds"),
    ("--bands", "seventy,85", "bad bands"),
])
def test_bad_weights_or_bands_exit_2_with_a_clear_message(capsys, health_url, option, value, message):
    code, out, err = run(capsys, "health", "--db", health_url, option, value, "--json")
    assert code == 2
    assert out == ""
    assert message in err


def test_an_empty_database_exits_2(capsys, empty_url):
    code, _, err = run(capsys, "health", "--db", empty_url, "--json")
    assert code == 2
    assert "no revenue" in err


def test_the_score_saved_on_the_health_page_is_the_default(capsys, health_url, saved_score):
    from cs_dashboard.health import ScoreSettings

    saved_score(ScoreSettings((("usage", 0.0),), (50.0, 90.0)))
    code, out, _ = run(capsys, "health", "--db", health_url, "--as-of", "2025-07", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["thresholds"] == {"red_below": 50.0, "green_from": 90.0}
    assert data["weights"] == {"adoption": 1.0}
    # usage out: A adoption 60 and B adoption 85 are yellow, E provided 90 green
    assert data["arr_at_risk"] == 0.0
    assert data["bands"]["yellow"] == {"accounts": 2, "arr": 3600.0}


def test_options_override_the_saved_score(capsys, health_url, saved_score):
    from cs_dashboard.health import ScoreSettings

    saved_score(ScoreSettings((("usage", 0.0),), (50.0, 90.0)))
    code, out, _ = run(capsys, "health", "--db", health_url, "--as-of", "2025-07",
                       "--bands", "70,85", "--weights", "usage=1", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["weights"] == {"usage": 1.0, "adoption": 1.0}
    assert data["arr_at_risk"] == 1200.0
