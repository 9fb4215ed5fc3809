"""Board pack: a 16:9 PowerPoint deck and a ZIP of every chart (PNG, SVG) and its data (CSV)."""

import streamlit as st

from cs_dashboard.charts.theme import ACCENT
from cs_dashboard.export import sections
from cs_dashboard.export.pack import EmptySelection, PackOptions, build_pack
from cs_dashboard.months import label
from cs_dashboard.ui import cache, context, header, messages

header.title("Board pack")
ctx = context.get()
if ctx.as_of is None:
    messages.empty_state()
    st.stop()

st.caption(f"A slide-ready deck as of **{label(ctx.as_of)}** for {ctx.filters.describe()} "
           "(change the month and filters in the sidebar). Every chart slide has a headline "
           "computed from the data and speaker notes with the definitions used; slides and "
           f"chart footnotes name the data **{ctx.source_label}** (change it on the Data page).")
offered = sections.available()
chosen = st.multiselect("Sections", list(offered), default=list(offered),
                        format_func=offered.get, key="bp_sections")
left, middle, right = st.columns([3, 1, 2])
company = left.text_input("Company name", placeholder="Acme Inc.", key="bp_company",
                          help="Shown on the title slide and in every slide's footer.")
accent = middle.color_picker("Accent colour", ACCENT, key="bp_accent")
compare = right.segmented_control("Compare KPIs with the prior", list(sections.COMPARE_PERIODS),
                                  default="quarter", key="bp_compare") or "quarter"

if not chosen:
    st.info("Choose at least one section to build a board pack.", icon=":material/info:")
    st.stop()

options = PackOptions(
    ctx.as_of, tuple(k for k in offered if k in chosen), ctx.filters, cache.tier_rule(),
    company.strip() or "Customer Success", accent, sections.COMPARE_PERIODS[compare],
    ctx.source_label, cache.score_settings(), ctx.demo_accounts is not None)
if st.button("Build deck", type="primary", icon=":material/slideshow:", key="bp_build"):
    st.session_state["bp_built"] = options
if st.session_state.get("bp_built") != options:
    st.caption("Press **Build deck** to build the PowerPoint and the ZIP of charts and data.")
    st.stop()

try:
    with st.spinner("Building the deck…"):
        pack = cache.run(build_pack, ctx.url, ctx.version, options)
except EmptySelection as exc:
    st.warning(str(exc), icon=":material/warning:")
    st.stop()

st.success(f"Your deck is ready: {len(pack.headlines) + 1} slides.", icon=":material/check_circle:")
buttons = st.container(horizontal=True)
buttons.download_button("Download deck (PPTX)", pack.pptx, f"{options.file_stem()}.pptx",
                        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                        key="bp_pptx", on_click="ignore", type="primary",
                        icon=":material/download:")
buttons.download_button("Download charts and data (ZIP)", pack.zip,
                        f"{options.file_stem()}_charts.zip", "application/zip", key="bp_zip",
                        on_click="ignore", icon=":material/folder_zip:")
if pack.skipped:
    st.caption("Left out for lack of data at this month and filters: "
               f"{', '.join(offered[k] for k in pack.skipped)}.")
st.subheader("Slides")
demo_data = ", demo data" if options.demo else ""
st.markdown("\n".join([f"1. **Title**: {options.company}, data as of {label(ctx.as_of)}{demo_data}"]
                      + [f"1. {headline}" for headline in pack.headlines]))
