"""Tiers in SQL at any month (db.tiers) equal the Python tiers (tiers.assign_tiers) at that
month, and look-back figures place accounts in the tier they held at the start of the period."""

from __future__ import annotations

import datetime as dt
import json
import math
from fractions import Fraction

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cs_dashboard.api import capacity as api_capacity
from cs_dashboard.api import retention as api_retention
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.schema import reflect
from cs_dashboard.db.tiers import TierSpec, month_tiers, start_tiers
from cs_dashboard.db.writer import replace_source
from cs_dashboard.filters import Filters
from cs_dashboard.months import from_index, month_index
from cs_dashboard.tiers import TierRule, account_boundary, assign_tiers
from tests.conftest import write_duckdb

RULES = (TierRule("accounts", (10.0, 30.0), ("High touch", "Low touch", "Tech touch")),
         TierRule("accounts", (70.0,), ("Top", "Rest")),
         TierRule("accounts", (12.5, 37.5), ("A", "B", "C")),
         TierRule("revenue", (45.0, 75.0), ("High touch", "Low touch", "Tech touch")),
         TierRule("floor", (150.0, 50.0), ("High touch", "Low touch", "Tech touch")))


@pytest.mark.parametrize(("n", "cut", "expected"), [(45, 70.0, 32), (45, 10.0, 5), (5, 10.0, 1),
                                                    (15, 10.0, 2), (25, 10.0, 3), (3, 50.0, 2),
                                                    (0, 10.0, 0), (8, 12.5, 1), (12, 12.5, 2)])
def test_a_boundary_rounds_to_the_nearest_account_with_halves_up(n, cut, expected):
    assert account_boundary(n, cut) == expected


@given(n=st.integers(0, 1_000_000), hundredths=st.integers(1, 9_999))
def test_boundaries_equal_exact_fraction_arithmetic(n, hundredths):
    cut = hundredths / 100  # a percent with up to two decimals, as a user types it
    exact = Fraction(n) * Fraction(hundredths, 100) / 100 + Fraction(1, 2)
    assert account_boundary(n, cut) == math.floor(exact)


def test_seventy_percent_of_45_accounts_puts_32_in_the_first_tier():
    accounts = pd.DataFrame({"account_id": [f"a{i:02d}" for i in range(45)],
                             "mrr": [100.0 + i for i in range(45)]})
    tiers = assign_tiers(accounts, RULES[1])
    assert (tiers["tier"] == "Top").sum() == 32


def history_frames(values: list[list[float]]) -> dict[str, pd.DataFrame]:
    """Accounts a00, a01, ... with one MRR per month from 2025-01 (0 = no row)."""
    rows = [{"account_id": f"a{i:02d}", "month": from_index(month_index(dt.date(2025, 1, 1)) + m),
             "mrr": v} for i, series in enumerate(values) for m, v in enumerate(series) if v]
    ids = [f"a{i:02d}" for i in range(len(values))]
    return {"accounts": pd.DataFrame({"account_id": ids, "segment": ["SMB"] * len(ids)}),
            "mrr": pd.DataFrame(rows)}


def sql_tiers(url: str, spec: TierSpec, first: dt.date, last: dt.date) -> pd.DataFrame:
    engine = make_engine(url)
    rows = month_tiers(reflect(engine), first, last, Filters(), spec)
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(sa.select(rows.c.account_id, rows.c.mi, rows.c.tier))
                             .all(), columns=["account_id", "mi", "tier"])
    engine.dispose()
    return frame


# MRR from a small set of values, so ties at tier boundaries are common; two differ by less
# than a cent (the ranking orders by the amounts themselves, not by their cents).
AMOUNTS = st.sampled_from([0.0, 0.0, 40.0, 50.0, 50.0, 99.99, 100.0, 100.004, 150.0, 150.0,
                           300.0])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(st.lists(AMOUNTS, min_size=3, max_size=3), min_size=1, max_size=30),
       rule=st.sampled_from(RULES))
def test_sql_tiers_at_every_month_equal_the_python_tiers(tmp_path_factory, values, rule):
    frames = history_frames(values)
    if frames["mrr"].empty:
        return
    url = write_duckdb(tmp_path_factory.mktemp("tiers"), frames, "tiers")
    got = sql_tiers(url, TierSpec(rule, rule.names), dt.date(2025, 1, 1), dt.date(2025, 3, 1))
    mrr = frames["mrr"]
    for month, part in mrr.groupby("month"):
        python = assign_tiers(part[["account_id", "mrr"]], rule)
        expected = dict(zip(python["account_id"], python["tier"].cat.codes, strict=True))
        at = got[got["mi"] == month_index(pd.Timestamp(month).date())]
        assert dict(zip(at["account_id"], at["tier"], strict=True)) == expected


def test_each_account_starts_in_the_tier_of_its_earliest_month(tmp_path):
    # a00 is 300 in January (High); a01 starts in February at 150 (High); a02 is 50 then 300.
    url = write_duckdb(tmp_path, history_frames([[300, 40, 40], [0, 150, 150], [50, 300, 300]]))
    engine = make_engine(url)
    spec = TierSpec(RULES[4], RULES[4].names)
    held = start_tiers(reflect(engine), dt.date(2025, 1, 1), dt.date(2025, 3, 1), Filters(), spec)
    with engine.connect() as conn:
        rows = dict(conn.execute(sa.select(held.c.account_id, held.c.tier)).all())
    assert rows == {"a00": 0, "a01": 0, "a02": 1}


# tiny_frames at T = 2026-01 with floors 150 / 50, tiers held at the base month 2025-01:
# B (200) is High touch; A (100) and C (100) are Low touch. By T, A has grown to 150 (High)
# and B shrunk to 50 (Low): tiers at T would swap them and flatter High touch.
SWAP = TierRule("floor", (150.0, 50.0), ("High touch", "Low touch", "Tech touch"))
T_TINY = dt.date(2026, 1, 1)


def test_trailing_retention_per_tier_uses_the_tier_held_twelve_months_earlier(tiny_url):
    table = api_retention.retention_by_tier(make_engine(tiny_url), T_TINY, rule=SWAP)
    assert table["tier"].tolist() == ["High touch", "Low touch", "Tech touch"]
    high, low, tech = (table.iloc[i] for i in range(3))
    assert (high["base_accounts"], high["retained"], high["nrr"], high["grr"]) == (1, 1, 0.25, 0.25)
    assert (low["base_accounts"], low["retained"]) == (2, 1)
    assert (low["nrr"], low["grr"], low["logo"]) == (0.75, 0.5, 0.5)
    assert tech["base_accounts"] == 0 and pd.isna(tech["logo"])


def test_the_capacity_churn_per_tier_is_the_retention_pages_figure(tiny_url):
    churn = api_capacity.churn_by_tier(make_engine(tiny_url), T_TINY, rule=SWAP)
    assert churn["churn"].tolist()[:2] == [0.0, 0.5]
    trend = api_retention.trends(make_engine(tiny_url), T_TINY, rule=SWAP, months=1,
                                 tier="Low touch")
    assert trend["logo"].iloc[-1] == 0.5


def test_on_the_demo_high_touch_retention_agrees_between_retention_and_capacity(demo_url):
    """A worked example: 112 of 123 High touch accounts of 2025-11 are still active."""
    engine = make_engine(demo_url)
    t = api_retention.window(engine)[1]
    by_tier = api_retention.retention_by_tier(engine, t).set_index("tier")
    churn = api_capacity.churn_by_tier(engine, t).set_index("tier")
    page = api_retention.trends(engine, t, tier="High touch", months=1).iloc[-1]
    assert (by_tier.loc["High touch", "retained"], by_tier.loc["High touch", "base_accounts"]) \
        == (112, 123)
    assert page["logo"] == by_tier.loc["High touch", "logo"] == 1 - churn.loc["High touch", "churn"]


def test_metrics_json_reports_trailing_retention_per_tier_held_twelve_months_earlier(capsys,
                                                                                     tiny_url):
    # Default rule at 2025-01 (3 accounts): 10% -> 0 accounts, 30% -> 1 (B, 200); A and C
    # (100 each) are Tech touch.
    from cs_dashboard.cli import main

    assert main(["metrics", "--db", tiny_url, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["retention_by_tier"]
    assert data["tiers_as_of"] == "2025-01"
    high, low, tech = data["tiers"]
    assert (high["base_accounts"], high["nrr_12m"]) == (0, None)
    assert (low["tier"], low["base_accounts"], low["nrr_12m"], low["grr_12m"]) == \
        ("Low touch", 1, 0.25, 0.25)
    assert (tech["base_accounts"], tech["retained"], tech["base_mrr"]) == (2, 1, 200.0)
    assert (tech["nrr_12m"], tech["grr_12m"], tech["logo_retention_12m"]) == (0.75, 0.5, 0.5)


@pytest.mark.postgres
def test_ties_break_by_the_bytes_of_account_id_on_a_postgresql_column_with_a_locale(pg_url):
    # Four accounts at $100: a byte order puts "B" before "a" and "b"; a locale (ICU) order
    # puts "a" first. The top 50% by count (2 accounts) must be the same two in every database.
    frames = {"accounts": pd.DataFrame({"account_id": ["a", "b", "B", "c"], "segment": "SMB"}),
              "mrr": pd.DataFrame({"account_id": ["a", "b", "B", "c"],
                                   "month": [dt.date(2025, 1, 1)] * 4, "mrr": 100.0})}
    engine = make_engine(pg_url)
    replace_source(engine, frames)
    with engine.begin() as conn:
        conn.execute(sa.text('ALTER TABLE mrr ALTER COLUMN account_id TYPE text '
                             'COLLATE "und-x-icu"'))
        locale_first = conn.execute(sa.text("SELECT min(account_id) FROM mrr")).scalar()
    engine.dispose()
    assert locale_first == "a"  # the column really sorts by locale, not bytes
    half = TierRule("accounts", (50.0,), ("Top", "Rest"))
    got = sql_tiers(pg_url, TierSpec(half, half.names), dt.date(2025, 1, 1), dt.date(2025, 1, 1))
    python = assign_tiers(frames["mrr"][["account_id", "mrr"]], half)
    assert dict(zip(got["account_id"], got["tier"], strict=True)) == \
        dict(zip(python["account_id"], python["tier"].cat.codes, strict=True)) == \
        {"B": 0, "a": 0, "b": 1, "c": 1}
