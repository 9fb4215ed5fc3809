"""Retention charts: cohort heatmap and curves, survival curves, trailing-12 trends, NRR per
CSM and the portfolio against the SaaS Capital medians."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cs_dashboard.charts.memo import memoised
from cs_dashboard.charts.theme import ACCENT, BAND_COLORS, NEUTRAL, style, tier_color
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct
from cs_dashboard.presets import Preset
from cs_dashboard.retention import BASIS_LABELS, CohortTable
from cs_dashboard.retention.survival import SurvivalResult

AGE_UNITS = {"month": "months", "quarter": "quarters", "year": "years"}
METRIC_LABELS = {"nrr": "NRR", "grr": "GRR", "logo": "Logo retention"}
METRIC_COLORS = {"nrr": ACCENT, "grr": "#2e86c1", "logo": "#8e6bbf"}
AVERAGE_LABEL = "Weighted average"


def pin_footnote(fig: go.Figure, footnote: str | None, bottom: int = 100) -> go.Figure:
    """Put the footnote at the very bottom of the figure, below tick labels and axis titles,
    with a ``bottom`` margin in pixels (``style`` places it at a fraction of the height, which
    collides with the axis in tall or narrow charts)."""
    if footnote:
        for note in fig.layout.annotations:
            if note.text == footnote:
                note.update(y=0, yanchor="bottom", yshift=-bottom + 2, align="left")
        fig.update_layout(margin={"b": bottom})
    return fig


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


@memoised
def cohort_heatmap(table: CohortTable, unit: str = "pct", footnote: str | None = None) -> go.Figure:
    """Cohorts (rows, oldest on top) by age, with the weighted-average row at the bottom.

    ``unit``: ``pct`` (ratios) or ``amount`` (MRR dollars, or accounts for logo retention).
    Immature cells stay blank. Row labels carry each cohort's size.
    """
    pct = unit == "pct"
    values = table.ratios if pct else table.amounts
    average = table.average if pct else table.average_amount
    sizes = table.sizes
    labels = [f"{c} · {fmt_count(sizes.at[c, 'accounts'])} · {fmt_money(sizes.at[c, 'start_mrr'])}"
              for c in values.index]
    z = np.vstack([values.to_numpy(dtype=float), average.to_numpy(dtype=float)[None, :]])
    y = labels + [AVERAGE_LABEL]
    if z.shape[1] > 18:  # too many ages to label legibly: values are in the hover
        text = [["" for _ in row] for row in z]
    elif pct:
        text = [["" if np.isnan(v) else f"{v * 100:.0f}%" for v in row] for row in z]
    elif table.basis == "logo":
        text = [["" if np.isnan(v) else f"{v:,.0f}" for v in row] for row in z]
    else:
        text = [["" if np.isnan(v) else fmt_money(v) for v in row] for row in z]
    hover_value = "%{z:.1%}" if pct else ("%{z:,.0f} accounts" if table.basis == "logo"
                                          else "%{z:$,.0f} MRR")
    unit_name = AGE_UNITS[table.period]
    scale_max = 1.2 if pct and table.basis == "net" else (1.0 if pct else None)
    fig = go.Figure(go.Heatmap(
        z=z, x=[str(a) for a in values.columns], y=y, text=text, texttemplate="%{text}",
        textfont={"size": 10}, colorscale="Blues", zmin=0 if pct else None, zmax=scale_max,
        xgap=1, ygap=1, hoverongaps=False,
        colorbar={"title": {"text": "%" if pct else ("accounts" if table.basis == "logo" else "$")},
                  "tickformat": ".0%" if pct else "~s"},
        hovertemplate=f"%{{y}}<br>age %{{x}} {unit_name}<br>{hover_value}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title_text="Cohort · accounts · starting MRR",
                     type="category")
    fig.update_xaxes(title_text=f"Age ({unit_name} since first revenue)", type="category",
                     side="top")
    what = BASIS_LABELS[table.basis] + ("" if pct else (" (accounts)" if table.basis == "logo"
                                                         else " (MRR, USD)"))
    height = max(420, 26 * len(y) + 160)
    fig = style(fig, f"{what} by {table.period} cohort", footnote, height=height)
    fig.update_layout(margin={"l": 230})
    return pin_footnote(fig, footnote, bottom=40)


@memoised
def retention_curves(table: CohortTable, benchmark: Preset | None = None, highlight: int = 3,
                     footnote: str | None = None) -> go.Figure:
    """One line per cohort (the ``highlight`` latest in colour, older ones grey), the weighted
    average in bold, and an optional benchmark as a dashed reference line naming its source."""
    fig = go.Figure()
    ratios = table.ratios
    latest = list(ratios.index[-highlight:]) if highlight else []
    ages = list(ratios.columns)
    for i, (cohort, row) in enumerate(ratios.iterrows()):
        recent = cohort in latest
        color = tier_color(latest.index(cohort)) if recent else "#c3c9cf"
        fig.add_trace(go.Scatter(
            x=ages, y=row.to_numpy(), mode="lines", name=str(cohort) if recent else "Older cohorts",
            showlegend=recent or i == 0,
            legendgroup="recent" if recent else "older",
            line={"color": color, "width": 2.5 if recent else 1},
            hovertemplate=f"{cohort}<br>age %{{x}}<br>%{{y:.1%}}<extra></extra>"))
    fig.add_trace(go.Scatter(x=ages, y=table.average.to_numpy(), mode="lines", name=AVERAGE_LABEL,
                             line={"color": "#222", "width": 4},
                             hovertemplate="Weighted average<br>age %{x}<br>%{y:.1%}<extra></extra>"))
    if benchmark is not None:
        fig.add_trace(go.Scatter(
            x=[ages[0], ages[-1]], y=[benchmark.value] * 2, mode="lines", name=benchmark.label,
            line={"color": NEUTRAL, "dash": "dash", "width": 1.5},
            hovertemplate=f"{benchmark.label}<br>{benchmark.source}<extra></extra>"))
        source = f"Benchmark: {benchmark.source}."
        footnote = f"{source}<br>{footnote}" if footnote else source
    unit_name = AGE_UNITS[table.period]
    fig.update_yaxes(title_text=f"{BASIS_LABELS[table.basis]} (%)", tickformat=".0%",
                     rangemode="tozero")
    fig.update_xaxes(title_text=f"Age ({unit_name} since first revenue)", dtick=1 if
                     len(ages) <= 16 else None)
    fig = style(fig, f"{BASIS_LABELS[table.basis]} curves by {table.period} cohort", footnote)
    fig.update_layout(legend={"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1.0,
                              "yanchor": "top"}, margin={"r": 250})
    return pin_footnote(fig, footnote, bottom=105 if benchmark is not None else 90)


@memoised
def survival_chart(result: SurvivalResult, footnote: str | None = None,
                   colors: dict[str, str] | None = None) -> go.Figure:
    """Kaplan-Meier curves (steps) with shaded 95% confidence bands, one per group."""
    fig = go.Figure()
    for i, g in enumerate(result.groups):
        color = (colors or {}).get(g.group, tier_color(i) if len(result.groups) <= 4
                                   else _palette(i))
        c = g.curve
        fig.add_trace(go.Scatter(x=c["timeline"], y=c["upper"], mode="lines", line_shape="hv",
                                 line={"width": 0}, showlegend=False, hoverinfo="skip",
                                 legendgroup=g.group))
        fig.add_trace(go.Scatter(x=c["timeline"], y=c["lower"], mode="lines", line_shape="hv",
                                 line={"width": 0}, fill="tonexty", fillcolor=_rgba(color, 0.15),
                                 showlegend=False, hoverinfo="skip", legendgroup=g.group))
        fig.add_trace(go.Scatter(
            x=c["timeline"], y=c["survival"], mode="lines", line_shape="hv",
            name=f"{g.group} ({fmt_count(g.accounts)})", legendgroup=g.group,
            line={"color": color, "width": 2.5}, customdata=np.c_[c["lower"], c["upper"]],
            hovertemplate=f"{g.group}<br>month %{{x}}<br>S = %{{y:.1%}} "
                          "(95% CI %{customdata[0]:.1%} to %{customdata[1]:.1%})<extra></extra>"))
    fig.add_hline(y=0.5, line_dash="dot", line_color=NEUTRAL, line_width=1,
                  annotation_text="median lifetime", annotation_position="bottom left",
                  annotation_font_size=11)
    fig.update_yaxes(title_text="Share of accounts still active (%)", tickformat=".0%",
                     range=[0, 1.02])
    fig.update_xaxes(title_text="Months since start", rangemode="tozero")
    fig = style(fig, "Logo survival (Kaplan-Meier, 95% bands)", footnote)
    return pin_footnote(fig, footnote, bottom=90)


def _palette(i: int) -> str:
    colors = ("#1f4e79", "#e07b39", "#3f9e5a", "#8e6bbf", "#d64545", "#2e86c1", "#b8860b",
              "#6c757d", "#17becf", "#bc5090")
    return colors[i % len(colors)]


@memoised
def retention_trend_chart(trend: pd.DataFrame, footnote: str | None = None,
                          benchmarks: tuple[Preset, ...] = ()) -> go.Figure:
    """Trailing-12 NRR, GRR and logo retention per month (``api.retention.trends``)."""
    fig = go.Figure()
    for metric in ("nrr", "grr", "logo"):
        fig.add_trace(go.Scatter(
            x=trend["month"], y=trend[metric], mode="lines+markers", name=METRIC_LABELS[metric],
            line={"color": METRIC_COLORS[metric], "width": 3 if metric == "nrr" else 2},
            marker={"size": 5},
            hovertemplate=f"%{{x|%b %Y}}<br>{METRIC_LABELS[metric]} %{{y:.1%}}<extra></extra>"))
    for b in benchmarks:
        fig.add_hline(y=b.value, line_dash="dash", line_color=METRIC_COLORS[b.metric], line_width=1,
                      annotation_text=b.label, annotation_position="top right",
                      annotation_font_size=11)
    _month_axes(fig, "Trailing-12 retention (%)")
    fig = style(fig, "Trailing-12 NRR, GRR and logo retention", footnote)
    return pin_footnote(fig, footnote, bottom=90)


@memoised
def tier_trend_chart(trend: pd.DataFrame, metric: str = "nrr",
                     footnote: str | None = None) -> go.Figure:
    """One line per tier of a trailing-12 ``metric`` (``trends(..., by_tier=True)``)."""
    fig = go.Figure()
    for i, tier in enumerate(trend["tier"].cat.categories):
        part = trend[trend["tier"] == tier]
        fig.add_trace(go.Scatter(
            x=part["month"], y=part[metric], mode="lines+markers", name=str(tier),
            line={"color": tier_color(i), "width": 2.5}, marker={"size": 5},
            customdata=part["base_accounts"],
            hovertemplate=f"{tier}<br>%{{x|%b %Y}}<br>{METRIC_LABELS[metric]} %{{y:.1%}}"
                          "<br>base %{customdata:,} accounts<extra></extra>"))
    fig.add_hline(y=1.0, line_color=NEUTRAL, line_width=1)
    _month_axes(fig, f"Trailing-12 {METRIC_LABELS[metric]} (%)")
    fig = style(fig, f"Trailing-12 {METRIC_LABELS[metric]} by tier", footnote)
    return pin_footnote(fig, footnote, bottom=90)


@memoised
def csm_nrr_chart(frame: pd.DataFrame, footnote: str | None = None) -> go.Figure:
    """Trailing-12 NRR per CSM as horizontal bars (largest base on top), 100% marked."""
    frame = frame.iloc[::-1]
    colors = [ACCENT if v >= 1 else "#d64545" for v in frame["nrr"].fillna(0)]
    fig = go.Figure(go.Bar(
        x=frame["nrr"], y=frame["csm"], orientation="h", marker_color=colors,
        # Labels inside each bar's base: the 100% line never crosses them.
        text=[fmt_pct(v, 0) for v in frame["nrr"]], textposition="inside",
        insidetextanchor="start", textfont={"color": "white"}, cliponaxis=False,
        customdata=np.c_[frame["base_accounts"], frame["base_mrr"] * 12, frame["grr"]],
        hovertemplate="%{y}<br>NRR %{x:.1%} · GRR %{customdata[2]:.1%}<br>base %{customdata[0]:,} "
                      "accounts, ARR %{customdata[1]:$,.0f} 12 months ago<extra></extra>"))
    fig.add_vline(x=1.0, line_color=NEUTRAL, line_dash="dash", line_width=1)
    fig.update_xaxes(title_text="Trailing-12 NRR (%)", tickformat=".0%", rangemode="tozero")
    fig.update_yaxes(title_text="CSM (largest book 12 months ago on top)", type="category")
    fig = style(fig, "Trailing-12 NRR per CSM", footnote, height=max(420, 24 * len(frame) + 160))
    return pin_footnote(fig, footnote, bottom=90)


@memoised
def benchmark_chart(nrr: float | None, grr: float | None, bench_nrr: Preset,
                    bench_grr: Preset, band: str, footnote: str | None = None) -> go.Figure:
    """The portfolio's NRR and GRR beside the SaaS Capital medians of its ACV band."""
    metrics = ["NRR", "GRR"]
    ours = [nrr, grr]
    theirs = [bench_nrr.value, bench_grr.value]
    fig = go.Figure([
        go.Bar(x=metrics, y=ours, name="This portfolio (trailing 12 months)", marker_color=ACCENT,
               text=[fmt_pct(v) for v in ours], textposition="outside", cliponaxis=False,
               hovertemplate="%{x} %{y:.1%}<extra>This portfolio</extra>"),
        go.Bar(x=metrics, y=theirs, name=f"SaaS Capital median, ACV {band}",
               marker_color="#b0b7bf", text=[fmt_pct(v, 0) for v in theirs],
               textposition="outside", cliponaxis=False,
               hovertemplate="%{x} %{y:.0%}<extra>SaaS Capital median</extra>"),
    ])
    top = max([v for v in ours + theirs if v is not None] + [1.0])
    fig.update_yaxes(title_text="Retention (%)", tickformat=".0%", range=[0, top * 1.5])
    fig.update_xaxes(title_text="Trailing-12 metric")
    fig.update_layout(barmode="group", bargap=0.35)
    note = f"Benchmark: {bench_nrr.source},<br>medians by annual contract value (ACV)."
    text = f"{note}<br>{footnote}" if footnote else note
    fig = style(fig, f"NRR and GRR vs benchmark (ACV {band})", text)
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": 1.0, "xanchor": "left",
                              "x": 0.0})
    return pin_footnote(fig, text, bottom=120)


def _month_axes(fig: go.Figure, y_title: str) -> None:
    fig.update_yaxes(title_text=y_title, tickformat=".0%")
    fig.update_xaxes(title_text="Month", tickformat="%b %Y", dtick="M3")


@memoised
def health_mix_chart(summary, footnote: str | None = None) -> go.Figure:
    """ARR by health band at T (``api.health.health_summary``), accounts in labels and hover."""
    rows = [*summary.bands, summary.unscored]
    names = [r.band.capitalize() for r in rows]
    fig = go.Figure(go.Bar(
        x=[r.arr for r in rows], y=names, orientation="h",
        marker_color=[BAND_COLORS.get(r.band, NEUTRAL) for r in rows],
        text=[f"{fmt_money(r.arr)} · {fmt_count(r.accounts)} accts" for r in rows],
        textposition="outside", cliponaxis=False, customdata=[r.accounts for r in rows],
        hovertemplate="%{y}<br>ARR %{x:$,.0f}<br>%{customdata:,} accounts<extra></extra>"))
    top = max([r.arr for r in rows] + [1.0])
    fig.update_xaxes(title_text="ARR (USD)", tickformat="$~s", range=[0, top * 1.35])
    fig.update_yaxes(title_text="Health band", autorange="reversed", type="category")
    red, green = summary.thresholds
    fig = style(fig, f"Health mix by ARR (red < {red:g}, green ≥ {green:g})", footnote, height=330)
    return pin_footnote(fig, footnote, bottom=80)
