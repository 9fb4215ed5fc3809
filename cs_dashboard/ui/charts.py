"""Showing a chart with PNG, SVG and CSV downloads of it: the one helper every page uses.

Images are rendered on the server only when a download is clicked (deferred ``data``
callables, memoised per chart), so pages stay fast; downloads never rerun the page. On the
page a plotly chart's footnote (as-of month, filters, data source) is a caption under it, so
it fits any width; downloaded images carry it inside the picture (and so does the chart on
the page when only the toolbar's camera can make an image).
Altair charts render through vl-convert; plotly charts through kaleido when a Chrome or
Chromium is installed, and otherwise keep their toolbar's camera download (set to 2x).
"""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cs_dashboard import timings
from cs_dashboard.charts.theme import split_footnote
from cs_dashboard.export import files, images

__all__ = ["safe_filename", "show_chart"]

safe_filename = files.safe_filename
_ICON = ":material/download:"


def show_chart(chart: go.Figure | alt.TopLevelMixin,
               data: pd.DataFrame | Callable[[], pd.DataFrame] | None, name: str,
               key: str) -> None:
    """Render ``chart`` full width with PNG (>= 1600 px), SVG and CSV (of ``data``) downloads.

    ``data`` may be a function returning the frame, for a large download that should be made
    only when it is clicked (every account at 200,000 accounts)."""
    stem = safe_filename(name)
    if isinstance(chart, go.Figure):
        width, height = images.plotly_size(chart)
        renderable = images.plotly_images_available()
        # Without server-side images the toolbar's camera is the export: keep the footnote in.
        with timings.step("figure"):
            shown, note = split_footnote(chart) if renderable else (chart, None)
        st.plotly_chart(shown, width="stretch", key=f"{key}_chart", config={
            "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": stem, "width": width,
                                     "height": height, "scale": images.SCALE}})
        if note:
            st.caption(note.replace("<br>", "  \n"))

        def png() -> bytes:
            return images.plotly_png(chart)

        def svg() -> bytes:
            return images.plotly_svg(chart)
    else:
        st.altair_chart(chart, width="stretch", key=f"{key}_chart")
        renderable = True

        def png() -> bytes:
            return images.altair_png(chart)

        def svg() -> bytes:
            return images.altair_svg(chart)

    row = st.container(horizontal=True, gap="small")
    if renderable:
        row.download_button("PNG", png, f"{stem}.png", "image/png", key=f"{key}_png",
                            on_click="ignore", icon=_ICON,
                            help="Slide-ready image, at least 1600 px wide (2x).")
        row.download_button("SVG", svg, f"{stem}.svg", "image/svg+xml", key=f"{key}_svg",
                            on_click="ignore", icon=_ICON, help="Vector image, editable text.")
    if callable(data) or (data is not None and not data.empty):
        row.download_button("CSV", lambda: files.safe_csv(data() if callable(data) else data),
                            f"{stem}.csv", "text/csv",
                            key=f"{key}_csv", on_click="ignore", icon=_ICON,
                            help="The data behind the chart (formulas neutralised).")
    if not renderable:
        row.caption("For an image, use the camera icon in the chart's toolbar (PNG, 2x); "
                    "server-side PNG/SVG of this chart needs kaleido and Chromium.")
