"""Pages with lazy tabs (``ui.layout.lazy_tabs``) keep the value of every choice inside their
tabs while another tab is open: each value widget drawn in a tab is listed in the page's KEEP."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cs_dashboard.ui import capacity, forecast, health, retention, segmentation

UI = Path(__file__).resolve().parents[1] / "cs_dashboard" / "ui"
#: Widgets with a value to keep (tables' selections and buttons cannot be set, nor need be).
VALUE_WIDGETS = {"text_input", "selectbox", "segmented_control", "radio", "toggle", "slider", "number_input",
                 "multiselect", "select_slider", "checkbox"}


def widget_keys(path: Path) -> set[str]:
    """String keys of the value widgets a module draws (``_measure(key)`` is a segmented
    control with that key)."""
    keys = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        if name == "_measure" and node.args and isinstance(node.args[0], ast.Constant):
            keys.add(node.args[0].value)
        elif name in VALUE_WIDGETS:
            keys |= {k.value.value for k in node.keywords
                     if k.arg == "key" and isinstance(k.value, ast.Constant)}
    return keys


@pytest.mark.parametrize(("package", "modules"), [
    (health, ["health/tabs.py"]),
    (capacity, ["capacity/today.py", "capacity/plan.py", "capacity/budget.py",
                "capacity/scenarios.py"]),
    (forecast, ["forecast/renewals.py", "forecast/projection.py", "forecast/record.py",
                "forecast/calibration.py", "forecast/whatif.py"]),
    (segmentation, ["segmentation/tables.py"]),
    (retention, ["retention/cohorts.py", "retention/survival.py", "retention/movements.py",
                 "retention/trends.py"]),
])
def test_every_choice_inside_a_lazy_tab_is_kept(package, modules):
    drawn = set().union(*(widget_keys(UI / module) for module in modules))
    assert drawn and drawn <= set(package.KEEP)
