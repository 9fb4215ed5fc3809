"""The Overview page's Streamlit parts: the two rows of tiles, the NRR/GRR benchmark chart and
the health mix. ``pages/overview.py`` wires them together."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cs_dashboard.api.overview import Overview
from cs_dashboard.capacity.presets import BENCHMARK
from cs_dashboard.charts import retention as retention_charts
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct, fmt_points
from cs_dashboard.retention import benchmarks as rb
from cs_dashboard.ui.charts import show_chart

#: The trailing-12 retention tiles (Overview and Retention): label and help by metric.
TRAILING = {
    "nrr": ("NRR (12m)", "MRR now of accounts active 12 months ago ÷ their MRR then."),
    "grr": ("GRR (12m)", "Like NRR, but each account counts at most its MRR then."),
    "logo": ("Logo retention (12m)", "Share of accounts active 12 months ago that are still active."),
}
#: The comparison choices over the tiles: months back to the month compared with.
PERIODS = {"month": 1, "quarter": 3, "year": 12}
#: ``Portfolio`` attribute of each trailing metric.
PORTFOLIO_ATTRS = {"nrr": "nrr_12m", "grr": "grr_12m", "logo": "logo_retention_12m"}


def portfolio_tiles(view: Overview) -> None:
    """ARR, active accounts and trailing-12 NRR, GRR and logo retention, with their changes."""
    now = view.now
    tiles = st.columns(5)
    tiles[0].metric("ARR", fmt_money(now.arr), fmt_money(view.change("arr")),
                    help="12 × MRR of accounts active at the as-of month.")
    tiles[1].metric("Active accounts", fmt_count(now.accounts), fmt_count(view.change("accounts")))
    for tile, (metric, (name, text)) in zip(tiles[2:], TRAILING.items(), strict=True):
        attr = PORTFOLIO_ATTRS[metric]
        delta = view.change(attr)
        tile.metric(name, fmt_pct(getattr(now, attr)),
                    None if delta is None else fmt_points(delta), help=text)


def coverage_tiles(view: Overview) -> None:
    """ARR at risk, accounts and ARR per CSM (against the published benchmarks), CSMs, ACV."""
    health_now, cover_now = view.health_now, view.coverage_now
    second = st.columns(5)
    if health_now.has_health:
        second[0].metric(
            "ARR at risk", fmt_money(health_now.arr_at_risk),
            fmt_money(view.change("arr_at_risk", "health")), delta_color="inverse",
            help=f"ARR of accounts in the red health band (score below "
                 f"{health_now.thresholds[0]:g}), with the score saved on the Health page. "
                 f"Adding half of the yellow band: {fmt_money(health_now.arr_at_risk_with_yellow)}.")
    else:
        second[0].metric("ARR at risk", "–",
                         help="Needs a health table (import one on the Data page).")
    accounts_delta = view.change("accounts_per_csm", "coverage")
    high, low = BENCHMARK["high_touch"], BENCHMARK["low_touch"]
    second[1].metric("Accounts per CSM", fmt_count(cover_now["accounts_per_csm"]),
                     None if accounts_delta is None else f"{accounts_delta:+,.1f}",
                     delta_color="off",
                     help=f"Active accounts ÷ {fmt_count(cover_now['csms'])} CSMs holding a book "
                          "at the as-of month (distinct CSMs of active accounts). Benchmarks: "
                          f"{high.figure} high touch, {low.figure}+ low touch. The Capacity "
                          "page's model divides by required CSMs instead.")
    rule = BENCHMARK["arr_per_csm_rule"]
    second[2].metric("ARR per CSM", fmt_money(cover_now["arr_per_csm"]),
                     fmt_money(view.change("arr_per_csm", "coverage")), delta_color="off",
                     help=f"ARR ÷ CSMs holding a book at the as-of month. Rule of thumb: "
                          f"{fmt_money(rule.value)} per CSM ({rule.source}).")
    second[3].metric("CSMs", fmt_count(cover_now["csms"]),
                     fmt_count(view.change("csms", "coverage")), delta_color="off",
                     help="Distinct csm values of the accounts active at the as-of month.")
    second[4].metric("Average ACV", fmt_money(view.average_acv),
                     help="Average annual contract value: ARR ÷ active accounts. It picks the "
                          "SaaS Capital benchmark band below.")


def benchmark(view: Overview, note: str) -> None:
    """Trailing-12 NRR and GRR against the SaaS Capital medians of the book's ACV band."""
    now, acv = view.now, view.average_acv
    if acv is None or now.nrr_12m is None:
        st.info("NRR and GRR need accounts active twelve months before the as-of month.",
                icon=":material/info:")
        return
    band = rb.acv_band(acv)
    bench_nrr, bench_grr = rb.for_acv(acv, "nrr"), rb.for_acv(acv, "grr")
    fig = retention_charts.benchmark_chart(now.nrr_12m, now.grr_12m, bench_nrr, bench_grr,
                                           band, note)
    data = {"metric": ["NRR", "GRR"], "portfolio": [now.nrr_12m, now.grr_12m],
            "saas_capital_median": [bench_nrr.value, bench_grr.value],
            "acv_band": [band, band], "source": [bench_nrr.source, bench_grr.source]}
    show_chart(fig, pd.DataFrame(data), "nrr_grr_vs_benchmark", "ov_bench")


def health_mix(view: Overview, note: str) -> None:
    """Accounts and ARR per health band, or where to import health data."""
    health_now = view.health_now
    if not health_now.has_health:
        st.info("No health data: import a health file on the Data page to see the health mix.",
                icon=":material/info:")
        return
    mix = [{"band": b.band, "accounts": b.accounts, "arr": b.arr}
           for b in (*health_now.bands, health_now.unscored)]
    show_chart(retention_charts.health_mix_chart(health_now, note), pd.DataFrame(mix),
               "health_mix", "ov_health")
