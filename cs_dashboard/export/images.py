"""Server-side chart images: PNG at least 1600 px wide (2x scale) and SVG, without a browser
for Altair (vl-convert) and through kaleido for plotly when a Chrome or Chromium is installed.

Renders are memoised on the chart's JSON, so repeated downloads of one chart are instant.
"""

from __future__ import annotations

import functools
import json
import math
import re
import shutil
import struct

import altair as alt
import plotly.graph_objects as go
import vl_convert as vlc

from cs_dashboard.charts.theme import MIN_PNG_WIDTH, WIDTH

SCALE = 2
#: Width of plotly exports in CSS pixels (x2 scale = 2000 px PNG).
PLOTLY_WIDTH = 1000
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
_SVG_WIDTH = re.compile(rb'<svg[^>]*?\swidth="([0-9.]+)')


class ImageUnavailable(RuntimeError):
    """This chart cannot be rendered on the server (user-facing message)."""


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG header; ``ValueError`` if it is not a PNG."""
    if len(png) < 24 or png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", png[16:24])


# --- Altair --------------------------------------------------------------------------------


def vega_spec(chart: alt.TopLevelMixin) -> str:
    """The chart's Vega-Lite JSON with a fixed width where the screen used the container's."""
    spec = chart.to_dict()
    if spec.get("width") == "container":
        spec["width"] = WIDTH
    if spec.get("height") == "container":
        spec["height"] = 400
    return json.dumps(spec, sort_keys=True, default=str)


def altair_png(chart: alt.TopLevelMixin) -> bytes:
    """PNG of an Altair chart at 2x scale (more if needed to reach 1600 px wide)."""
    return _vega_png(vega_spec(chart))


def altair_svg(chart: alt.TopLevelMixin) -> bytes:
    """SVG of an Altair chart (fonts as text, so it stays editable)."""
    return _vega_svg(vega_spec(chart))


@functools.lru_cache(maxsize=128)
def _vega_svg(spec: str) -> bytes:
    return vlc.vegalite_to_svg(json.loads(spec)).encode("utf-8")


@functools.lru_cache(maxsize=128)
def _vega_png(spec: str) -> bytes:
    match = _SVG_WIDTH.search(_vega_svg(spec)[:2000])
    width = float(match.group(1)) if match else WIDTH
    scale = max(SCALE, math.ceil(MIN_PNG_WIDTH / max(width, 1.0) * 100) / 100)
    return vlc.vegalite_to_png(json.loads(spec), scale=scale)


def clear_cache() -> None:
    """Forget memoised renders."""
    _vega_png.cache_clear()
    _vega_svg.cache_clear()
    _plotly_image.cache_clear()


# --- plotly --------------------------------------------------------------------------------


@functools.cache
def plotly_images_available() -> bool:
    """True when kaleido is installed and can drive a local Chrome or Chromium."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return False
    return any(shutil.which(name) for name in BROWSERS)


def plotly_size(fig: go.Figure) -> tuple[int, int]:
    """(width, height) in CSS pixels used for a plotly export."""
    return PLOTLY_WIDTH, int(fig.layout.height or 450)


def plotly_png(fig: go.Figure) -> bytes:
    """PNG of a plotly figure, 2000 px wide (2x), through kaleido and the local Chromium."""
    return _plotly_image(fig.to_json(), "png")


def plotly_svg(fig: go.Figure) -> bytes:
    """SVG of a plotly figure through kaleido and the local Chromium."""
    return _plotly_image(fig.to_json(), "svg")


@functools.lru_cache(maxsize=64)
def _plotly_image(fig_json: str, fmt: str) -> bytes:
    if not plotly_images_available():
        raise ImageUnavailable("plotly images need kaleido and a local Chrome or Chromium")
    import plotly.io as pio

    fig = pio.from_json(fig_json)
    width, height = plotly_size(fig)
    return fig.to_image(format=fmt, width=width, height=height,
                        scale=SCALE if fmt == "png" else 1)
