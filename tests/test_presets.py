"""Presets: one declared record type in one registry, each preset documented in
docs/definitions.md with its value and source."""

from __future__ import annotations

import pytest

from cs_dashboard.capacity.presets import BENCHMARK
from cs_dashboard.presets import REGISTRY, Preset, all_presets, declare
from cs_dashboard.retention import benchmarks as rb
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "definitions.md").read_text(encoding="utf-8")


def documented_rows() -> dict[str, list[str]]:
    """The rows of the Presets table in docs/definitions.md, by preset name."""
    table = DOC.split("## Presets", 1)[1]
    rows = [line.strip().strip("|").split(" | ") for line in table.splitlines()
            if line.startswith("| ") and not line.startswith("| preset |")]
    return {cells[0].strip(): [c.strip() for c in cells[1:]] for cells in rows}


def test_every_preset_is_in_the_definitions_with_its_value_unit_and_source():
    rows = documented_rows()
    presets = all_presets()
    assert len(presets) >= 40
    for preset in presets:
        assert preset.name in rows, f"add {preset.name!r} to docs/definitions.md, Presets"
        value, unit, _, source = rows[preset.name]
        assert (value, unit) == (preset.figure, preset.unit), preset.name
        assert source.startswith(preset.source), preset.name
    assert set(rows) == {p.name for p in presets}, "docs list a preset the code no longer has"


def test_the_three_former_record_types_are_presets_in_the_one_registry():
    from cs_dashboard.forecast import WATCH_DAYS
    from cs_dashboard.health import RED_BELOW

    for preset in (RED_BELOW, WATCH_DAYS, BENCHMARK["csm_cost"], rb.MEDIANS[0], *rb.BY_ACV):
        assert isinstance(preset, Preset) and REGISTRY[preset.name] is preset
    assert rb.MEDIANS[0].label == "Median NRR, private B2B SaaS (102%)"
    assert BENCHMARK["high_touch"].figure == "5-15"


def test_a_name_declares_one_preset():
    first = declare("test preset", 1.0, "count", "help", "source")
    try:
        assert declare("test preset", 1.0, "count", "help", "source") == first
        with pytest.raises(ValueError, match="two presets"):
            declare("test preset", 2.0, "count", "help", "source")
        with pytest.raises(ValueError, match="unknown unit"):
            Preset("x", 1.0, "furlongs", "help", "source")
    finally:
        REGISTRY.pop("test preset")
