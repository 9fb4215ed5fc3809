"""Built figures are kept per builder and inputs: the same inputs give an equal figure without
rebuilding it, a changed copy never leaks into the next one, other inputs build anew."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import plotly.graph_objects as go

from cs_dashboard.charts import memo, retention, trend
from cs_dashboard.charts.theme import split_footnote


def by_month() -> pd.DataFrame:
    return pd.DataFrame({"month": pd.date_range("2025-01-01", periods=6, freq="MS"),
                         "accounts": [10, 11, 12, 12, 13, 14],
                         "mrr": [100.0, 110.0, 125.0, 130.0, 150.0, 160.0]})


def test_the_same_inputs_give_an_equal_figure_built_once(monkeypatch):
    memo.clear()
    built = []
    original = trend.style
    monkeypatch.setattr(trend, "style", lambda *a, **k: built.append(1) or original(*a, **k))
    first = trend.arr_trend_chart(by_month(), "Data as of June 2025")
    again = trend.arr_trend_chart(by_month(), "Data as of June 2025")
    assert again is not first and again.to_json() == first.to_json()
    assert len(built) == 1
    bare, note = split_footnote(again)
    assert note == "Data as of June 2025"
    assert json.loads(bare.to_json()) == json.loads(split_footnote(first)[0].to_json())
    other = trend.arr_trend_chart(by_month().assign(mrr=lambda f: f["mrr"] * 2), "Data")
    assert other.to_json() != first.to_json() and len(built) == 2


def test_a_changed_figure_does_not_change_the_next_one():
    memo.clear()
    first = trend.arr_trend_chart(by_month())
    first.update_layout(title={"text": "changed"}, margin={"b": 999})
    first.data[0].y = [0] * 6
    again = trend.arr_trend_chart(by_month())
    again.layout.title.text = "changed too"
    third = trend.arr_trend_chart(by_month())
    assert third.layout.title.text == "Annual recurring revenue by month"
    assert third.layout.margin.b != 999 and list(third.data[0].y) != [0] * 6


def test_arguments_that_cannot_be_pickled_are_built_each_time():
    memo.clear()

    class Unpicklable:
        def __reduce__(self):
            raise TypeError("no")

    fig = memo.memoised(lambda thing: go.Figure())(Unpicklable())
    assert isinstance(fig, go.Figure) and not memo._specs
    assert retention.benchmark_chart  # builders stay importable under their names


def test_frames_are_keyed_by_their_labels_types_and_values_not_by_identity():
    def key(frame):
        return memo._key(trend.arr_trend_chart, (frame,), {})

    base = by_month()
    assert key(base) == key(by_month()) and key(base["mrr"]) == key(by_month()["mrr"])
    changed = [base.assign(mrr=base["mrr"].where(base.index != 5, 160.5)),  # one value
               base.rename(columns={"mrr": "arr"}),                          # a label
               base.astype({"accounts": "float64"}),                         # a type
               base.set_axis(range(1, 7)),                                   # the index
               base.iloc[:5],                                                # a row fewer
               base.assign(tier=pd.Categorical(["A", "B"] * 3))]             # a category column
    keys = {key(frame) for frame in changed}
    assert len(keys) == len(changed) and key(base) not in keys


def test_result_objects_holding_frames_are_keyed_by_their_contents():
    """A dataclass of frames (as the forecast's renewals) is digested part by part, not
    pickled whole; any changed part changes the key."""
    @dataclasses.dataclass(frozen=True)
    class Result:
        trend: pd.DataFrame
        label: str
        parts: tuple = ()

    def key(result):
        return memo._key(trend.arr_trend_chart, (result, "month"), {})

    base = Result(by_month(), "all", (by_month()["mrr"], 3))
    assert key(base) == key(Result(by_month(), "all", (by_month()["mrr"], 3)))
    changed = [Result(by_month().iloc[:5], "all", (by_month()["mrr"], 3)),
               Result(by_month(), "some", (by_month()["mrr"], 3)),
               Result(by_month(), "all", (by_month()["mrr"] + 1, 3)),
               Result(by_month(), "all", [by_month()["mrr"], 3])]
    keys = {key(result) for result in changed}
    assert len(keys) == len(changed) and key(base) not in keys
