"""Capacity charts: load per CSM, need against supply, cost share, tornado, scenarios, hiring."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cs_dashboard.capacity.presets import BENCHMARK, OVERLOADED, UNDERLOADED
from cs_dashboard.charts.memo import memoised
from cs_dashboard.charts.theme import ACCENT, BAND_COLORS, NEUTRAL, POSITIVE, style, tier_color

FLAG_COLORS = {"overloaded": BAND_COLORS["red"], "balanced": POSITIVE, "underloaded": BAND_COLORS["yellow"]}
SCENARIO_COLORS = (ACCENT, "#e07b39", "#7b4fa0")
MONTH_AXIS = {"title_text": "Month", "tickformat": "%b %Y", "dtick": "M3"}


@memoised
def load_chart(loads: pd.DataFrame, footnote: str | None = None) -> go.Figure:
    """Horizontal bars of each CSM's load (hours demanded / available) against 100%, coloured
    by flag; the balanced band (70-110%) shaded. In: ``csm_loads`` output."""
    data = loads.sort_values("load", kind="mergesort")
    fig = go.Figure()
    for name, color in FLAG_COLORS.items():
        part = data[data["flag"] == name]
        if part.empty:
            continue
        fig.add_trace(go.Bar(
            y=part["csm"], x=part["load"], orientation="h", name=name.capitalize(),
            marker_color=color, customdata=part[["accounts", "hours_demanded", "hours_available"]],
            hovertemplate="%{y}<br>Load %{x:.0%}<br>%{customdata[0]:,} accounts<br>"
                          "%{customdata[1]:,.0f} of %{customdata[2]:,.0f} hours a year<extra></extra>"))
    fig.add_vrect(x0=UNDERLOADED, x1=OVERLOADED, fillcolor=POSITIVE, opacity=0.07, line_width=0)
    fig.add_vline(x=1.0, line={"color": "#222", "width": 1.5, "dash": "dash"},
                  annotation_text="100% of available hours", annotation_position="top")
    fig.update_xaxes(title_text="Load (hours the book demands ÷ hours available)", tickformat=".0%",
                     rangemode="tozero")
    fig.update_yaxes(title_text="CSM", categoryorder="array", categoryarray=list(data["csm"]))
    fig.update_layout(barmode="overlay", bargap=0.25)
    return style(fig, "Load per CSM today", footnote, height=max(380, 26 * len(data) + 140))


@memoised
def need_supply_chart(months: pd.DataFrame, footnote: str | None = None) -> go.Figure:
    """CSMs needed (exact FTE) against productive supply with the hiring plan and without
    hires, by month; bars show hires starting. In: ``Projection.months``."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=months["date"], y=months["hires_starting"], name="Hires starting",
                         marker_color="#c9d6e3", yaxis="y2",
                         hovertemplate="%{x|%b %Y}<br>%{y} hires start<extra></extra>"))
    fig.add_trace(go.Scatter(x=months["date"], y=months["need_fte"], name="CSMs needed",
                             line={"color": BAND_COLORS["red"], "width": 3},
                             hovertemplate="%{x|%b %Y}<br>Need %{y:.1f} FTE<extra></extra>"))
    fig.add_trace(go.Scatter(x=months["date"], y=months["supply_fte"], name="Supply with the plan",
                             line={"color": ACCENT, "width": 3}, line_shape="hv",
                             hovertemplate="%{x|%b %Y}<br>Supply %{y:.1f} FTE<extra></extra>"))
    fig.add_trace(go.Scatter(x=months["date"], y=months["baseline_fte"], name="Supply without hires",
                             line={"color": NEUTRAL, "width": 2, "dash": "dot"},
                             hovertemplate="%{x|%b %Y}<br>Without hires %{y:.1f} FTE<extra></extra>"))
    fig.update_yaxes(title_text="CSMs (productive FTE)", rangemode="tozero")
    top = int(months["hires_starting"].max() or 0)
    fig.update_layout(yaxis2={"title": {"text": "Hires starting"}, "overlaying": "y", "side": "right",
                              "range": [0, max(3.0, top * 3)], "tickvals": sorted({0, top // 2, top}),
                              "showgrid": False, "tickformat": "d"})
    fig.update_xaxes(**MONTH_AXIS)
    return style(fig, "CSMs needed against supply, by month", footnote)


@memoised
def cost_share_chart(months: pd.DataFrame, footnote: str | None = None) -> go.Figure:
    """The team cost (pro rata: payroll CSM FTE with their share of managers and CS operations),
    annualised, as a share of ARR by month, against the 5-15% band. In: ``Projection.months``."""
    band = BENCHMARK["cost_share"]
    fig = go.Figure()
    # The band is named in the legend: a label inside it can sit on the line.
    fig.add_hrect(y0=band.value, y1=band.high, fillcolor=POSITIVE, opacity=0.10, line_width=0)
    fig.add_trace(go.Scatter(x=months["date"], y=months["team_cost_pro_rata_share"], name="Team cost ÷ ARR",
                             line={"color": ACCENT, "width": 3},
                             customdata=months[["team_cost_pro_rata", "arr"]],
                             hovertemplate="%{x|%b %Y}<br>%{y:.1%} of ARR<br>team cost "
                                           "$%{customdata[0]:,.0f} a month (pro rata)<br>"
                                           "ARR $%{customdata[1]:,.0f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers",
                             name=f"{band.value * 100:.0f}-{band.high:.0%} band",
                             marker={"symbol": "square", "size": 12, "color": POSITIVE, "opacity": 0.3},
                             hoverinfo="skip"))
    top = max(0.2, float(months["team_cost_pro_rata_share"].max() or 0) * 1.15)
    fig.update_yaxes(title_text="Team cost ÷ ARR (annualised)", tickformat=".0%", range=[0, top])
    fig.update_xaxes(**MONTH_AXIS)
    return style(fig, "Team cost (pro rata) as a share of ARR", footnote)


@memoised
def tornado_chart(sens: pd.DataFrame, horizon: int, step: float = 0.2,
                  footnote: str | None = None) -> go.Figure:
    """Change in CSMs needed at the horizon when each driver moves -step / +step."""
    data = sens.iloc[::-1]
    pct = f"{step:.0%}"
    fig = go.Figure([
        go.Bar(y=data["driver"], x=data["low_fte"], orientation="h", name=f"Driver −{pct}",
               marker_color="#85c1e9", hovertemplate="%{y}<br>−" + pct + ": %{x:+.1f} FTE<extra></extra>"),
        go.Bar(y=data["driver"], x=data["high_fte"], orientation="h", name=f"Driver +{pct}",
               marker_color=ACCENT, hovertemplate="%{y}<br>+" + pct + ": %{x:+.1f} FTE<extra></extra>"),
    ])
    fig.add_vline(x=0, line={"color": "#222", "width": 1})
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title_text=f"Change in CSMs needed in month {horizon} (FTE)", tickformat="+.1f")
    fig.update_yaxes(title_text="Driver", automargin=True)
    return style(fig, f"What moves headcount most (each driver ±{pct})", footnote,
                 height=max(420, 44 * len(data) + 200))


@memoised
def scenario_need_chart(curves: list[tuple[str, pd.DataFrame]], footnote: str | None = None) -> go.Figure:
    """Need curves (exact FTE by month) of up to three scenarios on one chart."""
    fig = go.Figure()
    for i, (name, months) in enumerate(curves):
        color = SCENARIO_COLORS[i % len(SCENARIO_COLORS)]
        fig.add_trace(go.Scatter(x=months["date"], y=months["need_fte"], name=name,
                                 line={"color": color, "width": 3},
                                 hovertemplate=f"{name}<br>" + "%{x|%b %Y}: %{y:.1f} FTE<extra></extra>"))
    fig.update_yaxes(title_text="CSMs needed (FTE)", rangemode="tozero")
    fig.update_xaxes(**MONTH_AXIS)
    return style(fig, "CSMs needed by month, scenario by scenario", footnote)


@memoised
def hiring_timeline_chart(waves: pd.DataFrame, footnote: str | None = None) -> go.Figure:
    """One row per hiring wave (requisitions opening the same month): recruiting (opens ->
    start) and ramp (start -> fully productive). In: ``projection.hiring_waves`` output."""
    data = waves.iloc[::-1]
    label = [f"{n} hire{'s' if n != 1 else ''} · opens {d:%b %Y}"
             for n, d in zip(data["hires"], pd.to_datetime(data["opens_date"]), strict=True)]
    opens = pd.to_datetime(data["opens_date"])
    starts = pd.to_datetime(data["starts_date"])
    full = pd.to_datetime(data["productive_date"])
    day = 86_400_000
    fig = go.Figure([
        go.Bar(y=label, base=opens, x=(starts - opens).dt.days * day, orientation="h",
               name="Recruiting", marker_color="#c9d6e3",
               customdata=opens.dt.strftime("%b %Y"),
               hovertemplate="%{y}<br>Requisitions open %{customdata}<extra></extra>"),
        go.Bar(y=label, base=starts, x=(full - starts).dt.days * day, orientation="h",
               name="Ramping", marker_color=tier_color(1),
               customdata=starts.dt.strftime("%b %Y"),
               hovertemplate="%{y}<br>Start %{customdata}<extra></extra>"),
        go.Scatter(y=label, x=full, mode="markers", name="Fully productive",
                   marker={"symbol": "diamond", "size": 10, "color": ACCENT},
                   hovertemplate="%{y}<br>Fully productive %{x|%b %Y}<extra></extra>"),
    ])
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(type="date", **MONTH_AXIS)
    fig.update_yaxes(title_text="Hiring wave", automargin=True)
    return style(fig, "Hiring plan: when requisitions open, start and are fully productive",
                 footnote, height=max(320, 26 * len(data) + 170))
