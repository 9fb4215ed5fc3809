"""One chart theme: fixed tier and health-band colours, fonts, and the source footnote, for
the charts on screen (plotly, ``style``) and the exported ones (Altair, ``titled``).

Exported charts share the colours and font; their money axes read ``$40M``/``$1.2B``, percent
axes ``45%``, and each carries a title and a footnote with the data's as-of month and source.
"""

from __future__ import annotations

import copy

import altair as alt
import plotly.graph_objects as go
import plotly.io as pio

#: Tier colours by tier position (1 = highest touch); the same everywhere.
TIER_COLORS = ("#1f4e79", "#2e86c1", "#85c1e9", "#d6eaf8")
BAND_COLORS = {"red": "#d64545", "yellow": "#f2b134", "green": "#3f9e5a", "unscored": "#b0b7bf"}
ACCENT = "#1f4e79"
NEUTRAL = "#6c757d"
POSITIVE = "#3f9e5a"
NEGATIVE = "#d64545"
FONT = "Inter, Segoe UI, Helvetica, Arial, sans-serif"
#: Name of the footnote annotation; pixels from the plot area's bottom edge to the footnote,
#: and the extra pixels when the x axis has a title.
FOOTNOTE = "footnote"
FOOTNOTE_GAP = 34
FOOTNOTE_AXIS_TITLE = 24


def with_note(footnote: str | None, note: str | None) -> str | None:
    """The footnote with a line saying how the chart was drawn (bins, a sample) under it."""
    return "<br>".join(part for part in (footnote, note) if part) or None


def tier_color(position: int) -> str:
    """Colour of the tier at ``position`` (0-based), cycling past four tiers."""
    return TIER_COLORS[position % len(TIER_COLORS)]


def style(fig: go.Figure, title: str, footnote: str | None = None, height: int = 420) -> go.Figure:
    """Apply the house style: title, font, white background, optional source footnote.

    The footnote sits a fixed number of pixels below the plot area, under the tick labels and
    the x-axis title (a fraction of the height collides with them in short or tall charts);
    pages show it as a caption under the chart instead (``split_footnote``).
    """
    gap = FOOTNOTE_GAP + (FOOTNOTE_AXIS_TITLE if fig.layout.xaxis.title.text else 0)
    _white(fig)
    lines = footnote.count("<br>") + 1 if footnote else 0
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 18}},
        font={"family": FONT, "size": 13, "color": "#222"}, height=height,
        margin={"l": 60, "r": 30, "t": 60, "b": gap + 16 * lines + 6 if footnote else 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
        hoverlabel={"font": {"family": FONT}},
    )
    if footnote:
        fig.add_annotation(text=footnote, name=FOOTNOTE, xref="paper", yref="paper", x=0, y=0,
                           yshift=-gap, showarrow=False, xanchor="left", yanchor="top",
                           align="left", font={"size": 11, "color": NEUTRAL})
    return fig


def _white(fig: go.Figure) -> None:
    """Give ``fig`` plotly's "plotly_white" template without validating it again.

    The registered template is valid already (plotly applies its default template the same
    way); ``template="plotly_white"`` re-validated its defaults for every trace type, about
    0.1-0.2 s per figure, most of a page's figure time.
    """
    layout = fig.layout
    validate = layout._validate
    layout._validate = False
    try:
        layout.template = pio.templates["plotly_white"]
    finally:
        layout._validate = validate


def split_footnote(fig: go.Figure) -> tuple[go.Figure, str | None]:
    """A copy of ``fig`` without its footnote, and the footnote's text (``None`` if it has
    none), for a page that shows the footnote as a caption: text under a chart then fits any
    width. Exported images keep the footnote in the picture."""
    notes = [a for a in fig.layout.annotations if a.name == FOOTNOTE]
    if not notes:
        return fig, None
    spec = raw_spec(fig)
    kept = [a for a in spec["layout"].pop("annotations", ()) if a.get("name") != FOOTNOTE]
    if kept:
        spec["layout"]["annotations"] = kept
    spec["layout"].setdefault("margin", {})["b"] = 50
    return unvalidated(spec), notes[0].text


def raw_spec(fig: go.Figure | dict) -> dict:
    """A deep copy of the data and layout of ``fig`` (a figure, or a ``raw_spec``) as plotly
    holds them (arrays stay arrays; ``to_dict`` would turn them into base64 for the browser).

    The layout's template is shared, not copied: it is plotly's registered template (``style``),
    never changed, and copying its defaults for every trace type was most of a copy's time.
    """
    data, layout = (fig["data"], fig["layout"]) if isinstance(fig, dict) else (fig._data,
                                                                               fig._layout)
    template = layout.get("template")
    copied = copy.deepcopy({k: v for k, v in layout.items() if k != "template"})
    if template is not None:
        copied["template"] = template
    return {"data": copy.deepcopy(data), "layout": copied}


def unvalidated(spec: dict) -> go.Figure:
    """A figure of ``spec`` (a ``raw_spec``) without validating it again: every part of it was
    validated when the original figure was built."""
    return go.Figure(spec, _validate=False)


def footnote(as_of_label: str, source: str, filters: str = "all accounts") -> str:
    """Standard footnote: data as-of month, filters and source. ``source`` is the "Data
    source" label ("Demo portfolio", a database name), never a URL or file path."""
    return f"Data as of {as_of_label} · {filters} · source: {source}"


# --- Exported (Altair) charts ---------------------------------------------------------------
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
