"""Forecast charts: renewals ahead, the retention forecast with its interval, the track record,
the calibration and the value of acting (plotly, on the page), and the board pack's altair
versions (``forecast_board_chart``, ``renewals_board_chart``).

Builders take the forecast's results (``cs_dashboard.forecast``) and only present them. Band
colours come from ``theme.BAND_COLORS`` and tier colours from ``theme.tier_color``.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cs_dashboard.charts.health import BAND_LABELS
from cs_dashboard.charts.memo import memoised
from cs_dashboard.charts.theme import (
    ACCENT,
    BAND_COLORS,
    HEIGHT,
    MONEY_AXIS,
    NEUTRAL,
    PERCENT_AXIS,
    WIDTH,
    band_scale,
    style,
    tier_color,
    titled,
    with_note,
)
from cs_dashboard.fmt import fmt_money
from cs_dashboard.forecast import Calibration, Origin, Projection, Renewals
from cs_dashboard.forecast.renewals import NO_CSM
from cs_dashboard.sampling import line_sample

GRR_COLOR = ACCENT
NRR_COLOR = "#7b4fa0"
ACTUAL_COLOR = "#222222"
#: CSMs drawn by name in the CSM split; the rest are summed as "Other CSMs".
TOP_CSMS = 8
CSM_COLORS = ("#1f4e79", "#2e86c1", "#85c1e9", "#7b4fa0", "#e07b39", "#3f9e5a", "#b5838d",
              "#6c757d")
SPLIT_LABELS = {"band": "Health band", "tier": "Tier", "csm": "CSM"}


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


@memoised
def renewals_chart(rows: pd.DataFrame, period: str = "month", by: str = "band",
                   footnote: str | None = None) -> go.Figure:
    """ARR up for renewal per month or quarter, stacked by health band, tier or CSM (the
    ``TOP_CSMS`` largest by renewal ARR, the others together). ``rows``:
    ``Renewals.split(period, by)`` (the chart is keyed by these few rows, not by the
    per-account renewals behind them)."""
    groups = list(dict.fromkeys(rows["group"]))
    if by == "csm" and len(groups) > TOP_CSMS:
        keep = set(groups[:TOP_CSMS])
        rows = rows.assign(group=rows["group"].where(rows["group"].isin(keep), "Other CSMs"))
        rows = rows.groupby(["order", "label", "group"], as_index=False, sort=False)[
            ["accounts", "arr"]].sum()
        groups = groups[:TOP_CSMS] + ["Other CSMs"]
    labels = list(dict.fromkeys(rows.sort_values("order")["label"]))
    fig = go.Figure()
    for position, group in enumerate(groups):
        part = rows[rows["group"] == group].set_index("label").reindex(labels)
        if by == "band":
            name, color = BAND_LABELS.get(group, group), BAND_COLORS.get(group, NEUTRAL)
        elif by == "tier":
            name, color = group, tier_color(position)
        else:
            name = group
            color = NEUTRAL if group in ("Other CSMs", NO_CSM) else CSM_COLORS[position % len(CSM_COLORS)]
        fig.add_bar(x=labels, y=part["arr"].fillna(0), name=name, marker_color=color,
                    customdata=part["accounts"].fillna(0),
                    hovertemplate="%{x}<br>$%{y:,.0f} ARR · %{customdata:,} accounts"
                                  f"<extra>{name}</extra>")
    totals = rows.groupby("label")["arr"].sum().reindex(labels).fillna(0)
    fig.add_scatter(x=labels, y=totals, mode="text", text=[fmt_money(v) for v in totals],
                    textposition="top center", showlegend=False, hoverinfo="skip",
                    cliponaxis=False)
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"})
    fig.update_xaxes(title_text="Renewal month" if period == "month" else "Renewal quarter",
                     type="category")
    fig.update_yaxes(title_text="ARR up for renewal (USD)", tickprefix="$", tickformat="~s",
                     rangemode="tozero")
    title = f"ARR up for renewal by {period}, by {SPLIT_LABELS[by].lower()}"
    return style(fig, title, footnote, height=440)


def _band(fig: go.Figure, x, low, high, color: str, name: str, row: int | None = None,
          col: int | None = None, show: bool = True) -> None:
    where = {"row": row, "col": col} if row else {}
    fig.add_scatter(x=x, y=high, mode="lines", line={"width": 0}, hoverinfo="skip",
                    showlegend=False, legendgroup=name, **where)
    fig.add_scatter(x=x, y=low, mode="lines", line={"width": 0}, fill="tonexty",
                    fillcolor=_rgba(color, 0.18), name=name, legendgroup=name,
                    showlegend=show, hoverinfo="skip", **where)


@memoised
def forecast_chart(projection: Projection, footnote: str | None = None) -> go.Figure:
    """Expected GRR and NRR of today's book for each month ahead, with their intervals."""
    monthly = projection.monthly
    x = pd.to_datetime(monthly["month"])
    level = f"{projection.level:.0%}"
    fig = go.Figure()
    for metric, color, name in (("nrr", NRR_COLOR, "NRR"), ("grr", GRR_COLOR, "GRR")):
        _band(fig, x, monthly[f"{metric}_low"], monthly[f"{metric}_high"], color,
              f"{name} {level} interval")
        fig.add_scatter(x=x, y=monthly[metric], mode="lines+markers", name=f"{name} expected",
                        line={"color": color, "width": 3},
                        customdata=monthly[[f"{metric}_low", f"{metric}_high"]].to_numpy(),
                        hovertemplate=f"%{{x|%b %Y}}<br>{name} %{{y:.1%}} expected "
                                      f"({level}: %{{customdata[0]:.1%}}–%{{customdata[1]:.1%}})"
                                      "<extra></extra>")
    fig.add_hline(y=1.0, line={"color": NEUTRAL, "dash": "dot", "width": 1})
    fig.update_xaxes(title_text="Month (end)", tickformat="%b %Y", dtick="M1")
    fig.update_yaxes(title_text="Retention of today's ARR (%)", tickformat=".0%")
    return style(fig, f"Expected GRR and NRR of today's book, next {projection.horizon} months",
                 footnote, height=440)


@memoised
def flows_chart(projection: Projection, footnote: str | None = None) -> go.Figure:
    """Expected churn, contraction and expansion ARR by each month ahead (cumulative), churn
    with its interval."""
    monthly = projection.monthly
    x = pd.to_datetime(monthly["month"])
    fig = go.Figure()
    fig.add_bar(x=x, y=monthly["churn_arr"], name="Churn", marker_color=BAND_COLORS["red"],
                error_y={"type": "data", "symmetric": False, "color": "#555",
                         "array": monthly["churn_arr_high"] - monthly["churn_arr"],
                         "arrayminus": monthly["churn_arr"] - monthly["churn_arr_low"]},
                hovertemplate="%{x|%b %Y}<br>$%{y:,.0f} churned by then<extra>Churn</extra>")
    fig.add_bar(x=x, y=monthly["contraction_arr"], name="Contraction",
                marker_color=BAND_COLORS["yellow"],
                hovertemplate="%{x|%b %Y}<br>$%{y:,.0f} contracted by then<extra>Contraction</extra>")
    fig.add_scatter(x=x, y=monthly["expansion_arr"], name="Expansion", mode="lines+markers",
                    line={"color": BAND_COLORS["green"], "width": 3},
                    hovertemplate="%{x|%b %Y}<br>$%{y:,.0f} expansion by then<extra>Expansion"
                                  "</extra>")
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text="Month (end)", tickformat="%b %Y", dtick="M1")
    fig.update_yaxes(title_text="Expected ARR since today, cumulative (USD)", tickprefix="$",
                     tickformat="~s", rangemode="tozero")
    return style(fig, "Expected churn, contraction and expansion ARR (error bars: churn's "
                      f"{projection.level:.0%} interval)", footnote, height=420)


@memoised
def track_chart(origin: Origin, level: float, footnote: str | None = None) -> go.Figure:
    """The forecast made at ``origin`` (expected GRR and NRR with intervals) against the
    actual GRR and NRR of that book, month by month since."""
    rows = origin.rows
    x = pd.to_datetime(rows["month"])
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.1)
    for col, (metric, color) in enumerate((("grr", GRR_COLOR), ("nrr", NRR_COLOR)), start=1):
        _band(fig, x, rows[f"{metric}_low"], rows[f"{metric}_high"], color,
              f"{level:.0%} interval", 1, col, show=col == 1)
        fig.add_scatter(x=x, y=rows[metric], mode="lines", name="Forecast",
                        line={"color": color, "width": 3, "dash": "dash"}, legendgroup="fc",
                        showlegend=col == 1, row=1, col=col,
                        hovertemplate="%{x|%b %Y}<br>forecast %{y:.1%}<extra></extra>")
        fig.add_scatter(x=x, y=rows[f"{metric}_actual"], mode="lines+markers", name="Actual",
                        line={"color": ACTUAL_COLOR, "width": 2}, legendgroup="actual",
                        marker={"size": 7}, showlegend=col == 1, row=1, col=col,
                        customdata=rows[f"{metric}_error"] * 100,
                        hovertemplate="%{x|%b %Y}<br>actual %{y:.1%} (forecast off by "
                                      "%{customdata:+.1f} pts)<extra></extra>")
        fig.update_yaxes(title_text=f"{metric.upper()} of the book then (%)", tickformat=".0%",
                         row=1, col=col)
        fig.update_xaxes(title_text="Month (end)", tickformat="%b %Y", row=1, col=col)
    when = f"{origin.origin:%b %Y}"
    return style(fig, f"The forecast made in {when} against what happened", footnote, height=440)


@memoised
def calibration_chart(calibration: Calibration, footnote: str | None = None) -> go.Figure:
    """Predicted against observed churn (shares of ARR) by decile of predicted risk, with the
    diagonal of a perfectly calibrated forecast."""
    d = calibration.deciles
    top = float(max(d["predicted"].max(), d["observed"].max(), 0.05)) * 1.15
    fig = go.Figure()
    fig.add_scatter(x=[0, top], y=[0, top], mode="lines", name="Perfect calibration",
                    line={"color": NEUTRAL, "dash": "dot"}, hoverinfo="skip")
    size = 10 + 22 * d["arr"] / (d["arr"].max() or 1)
    fig.add_scatter(x=d["predicted"], y=d["observed"], mode="markers+text", name="Decile",
                    text=[str(v) for v in d["decile"]], textposition="top right",
                    marker={"size": size, "color": ACCENT, "opacity": 0.8,
                            "line": {"color": "white", "width": 1}},
                    customdata=d[["decile", "accounts", "arr", "observed_logo"]].to_numpy(),
                    hovertemplate="Decile %{customdata[0]} (1 = riskiest)<br>predicted "
                                  "%{x:.1%} · observed %{y:.1%} of ARR churned<br>"
                                  "%{customdata[1]:,} accounts · $%{customdata[2]:,.0f} ARR · "
                                  "%{customdata[3]:.1%} of accounts churned<extra></extra>")
    fig.update_xaxes(title_text="Predicted churn (share of ARR)", tickformat=".0%",
                     range=[0, top])
    fig.update_yaxes(title_text="Observed churn (share of ARR)", tickformat=".0%",
                     range=[0, top])
    when = f"{calibration.origin:%b %Y}"
    return style(fig, f"Calibration: predicted against observed churn by decile of risk "
                      f"(forecast made in {when})", footnote, height=460)


@memoised
def kept_chart(curve: pd.DataFrame, chosen: int, footnote: str | None = None) -> go.Figure:
    """Expected ARR kept by moving the N largest red accounts (``kept_curve``), with the CSMs
    it takes on the second axis; the chosen N marked."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    full, drawn = curve, line_sample(len(curve))
    if drawn is not None:
        curve = curve.iloc[drawn]
        footnote = with_note(footnote, f"Drawn through {len(drawn):,} evenly spaced points of "
                                       f"{len(full):,}; the CSV has every one.")
    fig.add_scatter(x=curve["accounts"], y=curve["kept"], mode="lines", name="ARR kept",
                    line={"color": BAND_COLORS["green"], "width": 3},
                    hovertemplate="%{x} accounts moved<br>$%{y:,.0f} more ARR kept"
                                  "<extra></extra>", secondary_y=False)
    fig.add_scatter(x=curve["accounts"], y=curve["csms"], mode="lines", name="CSMs it takes",
                    line={"color": ACCENT, "width": 2, "dash": "dash"},
                    hovertemplate="%{x} accounts<br>%{y:.1f} CSMs<extra></extra>",
                    secondary_y=True)
    if 0 < chosen <= len(full):
        point = full.iloc[chosen - 1]
        fig.add_vline(x=chosen, line={"color": NEUTRAL, "dash": "dot"},
                      annotation_text=f"{chosen} accounts: {fmt_money(point['kept'])} kept, "
                                      f"{point['csms']:.1f} CSMs",
                      annotation_position="top right")
    fig.update_xaxes(title_text="Red accounts moved, largest ARR first",
                     range=[0, max(len(full), 1)])
    fig.update_yaxes(title_text="Expected ARR kept (USD)", tickprefix="$", tickformat="~s",
                     rangemode="tozero", secondary_y=False)
    fig.update_yaxes(title_text="CSMs (full-time equivalent)", rangemode="tozero",
                     showgrid=False, tickmode="auto", tickformat=",.0f", secondary_y=True)
    return style(fig, "What moving red accounts is worth, and what it takes", footnote,
                 height=420)


# --- Board pack (altair) ---------------------------------------------------------------------


def forecast_board_chart(projection: Projection, origin: Origin | None,
                         footnote: str) -> alt.VConcatChart:
    """Expected GRR and NRR for the months ahead with their intervals; beside it, when there is
    one, last year's forecast against what happened (``origin``)."""
    level = f"{projection.level:.0%}"

    def lines(rows: pd.DataFrame, width: int, heading: str, actual: bool) -> alt.LayerChart:
        long = []
        for metric, name in (("grr", "GRR"), ("nrr", "NRR")):
            long.append(pd.DataFrame({
                "month": pd.to_datetime(rows["month"]), "metric": name,
                "value": rows[metric], "low": rows[f"{metric}_low"],
                "high": rows[f"{metric}_high"],
                "actual": rows[f"{metric}_actual"] if actual else None}))
        data = pd.concat(long, ignore_index=True)
        scale = alt.Scale(domain=["GRR", "NRR"], range=[GRR_COLOR, NRR_COLOR])
        x = alt.X("month:T", title="Month (end)",
                  axis=alt.Axis(format="%b %y", tickCount={"interval": "month", "step": 2}))
        title = "Retention of the book's ARR (%)"
        y = alt.Y("value:Q", title=title, axis=PERCENT_AXIS, scale=alt.Scale(zero=False))
        color = alt.Color("metric:N", title=None, scale=scale)
        base = alt.Chart(data).encode(x=x)
        layers = [base.mark_line(strokeDash=[6, 4] if actual else [1, 0]).encode(
                      y=y, color=color.legend(symbolType="stroke", symbolStrokeWidth=4)),
                  base.mark_area(opacity=0.15).encode(
                      y=alt.Y("low:Q", title=title, axis=PERCENT_AXIS,
                              scale=alt.Scale(zero=False)), y2="high:Q", color=color)]
        if actual:
            layers.append(alt.Chart(data).mark_line(point=True, color=ACTUAL_COLOR,
                                                    strokeWidth=2).encode(
                x=x, y="actual:Q", detail="metric:N"))
        return alt.layer(*layers).properties(width=width, height=HEIGHT, title=heading)

    ahead = lines(projection.monthly, WIDTH if origin is None else WIDTH // 2 - 20,
                  f"Next {projection.horizon} months: expected, shaded {level} interval", False)
    chart: alt.TopLevelMixin = ahead
    if origin is not None:
        past = lines(origin.rows, WIDTH // 2 - 20,
                     f"Forecast made in {origin.origin:%b %Y} (dashed) vs actual (black)", True)
        chart = alt.hconcat(ahead, past, spacing=40)
    return titled(chart, "Gross and net revenue retention: the forecast and its record",
                  footnote)


def renewals_board_chart(renewals: Renewals, bands: list[str], footnote: str) -> alt.VConcatChart:
    """ARR up for renewal per month ahead, stacked by health band."""
    rows = renewals.split("month", "band")
    labels = list(dict.fromkeys(rows.sort_values("order")["label"]))
    data = rows.assign(order_band=rows["group"].map({b: i for i, b in enumerate(bands)}))
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("label:O", title="Renewal month", sort=labels, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sum(arr):Q", title="ARR up for renewal (USD)", axis=MONEY_AXIS),
        color=alt.Color("group:N", title="Health band", scale=band_scale(bands), sort=bands,
                        legend=alt.Legend(labelExpr="upper(slice(datum.label, 0, 1)) + "
                                                    "slice(datum.label, 1)")),
        order=alt.Order("order_band:Q"),
    ).properties(width=WIDTH, height=HEIGHT)
    return titled(chart, "ARR up for renewal by month and health band", footnote)
