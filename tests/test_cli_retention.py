"""The retention commands print exactly the JSON shapes of issue 5."""

from __future__ import annotations

import json

import pytest

from cs_dashboard.cli import main
from tests.conftest import write_duckdb
from tests.test_movements import EXPECTED, portfolio


@pytest.fixture
def url(tmp_path) -> str:
    return write_duckdb(tmp_path, portfolio(), "cli")


def run(capsys, *argv: str) -> object:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_movements_lists_one_bridge_per_month(capsys, url):
    rows = run(capsys, "movements", "--db", url, "--json")
    assert [r["month"] for r in rows] == list(EXPECTED)
    keys = ["month", "start", "new", "reactivation", "expansion", "contraction", "churn", "end"]
    assert all(list(r) == keys for r in rows)
    assert [tuple(r[k] for k in keys[1:]) for r in rows] == list(EXPECTED.values())


def test_movements_takes_a_month_range(capsys, url):
    rows = run(capsys, "movements", "--db", url, "--from", "2025-04", "--to", "2025-05", "--json")
    assert rows == [
        {"month": "2025-04", "start": 230.0, "new": 0.0, "reactivation": 0.0, "expansion": 50.0,
         "contraction": 0.0, "churn": -80.0, "end": 200.0},
        {"month": "2025-05", "start": 200.0, "new": 0.0, "reactivation": 0.0, "expansion": 0.0,
         "contraction": -10.0, "churn": 0.0, "end": 190.0},
    ]


def test_movements_refuses_a_reversed_range(capsys, url):
    assert main(["movements", "--db", url, "--from", "2025-06", "--to", "2025-05"]) == 2


@pytest.mark.parametrize("period, first", [("month", "2025-02"), ("quarter", "2025-Q1"),
                                           ("year", "2025 (Jan-Aug)")])
def test_cohorts_label_each_period_and_null_immature_cells(capsys, url, period, first):
    data = run(capsys, "cohorts", "--db", url, "--basis", "net", "--period", period, "--json")
    assert list(data) == ["cohorts"]
    cohort = data["cohorts"][0]
    assert list(cohort) == ["cohort", "accounts", "start_mrr", "values"]
    assert cohort["cohort"] == first and cohort["values"][0] == 1.0


def test_cohorts_at_an_earlier_month(capsys, url):
    data = run(capsys, "cohorts", "--db", url, "--basis", "logo", "--period", "month",
               "--as-of", "2025-04", "--json")
    assert data == {"cohorts": [{"cohort": "2025-02", "accounts": 2, "start_mrr": 130.0,
                                 "values": [1.0, 1.0, 0.5]}]}


def test_survival_without_by_has_one_group_named_all(capsys, url):
    data = run(capsys, "survival", "--db", url, "--json")
    assert list(data) == ["groups", "logrank_p"] and data["logrank_p"] is None
    (group,) = data["groups"]
    assert list(group) == ["group", "accounts", "events", "late_entrants", "estimator",
                           "estimator_reason", "timeline", "survival", "lower", "upper", "median"]
    assert (group["group"], group["accounts"], group["events"], group["late_entrants"]) == \
        ("All", 4, 1, 1)
    assert group["estimator"] == "Kaplan-Meier" and group["estimator_reason"] is None
    assert group["timeline"][:3] == [0, 1, 2]
    assert group["survival"][2] == pytest.approx(2 / 3, abs=1e-6)


def test_survival_by_a_column_reports_a_p_value(capsys, url):
    data = run(capsys, "survival", "--db", url, "--by", "plan", "--json")
    assert [g["group"] for g in data["groups"]] == ["Business", "Growth", "Starter"]
    assert 0 <= data["logrank_p"] <= 1
