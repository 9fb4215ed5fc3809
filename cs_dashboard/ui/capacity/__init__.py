"""The Capacity page's Streamlit parts; ``pages/capacity.py`` wires them together.

Map of the parts:

- ``widgets``: the working scenario <-> session state (``put``, ``from_widgets``,
  ``load_into_widgets``, ``sync`` with the data's book).
- ``actions``: button and upload callbacks (save, load, duplicate, delete, example, import).
- ``headline``: the six tiles and the sentence above the tabs.
- ``today``, ``assumptions``, ``plan``, ``budget``, ``scenarios``: one module per tab, each with
  ``render(...)`` taking what it shows explicitly.

The numbers come from ``cs_dashboard.capacity`` (pure); nothing here computes beyond wiring.
"""

TABS = ("Today: who carries what", "Assumptions", "Need, supply and hiring plan", "Budget and sensitivity",
        "Scenarios")
#: Session State key of the open tab (``ui.layout.lazy_tabs``; not ``cap_t...``: loading a
#: scenario clears those keys), and the choices inside the lazy tabs, kept while another tab is
#: open. The Assumptions tab is always drawn: its widgets are the working scenario.
TAB_KEY = "capacity_tab"
KEEP = ("cap_budget_basis", "cap_budget_pct", "cap_budget_usd", "cap_protect", "cap_compare",
        "cap_example_pick", "cap_save_name", "cap_saved_pick")
