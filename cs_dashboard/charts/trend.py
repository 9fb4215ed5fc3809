"""Portfolio trend charts."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cs_dashboard.charts.memo import memoised
from cs_dashboard.charts.theme import ACCENT, style


@memoised
def arr_trend_chart(by_month: pd.DataFrame, footnote: str | None = None) -> go.Figure:
    """ARR (12 x MRR) per month from ``mrr_by_month`` output (columns month, mrr, accounts)."""
    arr = by_month["mrr"] * 12
    fig = go.Figure(go.Scatter(
        x=by_month["month"], y=arr, mode="lines+markers", line={"color": ACCENT, "width": 3},
        marker={"size": 5}, customdata=by_month["accounts"], name="ARR",
        hovertemplate="%{x|%b %Y}<br>ARR $%{y:,.0f}<br>%{customdata:,} active accounts"
                      "<extra></extra>"))
    fig.update_yaxes(title_text="ARR (USD, 12 × MRR)", tickprefix="$", tickformat="~s",
                     rangemode="tozero")
    fig.update_xaxes(title_text="Month", dtick="M3", tickformat="%b %Y")
    return style(fig, "Annual recurring revenue by month", footnote)
