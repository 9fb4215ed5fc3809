"""The retention commands print exactly their documented JSON shapes (docs/retention.md)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cs_dashboard.cli import main
from tests.conftest import monthly, write_duckdb
from tests.test_movements import COUNTS, EXPECTED, portfolio


@pytest.fixture
def url(tmp_path) -> str:
    return write_duckdb(tmp_path, portfolio(), "cli")


def run(capsys, *argv: str) -> object:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def text(capsys, monkeypatch, *argv: str) -> str:
    """Plain output on a 100-column terminal."""
    monkeypatch.setenv("COLUMNS", "100")
    assert main(list(argv)) == 0
    return capsys.readouterr().out


KINDS = ["new", "reactivation", "expansion", "contraction", "churn"]
#: month -> (start_accounts, end_accounts), by hand (portfolio() in test_movements).
ACCOUNTS = {"2025-02": (2, 4), "2025-03": (4, 3), "2025-04": (3, 2), "2025-05": (2, 2),
            "2025-06": (2, 4), "2025-07": (4, 4), "2025-08": (4, 4)}


def test_movements_lists_one_bridge_per_month_with_the_accounts_behind_each_movement(capsys,
                                                                                    url):
    rows = run(capsys, "movements", "--db", url, "--json")
    assert [r["month"] for r in rows] == list(EXPECTED)
    keys = ["month", "start", *KINDS, "end", "start_accounts", *(f"n_{k}" for k in KINDS),
            "end_accounts"]
    assert all(list(r) == keys for r in rows)
    assert [tuple(r[k] for k in keys[1:8]) for r in rows] == list(EXPECTED.values())
    for r in rows:
        counts = {f"n_{k}": 0 for k in KINDS} | COUNTS.get(r["month"], {})
        assert {k: r[k] for k in counts} == counts, r["month"]
        assert (r["start_accounts"], r["end_accounts"]) == ACCOUNTS[r["month"]], r["month"]


def test_movements_takes_a_month_range(capsys, url):
    rows = run(capsys, "movements", "--db", url, "--from", "2025-04", "--to", "2025-05", "--json")
    assert rows == [
        {"month": "2025-04", "start": 230.0, "new": 0.0, "reactivation": 0.0, "expansion": 50.0,
         "contraction": 0.0, "churn": -80.0, "end": 200.0, "start_accounts": 3, "n_new": 0,
         "n_reactivation": 0, "n_expansion": 1, "n_contraction": 0, "n_churn": 1,
         "end_accounts": 2},
        {"month": "2025-05", "start": 200.0, "new": 0.0, "reactivation": 0.0, "expansion": 0.0,
         "contraction": -10.0, "churn": 0.0, "end": 190.0, "start_accounts": 2, "n_new": 0,
         "n_reactivation": 0, "n_expansion": 0, "n_contraction": 1, "n_churn": 0,
         "end_accounts": 2},
    ]


def test_movements_plain_text_is_a_table_of_dollars_then_account_counts(capsys, monkeypatch,
                                                                         url):
    out = text(capsys, monkeypatch, "movements", "--db", url, "--from", "2025-04", "--to",
               "2025-05")
    assert out.splitlines() == [
        "month    start  new  reactivation  expansion  contraction  churn   end  start_accounts  n_new",
        "-------  -----  ---  ------------  ---------  -----------  -----  ----  --------------  -----",
        "2025-04   $230   $0            $0        $50           $0   -$80  $200               3      0",
        "2025-05   $200   $0            $0         $0         -$10     $0  $190               2      0",
        "",
        "month    n_reactivation  n_expansion  n_contraction  n_churn  end_accounts",
        "-------  --------------  -----------  -------------  -------  ------------",
        "2025-04               0            1              0        1             2",
        "2025-05               0            0              1        0             2",
    ]


def test_movements_refuses_a_reversed_range(capsys, url):
    assert main(["movements", "--db", url, "--from", "2025-06", "--to", "2025-05"]) == 2


@pytest.mark.parametrize("period, first", [("month", "2025-02"), ("quarter", "2025-Q1"),
                                           ("year", "2025 (Jan-Aug)")])
def test_cohorts_label_each_period_and_null_immature_cells(capsys, url, period, first):
    data = run(capsys, "cohorts", "--db", url, "--basis", "net", "--period", period, "--json")
    assert list(data) == ["basis", "period", "cohorts", "average"]
    cohort = data["cohorts"][0]
    assert list(cohort) == ["cohort", "accounts", "start_mrr", "values"]
    assert cohort["cohort"] == first and cohort["values"][0] == 1.0


def test_cohorts_at_an_earlier_month(capsys, url):
    data = run(capsys, "cohorts", "--db", url, "--basis", "logo", "--period", "month",
               "--as-of", "2025-04", "--json")
    assert data == {"basis": "logo", "period": "month",
                    "cohorts": [{"cohort": "2025-02", "accounts": 2, "start_mrr": 130.0,
                                 "values": [1.0, 1.0, 0.5]}],
                    "average": {"weights": "accounts", "values": [1.0, 1.0, 0.5]}}


def test_cohorts_json_has_sizes_and_the_average_weighted_by_starting_mrr(capsys, url):
    data = run(capsys, "cohorts", "--db", url, "--basis", "net", "--period", "month", "--json")
    assert [(c["cohort"], c["accounts"], c["start_mrr"]) for c in data["cohorts"]] == [
        ("2025-02", 2, 130.0), ("2025-06", 1, 30.0)]
    # Age 2: (50 + 45) / (130 + 30); age 3 and on: only the February cohort is that old.
    assert data["average"]["weights"] == "start_mrr"
    assert data["average"]["values"] == pytest.approx(
        [1, 1, 95 / 160, 40 / 130, 100 / 130, 100 / 130, 100 / 130])


def test_cohorts_plain_text_shows_percentages_and_ends_with_the_weighted_average(capsys,
                                                                                 monkeypatch,
                                                                                 url):
    out = text(capsys, monkeypatch, "cohorts", "--db", url, "--basis", "logo", "--period",
               "month", "--as-of", "2025-04")
    assert out.splitlines()[:9] == [
        "basis:   logo",
        "period:  month",
        "",
        "cohorts",
        "  cohort            accounts  start_mrr       0       1      2",
        "  ----------------  --------  ---------  ------  ------  -----",
        "  2025-02                  2       $130  100.0%  100.0%  50.0%",
        "  Weighted average         –          –  100.0%  100.0%  50.0%",
        "",
    ]
    assert "weights each cohort by its accounts" in " ".join(out.split())


def test_cohorts_name_the_months_of_a_period_only_partly_inside_the_data(capsys, tmp_path):
    # Data from 2024-11 (mid-quarter) to 2025-05 (mid-quarter and mid-year); A, B and C are
    # acquired in the window (customer_since inside it), in 2024-11, 2025-01 and 2025-05.
    mrr = (monthly("A", "2024-11", [40] * 7) + monthly("B", "2025-01", [60] * 5)
           + monthly("C", "2025-05", [20]))
    accounts = pd.DataFrame({"account_id": ["A", "B", "C"],
                             "customer_since": pd.to_datetime(["2024-11-04", "2025-01-02",
                                                               "2025-05-06"])})
    url = write_duckdb(tmp_path, {"accounts": accounts, "mrr": pd.DataFrame(mrr)}, "partly")
    labels = {period: [c["cohort"] for c in run(capsys, "cohorts", "--db", url, "--period",
                                                  period, "--json")["cohorts"]]
              for period in ("quarter", "year")}
    assert labels == {"quarter": ["2024-Q4 (Nov-Dec)", "2025-Q1", "2025-Q2 (Apr-May)"],
                      "year": ["2024 (Nov-Dec)", "2025 (Jan-May)"]}


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
