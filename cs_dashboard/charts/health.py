"""Health charts: distribution, split, value at risk, drivers, band-mix trend, migration, back-test.

Builders take the small frames of ``cs_dashboard.health.views`` / ``api.health`` and return
plotly figures. Band colours come from ``theme.BAND_COLORS`` and tier colours from
``theme.tier_color`` everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cs_dashboard.charts.memo import memoised
from cs_dashboard.charts.theme import BAND_COLORS, FONT, NEUTRAL, style, tier_color
from cs_dashboard.fmt import fmt_money
from cs_dashboard.health import BAND_ORDER, UNSCORED, Backtest

BAND_LABELS = {"red": "Red", "yellow": "Yellow", "green": "Green", UNSCORED: "Unscored",
               "churned": "Churned"}
CHURNED_COLOR = "#4a4f55"
MEASURES = {"accounts": ("Accounts", ",.0f", ""), "arr": ("ARR (USD)", "~s", "$")}


def _finish(fig: go.Figure, title: str, footnote: str | None, height: int = 420,
            gap: int = 62) -> go.Figure:
    """House style, band-ordered legend, and the footnote a fixed ``gap`` of pixels below the
    plot area (so it never collides with the axis title, whatever the chart's height)."""
    style(fig, title, footnote, height=height)
    if footnote:
        for note in fig.layout.annotations:
            if note.text == footnote:
                note.update(y=0, yshift=-gap)
        fig.update_layout(margin={"b": gap + 30})
    return _ordered(fig)


def _ordered(fig: go.Figure) -> go.Figure:
    """Legend in band order (red, yellow, green) even for stacked traces."""
    fig.update_layout(legend={"traceorder": "normal"})
    return fig


def _measure_axis(measure: str) -> dict:
    title, fmt, prefix = MEASURES[measure]
    return {"title_text": title, "tickformat": fmt, "tickprefix": prefix}


def _hover_value(measure: str, axis: str = "y") -> str:
    return f"$%{{{axis}:,.0f}} ARR" if measure == "arr" else f"%{{{axis}:,}} accounts"


def _threshold_lines(fig: go.Figure, bands: Sequence[float]) -> None:
    for value, name, side in zip(bands, ("red below", "green from"), ("top left", "top right"),
                                 strict=True):
        fig.add_vline(x=value, line={"color": NEUTRAL, "dash": "dot", "width": 1},
                      annotation={"text": f"{name} {value:g}", "font": {"size": 11, "color": NEUTRAL}},
                      annotation_position=side)


@memoised
def score_histogram(bins: pd.DataFrame, bands: Sequence[float], measure: str = "accounts",
                    footnote: str | None = None, width: int = 5) -> go.Figure:
    """Scored accounts (or their ARR) per score bin, stacked by band."""
    fig = go.Figure()
    for band in BAND_ORDER:
        part = bins[bins["band"] == band]
        fig.add_bar(x=part["bin_start"] + width / 2, y=part[measure], width=width * 0.95,
                    name=BAND_LABELS[band], marker_color=BAND_COLORS[band],
                    customdata=part["bin_start"],
                    hovertemplate=f"Score %{{customdata}}–%{{customdata}}+{width}<br>"
                                  f"{_hover_value(measure)}<extra>{BAND_LABELS[band]}</extra>")
    fig.update_layout(barmode="stack", bargap=0.02)
    low = 0 if bins.empty else max(0, min(int(bins["bin_start"].min()) - width, int(min(bands)) - 10))
    fig.update_xaxes(title_text="Health score (points, 0–100)", range=[low, 100],
                     dtick=5 if low >= 50 else 10)
    fig.update_yaxes(**_measure_axis(measure))
    _threshold_lines(fig, bands)
    what = "ARR" if measure == "arr" else "Accounts"
    return _finish(fig, f"{what} by health score", footnote)


@memoised
def band_split(shares: pd.DataFrame, by: str, by_label: str, measure: str = "accounts",
               footnote: str | None = None) -> go.Figure:
    """100% stacked horizontal bars: the band mix of each group ``by``."""
    groups = list(shares[by].cat.categories) if isinstance(shares[by].dtype, pd.CategoricalDtype) \
        else list(dict.fromkeys(shares[by]))
    fig = go.Figure()
    for band in BAND_ORDER:
        part = shares[shares["band"] == band].set_index(by).reindex(groups)
        fig.add_bar(y=[str(g) for g in groups], x=part["share"].fillna(0), orientation="h",
                    name=BAND_LABELS[band], marker_color=BAND_COLORS[band],
                    customdata=part[["accounts", "arr"]].fillna(0).to_numpy(),
                    texttemplate="%{x:.0%}", textposition="inside", insidetextanchor="middle",
                    hovertemplate=f"%{{y}}<br>%{{x:.1%}} of {'ARR' if measure == 'arr' else 'accounts'}"
                                  "<br>%{customdata[0]:,} accounts · $%{customdata[1]:,.0f} ARR"
                                  f"<extra>{BAND_LABELS[band]}</extra>")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text=f"Share of {'ARR' if measure == 'arr' else 'scored accounts'}",
                     tickformat=".0%", range=[0, 1])
    fig.update_yaxes(title_text=by_label, autorange="reversed", type="category")
    height = max(320, 120 + 34 * len(groups))
    return _finish(fig, f"Health bands by {by_label.lower()}", footnote, height)


@memoised
def value_at_risk(risk: pd.DataFrame, by: str, by_label: str, footnote: str | None = None) -> go.Figure:
    """Red ARR and half of yellow ARR per group (stacked: together the second at-risk figure)."""
    x = [str(v) for v in risk[by]]
    fig = go.Figure()
    fig.add_bar(x=x, y=risk["red"], name="Red ARR (at risk)", marker_color=BAND_COLORS["red"],
                customdata=risk["red_accounts"], text=[fmt_money(v) for v in risk["red"]],
                textposition="inside", insidetextanchor="middle", textfont={"color": "white"},
                hovertemplate="%{x}<br>$%{y:,.0f} red ARR · %{customdata:,} red accounts"
                              "<extra></extra>")
    fig.add_bar(x=x, y=risk["at_risk_with_yellow"] - risk["red"],
                name="+ 50% of yellow ARR (total above the bar)",
                marker={"color": BAND_COLORS["yellow"], "pattern": {"shape": "/"}},
                text=[fmt_money(t) for t in risk["at_risk_with_yellow"]],
                textposition="outside", cliponaxis=False, textfont={"size": 13},
                hovertemplate="%{x}<br>+$%{y:,.0f} (half of yellow ARR)<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text=by_label, type="category")
    fig.update_yaxes(title_text="ARR at risk (USD)", tickprefix="$", tickformat="~s")
    return _finish(fig, f"ARR at risk by {by_label.lower()}", footnote)


@memoised
def component_means(means: pd.DataFrame, footnote: str | None = None,
                    bands: Sequence[float] | None = None) -> go.Figure:
    """Average of each component per tier (grouped bars, tier colours); dotted lines at the
    band thresholds when ``bands`` is given."""
    tiers = list(means["tier"].cat.categories) if isinstance(means["tier"].dtype, pd.CategoricalDtype) \
        else list(dict.fromkeys(means["tier"]))
    fig = go.Figure()
    for position, tier in enumerate(tiers):
        part = means[means["tier"] == tier]
        if part.empty:
            continue
        # Values inside the bars' base: the threshold lines never cross them.
        fig.add_bar(x=part["component"].astype(str), y=part["average"], name=str(tier),
                    marker_color=tier_color(position), customdata=part["accounts"],
                    texttemplate="%{y:.0f}", textposition="inside", insidetextanchor="start",
                    textfont={"color": "white" if position < 2 else "#222"},
                    hovertemplate=f"{tier} · %{{x}}<br>average %{{y:.1f}} points "
                                  "(%{customdata:,} accounts with it)<extra></extra>")
    fig.update_layout(barmode="group")
    for value, name in zip(bands or (), ("red below", "green from"), strict=False):
        fig.add_hline(y=value, line={"color": NEUTRAL, "dash": "dot", "width": 1},
                      annotation={"text": f"{name} {value:g}", "font": {"size": 11, "color": NEUTRAL}},
                      annotation_position="right")
    fig.update_xaxes(title_text="Component")
    fig.update_yaxes(title_text="Average (points, 0–100)", range=[0, 105])
    fig = _finish(fig, "Average component score by tier", footnote)
    if bands:
        fig.update_layout(margin={"r": 110})  # room for the threshold labels right of the plot
    return fig


@memoised
def dragging(counts: pd.DataFrame, measure: str = "accounts",
             footnote: str | None = None) -> go.Figure:
    """Accounts (or ARR) by the component dragging their score down most, stacked by band."""
    order = [str(c) for c in counts["dragging"].cat.categories]
    fig = go.Figure()
    for band in BAND_ORDER:
        part = counts[counts["band"] == band].set_index("dragging").reindex(order)
        fig.add_bar(y=order, x=part[measure].fillna(0), orientation="h", name=BAND_LABELS[band],
                    marker_color=BAND_COLORS[band],
                    hovertemplate=f"%{{y}}<br>{_hover_value(measure, 'x')}"
                                  f"<extra>{BAND_LABELS[band]}</extra>")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(**_measure_axis(measure))
    fig.update_yaxes(title_text="Dragging component", type="category")
    return _finish(fig, "What drags scores down most (largest weight × shortfall)", footnote)


@memoised
def band_mix(mix: pd.DataFrame, measure: str = "accounts", footnote: str | None = None) -> go.Figure:
    """Band mix per month as a stacked area (counts or ARR), from ``HealthReport.mix``: each
    month's active accounts scored from their latest snapshot at or before it."""
    fig = go.Figure()
    bands = [*BAND_ORDER] + ([UNSCORED] if mix.loc[mix["band"] == UNSCORED, "accounts"].sum() else [])
    for band in bands:
        part = mix[mix["band"] == band]
        fig.add_scatter(x=pd.to_datetime(part["month"]), y=part[measure], name=BAND_LABELS[band],
                        mode="lines", stackgroup="bands", line={"color": BAND_COLORS[band], "width": 1},
                        fillcolor=BAND_COLORS[band], customdata=part[f"share_{measure}"],
                        hovertemplate=f"%{{x|%b %Y}}<br>{_hover_value(measure)} "
                                      "(%{customdata:.1%})"
                                      f"<extra>{BAND_LABELS[band]}</extra>")
    fig.update_xaxes(title_text="Month", tickformat="%b %Y", dtick="M1")
    fig.update_yaxes(**_measure_axis(measure), rangemode="tozero")
    what = "ARR" if measure == "arr" else "Accounts"
    return _finish(fig, f"{what} by health band, last {mix['month'].nunique()} months", footnote)


def _rgba(hex_color: str, alpha: float) -> str:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


@memoised
def migration_sankey(flows: pd.DataFrame, start_label: str, end_label: str,
                     measure: str = "accounts", footnote: str | None = None) -> go.Figure:
    """Sankey of accounts (or ARR at the first snapshot) from each band to each band, churned
    included."""
    value_col = "arr_start" if measure == "arr" else "accounts"
    left = [b for b in (*BAND_ORDER, UNSCORED) if b in set(flows["from_band"])]
    right = [b for b in (*BAND_ORDER, UNSCORED, "churned") if b in set(flows["to_band"])]
    labels = [f"{BAND_LABELS[b]} · {start_label}" for b in left] + \
             [f"{BAND_LABELS[b]} · {end_label}" for b in right]
    colors = [BAND_COLORS[b] for b in left] + \
             [CHURNED_COLOR if b == "churned" else BAND_COLORS[b] for b in right]
    links = flows[flows[value_col] > 0]
    xs, ys = [], []
    for nodes, key, x in ((left, "from_band", 0.001), (right, "to_band", 0.999)):
        sizes = [float(flows.loc[flows[key] == b, value_col].sum()) for b in nodes]
        total = sum(sizes) or 1.0
        gap = 0.04
        span = 1.0 - gap * max(len(nodes) - 1, 0)
        top = 0.0
        for size in sizes:
            height = span * size / total
            xs.append(x)
            ys.append(min(max(top + height / 2, 0.001), 0.999))
            top += height + gap
    source = [left.index(b) for b in links["from_band"]]
    target = [len(left) + right.index(b) for b in links["to_band"]]
    unit = "$%{value:,.0f} ARR" if measure == "arr" else "%{value:,} accounts"
    fig = go.Figure(go.Sankey(
        arrangement="fixed", valueformat=",.0f",
        node={"label": labels, "color": colors, "pad": 18, "thickness": 18, "x": xs, "y": ys,
              "line": {"color": "white", "width": 0.5},
              "hovertemplate": f"%{{label}}<br>{unit}<extra></extra>"},
        link={"source": source, "target": target, "value": links[value_col].tolist(),
              "color": [_rgba(BAND_COLORS[b], 0.35) for b in links["from_band"]],
              "hovertemplate": f"%{{source.label}} → %{{target.label}}<br>{unit}<extra></extra>"}))
    what = "ARR" if measure == "arr" else "Accounts"
    return _finish(fig, f"{what} moving between bands, {start_label} → {end_label}", footnote, 480,
                   gap=24)


@memoised
def backtest_chart(result: Backtest, curve: pd.DataFrame, footnote: str | None = None) -> go.Figure:
    """Churn rate by band at the snapshot (left) and the ROC curve of the score (right)."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.5, 0.5], horizontal_spacing=0.12,
                        subplot_titles=("Churn rate by band at the snapshot",
                                        "ROC curve (score as churn predictor)"))
    by_band = result.by_band
    fig.add_bar(x=[BAND_LABELS[b] for b in by_band["band"]], y=by_band["churn_rate"],
                marker_color=[BAND_COLORS[b] for b in by_band["band"]], showlegend=False,
                customdata=by_band[["churned", "accounts"]].to_numpy(),
                texttemplate="%{y:.1%}", textposition="outside",
                hovertemplate="%{x}: %{y:.1%} churned<br>%{customdata[0]:,} of %{customdata[1]:,}"
                              " accounts<extra></extra>", row=1, col=1)
    fig.add_scatter(x=[0, 1], y=[0, 1], mode="lines", line={"color": NEUTRAL, "dash": "dot"},
                    name="Chance (AUC 0.50)", hoverinfo="skip", row=1, col=2)
    auc = "–" if result.auc is None else f"{result.auc:.2f}"
    fig.add_scatter(x=curve["fpr"], y=curve["tpr"], mode="lines", name=f"Health score (AUC {auc})",
                    line={"color": BAND_COLORS["red"], "width": 3}, customdata=curve["threshold"],
                    hovertemplate="Flag scores ≤ %{customdata:.0f}: catches %{y:.0%} of churn, "
                                  "flags %{x:.0%} of retained<extra></extra>", row=1, col=2)
    top = by_band["churn_rate"].max()
    fig.update_yaxes(title_text="Churned by the as-of month", tickformat=".0%",
                     range=[0, (top if top == top and top > 0 else 0.1) * 1.25], row=1, col=1)
    fig.update_xaxes(title_text="Band at the snapshot", row=1, col=1)
    fig.update_xaxes(title_text="Retained accounts flagged (false-positive rate)", tickformat=".0%",
                     range=[0, 1], row=1, col=2)
    fig.update_yaxes(title_text="Churned accounts caught (true-positive rate)", tickformat=".0%",
                     range=[0, 1.02], row=1, col=2)
    fig = _finish(fig, "Back-test: did the score anticipate churn?", footnote, 460)
    fig.update_annotations(selector={"text": "Churn rate by band at the snapshot"},
                           font={"family": FONT, "size": 14})
    fig.update_annotations(selector={"text": "ROC curve (score as churn predictor)"},
                           font={"family": FONT, "size": 14})
    fig.update_layout(legend={"x": 0.98, "y": 0.05, "xanchor": "right", "yanchor": "bottom",
                              "orientation": "v"})
    return fig
