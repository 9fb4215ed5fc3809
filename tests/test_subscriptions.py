"""Subscriptions in, monthly MRR out (docs/definitions.md, "MRR from subscriptions")."""

import datetime as dt
import json

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cs_dashboard import api
from cs_dashboard.cli import main
from cs_dashboard.db.engine import make_engine
from cs_dashboard.ingest import load_tables
from cs_dashboard.ingest.mapping import ImportOptions
from cs_dashboard.ingest.subscriptions import INTERVAL_MONTHS, monthly_mrr
from tests.conftest import ROOT

SAMPLES = ROOT / "data" / "samples"
THROUGH = dt.date(2026, 1, 1)
PLAIN = "account_id,start,end,amount,interval,quantity"


def derive(rows: list[str], header: str = PLAIN, through: dt.date = THROUGH, **files):
    data = (header + "\n" + "\n".join(rows) + "\n").encode()
    given = {"subscriptions": ("subs.csv", data), **files}
    return load_tables(given, through=through)


def mrr_of(result) -> dict[tuple[str, str], float]:
    assert result.ok, [str(p) for p in result.problems]
    frame = result.frames["mrr"]
    return {(a, f"{m:%Y-%m}"): v for a, m, v in zip(frame["account_id"], frame["month"],
                                                  frame["mrr"], strict=True)}


@pytest.mark.parametrize(("amount", "interval", "count", "quantity", "monthly"), [
    (120, "month", 1, 1, 120.0),
    (1200, "year", 1, 2, 200.0),  # a year /12, times the quantity
    (300, "quarter", 1, 1, 100.0),  # a quarter /3
    (300, "month", 3, 1, 100.0),  # every 3 months: the interval count is honoured
    (12, "week", 1, 1, 52.0),  # a week x 52/12
    (30, "week", 3, 1, 43.33),  # every 3 weeks: 30 x 52/12 / 3, to the cent
    (12, "day", 1, 1, 365.0),  # a day x 365/12
    (49, "Monthly", 1, 5, 245.0),
])
def test_an_amount_is_normalised_to_a_month_times_its_quantity(amount, interval, count, quantity,
                                                               monthly):
    result = derive([f"A,2025-12-01,,{amount},{interval},{quantity},{count}"],
                    PLAIN + ",interval_count")
    assert mrr_of(result) == {("A", "2025-12"): monthly, ("A", "2026-01"): monthly}


@pytest.mark.parametrize(("start", "end", "months"), [
    ("2025-03-10", "2025-03-25", []),  # starts and ends within a month: nothing
    ("2025-03-10", "2025-04-01", ["2025-03"]),  # active on 31 March, ended by 30 April
    ("2025-03-10", "2025-04-30", ["2025-03"]),  # ends on the last day: not active on it
    ("2025-03-31", "2025-05-04", ["2025-03", "2025-04"]),  # Baremetrics' own example
    ("2025-12-15", "", ["2025-12", "2026-01"]),  # active: runs to the last complete month
    ("2026-01-31", "", ["2026-01"]),
    ("2026-02-01", "", []),  # starts after the last complete month
])
def test_a_subscription_counts_in_the_months_it_is_active_on_their_last_day(start, end, months):
    result = derive([f"A,{start},{end},50,month,1"])
    assert sorted(m for _, m in mrr_of(result)) == months


def test_trials_contribute_nothing_and_are_counted_in_the_preview():
    header = "account_id,start,end,amount,interval,status"
    result = derive(["A,2025-12-01,,99,month,trialing", "B,2025-12-01,,0,month,active",
                     "C,2025-12-01,,10,month,active"], header)
    assert mrr_of(result) == {("C", "2025-12"): 10.0, ("C", "2026-01"): 10.0}
    assert "2 trials contribute nothing" in result.reports["mrr"].read


def test_revenue_starts_when_a_trial_ends():
    header = "account_id,start,end,amount,interval,trial_end"
    result = derive(["A,2025-10-20,,30,month,2025-12-03"], header)
    assert sorted(m for _, m in mrr_of(result)) == ["2025-12", "2026-01"]


def test_subscriptions_of_one_account_add_up_to_the_cent():
    result = derive(["A,2025-12-01,,100,year,1", "A,2025-12-01,,100,year,1",
                     "A,2025-12-01,,100,year,1"])
    assert mrr_of(result)[("A", "2025-12")] == 25.0  # 3 x 8.3333... = 25.00


def test_without_an_accounts_file_the_customers_are_the_accounts():
    header = "account_id,account_name,start,end,amount,interval"
    result = derive(["A,Acme,2025-03-10,,10,month", "A,Acme Corp,2025-05-01,,10,month",
                     "B,Beta,2025-06-01,,0,month"], header)
    accounts = result.frames["accounts"]
    assert accounts["account_id"].tolist() == ["A", "B"]
    assert accounts["account_name"].tolist() == ["Acme Corp", "Beta"]
    assert accounts["customer_since"].tolist()[0] == pd.Timestamp("2025-03-10")
    assert pd.isna(accounts["customer_since"].tolist()[1])  # never paid


def test_with_an_accounts_file_an_unknown_customer_is_a_problem_naming_its_row():
    result = derive(["A,2025-03-10,,10,month,1", "Z,2025-03-10,,10,month,1"],
                    accounts=("accounts.csv", b"account_id\nA\n"))
    [problem] = result.problems
    assert (problem.file, problem.row, problem.column, problem.value) == ("subs.csv", 3,
                                                                          "account_id", "Z")


@pytest.mark.parametrize(("row", "column", "reason"), [
    ("A,2025-03-10,2025-03-01,10,month,1", "end", "ends before it starts"),
    ("A,2025-03-10,,10,fortnight,1", "interval", "not an interval"),
    ("A,2025-03-10,,-10,month,1", "amount", "negative"),
    ("A,,,10,month,1", "start", "empty value in a required column"),
])
def test_each_bad_subscription_row_is_named(row, column, reason):
    [problem] = derive([row]).problems
    assert (problem.row, problem.column) == (2, column) and reason in problem.reason


def test_other_currencies_without_rates_are_refused_naming_them():
    header = PLAIN + ",currency"
    result = derive(["A,2025-12-01,,10,month,1,EUR", "B,2025-12-01,,10,month,1,gbp",
                     "C,2025-12-01,,10,month,1,USD"], header)
    [problem] = result.problems
    assert problem.column == "currency"
    assert "amounts in EUR, GBP need exchange rates to USD" in problem.reason
    assert "--fx FILE" in problem.reason and result.frames == {}


def test_amounts_are_converted_per_month_with_the_rates():
    header = PLAIN + ",currency"
    fx = b"currency,date,rate\nEUR,2025-12-15,1.1\nEUR,2025-12-31,1.2\nEUR,2026-01-31,1.5\n"
    result = derive(["A,2025-12-01,,10,month,1,EUR"], header, fx=("fx.csv", fx))
    assert mrr_of(result) == {("A", "2025-12"): 12.0, ("A", "2026-01"): 15.0}


def test_a_month_without_a_rate_is_named():
    header = PLAIN + ",currency"
    fx = b"currency,month,rate\nEUR,2025-12,1.1\n"
    [problem] = derive(["A,2025-11-01,,10,month,1,EUR"], header, fx=("fx.csv", fx)).problems
    assert problem.file == "fx.csv"
    assert "no rate for EUR in 2025-11, 2026-01" in problem.reason


def test_another_reporting_currency_needs_rates_for_dollars():
    header = PLAIN + ",currency"
    result = load_tables({"subscriptions": ("s.csv", (header + "\nA,2025-12-01,,10,month,1,EUR\n"
                                                      "B,2025-12-01,,10,month,1,USD\n").encode())},
                         options=ImportOptions(currency="EUR"), through=THROUGH)
    assert "amounts in USD need exchange rates to EUR" in result.problems[0].reason


def test_the_baremetrics_sample_reaches_the_hand_computed_overview(tmp_path, capsys):
    url = f"duckdb:///{tmp_path / 'bm.duckdb'}"
    code = main(["import", "--db", url, "--json", "--through", "2026-01",
                 "--subscriptions", str(SAMPLES / "baremetrics_subscriptions.csv"),
                 "--fx", str(SAMPLES / "fx_rates.csv")])
    assert code == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["accounts"] == 5
    # Acme: 5 seats x $49 + $1,200 a year = 245 + 100; Initech: 2 x EUR 100 at 1.20 in 2026-01.
    # At T-12 (2025-01) only Acme's seats (245) were active.
    overview = api.portfolio_at(make_engine(url), dt.date(2026, 1, 1))
    assert (overview.accounts, overview.mrr) == (2, 585.0)
    assert overview.nrr_12m == pytest.approx(345 / 245, abs=1e-12)
    assert (overview.grr_12m, overview.logo_retention_12m) == (1.0, 1.0)


def test_the_cli_refuses_both_an_mrr_file_and_subscriptions(tmp_path, capsys):
    path = str(SAMPLES / "baremetrics_subscriptions.csv")
    code = main(["validate", "--subscriptions", path, "--mrr", path])
    assert code == 2 and "not both" in capsys.readouterr().err


DAYS = st.integers(min_value=0, max_value=800).map(lambda d: dt.date(2024, 1, 1) + dt.timedelta(d))
SUBSCRIPTION = st.tuples(st.sampled_from(["A", "B", "C"]), DAYS, st.none() | DAYS,
                         st.integers(min_value=0, max_value=500_000),
                         st.sampled_from(sorted(INTERVAL_MONTHS)), st.integers(1, 3),
                         st.integers(0, 4))


def reference_mrr(rows, through: dt.date) -> dict[tuple[str, str], float]:
    """The rule of docs/definitions.md, one month and one subscription at a time (unrounded)."""
    out: dict[tuple[str, str], float] = {}
    month = dt.date(2024, 1, 1)
    while month <= through:
        last = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
        for account, start, end, cents, interval, count, quantity in rows:
            if start <= last and (end is None or last < end):
                amount = cents / 100 * quantity / (INTERVAL_MONTHS[interval] * count)
                out[(account, f"{month:%Y-%m}")] = out.get((account, f"{month:%Y-%m}"), 0) + amount
        month = (pd.Timestamp(month) + pd.offsets.MonthBegin(1)).date()
    return out


@settings(max_examples=80, derandomize=True, deadline=None, database=None)
@given(st.lists(SUBSCRIPTION, min_size=1, max_size=8))
def test_the_derivation_agrees_with_the_rule_applied_month_by_month(rows):
    """``monthly_mrr`` (vectorised) against the rule one month and one subscription at a time;
    the normalisation to a month is the table test above."""
    rows = [r for r in rows if r[2] is None or r[2] >= r[1]]
    assume(rows)
    subs = pd.DataFrame({
        "account_id": [r[0] for r in rows], "currency": "USD",
        "monthly": [c / 100 * q / (INTERVAL_MONTHS[i] * n) for _, _, _, c, i, n, q in rows],
        "start": pd.to_datetime([r[1] for r in rows]),
        "end": pd.to_datetime([r[2] for r in rows])})
    mrr, problems = monthly_mrr(subs, THROUGH, None, "USD", "s.csv")
    got = {(a, f"{m:%Y-%m}"): v for a, m, v in zip(mrr["account_id"], mrr["month"], mrr["mrr"],
                                                  strict=True)}
    exact = reference_mrr(rows, THROUGH)
    assert problems == [] and got.keys() == {k for k, v in exact.items() if round(v, 2) > 0}
    assert all(got[k] == pytest.approx(exact[k], abs=0.005 + 1e-9) for k in got)  # to the cent
