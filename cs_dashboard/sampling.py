"""Which points of a long per-account curve a chart draws.

A chart is about 1,000-1,500 px wide, so a curve of millions of points is drawn through at
most ``MAX_LINE_POINTS`` evenly spaced ones, and the chart says so; tables and downloads keep
every point. Pure numpy: the result objects that prepare a drawing (``segmentation.pareto``)
use it without importing the chart layer.
"""

from __future__ import annotations

import numpy as np

#: Points drawn of a per-account curve.
MAX_LINE_POINTS = 2000


def line_sample(points: int, max_points: int = MAX_LINE_POINTS) -> np.ndarray | None:
    """Positions (0 to ``points - 1``, first and last included, evenly spaced) to draw a
    curve of ``points`` points from; ``None`` when every point is drawn."""
    if points <= max_points:
        return None
    return np.unique(np.linspace(0, points - 1, max_points).round().astype(np.int64))
