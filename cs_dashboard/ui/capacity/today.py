"""The Today tab: each CSM's load under the working scenario's coverage, and productivity
against the published benchmarks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cs_dashboard.api import capacity as api_capacity
from cs_dashboard.capacity import Base, Scenario, csm_loads, resolve
from cs_dashboard.capacity.books import book_holders, most_and_least_loaded, productivity_vs_benchmarks
from cs_dashboard.capacity.working import on_data_book
from cs_dashboard.charts.capacity import load_chart
from cs_dashboard.fmt import fmt_count, fmt_money
from cs_dashboard.ui import cache
from cs_dashboard.ui.charts import show_chart
from cs_dashboard.ui.context import Context

FLAG_ICONS = {"overloaded": "🔴 overloaded", "balanced": "🟢 balanced", "underloaded": "🟡 underloaded"}


def render(ctx: Context, books: pd.DataFrame, roster: pd.DataFrame, base: Base, scenario: Scenario,
           note: str) -> None:
    """``books``: current_books output (csm, tier, accounts, arr); ``note``: the chart footnote."""
    if st.session_state["cap_own_book"]:
        st.info("The working scenario models its own book, so today's loads below use the data's book with "
                "the scenario's coverage per tier where the tiers line up.", icon=":material/info:")
    if len(scenario.tiers) == len(base.tiers):
        _loads(ctx, books, roster, base, scenario, note)
    else:
        st.warning("The working scenario's tiers do not match the data's tiers, so loads per CSM cannot be "
                   "computed; load a scenario built on the data to see them.", icon=":material/warning:")
    st.subheader("Productivity against benchmarks")
    st.dataframe(productivity_vs_benchmarks(books, base), hide_index=True, width="stretch")
    st.caption(f"Yours: {fmt_count(sum(base.accounts))} active accounts and {fmt_money(sum(base.arr))} ARR "
               f"over the {fmt_count(book_holders(books))} CSMs who hold a book (today's ratio, as on the "
               "Overview; the model's figures are per required CSM). Accounts per CSM by tier count each "
               "CSM's time split across tiers in proportion to their accounts. Confidence: A = publisher's "
               "own report, B = credible quote, C = practitioner composite. No single standard exists; "
               "compare like for like.")


def _loads(ctx: Context, books: pd.DataFrame, roster: pd.DataFrame, base: Base, scenario: Scenario,
           note: str) -> None:
    assigned = books[books["csm"].notna()]
    unassigned = books[books["csm"].isna()]
    loads_frame = csm_loads(assigned, roster, base.tiers, resolve(on_data_book(scenario), base))
    if ctx.filters.active():
        loads_frame = loads_frame[loads_frame["accounts"] > 0]
    counts = loads_frame["flag"].value_counts()
    c = st.columns(4)
    c[0].metric("CSMs with a book", fmt_count((loads_frame["accounts"] > 0).sum()))
    c[1].metric("Overloaded (> 110%)", fmt_count(counts.get("overloaded", 0)))
    c[2].metric("Underloaded (< 70%)", fmt_count(counts.get("underloaded", 0)))
    c[3].metric("Accounts without a CSM", fmt_count(unassigned["accounts"].sum()),
                help=f"{fmt_money(unassigned['arr'].sum())} ARR has no named CSM.")
    drawn = most_and_least_loaded(loads_frame)
    show_chart(load_chart(drawn, note), loads_frame, "capacity_load_per_csm", "cap_load")
    if len(drawn) < len(loads_frame):
        st.caption(f"The chart shows the 25 most and 15 least loaded of {len(loads_frame):,} CSMs; "
                   "the table and the CSV have everyone.")
    weights, bands = cache.scoring(ctx.url, ctx.version)
    mix = cache.run(api_capacity.health_mix, ctx.url, ctx.version, ctx.as_of, ctx.filters,
                    weights, bands)
    table = loads_frame.merge(mix, on="csm", how="left") if len(mix.columns) > 1 else loads_frame
    show = pd.DataFrame({"CSM": table["csm"], "Load": table["load"] * 100,
                         "Flag": table["flag"].map(FLAG_ICONS), "Role": table["role"]})
    for tier in base.tiers:
        show[tier] = table[tier]
    show["ARR"] = table["arr"]
    for band_name in ("red", "yellow", "green"):
        if band_name in table:
            show[f"Health {band_name}"] = table[band_name].fillna(0).astype(int)
    show["Hours demanded"] = table["hours_demanded"].round(0)
    show["Hours available"] = table["hours_available"].round(0)
    st.dataframe(show, hide_index=True, width="stretch", height=min(700, 35 * (len(show) + 1) + 3),
                 column_config={
                     "ARR": st.column_config.NumberColumn(format="$%,.0f"),
                     "Hours demanded": st.column_config.NumberColumn(format="%,d"),
                     "Hours available": st.column_config.NumberColumn(format="%,d"),
                     "Load": st.column_config.ProgressColumn("Load", format="%.0f%%", min_value=0,
                                                             max_value=200)})
    caption = ("Accounts per tier are today's book; hours demanded use the working scenario's hours per "
               "account (in ratio mode, a CSM's available hours ÷ the ratio).")
    if len(mix.columns) <= 1:
        caption += " The data has no health table, so the health mix is left out."
    else:
        caption += (" Health bands use the score saved on the Health page (red < "
                    f"{bands[0]:g}, green ≥ {bands[1]:g}).")
    st.caption(caption)
