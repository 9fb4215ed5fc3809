"""The Segmentation page's Streamlit parts; ``pages/segmentation.py`` wires them together.

Map of the parts:

- ``rule``: the tier-rule editor and its Save button (the rule every page groups by).
- ``concentration``: the concentration tiles and the Pareto chart.
- ``tables``: the tier table, concentration by another dimension, tier migration and the
  complexity x potential grid.

The numbers come from ``cs_dashboard.api.segmentation`` and ``cs_dashboard.segmentation``.
"""
