"""Retention: revenue movements, cohort tables, trailing-12 trends and survival (pure: no
streamlit, plotly, altair or sqlalchemy). Definitions: ``docs/definitions.md``.

The database aggregates (``db.movements``, ``db.retention``); these modules turn the sums into
results, and ``api.retention`` joins the two for the CLI, the pages and the board pack. Map of
the parts:

- ``movements``: the MRR bridge per month or quarter (``bridge``), exact to the cent.
- ``cohorts``: cohort tables by basis and period (``cohort_table`` -> ``CohortTable``).
- ``trailing``: trailing-12 NRR, GRR and logo retention per month (``trailing_retention``).
- ``survival``: Kaplan-Meier logo survival per group with late entry (``kaplan_meier`` ->
  ``SurvivalResult``; lifelines loads only when a curve is fitted).
- ``benchmarks``: the published retention medians (declared presets) and the ACV bands.
"""

from cs_dashboard.retention.cohorts import BASES, BASIS_LABELS, CohortTable, cohort_table
from cs_dashboard.retention.movements import AMOUNTS, COUNTS, KINDS, LABELS, bridge, period_note
from cs_dashboard.retention.survival import GroupSurvival, SurvivalResult, kaplan_meier
from cs_dashboard.retention.trailing import trailing_retention

__all__ = [
    "AMOUNTS", "BASES", "BASIS_LABELS", "COUNTS", "KINDS", "LABELS", "CohortTable",
    "GroupSurvival", "SurvivalResult", "bridge", "cohort_table", "kaplan_meier", "period_note",
    "trailing_retention",
]
