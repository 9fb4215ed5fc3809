"""Every page's first view computed on the server as soon as it sees a source's data version.

The results of a page are cached per source, data version, month and filters and shared by all
sessions (``ui.cache``), so the first visitor of a page after a server start or an import pays
for its computations and everyone after reads them. ``start`` moves that cost off the visitor:
on the first run that sees a data version, a background thread computes what each page shows
by default (the newest month, no filters, the saved tier rule and health score, each widget at
its default) in the sidebar's order, Overview first. A page opened while its views are still
being computed waits for them instead of computing them twice (Streamlit computes a cache key
once). Other months, filters and widget choices are computed when asked for, as before.

``tests/test_prewarm.py`` opens every page after ``warm`` and fails if its first view computes
anything: the list below is checked against the pages, so a page that changes what it reads
by default cannot silently fall out of it.

Only the whole book is warmed: a signed-in csm's views are scoped to their book and computed
when asked for. Off with ``CS_DASHBOARD_PREWARM=0``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable

from cs_dashboard import timings
from cs_dashboard.api import capacity as api_capacity
from cs_dashboard.api import forecast as api_forecast
from cs_dashboard.api import health as api_health
from cs_dashboard.api import overview as api_overview
from cs_dashboard.api import retention as api_retention
from cs_dashboard.api import segmentation as api_segmentation
from cs_dashboard.filters import Filters
from cs_dashboard.ui import cache
from cs_dashboard.ui import overview as ui_overview
from cs_dashboard.ui.score_settings import page_defaults

ENV = "CS_DASHBOARD_PREWARM"
#: A view: an ``api`` function (first parameter the engine) and its arguments after it.
View = tuple[Callable, tuple]

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_started: set[tuple[str, int]] = set()


def enabled() -> bool:
    """On unless ``CS_DASHBOARD_PREWARM`` is ``0``, ``false`` or ``off``."""
    return os.environ.get(ENV, "1").strip().lower() not in ("0", "false", "off")


def start(url: str, version: int) -> bool:
    """Warm ``url``'s default views at ``version`` on a background thread, once per process and
    data version. Call it from a whole-book session's run; returns whether a thread started."""
    if not enabled():
        return False
    with _lock:
        if (url, version) in _started:
            return False
        _started.add((url, version))
    threading.Thread(target=warm, args=(url, version), name="cs-dashboard-prewarm",
                     daemon=True).start()
    return True


def warm(url: str, version: int) -> int:
    """Compute the default views of every page for ``url`` at ``version`` into the shared cache
    (whole book); the number computed or already there. A view that fails is logged and
    skipped: the page shows its own message when it is opened."""
    began, done = time.perf_counter(), 0
    timings.begin()
    try:
        span = cache.source_span_whole_book(url, version)
        for fn, args in ([] if span is None else default_views(url, version, span[1])):
            try:
                cache.run_whole_book(fn, url, version, *args)
                done += 1
            except Exception:  # noqa: BLE001 - a warm-up never stops the server
                _log.warning("prewarm of %s at version %d: %s failed", url, version,
                             fn.__qualname__, exc_info=True)
        return done
    finally:
        timings.end("(prewarm)")
        _log.info("prewarm: %d views of %s (version %d) in %.1f s", done, url, version,
                  time.perf_counter() - began)


def default_views(url: str, version: int, as_of: dt.date) -> list[View]:
    """What each page reads when it opens with its defaults, page by page in the sidebar's
    order."""
    everyone, rule = Filters(), cache.tier_rule()
    components = cache.run_whole_book(api_health.components, url, version)
    weights, bands = cache.scoring_for(components)
    dimensions = cache.run_whole_book(api_segmentation.dimensions, url, version)
    on_health_page = (everyone, *page_defaults(components))
    scope = (rule, None, None)  # all tiers, all tenures
    return [
        (api_overview.overview, (as_of, everyone, ui_overview.PERIODS["month"], weights, bands)),
        (api_segmentation.segmentation, (as_of, everyone, rule)),
        *([(api_segmentation.pareto_by_dimension, (as_of, everyone, rule, dimensions[0]))]
          if dimensions else []),
        (api_health.snapshot_months, ()),
        (api_health.health_report, (as_of, *on_health_page, rule)),
        (api_health.page_tables, (as_of, *on_health_page, rule)),
        (api_retention.tier_spec, (as_of, everyone, rule)),
        (api_retention.trends, (as_of, everyone, rule, False, 24, None, None)),
        (api_retention.movement_bridge, (as_of, everyone, "month", 1, None, *scope)),
        (api_retention.cohorts, (as_of, "net", "quarter", everyone, *scope)),
        (api_forecast.forecast_report, (as_of, everyone, weights, bands, rule, api_forecast.MONTHS)),
        (api_capacity.current_books, (as_of, everyone, rule)),
        (api_capacity.churn_by_tier, (as_of, everyone, rule)),
        (api_capacity.csm_roster, ()),
        (api_capacity.health_mix, (as_of, everyone, weights, bands)),
    ]
