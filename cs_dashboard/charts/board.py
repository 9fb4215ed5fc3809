"""Altair builders for exported (board-pack) charts; each returns a titled, themed chart.

Inputs are metric results (documented per builder); money is in dollars, shares are fractions.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from cs_dashboard.charts.theme import (
    ACCENT,
    CAPITALISED,
    HEIGHT,
    MONEY_AXIS,
    NEGATIVE,
    PERCENT_AXIS,
    WIDTH,
    band_scale,
    tier_scale,
    titled,
)
from cs_dashboard.fmt import fmt_money


def arr_trend_chart(trend: pd.DataFrame, footnote: str) -> alt.VConcatChart:
    """ARR by month; ``trend`` has ``month`` (datetime) and ``arr`` (dollars, 12 x MRR)."""
    line = alt.Chart(trend).mark_line(point=alt.OverlayMarkDef(size=30)).encode(
        x=alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y", tickCount="month")),
        y=alt.Y("arr:Q", title="ARR (USD, 12 × MRR)", axis=MONEY_AXIS,
                scale=alt.Scale(zero=True)),
        tooltip=[alt.Tooltip("month:T", format="%b %Y"), alt.Tooltip("arr:Q", format="$,.0f")],
    ).properties(width=WIDTH, height=HEIGHT)
    return titled(line, "Annual recurring revenue by month", footnote)


def pareto_chart(curve: pd.DataFrame, tiers: list[str], footnote: str) -> alt.VConcatChart:
    """Cumulative share of ARR against cumulative share of accounts, coloured by tier.

    ``curve``: ``cum_share_accounts``, ``cum_share_mrr`` (fractions 0..1) and ``tier``.
    """
    base = alt.Chart(curve).encode(
        x=alt.X("cum_share_accounts:Q", title="Share of accounts, largest first (%)",
                axis=alt.Axis(format=".0%", tickCount=10), scale=alt.Scale(domain=[0, 1])),
        y=alt.Y("cum_share_mrr:Q", title="Cumulative share of ARR (%)", axis=PERCENT_AXIS,
                scale=alt.Scale(domain=[0, 1]), stack=None),
    )
    area = base.mark_area(opacity=0.85, line=False).encode(
        color=alt.Color("tier:N", title="Tier", scale=tier_scale(tiers), sort=tiers,
                        legend=alt.Legend(orient="bottom-right", direction="vertical",
                                          fillColor="white", padding=8)))
    diagonal = alt.Chart(pd.DataFrame({"x": [0.0, 1.0], "y": [0.0, 1.0]})).mark_line(
        strokeDash=[4, 4], color="#9aa3ab", strokeWidth=1.5).encode(x="x:Q", y="y:Q")
    chart = alt.layer(area, diagonal).properties(width=WIDTH, height=HEIGHT)
    return titled(chart, "Cumulative share of ARR by share of accounts", footnote,
                  "Dashed line: every account holding the same ARR")


def tier_arr_chart(summary: pd.DataFrame, footnote: str) -> alt.VConcatChart:
    """ARR per tier as horizontal bars labelled with ARR and share of ARR.

    ``summary``: ``segmentation.tier_table`` columns ``tier`` (tier 1 first), ``accounts``,
    ``arr`` (dollars), ``share_mrr`` (= share of ARR), ``share_accounts`` (fractions).
    """
    tiers = summary["tier"].astype(str).tolist()
    data = summary.assign(
        tier=tiers,
        label=[f"{fmt_money(a)} · {s:.0%} of ARR · {n:,} accounts ({p:.0%})" for a, s, n, p in
               zip(summary["arr"], summary["share_mrr"], summary["accounts"],
                   summary["share_accounts"], strict=True)])
    y = alt.Y("tier:N", title=None, sort=tiers, axis=alt.Axis(labelFontSize=14))
    bars = alt.Chart(data).mark_bar(size=46).encode(
        y=y, x=alt.X("arr:Q", title="ARR (USD)", axis=MONEY_AXIS,
                     scale=alt.Scale(domainMax=float(data["arr"].max()) * 1.45 or 1.0)),
        color=alt.Color("tier:N", scale=tier_scale(tiers), legend=None))
    labels = alt.Chart(data).mark_text(align="left", dx=8, fontSize=13, color="#222").encode(
        y=y, x="arr:Q", text="label:N")
    chart = alt.layer(bars, labels).properties(width=WIDTH, height=max(140, 80 * len(tiers)))
    return titled(chart, "ARR by touch tier", footnote)


def band_arr_chart(by_tier_band: pd.DataFrame, tiers: list[str], bands: list[str],
                   footnote: str) -> alt.VConcatChart:
    """ARR per tier stacked by health band. ``by_tier_band``: ``tier``, ``band``, ``arr``."""
    data = by_tier_band.assign(tier=by_tier_band["tier"].astype(str),
                               band=by_tier_band["band"].astype(str),
                               order=by_tier_band["band"].astype(str).map(
                                   {b: i for i, b in enumerate(bands)}))
    chart = alt.Chart(data).mark_bar(size=46).encode(
        y=alt.Y("tier:N", title=None, sort=tiers, axis=alt.Axis(labelFontSize=14)),
        x=alt.X("sum(arr):Q", title="ARR (USD)", axis=MONEY_AXIS),
        color=alt.Color("band:N", title="Health band", scale=band_scale(bands), sort=bands,
                        legend=alt.Legend(labelExpr=CAPITALISED)),
        order=alt.Order("order:Q"),
    ).properties(width=WIDTH, height=max(140, 80 * len(tiers)))
    return titled(chart, "ARR by tier and health band", footnote)


def band_mix_chart(mix: pd.DataFrame, bands: list[str], footnote: str) -> alt.VConcatChart:
    """Share of ARR per health band by month, stacked to 100%.

    ``mix``: ``month`` (date), ``band``, ``arr`` (dollars): each month's active accounts scored
    from their latest snapshot at or before it (``HealthReport.mix``).
    """
    data = mix[["month", "band", "arr"]].assign(
        month=pd.to_datetime(mix["month"]), band=mix["band"].astype(str),
        order=mix["band"].astype(str).map({b: i for i, b in enumerate(bands)}))
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("yearmonth(month):O", title="Month",
                axis=alt.Axis(format="%b %Y", labelAngle=0)),
        y=alt.Y("sum(arr):Q", stack="normalize", title="Share of ARR (%)", axis=PERCENT_AXIS),
        color=alt.Color("band:N", title="Health band", scale=band_scale(bands), sort=bands,
                        legend=alt.Legend(labelExpr=CAPITALISED)),
        order=alt.Order("order:Q"),
    ).properties(width=WIDTH, height=HEIGHT)
    return titled(chart, "Share of ARR by health band over time", footnote)


def scenario_heads_chart(scenarios: pd.DataFrame, current: float,
                         footnote: str) -> alt.VConcatChart:
    """Required CSMs (whole heads) per scenario, labelled with the team cost and its share of
    ARR, and today's CSMs as a rule.

    ``scenarios``: ``scenario``, ``csm_heads``, ``team_cost`` (whole heads with managers and CS
    operations, dollars a year), ``team_cost_share`` (fraction of ARR, may be missing).
    """
    order = scenarios["scenario"].tolist()
    data = scenarios.assign(label=[
        f"{h:,.0f} CSM{'' if h == 1 else 's'} · team cost {fmt_money(c)} a year"
        + (f" · {s:.1%} of ARR" if pd.notna(s) else "")
        for h, c, s in zip(scenarios["csm_heads"], scenarios["team_cost"],
                           scenarios["team_cost_share"], strict=True)])
    top = max(float(data["csm_heads"].max()), current) * 1.6 or 1.0
    y = alt.Y("scenario:N", title=None, sort=order, axis=alt.Axis(labelFontSize=13, labelLimit=260))
    bars = alt.Chart(data).mark_bar(size=34, color=ACCENT).encode(
        y=y, x=alt.X("csm_heads:Q", title="Required CSMs (whole heads)",
                     scale=alt.Scale(domain=[0, top]), axis=alt.Axis(tickCount=10)))
    # Each label starts right of its bar and of the "Today" rule, so the rule never crosses it.
    data["label_at"] = data["csm_heads"].clip(lower=current)
    labels = alt.Chart(data).mark_text(align="left", dx=8, fontSize=13, color="#222").encode(
        y=y, x="label_at:Q", text="label:N")
    today = pd.DataFrame({"csms": [current], "label": [f"Today: {current:,.0f} CSMs"]})
    rule = alt.Chart(today).mark_rule(strokeDash=[6, 4], color=NEGATIVE, strokeWidth=2).encode(
        x="csms:Q")
    rule_label = alt.Chart(today).mark_text(align="left", dx=6, y=-8, color=NEGATIVE,
                                            fontSize=12).encode(x="csms:Q", text="label:N")
    chart = alt.layer(rule, bars, labels, rule_label).properties(
        width=WIDTH, height=max(160, 60 * len(order)))
    return titled(chart, "CSMs required today by scenario", footnote)


def ratio_trend_chart(trend: pd.DataFrame, title: str, footnote: str,
                      reference: float | None = None,
                      reference_label: str | None = None) -> alt.VConcatChart:
    """Ratios by month as lines; ``trend``: ``month``, ``metric`` (name), ``value`` (fraction).

    ``reference``: an optional horizontal benchmark line (fraction) with its label.
    """
    metrics = list(dict.fromkeys(trend["metric"]))
    palette = [ACCENT, "#5dade2", "#f2b134", "#3f9e5a"]
    lines = alt.Chart(trend).mark_line(point=alt.OverlayMarkDef(size=30)).encode(
        x=alt.X("month:T", title="Month",
                # Quarterly labels: monthly ones crowd the first two together ("Dec 2024Feb 2025").
                axis=alt.Axis(format="%b %Y", tickCount={"interval": "month", "step": 3},
                              labelOverlap="greedy")),
        y=alt.Y("value:Q", title="Retention, trailing 12 months (%)", axis=PERCENT_AXIS,
                scale=alt.Scale(zero=False)),
        color=alt.Color("metric:N", title=None, sort=metrics,
                        scale=alt.Scale(domain=metrics, range=palette[:len(metrics)])),
    )
    layers = [lines]
    if reference is not None:
        ref = pd.DataFrame({"value": [reference], "label": [reference_label or ""]})
        layers.append(alt.Chart(ref).mark_rule(strokeDash=[5, 4], color="#6c757d").encode(
            y="value:Q"))
        layers.append(alt.Chart(ref).mark_text(align="right", dy=-8, x=WIDTH - 4,
                                               color="#6c757d", fontSize=12).encode(
            y="value:Q", text="label:N"))
    return titled(alt.layer(*layers).properties(width=WIDTH, height=HEIGHT), title, footnote)


def grouped_bar_chart(data: pd.DataFrame, category: str, value: str, title: str,
                      value_title: str, footnote: str, money: bool = False) -> alt.VConcatChart:
    """One bar per ``category`` value of ``value``, labelled; money axis when ``money``."""
    order = data[category].astype(str).tolist()
    frame = data.assign(**{category: order})
    fmt = "$,.0f" if money else ",.1f"
    axis = MONEY_AXIS if money else alt.Axis(format=",.0f")
    y = alt.Y(f"{category}:N", title=None, sort=order, axis=alt.Axis(labelFontSize=14))
    bars = alt.Chart(frame).mark_bar(size=40).encode(
        y=y, x=alt.X(f"{value}:Q", title=value_title, axis=axis,
                     scale=alt.Scale(domainMax=float(frame[value].max()) * 1.2 or 1.0)))
    labels = alt.Chart(frame).mark_text(align="left", dx=8, fontSize=13, color="#222").encode(
        y=y, x=f"{value}:Q", text=alt.Text(f"{value}:Q", format=fmt))
    chart = alt.layer(bars, labels).properties(width=WIDTH, height=max(140, 70 * len(order)))
    return titled(chart, title, footnote)


def survival_chart(curves: pd.DataFrame, groups: list[str], footnote: str,
                   tiers: bool = True) -> alt.VConcatChart:
    """Kaplan-Meier logo survival: one line per group with its 95% band.

    ``curves``: ``group``, ``timeline`` (months since start), ``survival``, ``lower``, ``upper``
    (fractions). ``tiers``: the groups are touch tiers (tier 1 first) and keep tier colours.
    """
    scale = tier_scale(groups) if tiers else alt.Scale(domain=groups)
    x = alt.X("timeline:Q", title="Months since the account started",
              axis=alt.Axis(tickMinStep=6), scale=alt.Scale(domainMin=0, nice=False))
    color = alt.Color("group:N", title=None, sort=groups, scale=scale)
    base = alt.Chart(curves).encode(x=x)
    band = base.mark_area(opacity=0.15, line=False, interpolate="step-after").encode(
        y=alt.Y("lower:Q"), y2="upper:Q",
        fill=alt.Fill("group:N", sort=groups, scale=scale, legend=None))
    line = base.mark_line(interpolate="step-after").encode(
        color=color.legend(symbolType="stroke", symbolStrokeWidth=4),
        y=alt.Y("survival:Q", title="Accounts still customers (%)", axis=PERCENT_AXIS,
                scale=alt.Scale(domain=[0, 1])))
    chart = alt.layer(band, line).properties(width=WIDTH, height=HEIGHT)
    return titled(chart, "Logo survival by months since start (Kaplan-Meier)", footnote,
                  "Shaded: 95% confidence band")
