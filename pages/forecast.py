"""Forecast: what renews ahead, what GRR and NRR will be and how sure we are, how good the
forecast has been, and what saving the red accounts is worth."""

import streamlit as st

from cs_dashboard.api import forecast as api_forecast
from cs_dashboard.charts import forecast as charts
from cs_dashboard.charts.theme import footnote
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct, fmt_points
from cs_dashboard.forecast import CSM_HOURS, POOLED, RESCUE_HOURS, WATCH_DAYS, choose, kept_curve, what_if
from cs_dashboard.forecast.renewals import APART, window_label
from cs_dashboard.months import label
from cs_dashboard.tiers import TierRule, TierRuleError
from cs_dashboard.ui import cache, context, header, messages
from cs_dashboard.ui.charts import show_chart

header.title("Forecast")
ctx = context.get()
if ctx.as_of is None:
    messages.empty_state()
    st.stop()

weights, bands = cache.scoring(ctx.url, ctx.version)
HORIZONS = [3, 6, 12, 18, 24]
months = st.segmented_control("Months ahead", HORIZONS, default=api_forecast.MONTHS,
                              key="fc_months", help="How far the forecast and the renewals look "
                              "ahead. The rates are measured over the same number of months.") \
    or api_forecast.MONTHS
rule = cache.tier_rule()
args = (ctx.as_of, ctx.filters, weights, bands)
try:
    report = cache.run(api_forecast.forecast_report, ctx.url, ctx.version, *args, rule, months)
except TierRuleError as exc:
    st.warning(f"The saved tier rule cannot be applied ({exc}); using the default tiers.")
    rule = TierRule()
    report = cache.run(api_forecast.forecast_report, ctx.url, ctx.version, *args, rule, months)
note = footnote(label(ctx.as_of), ctx.source_label, ctx.filters.describe())
level = f"{report.level:.0%}"
st.caption(f"As of {label(ctx.as_of)} (month end) · bands of the saved health score: red < "
           f"{bands[0]:g} ≤ yellow < {bands[1]:g} ≤ green · tiers by the saved rule · "
           f"{ctx.filters.describe()}. Method: rates by health band, measured on your own history "
           "(see *How the forecast works* below and the Definitions page).")
if report.note:
    st.info(f"{report.note} The renewals ahead are shown; the retention forecast, its track record "
            "and the what-if need that history.", icon=":material/history:")

# --- Tiles -----------------------------------------------------------------------------------
ahead = report.renewals
tiles = st.columns(5)
projection = report.projection
if projection is not None:
    row = projection.at()
    tiles[0].metric(f"GRR next {months} months", fmt_pct(row["grr"]),
                    f"{level}: {fmt_pct(row['grr_low'])} – {fmt_pct(row['grr_high'])}",
                    delta_color="off", delta_arrow="off",
                    help="Expected gross revenue retention of today's ARR by the end of the "
                         "horizon, with its interval (rates' uncertainty and the luck of which "
                         "accounts leave).")
    tiles[1].metric(f"NRR next {months} months", fmt_pct(row["nrr"]),
                    f"{level}: {fmt_pct(row['nrr_low'])} – {fmt_pct(row['nrr_high'])}",
                    delta_color="off", delta_arrow="off",
                    help="Expected net revenue retention of today's ARR (expansion included).")
    tiles[2].metric("Expected churn ARR", fmt_money(row["churn_arr"]),
                    f"{level}: {fmt_money(row['churn_arr_low'])} – "
                    f"{fmt_money(row['churn_arr_high'])}", delta_color="off", delta_arrow="off",
                    help=f"ARR of today's accounts expected to churn over the next {months} months"
                         f"; {fmt_money(row['contraction_arr'])} more is expected to contract.")
watch = ahead.watch
tiles[3].metric(f"Red/yellow renewing in {WATCH_DAYS.value:.0f} days", fmt_money(watch["arr"].sum()),
                f"{fmt_count(len(watch))} accounts", delta_color="off", delta_arrow="off",
                help="ARR of red and yellow accounts whose renewal date falls in the "
                     f"{WATCH_DAYS.value:.0f} days after the as-of month (the watch list).")
earliest = report.record.longest if report.record else None
if earliest is not None:
    last = earliest.last()
    tiles[4].metric(f"Forecast of {earliest.months_back} months ago", fmt_points(last["grr_error"]),
                    f"GRR actual {fmt_pct(last['grr_actual'])}", delta_color="off",
                    delta_arrow="off",
                    help=f"The forecast made in {label(earliest.origin)} against the actual GRR "
                         f"of that book by {label(last['month'])} (forecast - actual, points).")

tabs = st.tabs(["Renewals ahead", "Retention forecast", "Track record", "Calibration",
                "What acting is worth"])

# --- Renewals ahead --------------------------------------------------------------------------
with tabs[0]:
    left, right = st.columns(2)
    period = left.segmented_control("Period", ["month", "quarter"], default="month",
                                    format_func=str.capitalize, key="fc_period") or "month"
    splits = {"Health band": "band", "Tier": "tier", "CSM": "csm"}
    offered = [name for name, by in splits.items() if by in ahead.groups]
    by = splits[right.segmented_control("Split by", offered, default=offered[0],
                                        key="fc_split") or offered[0]]
    show_chart(charts.renewals_chart(ahead, period, by, note), ahead.split(period, by),
               f"renewals_by_{period}_{by}", "fc_renewals")
    apart = "; ".join(f"{fmt_count(n)} with {APART[r]} ({fmt_money(arr)} ARR)"
                      for r in APART for n, arr in [ahead.apart_of(r)] if n)
    st.caption(f"{fmt_money(ahead.upcoming_arr)} of ARR ({fmt_count(ahead.upcoming_accounts)} "
               f"accounts) renews in {window_label(ctx.as_of, months)}: ARR at the as-of month, "
               "by the month of each account's renewal date and its band now. "
               + (f"Counted apart: {apart}." if apart else "Every active account has a renewal "
                                                           "date in the window."))
    if by == "csm":
        table = ahead.split(period, "csm").pivot_table(index="group", columns="order",
                                                       values="arr", aggfunc="sum", fill_value=0)
        names = dict(zip(ahead.split(period, "csm")["order"], ahead.split(period, "csm")["label"],
                         strict=False))
        table = table.rename(columns=names)
        table.insert(0, "Total", table.sum(axis=1))
        table = table.sort_values("Total", ascending=False).rename_axis("CSM").reset_index()
        st.dataframe(table, hide_index=True, width="stretch", key="fc_csm_table",
                     column_config={c: st.column_config.NumberColumn(c, format="$%,.0f")
                                    for c in table.columns if c != "CSM"})
    st.subheader(f"Watch list: red and yellow renewals in the next {WATCH_DAYS.value:.0f} days · "
                 f"{fmt_count(len(watch))} accounts · {fmt_money(watch['arr'].sum())} ARR")
    if watch.empty:
        st.success("No red or yellow account renews in the next 90 days.",
                   icon=":material/check_circle:")
    else:
        st.dataframe(watch, hide_index=True, width="stretch", key="fc_watch", column_config={
            "account_id": "Account", "account_name": "Name", "band": "Band",
            "score": st.column_config.NumberColumn("Score", format="%.1f"),
            "arr": st.column_config.NumberColumn("ARR", format="$%,.0f"),
            "renewal_date": st.column_config.DateColumn("Renewal", format="YYYY-MM-DD"),
            "days": st.column_config.NumberColumn("Days to renewal", format="%d"),
            "dragging": "Dragging component", "csm": "CSM", "tier": "Tier"})
        st.download_button("Download the watch list (CSV)",
                           watch.to_csv(index=False).encode("utf-8"),
                           f"forecast_watch_list_{ctx.as_of:%Y_%m}.csv", "text/csv",
                           key="fc_watch_csv", on_click="ignore", icon=":material/download:")

# --- Retention forecast ----------------------------------------------------------------------
with tabs[1]:
    if projection is None:
        st.info(report.note or "Not enough history to forecast.", icon=":material/history:")
    else:
        st.info(report.summary(), icon=":material/insights:")
        show_chart(charts.forecast_chart(projection, note), projection.monthly,
                   "forecast_grr_nrr", "fc_forecast")
        show_chart(charts.flows_chart(projection, note), projection.monthly,
                   "forecast_churn_contraction_expansion", "fc_flows")
        rates = report.rates.table
        at_horizon = rates[rates["k"] == months].drop(columns="k")
        st.subheader(f"The rates: what each band did over {months} months from "
                     f"{label(report.rates.start)}")
        st.dataframe(at_horizon, hide_index=True, width="stretch", key="fc_rates", column_config={
            "band": "Band then", "accounts": "Accounts then",
            "arr": st.column_config.NumberColumn("ARR then", format="$%,.0f"),
            "churned": "Churned (accounts)",
            **{c: st.column_config.NumberColumn(name, format="percent")
               for c, name in (("logo_churn_rate", "Logo churn"), ("churn_rate", "Churn"),
                               ("contraction_rate", "Contraction"),
                               ("expansion_rate", "Expansion"), ("grr", "GRR"),
                               ("nrr", "NRR"))}})
        pooled = projection.pooled_bands
        st.caption(f"Rates are shares of the band's ARR in {label(report.rates.start)}; churn is "
                   "the back-test's (a month without revenue by then), so the logo churn rate is "
                   "the Health page's back-test churn rate for that snapshot."
                   + (f" No account was {', '.join(pooled)} then: those accounts use the rates of "
                      f"{POOLED}." if pooled else ""))
        with st.expander("Month by month (table)"):
            st.dataframe(projection.monthly, hide_index=True, width="stretch", key="fc_monthly",
                         column_config={
                             "month": st.column_config.DateColumn("Month", format="YYYY-MM"),
                             **{c: st.column_config.NumberColumn(c, format="$%,.0f")
                                for c in projection.monthly.columns
                                if c.endswith(("_arr", "_low", "_high", "_in_month"))
                                and not c.startswith(("grr", "nrr"))},
                             **{c: st.column_config.NumberColumn(c, format="percent")
                                for c in projection.monthly.columns if c.startswith(("grr", "nrr"))}})
    with st.expander("How the forecast works"):
        st.markdown(report.method)

# --- Track record ----------------------------------------------------------------------------
with tabs[2]:
    origins = report.record.origins if report.record else ()
    if not any(o.available for o in origins):
        st.info(" ".join(o.note for o in origins if o.note) or "No track record yet.",
                icon=":material/history:")
    for origin in origins:
        if not origin.available:
            if any(o.available for o in origins):
                st.caption(origin.note)
            continue
        st.subheader(f"The forecast made {origin.months_back} months ago ({label(origin.origin)})")
        cols = st.columns(4)
        cols[0].metric("Mean error, GRR", f"{origin.mae('grr') * 100:.1f} pts",
                       help="Mean of |forecast - actual| over the months since, in points.")
        cols[1].metric("Mean error, NRR", f"{origin.mae('nrr') * 100:.1f} pts")
        cols[2].metric("GRR inside the interval", fmt_pct(origin.inside_share("grr"), 0),
                       help=f"Share of months whose actual GRR fell inside the {level} interval.")
        cols[3].metric("NRR inside the interval", fmt_pct(origin.inside_share("nrr"), 0))
        show_chart(charts.track_chart(origin, report.level, note), origin.rows,
                   f"forecast_track_record_{label(origin.origin)}", f"fc_track_{origin.months_back}")
    if any(o.available for o in origins):
        st.caption("Each forecast used only the data available then: rates measured over the "
                   f"{months} months before it, applied to the book of that month. Actual = the GRR "
                   "and NRR of that book since (the metric definitions with that month as base).")

# --- Calibration -----------------------------------------------------------------------------
with tabs[3]:
    cal = report.calibration
    if cal is None:
        st.info(report.calibration_note or "Not enough history to check the calibration.",
                icon=":material/history:")
    else:
        show_chart(charts.calibration_chart(cal, note), cal.deciles, "forecast_calibration",
                   "fc_calibration")
        riskiest, safest = cal.spread
        st.caption(f"The forecast made in {label(cal.origin)} ranked that month's accounts by "
                   "predicted churn (their band's rate; within a band, lower score first) into "
                   f"ten equal groups. The riskiest tenth lost {fmt_pct(riskiest)} of its ARR to "
                   f"churn by {label(cal.as_of)}, the safest {fmt_pct(safest)}; points on the "
                   "dotted line mean the predictions held. Deciles within one band share its "
                   f"predicted rate. ARR-weighted gap: {cal.mean_gap * 100:.1f} points.")
        st.dataframe(cal.deciles, hide_index=True, width="stretch", key="fc_deciles",
                     column_config={
                         "decile": "Decile (1 = riskiest)", "accounts": "Accounts",
                         "arr": st.column_config.NumberColumn("ARR then", format="$%,.0f"),
                         "score_low": st.column_config.NumberColumn("Lowest score", format="%.1f"),
                         "score_high": st.column_config.NumberColumn("Highest score",
                                                                     format="%.1f"),
                         **{c: st.column_config.NumberColumn(c.replace("_", " ").capitalize(),
                                                             format="percent")
                            for c in ("predicted", "observed", "observed_logo")}})

# --- What acting is worth --------------------------------------------------------------------
with tabs[4]:
    red = ahead.red
    if projection is None:
        st.info(report.note or "Not enough history to value the what-if.",
                icon=":material/history:")
    elif red.empty:
        st.success("No red account at the as-of month.", icon=":material/check_circle:")
    else:
        left, middle, right = st.columns(3)
        how = left.radio("Which red accounts", ["Largest ARR first", "Pick from the watch list"],
                         key="fc_how")
        target = middle.segmented_control("Move them to", ["yellow", "green"], default="green",
                                          format_func=str.capitalize, key="fc_target") or "green"
        hours = right.number_input("Hours a year per account moved", 0.0, 2000.0,
                                   float(round(RESCUE_HOURS.value, 1)), 10.0, key="fc_hours",
                                   help=f"Default: {RESCUE_HOURS.source}. A CSM has "
                                        f"{CSM_HOURS.value:,.0f} customer hours a year "
                                        f"({CSM_HOURS.source}).")
        if how == "Largest ARR first":
            count = left.number_input("Number of red accounts", 1, len(red), min(20, len(red)),
                                      key="fc_count")
            moved = choose(red, int(count))
        else:
            candidates = watch[watch["band"] == "red"]
            if candidates.empty:
                st.info("No red account renews in the next 90 days; pick by ARR instead.")
            picked = left.multiselect(
                "Red accounts on the watch list", list(candidates["account_id"]),
                default=list(candidates["account_id"].head(5)), key="fc_picked",
                format_func=lambda a: f"{a} · "
                f"{fmt_money(float(red.loc[red['account_id'] == a, 'arr'].iloc[0]))}")
            moved = choose(red, picked=picked)
        result = what_if(report.rates, projection, moved, target, hours, CSM_HOURS.value)
        st.success(result.sentence, icon=":material/savings:")
        cols = st.columns(4)
        cols[0].metric(f"ARR kept over {months} months", fmt_money(result.kept),
                       f"{level}: {fmt_money(result.kept_low)} – {fmt_money(result.kept_high)}",
                       delta_color="off", delta_arrow="off")
        cols[1].metric("Expected GRR", fmt_pct(result.grr_after),
                       fmt_points(result.grr_after - result.grr_before))
        cols[2].metric("Hours a year", f"{result.hours:,.0f}")
        cols[3].metric("CSMs it takes", f"{result.csms:.1f}",
                       help=f"Hours / {CSM_HOURS.value:,.0f} customer hours a CSM has a year.")
        curve = kept_curve(report.rates, red, target, months, hours, CSM_HOURS.value)
        chosen = result.accounts if how == "Largest ARR first" else 0
        show_chart(charts.kept_chart(curve, chosen, note), curve, "forecast_what_if",
                   "fc_kept")
        st.caption(f"A moved account keeps its ARR and takes {target}'s rates instead of red's "
                   f"over the next {months} months (ARR kept = its ARR × the difference of their "
                   "churn + contraction rates). The interval comes from the rates' bootstrap.")
        st.dataframe(result.moved, hide_index=True, width="stretch", key="fc_moved",
                     column_config={
                         "account_id": "Account", "account_name": "Name", "tier": "Tier",
                         "csm": "CSM", "dragging": "Dragging component",
                         "arr": st.column_config.NumberColumn("ARR", format="$%,.0f"),
                         "score": st.column_config.NumberColumn("Score", format="%.1f"),
                         "renewal_date": st.column_config.DateColumn("Renewal",
                                                                     format="YYYY-MM-DD")})
