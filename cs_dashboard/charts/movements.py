"""Revenue movement charts: the bridge as a waterfall and the movements over time."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cs_dashboard.charts.memo import memoised
from cs_dashboard.charts.retention import pin_footnote
from cs_dashboard.charts.theme import ACCENT, NEGATIVE, NEUTRAL, style
from cs_dashboard.fmt import fmt_count, fmt_money
from cs_dashboard.retention.movements import KINDS, LABELS

#: Colours per movement: gains in greens and blue, losses in reds.
MOVEMENT_COLORS = {"new": "#3f9e5a", "reactivation": "#8cc79b", "expansion": "#2e86c1",
                   "contraction": "#f2a65a", "churn": NEGATIVE}


@memoised
def waterfall_chart(rows: pd.DataFrame, footnote: str | None = None,
                    title: str | None = None) -> go.Figure:
    """MRR bridge over ``rows`` (``movements.bridge`` output, one or more periods): starting
    MRR of the first period, each movement summed over the periods, ending MRR of the last.
    Bar labels carry the amount and the number of accounts moving."""
    first, last = rows.iloc[0], rows.iloc[-1]
    amounts = [float(first["start"])] + [float(rows[k].sum()) for k in KINDS] + [float(last["end"])]
    counts = [int(first["start_accounts"])] + [int(rows[f"n_{k}"].sum()) for k in KINDS] \
        + [int(last["end_accounts"])]
    names = [LABELS["start"]] + [LABELS[k] for k in KINDS] + [LABELS["end"]]
    text = [f"{fmt_money(a)}<br>{fmt_count(c)} acct" + ("" if c == 1 else "s")
            for a, c in zip(amounts, counts, strict=True)]
    fig = go.Figure(go.Waterfall(
        x=names, y=amounts, measure=["absolute"] + ["relative"] * len(KINDS) + ["total"],
        text=text, textposition="outside", constraintext="none", textfont={"size": 11},
        customdata=counts, cliponaxis=False,
        connector={"line": {"color": "#c8ced3", "width": 1}},
        increasing={"marker": {"color": MOVEMENT_COLORS["new"]}},
        decreasing={"marker": {"color": NEGATIVE}},
        totals={"marker": {"color": ACCENT}},
        hovertemplate="%{x}<br>%{y:$,.0f} MRR<br>%{customdata:,} accounts<extra></extra>"))
    span = first["period"] if len(rows) == 1 else f"{first['period']} to {last['period']}"
    running = [sum(amounts[: i + 1]) for i in range(len(amounts) - 1)] + [amounts[-1]]
    low, high = min(running), max(running)
    # The axis starts near the smallest level (not at 0) so the movements are visible.
    fig.update_yaxes(title_text="MRR (USD per month)", tickformat="$~s",
                     range=[low * 0.8 if low > 0 else min(0.0, low * 1.1), high * 1.15 or 1])
    fig.update_xaxes(title_text="Movement")
    fig.update_layout(showlegend=False)
    return pin_footnote(style(fig, title or f"MRR bridge, {span}", footnote), footnote, 110)


@memoised
def movements_trend_chart(rows: pd.DataFrame, footnote: str | None = None) -> go.Figure:
    """Each movement per period as stacked bars (gains up, losses down) and the net line."""
    fig = go.Figure()
    for kind in KINDS:
        fig.add_trace(go.Bar(
            x=rows["period"], y=rows[kind], name=LABELS[kind],
            marker_color=MOVEMENT_COLORS[kind], customdata=rows[f"n_{kind}"],
            hovertemplate=f"%{{x}}<br>{LABELS[kind]} %{{y:$,.0f}}<br>%{{customdata:,}} accounts"
                          "<extra></extra>"))
    net = rows[list(KINDS)].sum(axis=1)
    fig.add_trace(go.Scatter(x=rows["period"], y=net, name="Net change", mode="lines+markers",
                             line={"color": "#222", "width": 2}, marker={"size": 6},
                             hovertemplate="%{x}<br>Net change %{y:$,.0f}<extra></extra>"))
    fig.add_hline(y=0, line_color=NEUTRAL, line_width=1)
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title_text="MRR change (USD per month)", tickformat="$~s")
    fig.update_xaxes(title_text="Period", type="category")
    return pin_footnote(style(fig, "MRR movements over time", footnote), footnote, 90)
