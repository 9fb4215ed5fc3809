"""Segmentation charts: the revenue Pareto, tier shares, migration, the 3x3 grid, Pareto by group.

The Pareto's bars are aggregated above ``MAX_BARS`` accounts and its cumulative line is drawn
through at most ``MAX_LINE_POINTS`` evenly spaced ranks (every account's exact share, float32
positioned with ``x0``/``dx``, below that); the footnote says when. That keeps the spec small
at any size (the CSV download keeps every account).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cs_dashboard.charts.memo import memoised
from cs_dashboard.charts.theme import NEUTRAL, style, tier_color, with_note
from cs_dashboard.fmt import fmt_money, fmt_pct
from cs_dashboard.segmentation import MAX_BARS, Grid, Migration, ParetoDrawing, pareto_drawing
from cs_dashboard.segmentation.migration import NOT_ACTIVE

REFERENCE_REVENUE = 0.8  #: the "80% of revenue" reference line (Pareto principle)
REFERENCE_ACCOUNTS = 0.2  #: the "20% of accounts" reference line
X_MODES = {"rank": "Account rank by MRR (1 = largest)",
           "share": "Cumulative share of accounts, largest first"}
LINE_COLOR = "#c0392b"


@memoised
def pareto_chart(tiered: pd.DataFrame | ParetoDrawing, table: pd.DataFrame, x: str = "rank",
                 log_y: bool = False, footnote: str | None = None,
                 max_bars: int = MAX_BARS) -> go.Figure:
    """Bars of MRR by rank (tier colours), cumulative share of revenue on a 0-100% axis.

    ``tiered``: ``assign_tiers`` output (optionally ``account_name``), or its
    ``pareto_drawing`` (the Segmentation result carries one, so the page's chart is keyed by
    its few rows); ``table``: ``tier_table`` of it. ``x``: ``"rank"`` or ``"share"``
    (cumulative share of accounts).
    """
    drawing = tiered if isinstance(tiered, ParetoDrawing) else pareto_drawing(tiered, max_bars)
    bars, drawn, n = drawing.bars, drawing.drawn, drawing.accounts
    scale = 1.0 if x == "rank" else 1.0 / max(n, 1)
    binned = bool(len(bars)) and int(bars["accounts"].max()) > 1
    fig = go.Figure()
    for position, part in bars.groupby("position", sort=True):
        centre = (part["rank_first"] + part["rank_last"]) / 2 * scale
        if binned:
            custom = np.column_stack([part["label"], part["accounts"], part["mrr_min"],
                                      part["mrr_max"], part["cum_share_accounts"],
                                      part["cum_share_mrr"]])
            hover = ("<b>%{customdata[0]}</b> (%{customdata[1]:,} accounts)<br>"
                     "Mean MRR $%{y:,.0f} (from $%{customdata[2]:,.0f} to $%{customdata[3]:,.0f})"
                     "<br>Top %{customdata[4]:.1%} of accounts hold %{customdata[5]:.1%} of revenue"
                     "<extra>%{fullData.name}</extra>")
        else:
            custom = np.column_stack([part["label"], part["rank_first"],
                                      part["cum_share_accounts"], part["cum_share_mrr"]])
            hover = ("<b>%{customdata[0]}</b><br>MRR $%{y:,.0f}<br>Rank %{customdata[1]:,}"
                     "<br>Top %{customdata[2]:.1%} of accounts hold %{customdata[3]:.1%} of revenue"
                     "<extra>%{fullData.name}</extra>")
        fig.add_bar(x=centre.to_numpy(), y=part["mrr"].to_numpy(), width=(part["accounts"] * scale)
                    .to_numpy(), name=str(part["tier"].iloc[0]), customdata=custom,
                    hovertemplate=hover, marker={"color": tier_color(int(position)),
                                                 "line": {"width": 0}})
    line_hover = ("Rank %{x:,.0f}: %{y:.1%} of revenue<extra></extra>" if x == "rank" else
                  "Top %{x:.1%} of accounts hold %{y:.1%} of revenue<extra></extra>")
    line = {"yaxis": "y2", "mode": "lines", "name": "Cumulative share of revenue",
            "line": {"color": LINE_COLOR, "width": 2.5}, "hovertemplate": line_hover}
    if drawn is None:
        fig.add_scatter(x0=0, dx=scale, y=drawing.cum, **line)
    else:
        fig.add_scatter(x=drawn * scale, y=drawing.cum, **line)
    footnote = with_note(footnote, _drawn_from(binned, drawn, n))
    _tier_bands(fig, table, scale, n)
    _references(fig, n, scale)
    fig.update_layout(
        bargap=0, barmode="overlay", hovermode="closest",
        yaxis={"title": {"text": "MRR (USD per month)" + (", log scale" if log_y else "")},
               "tickprefix": "$", "tickformat": "~s", "type": "log" if log_y else "linear"},
        yaxis2={"title": {"text": "Cumulative share of revenue"}, "overlaying": "y",
                "side": "right", "range": [0, 1.05], "tickmode": "linear", "tick0": 0,
                "dtick": 0.2, "tickformat": ".0%", "showgrid": False, "zeroline": False})
    fig.update_xaxes(title_text=X_MODES[x], range=[0, n * scale if n else 1],
                     tickformat=".0%" if x == "share" else ",~s")
    title = "Where the revenue is: MRR by account, largest first"
    return style(fig, title, footnote, height=500)


def _drawn_from(binned: bool, drawn: np.ndarray | None, n: int) -> str | None:
    """How the Pareto is drawn when it is not one bar and one point per account."""
    parts = []
    if binned:
        parts.append(f"each bar a bin of about 1% of the {n:,} accounts (mean MRR)")
    if drawn is not None:
        parts.append(f"the line through {len(drawn):,} evenly spaced ranks")
    if not parts:
        return None
    return ("Drawn with " + " and ".join(parts) + "; the tier table and the CSV have every "
            "account.")


def _tier_bands(fig: go.Figure, table: pd.DataFrame, scale: float, n: int) -> None:
    """Shade each tier's ranks in its colour; mark its floor and name it at the top."""
    for row in table[table["accounts"] > 0].itertuples():
        x0, x1 = (row.first_rank - 1) * scale, row.last_rank * scale
        colour = tier_color(int(row.position))
        fig.add_vrect(x0=x0, x1=x1, fillcolor=colour, opacity=0.09, line_width=0, layer="below")
        fig.add_shape(type="line", x0=x0, x1=x1, y0=row.floor_mrr, y1=row.floor_mrr, xref="x",
                      yref="y", line={"color": colour, "width": 2, "dash": "dot"})
        if row.last_rank < n:
            fig.add_vline(x=x1, line={"color": colour, "width": 1.5, "dash": "dash"})
        fig.add_annotation(
            x=(x0 + x1) / 2, y=0.99, xref="x", yref="paper", yanchor="top", showarrow=False,
            text=(f"<b>{row.tier}</b><br>floor {fmt_money(row.floor_mrr)}<br>"
                  f"{fmt_pct(row.share_mrr, 0)} of MRR"),
            font={"size": 11, "color": "#222"}, bgcolor="rgba(255,255,255,0.85)",
            bordercolor=colour, borderwidth=1)


def _references(fig: go.Figure, n: int, scale: float) -> None:
    fig.add_shape(type="line", xref="paper", x0=0, x1=1, yref="y2", y0=REFERENCE_REVENUE,
                  y1=REFERENCE_REVENUE, line={"color": NEUTRAL, "width": 1, "dash": "dash"})
    fig.add_annotation(xref="paper", x=1, yref="y2", y=REFERENCE_REVENUE, xanchor="right",
                       yanchor="bottom", showarrow=False, text="80% of revenue",
                       font={"size": 11, "color": NEUTRAL})
    if n:
        fig.add_vline(x=REFERENCE_ACCOUNTS * n * scale,
                      line={"color": NEUTRAL, "width": 1, "dash": "dash"})
        fig.add_annotation(x=REFERENCE_ACCOUNTS * n * scale, xref="x", y=0.35, yref="paper",
                           xanchor="left", yanchor="middle", showarrow=False,
                           text="20% of accounts", font={"size": 11, "color": NEUTRAL},
                           bgcolor="rgba(255,255,255,0.85)")


@memoised
def tier_share_chart(table: pd.DataFrame, footnote: str | None = None) -> go.Figure:
    """Each tier's share of accounts beside its share of revenue (fractions, shown as %)."""
    tiers = table["tier"].tolist()[::-1]
    colours = [tier_color(int(p)) for p in table["position"]][::-1]
    fig = go.Figure()
    fig.add_bar(y=tiers, x=table["share_accounts"].to_numpy()[::-1], orientation="h",
                name="Share of accounts", marker={"color": "#c8cdd2"},
                texttemplate="%{x:.0%}", textposition="outside",
                hovertemplate="%{y}: %{x:.1%} of accounts<extra></extra>")
    fig.add_bar(y=tiers, x=table["share_mrr"].to_numpy()[::-1], orientation="h",
                name="Share of revenue (MRR)", marker={"color": colours},
                texttemplate="%{x:.0%}", textposition="outside",
                hovertemplate="%{y}: %{x:.1%} of MRR<extra></extra>")
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_xaxes(title_text="Share of the portfolio", tickformat=".0%", range=[0, 1.1])
    fig.update_yaxes(title_text="Tier")
    return style(fig, "Share of accounts against share of revenue, by tier", footnote, height=340)


@memoised
def migration_chart(migration: Migration, footnote: str | None = None) -> go.Figure:
    """Accounts by tier 12 months ago (rows) and tier now (columns); ARR now in the hover."""
    order = [*migration.tiers, NOT_ACTIVE]
    flows = migration.flows.set_index(["tier_then", "tier_now"])
    counts = [[int(flows["accounts"].get((a, b), 0)) for b in order] for a in order]
    arr = [[float(flows["arr_now"].get((a, b), 0) if b != NOT_ACTIVE
                  else flows["arr_then"].get((a, b), 0)) for b in order] for a in order]
    text = [[f"{c:,}<br>{fmt_money(v)}" if c else "" for c, v in zip(rc, ra, strict=True)]
            for rc, ra in zip(counts, arr, strict=True)]
    fig = go.Figure(go.Heatmap(
        z=counts, x=order, y=order, text=text, texttemplate="%{text}", colorscale="Blues",
        customdata=arr, colorbar={"title": {"text": "Accounts"}},
        hovertemplate="12 months ago: %{y}<br>Now: %{x}<br>%{z:,} accounts<br>"
                      "ARR $%{customdata:,.0f}<extra></extra>"))
    fig.update_yaxes(title_text="Tier 12 months ago", autorange="reversed", type="category")
    fig.update_xaxes(title_text="Tier now", side="bottom", type="category")
    return style(fig, "Tier migration: accounts (and ARR) by tier then and now", footnote,
                 height=380)


@memoised
def grid_chart(grid: Grid, footnote: str | None = None) -> go.Figure:
    """The 3x3 complexity x potential grid: ARR as colour, accounts and the touch model as text."""
    cells = grid.cells
    levels = ["Low", "Medium", "High"]
    z, text = [], []
    for c in levels:
        row = cells[cells["complexity"] == c].set_index("potential").reindex(levels)
        z.append(row["arr"].tolist())
        text.append([f"<b>{r.touch}</b><br>{r.accounts:,} accounts<br>{fmt_money(r.arr)} ARR"
                     for r in row.itertuples()])
    fig = go.Figure(go.Heatmap(
        z=z, x=[f"{lv} potential" for lv in levels], y=[f"{lv} complexity" for lv in levels],
        text=text, texttemplate="%{text}", colorscale="Blues",
        colorbar={"title": {"text": "ARR"}, **money_ticks(cells["arr"].max())},
        hovertemplate="%{y}, %{x}<br>ARR $%{z:,.0f}<extra></extra>"))
    fig.update_xaxes(title_text="Potential ARR (terciles)", type="category")
    fig.update_yaxes(title_text="Product complexity", type="category")
    return style(fig, "Complexity × potential: accounts, ARR and the suggested touch model",
                 footnote, height=420)


def money_ticks(top: float, count: int = 4) -> dict:
    """Colour-bar ticks labelled like the rest of the app ($1.5B, not d3's $1.5G)."""
    values = np.linspace(0, top, count + 1) if top > 0 else np.array([0.0])
    return {"tickmode": "array", "tickvals": values.tolist(),
            "ticktext": [fmt_money(v) for v in values]}


@memoised
def pareto_by_chart(curves: pd.DataFrame, summary: pd.DataFrame, dimension: str,
                    footnote: str | None = None) -> go.Figure:
    """Each group's cumulative share of its revenue against its cumulative share of accounts."""
    fig = go.Figure()
    palette = ["#1f4e79", "#e67e22", "#3f9e5a", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d",
               "#d4ac0d", "#2e86c1", "#a04000"]
    for i, group in enumerate(summary["group"]):
        part = curves[curves["group"] == group]
        fig.add_scatter(x=part["share_accounts"], y=part["share_mrr"], mode="lines", name=group,
                        line={"color": palette[i % len(palette)], "width": 2},
                        hovertemplate=f"{group}<br>Top %{{x:.1%}} of accounts hold %{{y:.1%}} of "
                                      "its revenue<extra></extra>")
    fig.add_scatter(x=[0, 1], y=[0, 1], mode="lines", name="Equal revenue per account",
                    line={"color": NEUTRAL, "width": 1, "dash": "dot"}, hoverinfo="skip")
    fig.add_hline(y=REFERENCE_REVENUE, line={"color": NEUTRAL, "width": 1, "dash": "dash"})
    fig.add_vline(x=REFERENCE_ACCOUNTS, line={"color": NEUTRAL, "width": 1, "dash": "dash"})
    fig.update_xaxes(title_text=f"Cumulative share of the {dimension}'s accounts, largest first",
                     tickformat=".0%", range=[0, 1])
    fig.update_yaxes(title_text=f"Cumulative share of the {dimension}'s revenue",
                     tickformat=".0%", range=[0, 1.02])
    return style(fig, f"Revenue concentration within each {dimension}", footnote, height=420)

