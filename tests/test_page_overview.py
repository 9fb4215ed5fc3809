"""The Overview page (AppTest): the KPI tiles match `metrics --json`, the health and coverage
tiles, the latest quarter's bridge and NRR/GRR against the SaaS Capital medians."""

from __future__ import annotations

import json

from cs_dashboard.api import health as api_health
from cs_dashboard.api import retention as api_retention
from cs_dashboard.cli import main
from cs_dashboard.db.engine import make_engine
from cs_dashboard.fmt import fmt_count, fmt_money, fmt_pct
from cs_dashboard.retention import benchmarks as rb
from tests.conftest import open_page


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def layouts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def test_tiles_match_metrics_json(monkeypatch, capsys, demo_url):
    assert main(["metrics", "--db", demo_url, "--json"]) == 0
    metrics = json.loads(capsys.readouterr().out)
    at = open_page(monkeypatch, demo_url, "overview")
    shown = tiles(at)
    assert shown["ARR"] == fmt_money(metrics["arr"])
    assert shown["Active accounts"] == fmt_count(metrics["accounts"])
    assert shown["NRR (12m)"] == fmt_pct(metrics["nrr_12m"])
    assert shown["GRR (12m)"] == fmt_pct(metrics["grr_12m"])
    assert shown["Logo retention (12m)"] == fmt_pct(metrics["logo_retention_12m"])
    assert shown["Average ACV"] == fmt_money(metrics["arr"] / metrics["accounts"])


def test_arr_at_risk_and_coverage_tiles(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "overview")
    engine = make_engine(demo_url)
    as_of = api_retention.window(engine)[1]
    health = api_health.health_summary(engine, as_of)
    coverage = api_retention.csm_coverage(engine, as_of)
    shown = tiles(at)
    assert shown["ARR at risk"] == fmt_money(health.arr_at_risk)
    assert shown["CSMs"] == fmt_count(coverage["csms"])
    assert shown["Accounts per CSM"] == fmt_count(coverage["accounts_per_csm"])
    assert shown["ARR per CSM"] == fmt_money(coverage["arr_per_csm"])


def test_charts_include_the_bridge_health_mix_and_benchmark_with_its_source(monkeypatch, demo_url):
    at = open_page(monkeypatch, demo_url, "overview")
    specs = layouts(at)
    names = [s["layout"]["title"]["text"] for s in specs]
    assert any(n.startswith("MRR bridge, ") and "latest complete quarter" in n for n in names)
    assert any(n.startswith("Health mix by ARR") for n in names)
    bench = next(s for s in specs if s["layout"]["title"]["text"].startswith("NRR and GRR vs"))
    # The footnote, with the benchmark's source, is the caption under the chart.
    assert any(rb.SAAS_CAPITAL_BRIEF in c.value for c in at.caption)
    assert [t["name"] for t in bench["data"]][1].startswith("SaaS Capital median, ACV")


def test_the_bridge_is_the_latest_complete_quarter(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "overview")
    # T = 2026-01: the latest complete quarter is 2025-Q4.
    names = [s["layout"]["title"]["text"] for s in layouts(at)]
    assert "MRR bridge, 2025-Q4 (latest complete quarter)" in names


def test_without_health_data_the_tile_says_so(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "overview")
    shown = tiles(at)
    assert shown["ARR at risk"] == "–"
    # Active at T: A and B (Ann) and D (no CSM): one CSM, three accounts.
    assert shown["CSMs"] == "1" and shown["Accounts per CSM"] == "3"
    assert any("health" in i.value for i in at.info)


def test_filters_reach_every_tile(monkeypatch, tiny_url):
    at = open_page(monkeypatch, tiny_url, "overview")
    assert tiles(at)["Active accounts"] == "3"
    at.sidebar.multiselect(key="f_region").select("EMEA").run()
    shown = tiles(at)
    assert shown["Active accounts"] == "1" and shown["NRR (12m)"] == "75.0%"
    assert shown["CSMs"] == "1" and shown["Accounts per CSM"] == "1"
    assert shown["ARR per CSM"] == fmt_money(150 * 12)


def test_empty_database(monkeypatch, empty_url):
    at = open_page(monkeypatch, empty_url, "overview")
    assert not at.error and "Data" in at.info[0].value
