"""The theme of exported (Altair) charts, matching ``charts.theme`` on screen.

Tier and health-band colours, font and neutral greys come from ``charts.theme``; money axes
read ``$40M``/``$1.2B``, percent axes ``45%``. Every exported chart carries a title and a
footnote with the data's as-of month and source (``titled``).
"""

from __future__ import annotations

import altair as alt

from cs_dashboard.charts.theme import ACCENT, BAND_COLORS, FONT, NEUTRAL, tier_color

#: Width and height of the plotting area of exported charts, in CSS pixels (rendered at 2x).
WIDTH = 900
HEIGHT = 380
#: Smallest width of an exported PNG, in pixels.
MIN_PNG_WIDTH = 1600

#: d3 format of money ticks with "B" for billions (d3's SI prefix would print "G").
MONEY_AXIS = alt.Axis(labelExpr="replace(format(datum.value, '$.3~s'), 'G', 'B')")
PERCENT_AXIS = alt.Axis(format=".0%")

CONFIG = {
    "font": FONT,
    "background": "white",
    "padding": {"left": 10, "right": 24, "top": 10, "bottom": 10},
    "view": {"stroke": None},
    "title": {"anchor": "start", "fontSize": 20, "fontWeight": 600, "color": "#222",
              "subtitleFontSize": 13, "subtitleColor": NEUTRAL, "offset": 14},
    "axis": {"labelFontSize": 12, "titleFontSize": 13, "titleFontWeight": 500,
             "labelColor": "#333", "titleColor": "#333", "gridColor": "#e8e8e8",
             "domainColor": "#999", "tickColor": "#999"},
    "legend": {"orient": "top", "labelFontSize": 12, "titleFontSize": 12, "symbolSize": 120},
    "mark": {"color": ACCENT},
    "line": {"strokeWidth": 3},
    "bar": {"cornerRadiusEnd": 2},
    "range": {"category": [ACCENT, "#2e86c1", "#85c1e9", "#f2b134", "#d64545", "#3f9e5a"]},
}


def tier_scale(names: list[str]) -> alt.Scale:
    """Colour scale giving each tier (in order, tier 1 first) its fixed colour."""
    return alt.Scale(domain=list(names), range=[tier_color(i) for i in range(len(names))])


#: Legend labels with a capital first letter ("red" -> "Red").
CAPITALISED = "upper(slice(datum.label, 0, 1)) + slice(datum.label, 1)"


def band_scale(bands: list[str]) -> alt.Scale:
    """Colour scale of health bands (red, yellow, green, unscored)."""
    return alt.Scale(domain=list(bands), range=[BAND_COLORS[b] for b in bands])


def titled(chart: alt.TopLevelMixin, title: str, footnote: str,
           subtitle: str | None = None) -> alt.VConcatChart:
    """``chart`` with its title on top, the footnote below, and the export theme applied."""
    head = alt.TitleParams(title, subtitle=subtitle or alt.Undefined)
    return alt.vconcat(
        chart.properties(title=head),
        title=alt.TitleParams(footnote, orient="bottom", anchor="start", fontSize=11,
                              fontWeight="normal", color=NEUTRAL, offset=18),
    ).resolve_legend(color="independent").configure(**CONFIG)
