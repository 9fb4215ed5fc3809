"""Exports: the default board-pack deck and one chart's PNG."""

from __future__ import annotations

from benchmarks.harness import Case
from cs_dashboard import api
from cs_dashboard.charts.board import arr_trend_chart
from cs_dashboard.db import queries
from cs_dashboard.db.engine import make_engine
from cs_dashboard.export import images, sections
from cs_dashboard.export.pack import PackOptions, build_pack


def cases(size: int, url: str) -> list[Case]:
    engine = make_engine(url)
    as_of = api.default_as_of(engine)
    options = PackOptions(as_of, tuple(sections.available()), source_label="benchmark")
    trend = queries.mrr_by_month(engine)
    trend = trend.assign(arr=trend["mrr"] * 12)

    def chart_png() -> bytes:
        # A fresh chart each run (new footnote), so the memoised render is not reused.
        chart_png.calls += 1
        return images.altair_png(arr_trend_chart(trend, f"benchmark run {chart_png.calls}"))

    chart_png.calls = 0

    def deck() -> object:
        images.clear_cache()  # render every chart each run, as a fresh server would
        return build_pack(engine, options)

    return [
        Case("export", "default board-pack deck (PPTX + ZIP)", deck, target_s=15.0, repeat=2),
        Case("export", "one chart PNG (>= 1600 px, vl-convert)", chart_png, target_s=1.0),
    ]
