"""The Segmentation page's Streamlit parts; ``pages/segmentation.py`` wires them together.

Map of the parts:

- ``rule``: the tier-rule editor and its Save button (the rule every page groups by).
- ``concentration``: the concentration tiles and the Pareto chart.
- ``tables``: the tier table, concentration by another dimension, tier migration and the
  complexity x potential grid.

The numbers come from ``cs_dashboard.api.segmentation`` and ``cs_dashboard.segmentation``.
The tiles and the Pareto chart are always drawn; the ``tables`` parts are lazy tabs
(``ui.layout.lazy_tabs``): a view builds and sends only the open tab's charts.
"""

#: The tabs under the Pareto chart, in order (the first opens by default).
TABS = ("Tiers", "Concentration by group", "Tier migration", "Complexity × potential")
#: Session State key of the open tab, and the keys of the widgets inside the tabs.
TAB_KEY = "seg_tab"
KEEP = ("seg_dim",)
