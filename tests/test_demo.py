"""The demo portfolio: deterministic, calibrated to the reference example, and telling a story."""

import numpy as np
import pandas as pd
import pytest

from cs_dashboard import demo
from tests.conftest import DEMO_END


def last_month_mrr(frames) -> np.ndarray:
    mrr = frames["mrr"]
    last = mrr[mrr["month"] == mrr["month"].max()]
    return np.sort(last["mrr"].to_numpy())[::-1]


def test_same_seed_gives_the_same_portfolio():
    a = demo.generate(demo.DemoSpec(accounts=300, seed=3, end=DEMO_END))
    b = demo.generate(demo.DemoSpec(accounts=300, seed=3, end=DEMO_END))
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table])


def test_default_window_is_36_months_ending_at_the_chosen_end(demo_frames):
    months = demo_frames["mrr"]["month"].drop_duplicates().sort_values()
    assert len(months) == 36
    assert months.iloc[-1].date() == DEMO_END
    assert len(demo_frames["accounts"]) == 2000


@pytest.mark.parametrize("seed", [7, 11, 2024])
def test_concentration_matches_the_reference_example(seed):
    x = last_month_mrr(demo.generate(demo.DemoSpec(seed=seed, end=DEMO_END)))
    n, total = len(x), x.sum()
    top10, top30 = round(0.1 * n), round(0.3 * n)
    assert x[:top10].sum() / total == pytest.approx(0.45, abs=0.03)
    assert x[top10 - 1] == pytest.approx(5000, rel=0.15)
    assert x[:top30].sum() / total == pytest.approx(0.75, abs=0.03)
    assert x[top30 - 1] == pytest.approx(1700, rel=0.15)


def test_portfolio_has_predating_new_reactivated_and_churned_accounts(demo_frames):
    accounts, mrr = demo_frames["accounts"], demo_frames["mrr"]
    w0 = mrr["month"].min()
    assert (accounts["customer_since"] < w0).mean() > 0.2
    assert accounts["customer_since"].isna().sum() > 0  # some pre-window accounts lack it
    wide = mrr.pivot_table(index="account_id", columns="month", values="mrr", fill_value=0) > 0
    starts = wide.idxmax(axis=1)
    assert (starts > w0).mean() > 0.5
    gaps = (wide.astype(int).diff(axis=1) == 1).sum(axis=1)  # 0 -> active transitions
    assert ((gaps >= 1) & (starts < wide.columns[wide.shape[1] // 2])).sum() > 0
    assert (~wide.iloc[:, -1]).mean() > 0.1  # churned accounts


def test_churn_is_likelier_in_the_first_year(demo_frames):
    mrr = demo_frames["mrr"]
    wide = mrr.pivot_table(index="account_id", columns="month", values="mrr", fill_value=0) > 0
    arr = wide.to_numpy()
    first = arr.argmax(axis=1)
    stops = (arr[:, :-1] & ~arr[:, 1:])
    churn_month = np.where(stops.any(axis=1), stops.argmax(axis=1) + 1, -1)
    new = first > 0
    first_year = np.mean((churn_month[new] > 0) & (churn_month[new] - first[new] <= 12))
    exposure_new = np.mean(np.minimum(35 - first[new], 12)) / 12
    tenured = ~new
    later = np.mean((churn_month[tenured] > 0) & (churn_month[tenured] <= 12))
    assert first_year / exposure_new > later


def test_about_twenty_csms_with_books_following_the_tiers(demo_frames):
    csms, accounts = demo_frames["csms"], demo_frames["accounts"]
    assert 18 <= len(csms) <= 22
    assert set(csms["role"]) == {"high touch", "low touch", "tech touch"}
    role = accounts.merge(csms, on="csm", how="left")["role"]
    last = demo_frames["mrr"][demo_frames["mrr"]["month"] == demo_frames["mrr"]["month"].max()]
    size = accounts[["account_id"]].merge(last, how="left").fillna({"mrr": 0})["mrr"]
    assert size[role == "high touch"].median() > 3 * size[role == "tech touch"].median()
    assert accounts["csm"].isna().sum() > 0  # a few accounts without a CSM


def test_health_falls_before_churn(demo_frames):
    health, mrr = demo_frames["health"], demo_frames["mrr"]
    last = mrr.groupby("account_id")["month"].max()
    churned = last[last < mrr["month"].max()]
    h = health.merge(churned.rename("last"), left_on="account_id", right_index=True)
    h["before"] = (h["last"].dt.to_period("M") - h["as_of"].dt.to_period("M")).apply(
        lambda p: p.n)
    h["score"] = h[list(demo.COMPONENTS)].mean(axis=1)
    assert h[h["before"] <= 1]["score"].mean() < h[h["before"] >= 9]["score"].mean() - 10


@pytest.mark.parametrize("chunk_accounts", [1, 37, 1000])
def test_chunks_hold_the_same_rows_in_the_same_order_at_any_chunk_size(chunk_accounts):
    spec = demo.DemoSpec(accounts=300, months=18, seed=5, end=DEMO_END)
    whole = demo.generate(spec)
    chunked = demo.generate_chunks(spec, chunk_accounts=chunk_accounts)
    for table in ("mrr", "health"):
        parts = list(chunked[table])
        assert len(parts) == -(-300 // chunk_accounts) and len(chunked[table]) == len(whole[table])
        pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), whole[table],
                                      check_exact=True)
    for table in ("accounts", "csms"):
        pd.testing.assert_frame_equal(chunked[table], whole[table], check_exact=True)
