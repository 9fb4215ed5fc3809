"""One chart theme: fixed tier and health-band colours, fonts, and the source footnote."""

from __future__ import annotations

import plotly.graph_objects as go

#: Tier colours by tier position (1 = highest touch); the same everywhere.
TIER_COLORS = ("#1f4e79", "#2e86c1", "#85c1e9", "#d6eaf8")
BAND_COLORS = {"red": "#d64545", "yellow": "#f2b134", "green": "#3f9e5a", "unscored": "#b0b7bf"}
ACCENT = "#1f4e79"
NEUTRAL = "#6c757d"
POSITIVE = "#3f9e5a"
NEGATIVE = "#d64545"
FONT = "Inter, Segoe UI, Helvetica, Arial, sans-serif"


def tier_color(position: int) -> str:
    """Colour of the tier at ``position`` (0-based), cycling past four tiers."""
    return TIER_COLORS[position % len(TIER_COLORS)]


def style(fig: go.Figure, title: str, footnote: str | None = None, height: int = 420) -> go.Figure:
    """Apply the house style: title, font, white background, optional source footnote."""
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 18}},
        font={"family": FONT, "size": 13, "color": "#222"},
        template="plotly_white", height=height,
        margin={"l": 60, "r": 30, "t": 60, "b": 70 if footnote else 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
        hoverlabel={"font": {"family": FONT}},
    )
    if footnote:
        fig.add_annotation(text=footnote, xref="paper", yref="paper", x=0, y=-0.2,
                           showarrow=False, xanchor="left", yanchor="top",
                           font={"size": 11, "color": NEUTRAL})
    return fig


def footnote(as_of_label: str, source: str, filters: str = "all accounts") -> str:
    """Standard footnote: data as-of month, source and filters."""
    return f"Data as of {as_of_label} · {filters} · source: {source}"
