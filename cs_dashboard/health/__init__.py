"""Health: composite scores, bands, value at risk, drivers and the back-test (pure functions).

``scoring`` holds the score engine and summaries; ``backtest`` the churn back-test; ``views``
the per-page tables (watch list, drivers, migration labels); ``report`` the ``HealthReport`` that
the Health page, the board pack and the CLI present. Definitions: ``docs/definitions.md``.
"""

from cs_dashboard.health.backtest import Backtest, backtest, roc_auc, roc_curve
from cs_dashboard.health.report import HealthReport, build_report, complete_mix, tier_bands
from cs_dashboard.health.scoring import (
    BAND_ORDER,
    DEFAULT_BANDS,
    DEFAULT_WEIGHT,
    DEFAULTS,
    GREEN_FROM,
    MOST_WEIGHT,
    RED_BELOW,
    UNSCORED,
    YELLOW_AT_RISK,
    BandTotal,
    HealthInputError,
    HealthSummary,
    Weights,
    arr_at_risk,
    band_of,
    band_totals,
    bands_of,
    check_bands,
    check_settings,
    renewal_quarter,
    resolve_weights,
    score_accounts,
    summarize,
)
from cs_dashboard.health.settings import ScoreSettings

__all__ = [
    "BAND_ORDER", "DEFAULTS", "DEFAULT_BANDS", "DEFAULT_WEIGHT", "GREEN_FROM", "MOST_WEIGHT", "RED_BELOW",
    "UNSCORED", "YELLOW_AT_RISK", "BandTotal", "Backtest", "HealthInputError",
    "HealthReport", "HealthSummary", "ScoreSettings", "Weights", "arr_at_risk", "backtest",
    "band_of", "band_totals", "bands_of", "build_report", "check_bands", "check_settings", "complete_mix",
    "renewal_quarter", "resolve_weights", "roc_auc", "roc_curve", "score_accounts", "summarize",
    "tier_bands",
]
