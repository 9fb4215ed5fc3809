"""``python -m cs_dashboard forecast``: JSON shape, hand-computed values, the demo's track
record, plain text, and refusals."""

from __future__ import annotations

import json
import re

import pytest

from cs_dashboard.cli import main
from tests.conftest import write_duckdb
from tests.test_forecast import forecast_frames


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def forecast_url(tmp_path_factory) -> str:
    return write_duckdb(tmp_path_factory.mktemp("forecast_cli"), forecast_frames(), "forecast")


def test_json_has_the_forecast_renewals_track_record_and_calibration(capsys, forecast_url):
    code, out, _ = run(capsys, "forecast", "--db", forecast_url, "--as-of", "2026-01", "--json")
    data = json.loads(out)
    assert code == 0
    assert {"as_of", "months", "headline", "method", "forecast", "renewals", "track_record",
            "calibration"} <= data.keys()
    assert (data["as_of"], data["months"], data["level"]) == ("2026-01", 12, 0.9)
    forecast = data["forecast"]
    assert forecast["rates_from"] == "2025-01" and forecast["book_arr"] == 25800.0
    assert forecast["rates"]["yellow"]["contraction_rate"] == 0.125
    last = forecast["monthly"][-1]
    assert last["month"] == "2027-01"
    assert last["grr"] == pytest.approx(1 - 5175 / 25800, abs=1e-6)
    assert last["nrr"] == pytest.approx(1 - 4455 / 25800, abs=1e-6)
    assert last["grr_low"] <= last["grr"] <= last["grr_high"]
    assert len(forecast["monthly"]) == 12


def test_json_renewals_by_month_and_band_count_the_undated_apart(capsys, forecast_url):
    _, out, _ = run(capsys, "forecast", "--db", forecast_url, "--as-of", "2026-01", "--json")
    renewals = json.loads(out)["renewals"]
    months = {r["month"]: r for r in renewals["by_month"]}
    assert months["2026-02"] == {"month": "2026-02", "accounts": 1, "arr": 3600.0,
                                 "red_arr": 3600.0, "yellow_arr": 0.0, "green_arr": 0.0,
                                 "unscored_arr": 0.0}
    assert renewals["apart"]["no_date"]["accounts"] == 1
    assert [w["account_id"] for w in renewals["watch_list"]] == ["G1", "R2", "N1"]
    assert renewals["watch_list"][0]["renewal_date"] == "2026-03-20"


def test_months_shortens_the_horizon(capsys, forecast_url):
    code, out, _ = run(capsys, "forecast", "--db", forecast_url, "--as-of", "2026-01",
                       "--months", "6", "--json")
    data = json.loads(out)
    assert code == 0 and data["months"] == 6
    assert [m["month"] for m in data["forecast"]["monthly"]][-1] == "2026-07"
    assert data["forecast"]["rates_from"] == "2025-07"


def test_too_short_a_history_is_said_instead_of_forecast(capsys, forecast_url):
    code, out, err = run(capsys, "forecast", "--db", forecast_url, "--as-of", "2025-12", "--json")
    data = json.loads(out)
    assert code == 0 and data["forecast"] is None
    assert "needs 12 months of history" in data["note"] and "warning:" in err
    assert data["renewals"]["by_month"]


@pytest.mark.parametrize("argv, message", [
    (["--as-of", "2024-06"], "2024-06 is outside the data, which runs from 2025-01 to 2026-01"),
    (["--months", "0"], "months ahead must be a whole number from 1 to 24"),
])
def test_invalid_input_exits_2_with_a_message(capsys, forecast_url, argv, message):
    code, out, err = run(capsys, "forecast", "--db", forecast_url, *argv, "--json")
    assert code == 2 and out == ""
    assert message in err


def test_plain_text_formats_money_and_percentages(capsys, forecast_url):
    code, out, _ = run(capsys, "forecast", "--db", forecast_url, "--as-of", "2026-01")
    assert code == 0
    assert not re.search(r"[{}\[\]]|': |\d\.\d{6,}", out), out
    assert re.search(r"churn_arr\s", out) and "$3,600" in out and "79.9%" in out


def test_on_the_demo_the_json_carries_the_track_record(capsys, demo_url):
    code, out, _ = run(capsys, "forecast", "--db", demo_url, "--json")
    data = json.loads(out)
    assert code == 0
    assert [t["months_back"] for t in data["track_record"]] == [12, 6]
    assert [len(t["months"]) for t in data["track_record"]] == [12, 6]
    assert data["headline"].startswith("GRR next 12 months: ")
    assert "last year's forecast was off by" in data["headline"]
    assert len(data["calibration"]["deciles"]) == 10
