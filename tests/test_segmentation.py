"""Segmentation metrics (docs/definitions.md, Segmentation) on small hand-computed portfolios."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cs_dashboard import api
from cs_dashboard.api import segmentation as seg_api
from cs_dashboard.charts import segmentation as charts
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.segmentation import account_mrr_now_and_then
from cs_dashboard.db.writer import replace_source
from cs_dashboard.filters import Filters
from cs_dashboard.sampling import MAX_LINE_POINTS
from cs_dashboard.segmentation import (
    complexity_potential_grid,
    concentration,
    pareto_bars,
    pareto_by,
    pareto_drawing,
    tier_migration,
    tier_table,
)
from cs_dashboard.tiers import TierRule, assign_tiers

# Ten accounts a0..a9 with MRR 1000, 900, ..., 100 (total 5,500).
TEN = pd.DataFrame({"account_id": [f"a{i}" for i in range(10)],
                    "mrr": [1000.0 - 100 * i for i in range(10)]})
ABC = ("A", "B", "C")


def table_of(rule: TierRule, frame: pd.DataFrame = TEN) -> pd.DataFrame:
    return tier_table(assign_tiers(frame, rule))


@pytest.mark.parametrize(("rule", "accounts", "mrr", "floors"), [
    # top 10% = 1 account, next 20% = 2, rest 7
    (TierRule("accounts", (10.0, 30.0), ABC), [1, 2, 7], [1000, 1700, 2800], [1000, 800, 100]),
    # 45% of 5,500 is reached at the 3rd account (2,700 = 49.1%), 75% at the 6th (4,500 = 81.8%)
    (TierRule("revenue", (45.0, 75.0), ABC), [3, 3, 4], [2700, 1800, 1000], [800, 500, 100]),
    (TierRule("floor", (800.0, 500.0), ABC), [3, 3, 4], [2700, 1800, 1000], [800, 500, 100]),
    # two tiers: 50% of 10 accounts = 5
    (TierRule("accounts", (50.0,), ("A", "B")), [5, 5], [4000, 1500], [600, 100]),
    # four tiers by floors
    (TierRule("floor", (1000.0, 700.0, 150.0), ("A", "B", "C", "D")), [1, 3, 5, 1],
     [1000, 2400, 2000, 100], [1000, 700, 200, 100]),
])
def test_tier_table_counts_sums_and_floors_for_every_rule(rule, accounts, mrr, floors):
    table = table_of(rule)
    assert table["accounts"].tolist() == accounts
    assert table["mrr"].tolist() == pytest.approx(mrr)
    assert table["arr"].tolist() == pytest.approx([12 * m for m in mrr])
    assert table["floor_mrr"].tolist() == pytest.approx(floors)
    assert table["share_accounts"].tolist() == pytest.approx([a / 10 for a in accounts])
    assert table["share_mrr"].tolist() == pytest.approx([m / 5500 for m in mrr])
    assert table["cum_share_mrr"].iloc[-1] == pytest.approx(1.0)


def test_tier_table_reports_median_arr_and_rank_ranges():
    table = table_of(TierRule("accounts", (10.0, 30.0), ABC))
    # tier B = 900 and 800 -> median 850 MRR = 10,200 ARR; tier C = 700..100 -> median 400
    assert table["median_arr"].tolist() == pytest.approx([12000, 10200, 4800])
    assert table[["first_rank", "last_rank"]].values.tolist() == [[1, 1], [2, 3], [4, 10]]


@pytest.mark.parametrize(("n", "cuts", "sizes"), [
    (20, (10.0, 30.0), [2, 4, 14]),
    (15, (10.0, 30.0), [2, 3, 10]),   # 1.5 -> 2 (halves round up), 4.5 -> 5
    (14, (10.0, 30.0), [1, 3, 10]),   # 1.4 -> 1, 4.2 -> 4
    (5, (10.0, 30.0), [1, 1, 3]),     # 0.5 -> 1, 1.5 -> 2
    (4, (10.0, 30.0), [0, 1, 3]),     # 0.4 -> 0 (an empty tier), 1.2 -> 1
])
def test_share_of_accounts_boundaries_round_to_the_nearest_account(n, cuts, sizes):
    frame = pd.DataFrame({"account_id": [f"x{i:02d}" for i in range(n)],
                          "mrr": np.arange(n, 0, -1, dtype=float)})
    assert table_of(TierRule("accounts", cuts, ABC), frame)["accounts"].tolist() == sizes


def test_an_empty_tier_has_no_floor_and_zero_shares():
    frame = TEN.head(4)
    table = table_of(TierRule("accounts", (10.0, 30.0), ABC), frame)
    assert table["accounts"].tolist() == [0, 1, 3]
    assert math.isnan(table["floor_mrr"].iloc[0]) and table["mrr"].iloc[0] == 0


def test_ties_are_ranked_by_account_id_so_a_boundary_splits_them_deterministically():
    frame = pd.DataFrame({"account_id": ["d", "b", "c", "a"], "mrr": [50.0, 50.0, 50.0, 50.0]})
    tiered = assign_tiers(frame, TierRule("accounts", (25.0, 50.0), ABC))
    assert tiered["account_id"].tolist() == ["a", "b", "c", "d"]
    assert tiered["tier"].astype(str).tolist() == ["A", "B", "C", "C"]
    # a floor cannot split equal MRR: all four are in the same tier
    tiered = assign_tiers(frame, TierRule("floor", (50.0, 10.0), ABC))
    assert tiered["tier"].astype(str).tolist() == ["A"] * 4


def test_a_single_account_is_tier_one_for_revenue_and_floor_and_holds_everything():
    one = pd.DataFrame({"account_id": ["solo"], "mrr": [250.0]})
    for rule in (TierRule("revenue", (45.0, 75.0), ABC), TierRule("floor", (200.0, 100.0), ABC)):
        table = table_of(rule, one)
        assert table["accounts"].tolist() == [1, 0, 0]
        assert table["share_mrr"].tolist() == [1.0, 0.0, 0.0]
    figures = concentration(assign_tiers(one, TierRule()))
    assert (figures.top10_share, figures.top20pct_share, figures.hhi) == (1.0, 1.0, 1.0)
    assert figures.accounts_for_50pct == figures.accounts_for_80pct == 1


def test_all_equal_revenue_splits_revenue_like_accounts():
    frame = pd.DataFrame({"account_id": [f"e{i}" for i in range(10)], "mrr": [100.0] * 10})
    revenue = table_of(TierRule("revenue", (45.0, 75.0), ABC), frame)
    # 45% of revenue needs 5 accounts (4 hold only 40%); 75% needs 8
    assert revenue["accounts"].tolist() == [5, 3, 2]
    figures = concentration(assign_tiers(frame, TierRule()))
    assert figures.hhi == pytest.approx(0.1) and figures.effective_accounts == pytest.approx(10)
    assert figures.hhi_points == "1,000"
    assert figures.top20pct_share == pytest.approx(0.2)
    assert (figures.accounts_for_50pct, figures.accounts_for_80pct) == (5, 8)


def test_an_empty_selection_gives_empty_tiers_and_undefined_concentration():
    empty = pd.DataFrame({"account_id": pd.Series([], dtype=object), "mrr": pd.Series([], dtype=float)})
    tiered = assign_tiers(empty, TierRule())
    table = tier_table(tiered)
    assert table["accounts"].tolist() == [0, 0, 0]
    assert table["share_mrr"].tolist() == [0.0, 0.0, 0.0]
    figures = concentration(tiered)
    assert figures.accounts == 0 and math.isnan(figures.hhi)
    assert figures.to_json()["hhi"] is None
    assert pareto_bars(tiered).empty


def test_the_top_ten_percent_of_45_accounts_is_5_rounding_the_half_up():
    frame = pd.DataFrame({"account_id": [f"a{i:02d}" for i in range(45)],
                          "mrr": [float(100 - i) for i in range(45)]})
    figures = concentration(assign_tiers(frame, TierRule()))
    assert figures.top10pct_accounts == 5  # 4.5 accounts, halves up
    assert figures.top10pct_share == pytest.approx(sum(range(96, 101)) / sum(range(56, 101)))
    assert figures.top20pct_accounts == 9


def test_concentration_figures_on_ten_accounts():
    figures = concentration(assign_tiers(TEN, TierRule()))
    assert figures.total_mrr == 5500
    assert figures.top10_share == pytest.approx(1.0)  # fewer than ten accounts: all of them
    assert figures.top20pct_accounts == 2
    assert figures.top20pct_share == pytest.approx(1900 / 5500)
    # 50% of 5,500 = 2,750: 1000+900+800 = 2,700 < 2,750, +700 = 3,400 -> 4 accounts
    assert figures.accounts_for_50pct == 4
    # 80% = 4,400: 4,000 after 5, 4,500 after 6 -> 6 accounts
    assert figures.accounts_for_80pct == 6
    expected_hhi = sum((m / 5500) ** 2 for m in TEN["mrr"])
    assert figures.hhi == pytest.approx(expected_hhi)


@pytest.mark.parametrize(("hhi", "text"), [(0.125, "1,250"), (0.00425, "42.5"),
                                           (0.000037, "0.37")])
def test_the_herfindahl_index_reads_on_the_10000_scale(hhi, text):
    figures = concentration(assign_tiers(TEN, TierRule()))
    assert dataclasses.replace(figures, hhi=hhi).hhi_points == text


def test_a_cumulative_share_landing_exactly_on_the_target_counts_that_account():
    frame = pd.DataFrame({"account_id": ["a", "b", "c", "d"], "mrr": [0.3, 0.2, 0.3, 0.2]})
    figures = concentration(assign_tiers(frame, TierRule()))
    # ranked 0.3, 0.3, 0.2, 0.2: 0.8 is reached exactly by the third account despite float sums
    assert figures.accounts_for_80pct == 3
    assert figures.accounts_for_50pct == 2


def test_migration_counts_accounts_and_arr_moving_up_down_new_and_churned():
    rule = TierRule("floor", (500.0, 200.0), ABC)
    then = pd.DataFrame({"account_id": ["up", "down", "same", "gone"],
                         "mrr": [300.0, 600.0, 100.0, 800.0]})
    now = pd.DataFrame({"account_id": ["up", "down", "same", "fresh"],
                        "mrr": [700.0, 250.0, 150.0, 900.0]})
    moved = tier_migration(assign_tiers(now, rule), assign_tiers(then, rule))
    summary = moved.summary.set_index("movement")
    assert summary["accounts"].to_dict() == {"up": 1, "same": 1, "down": 1, "new": 1, "churned": 1}
    assert moved.arr("up") == 12 * 700 and moved.arr("down") == 12 * 250
    assert moved.arr("new") == 12 * 900 and moved.arr("churned") == 12 * 800
    assert summary.loc["up", "arr_then"] == 12 * 300
    flows = moved.flows.set_index(["tier_then", "tier_now"])["accounts"].to_dict()
    assert flows == {("A", "B"): 1, ("A", "Not active"): 1, ("B", "A"): 1, ("C", "C"): 1,
                     ("Not active", "A"): 1}
    assert moved.tiers == ABC


def test_migration_with_nobody_moving_reports_zeros():
    tiered = assign_tiers(TEN, TierRule())
    moved = tier_migration(tiered, tiered)
    assert moved.count("same") == 10
    assert [moved.count(m) for m in ("up", "down", "new", "churned")] == [0, 0, 0, 0]


def test_grid_splits_potential_into_terciles_and_reads_complexity_labels():
    tiered = assign_tiers(TEN.head(9), TierRule())
    attrs = pd.DataFrame({
        "account_id": [f"a{i}" for i in range(9)],
        "complexity": ["High", "high", " High ", "Medium", "Medium", "Medium", "Low", "Low", None],
        "potential_arr": [90.0, 80.0, 70.0, 60.0, 50.0, 40.0, 30.0, 20.0, 10.0],
    })
    grid = complexity_potential_grid(tiered, attrs)
    cells = grid.cells.set_index(["complexity", "potential"])
    # terciles of 10..90 are 36.67 and 63.33
    assert grid.potential_cuts == pytest.approx((110 / 3, 190 / 3))
    assert cells.loc[("High", "High"), "accounts"] == 3
    assert cells.loc[("Medium", "Medium"), "accounts"] == 3  # potential 60, 50, 40
    assert cells.loc[("Medium", "Low"), "accounts"] == 0
    assert cells.loc[("Medium", "Medium"), "arr"] == 12 * (700 + 600 + 500)
    assert cells.loc[("Low", "Low"), "accounts"] == 2
    assert grid.unclassified == 1  # a8 has no complexity
    assert cells["accounts"].sum() == 8 and len(cells) == 9
    assert cells.loc[("High", "High"), "touch"] == "High touch"
    assert cells.loc[("Low", "Low"), "touch"] == "Tech touch"


def test_grid_accepts_documented_thresholds_and_numeric_complexity():
    tiered = assign_tiers(TEN.head(3), TierRule())
    attrs = pd.DataFrame({"account_id": ["a0", "a1", "a2"], "complexity": [1.0, 2.0, 3.0],
                          "potential_arr": [5.0, 50.0, 500.0]})
    grid = complexity_potential_grid(tiered, attrs, potential_cuts=(10.0, 100.0))
    cells = grid.cells.set_index(["complexity", "potential"])["accounts"]
    assert (cells[("Low", "Low")], cells[("Medium", "Medium")], cells[("High", "High")]) == (1, 1, 1)


def test_grid_is_absent_without_the_columns():
    attrs = pd.DataFrame({"account_id": ["a0"], "complexity": ["High"]})
    assert complexity_potential_grid(assign_tiers(TEN, TierRule()), attrs) is None


def test_pareto_bars_are_one_per_account_up_to_the_limit():
    bars = pareto_bars(assign_tiers(TEN, TierRule()), labels=pd.Series({"a0": "Alpha"}))
    assert len(bars) == 10 and bars["mrr"].tolist() == TEN["mrr"].tolist()
    assert bars["label"].tolist()[:2] == ["Alpha", "a1"]
    assert bars["cum_share_mrr"].iloc[-1] == pytest.approx(1.0)


def test_pareto_bars_bin_by_percentile_and_split_at_tier_boundaries():
    n = 1000
    frame = pd.DataFrame({"account_id": [f"x{i:04d}" for i in range(n)],
                          "mrr": np.linspace(1000, 1, n)})
    tiered = assign_tiers(frame, TierRule("accounts", (15.0, 32.5), ABC))
    bars = pareto_bars(tiered, max_bars=100, bins=20)  # 20 bins of 50 accounts
    # tier ends at 150 and 325: 150 is a bin edge, 325 splits the 300-349 bin in two
    assert len(bars) == 21
    assert bars["accounts"].sum() == n and bars["mrr_sum"].sum() == pytest.approx(frame["mrr"].sum())
    assert (bars.groupby("tier", observed=True)["accounts"].sum().tolist() == [150, 175, 675])
    split = bars[bars["rank_first"] == 301].iloc[0]
    assert (split["rank_last"], split["tier"]) == (325, "B")
    assert bars["cum_share_mrr"].iloc[-1] == pytest.approx(1.0)
    assert bars["label"].iloc[0] == "ranks 1–50"
    first = bars.iloc[0]
    assert first["mrr"] == pytest.approx(frame["mrr"].head(50).mean())
    assert (first["mrr_max"], first["mrr_min"]) == (1000.0, pytest.approx(frame["mrr"].iloc[49]))


def test_pareto_by_a_dimension_summarises_each_group_and_draws_its_curve():
    tiered = assign_tiers(TEN, TierRule())
    groups = pd.Series({f"a{i}": ("East" if i < 4 else "West") for i in range(10)})
    summary, curves = pareto_by(tiered, groups)
    east = summary.set_index("group").loc["East"]
    assert summary["group"].tolist() == ["East", "West"]  # East 3,400 > West 2,100
    assert east["accounts"] == 4 and east["share_mrr"] == pytest.approx(3400 / 5500)
    assert east["top20pct_share"] == pytest.approx(1000 / 3400)  # 20% of 4 = 0.8 -> 1 account
    assert east["accounts_for_80pct"] == 4  # 2,700 / 3,400 = 79.4% < 80%, then 100%
    east_curve = curves[curves["group"] == "East"]
    assert east_curve["share_accounts"].tolist() == [0, 0.25, 0.5, 0.75, 1.0]
    assert east_curve["share_mrr"].tolist() == pytest.approx([0, 1000 / 3400, 1900 / 3400,
                                                              2700 / 3400, 1.0])


portfolios = st.lists(st.floats(min_value=0.01, max_value=1e6, allow_nan=False), min_size=1,
                      max_size=60)
rules = st.sampled_from([TierRule(), TierRule.default("revenue"), TierRule.default("floor"),
                         TierRule("accounts", (50.0,), ("A", "B")),
                         TierRule("revenue", (20.0, 50.0, 90.0), ("A", "B", "C", "D"))])


@settings(max_examples=150, deadline=None, derandomize=True)
@given(values=portfolios, rule=rules)
def test_invariants_hold_for_any_portfolio_and_rule(values, rule):
    frame = pd.DataFrame({"account_id": [f"p{i:03d}" for i in range(len(values))], "mrr": values})
    tiered = assign_tiers(frame, rule)
    cum = tiered["cum_share_mrr"].to_numpy()
    assert cum[-1] == pytest.approx(1.0) and np.all(np.diff(cum) >= -1e-12)
    assert tiered["cum_share_accounts"].iloc[-1] == pytest.approx(1.0)
    table = tier_table(tiered)
    assert table["share_mrr"].sum() == pytest.approx(1.0)
    assert table["share_accounts"].sum() == pytest.approx(1.0)
    assert table["accounts"].sum() == len(values)
    # tiers are contiguous in rank: the tier position never decreases down the ranking
    assert np.all(np.diff(tiered["tier"].cat.codes.to_numpy()) >= 0)
    figures = concentration(tiered)
    assert 1 <= figures.accounts_for_50pct <= figures.accounts_for_80pct <= len(values)
    assert 1 / len(values) - 1e-12 <= figures.hhi <= 1 + 1e-12
    bars = pareto_bars(tiered, max_bars=10, bins=5)
    assert bars["accounts"].sum() == len(values)
    assert bars["cum_share_mrr"].iloc[-1] == pytest.approx(1.0)


def test_postgresql_gives_the_same_segmentation_as_duckdb(pg_url, demo_url, demo_frames):
    pg = make_engine(pg_url)
    replace_source(pg, demo_frames)
    duck = make_engine(demo_url)
    as_of = api.default_as_of(duck)
    for filters in (Filters(), Filters.of(region=["EMEA"], segment=["SMB", "Mid-Market"])):
        for month in (as_of, dt.date(as_of.year - 1, as_of.month, 1)):
            a = account_mrr_now_and_then(duck, month, filters).sort_values("account_id")
            b = account_mrr_now_and_then(pg, month, filters).sort_values("account_id")
            pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
        for rule in (TierRule(), TierRule.default("revenue"), TierRule("segment", (), ())):
            x = seg_api.segmentation(duck, as_of, filters, rule)
            y = seg_api.segmentation(pg, as_of, filters, rule)
            pd.testing.assert_frame_equal(x.table, y.table)
            pd.testing.assert_frame_equal(x.migration.summary, y.migration.summary)
            pd.testing.assert_frame_equal(x.grid.cells, y.grid.cells)
            assert x.concentration == y.concentration


# --- Charts, checked as data ------------------------------------------------------------------


def test_pareto_chart_draws_one_bar_series_per_tier_and_the_exact_cumulative_line():
    tiered = assign_tiers(TEN.assign(account_name=[f"Name {i}" for i in range(10)]), TierRule())
    fig = charts.pareto_chart(tiered, tier_table(tiered))
    bars = [t for t in fig.data if t.type == "bar"]
    assert [b.name for b in bars] == ["High touch", "Low touch", "Tech touch"]
    assert list(bars[0].y) == [1000.0] and bars[0].customdata[0][0] == "Name 0"
    assert "Rank" in bars[0].hovertemplate and "MRR $" in bars[0].hovertemplate
    line = fig.data[-1]
    assert line.yaxis == "y2" and (line.x0, line.dx) == (0, 1)
    assert np.asarray(line.y)[-1] == pytest.approx(1.0)
    assert np.asarray(line.y)[3] == pytest.approx(2700 / 5500, rel=1e-6)
    layout = fig.to_dict()["layout"]
    assert layout["yaxis2"]["range"] == [0, 1.05] and layout["yaxis2"]["tickformat"] == ".0%"
    assert layout["yaxis"]["title"]["text"] == "MRR (USD per month)"
    lines_at_80 = [s for s in layout["shapes"] if s.get("yref") == "y2" and s["y0"] == 0.8]
    assert len(lines_at_80) == 1
    texts = " ".join(a["text"] for a in layout["annotations"])
    assert "floor $1.0k" in texts and "20% of accounts" in texts


def test_pareto_chart_on_share_of_accounts_uses_fractions_on_the_x_axis():
    tiered = assign_tiers(TEN, TierRule())
    fig = charts.pareto_chart(tiered, tier_table(tiered), x="share")
    assert fig.data[-1].dx == pytest.approx(0.1)
    assert fig.layout.xaxis.tickformat == ".0%" and fig.layout.xaxis.range == (0, 1.0)
    assert fig.data[0].width[0] == pytest.approx(0.1)


def test_pareto_chart_at_200000_accounts_is_drawn_from_bins_and_a_sample_and_says_so():
    n = 200_000
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"account_id": [f"A{i:06d}" for i in range(n)],
                          "mrr": np.round(rng.lognormal(6, 1.2, n), 0) + 1})
    tiered = assign_tiers(frame, TierRule())
    fig = charts.pareto_chart(tiered, tier_table(tiered))
    bars = [t for t in fig.data if t.type == "bar"]
    assert sum(len(b.y) for b in bars) <= 103  # 100 percentile bins plus tier splits
    line = fig.data[-1]
    assert len(line.y) <= MAX_LINE_POINTS  # drawn through evenly spaced ranks
    assert (line.x[0], line.x[-1], line.y[0]) == (0, n, 0) and line.y[-1] == pytest.approx(1.0)
    exact = np.concatenate([[0.0], tiered.sort_values("rank")["cum_share_mrr"].to_numpy()])
    assert np.allclose(line.y, exact[np.asarray(line.x, dtype=int)], atol=1e-6)
    note = next(a.text for a in fig.layout.annotations if a.name == "footnote")
    assert "bin of about 1% of the 200,000 accounts" in note and "2,000 evenly spaced" in note
    assert len(pio.to_json(fig, validate=False)) < 200_000


def test_migration_and_grid_charts_show_the_computed_counts():
    rule = TierRule("floor", (500.0, 200.0), ABC)
    then = assign_tiers(pd.DataFrame({"account_id": ["x", "y"], "mrr": [300.0, 600.0]}), rule)
    now = assign_tiers(pd.DataFrame({"account_id": ["x", "z"], "mrr": [700.0, 100.0]}), rule)
    fig = charts.migration_chart(tier_migration(now, then))
    assert list(fig.data[0].x) == ["A", "B", "C", "Not active"]
    z = np.asarray(fig.data[0].z)
    assert z[1][0] == 1 and z[0][3] == 1 and z[3][2] == 1 and z.sum() == 3
    attrs = pd.DataFrame({"account_id": ["x", "z"], "complexity": ["High", "Low"],
                          "potential_arr": [9000.0, 100.0]})
    grid = complexity_potential_grid(now, attrs)
    heat = charts.grid_chart(grid).data[0]
    assert np.asarray(heat.z)[2][2] == 12 * 700 and np.asarray(heat.z)[0][0] == 12 * 100
    assert heat.colorbar.ticktext[-1] == "$8.4k"


def test_the_pareto_drawn_from_its_prepared_drawing_is_the_same_chart():
    """The Segmentation result carries its Pareto drawing (bins and sampled line, a few
    thousand numbers at most), and the chart drawn from it equals the one drawn from every
    account."""
    n = 50_000
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"account_id": [f"A{i:05d}" for i in range(n)],
                          "mrr": np.round(rng.lognormal(6, 1.2, n), 0) + 1})
    tiered = assign_tiers(frame, TierRule())
    drawing = pareto_drawing(tiered)
    assert drawing.accounts == n and len(drawing.cum) <= MAX_LINE_POINTS
    assert len(drawing.bars) <= 103
    for x in ("rank", "share"):
        assert (pio.to_json(charts.pareto_chart(drawing, tier_table(tiered), x=x))
                == pio.to_json(charts.pareto_chart(tiered, tier_table(tiered), x=x)))
