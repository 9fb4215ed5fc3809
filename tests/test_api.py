"""An as-of month outside the data is refused everywhere with one message naming the data's
range (never answered with zeros): the API, every CLI command that takes a month, the deck."""

from __future__ import annotations

import datetime as dt

import pytest

from cs_dashboard import api
from cs_dashboard.api import capacity as api_capacity
from cs_dashboard.api import health as api_health
from cs_dashboard.api import retention as api_retention
from cs_dashboard.api import segmentation as api_segmentation
from cs_dashboard.cli import main
from cs_dashboard.db.engine import make_engine
from tests.conftest import ROOT

# tiny_frames run from 2025-01 to 2026-01.
AFTER = dt.date(2026, 2, 1)
BEFORE = dt.date(2024, 12, 1)
RANGE = "outside the data, which runs from 2025-01 to 2026-01"


def test_the_as_of_month_defaults_to_the_latest_and_days_are_read_as_their_month(tiny_url):
    engine = make_engine(tiny_url)
    assert api.data_month(engine) == dt.date(2026, 1, 1)
    assert api.data_month(engine, dt.date(2025, 6, 17)) == dt.date(2025, 6, 1)


@pytest.mark.parametrize("month", [AFTER, BEFORE], ids=["after", "before"])
@pytest.mark.parametrize("entry", [
    lambda e, m: api.portfolio_at(e, m),
    lambda e, m: api.account_tiers(e, m),
    lambda e, m: api_segmentation.segmentation(e, m),
    lambda e, m: api_retention.cohorts(e, m),
    lambda e, m: api_retention.trends(e, m),
    lambda e, m: api_retention.survival(e, m),
    lambda e, m: api_retention.movement_bridge(e, m),
    lambda e, m: api_retention.movement_bridge(e, dt.date(2025, 6, 1), first=m),
    lambda e, m: api_retention.retention_by_tier(e, m),
    lambda e, m: api_retention.csm_coverage(e, m),
], ids=["portfolio", "tiers", "segmentation", "cohorts", "trends", "survival", "bridge to",
        "bridge from", "retention by tier", "coverage"])
def test_every_entry_point_refuses_a_month_outside_the_data(tiny_url, entry, month):
    with pytest.raises(api.OutsideData) as error:
        entry(make_engine(tiny_url), month)
    assert f"{month:%Y-%m} is {RANGE}" in str(error.value)


@pytest.mark.parametrize("args", [
    ["metrics", "--as-of", "2026-02"], ["segment", "--as-of", "2026-02"],
    ["cohorts", "--as-of", "2026-02"], ["survival", "--as-of", "2026-02"],
    ["movements", "--to", "2026-02"], ["movements", "--from", "2024-12", "--to", "2025-06"],
], ids=lambda a: " ".join(a))
def test_the_cli_exits_2_naming_the_datas_range(capsys, tiny_url, args):
    assert main([args[0], "--db", tiny_url, *args[1:], "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and RANGE in captured.err


@pytest.mark.parametrize("args", [
    ["health", "--as-of", "2026-02"],
    ["capacity", "--as-of", "2026-02", "--scenario", "data/scenarios/gainsight_book.json"],
], ids=["health", "capacity"])
def test_health_and_capacity_exit_2_naming_the_datas_range(capsys, monkeypatch, tiny_url, args):
    monkeypatch.chdir(ROOT)
    assert main([args[0], "--db", tiny_url, *args[1:], "--json"]) == 2
    assert RANGE in capsys.readouterr().err


@pytest.mark.parametrize("entry", [
    lambda e, m: api_health.health_report(e, m),
    lambda e, m: api_health.health_summary(e, m),
    lambda e, m: api_capacity.base_book(e, m),
], ids=["health report", "health summary", "capacity base book"])
def test_health_and_capacity_entry_points_refuse_a_month_after_the_data(tiny_url, entry):
    with pytest.raises(api.OutsideData, match=RANGE):
        entry(make_engine(tiny_url), AFTER)
