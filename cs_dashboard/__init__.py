"""CS Dashboard: portfolio health, retention and CSM capacity for Customer Success leaders.

Map of the package:
- ``db``: the data layer (engine, schema, aggregating queries, writer, app state).
- ``ingest``: importing CSV/Excel files with validation.
- ``demo``: the deterministic demo portfolio.
- ``portfolio``: portfolio KPIs (NRR, GRR, logo retention).
- ``api``: source -> results entry points for the CLI, pages and exports.
- ``ui``: Streamlit helpers shared by the pages (the only Streamlit code in the package).
- ``cli``: ``python -m cs_dashboard``.
"""
