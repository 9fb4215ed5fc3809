"""The Data page through the router: upload, preview, choose, import, and a correct Overview."""

from __future__ import annotations

import pytest

from cs_dashboard.db import source_map
from tests.conftest import ROOT, open_page
from tests.test_source_map import MAPPING, build_models

SAMPLES = ROOT / "data" / "samples"


def upload(at, table: str, name: str, data: bytes) -> None:
    at.file_uploader(key=f"data_up_{table}").set_value((name, data, "text/csv"))


def texts(at) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "caption", "error", "info", "warning")
                    for e in getattr(at, kind))


def reasons(at) -> list[str]:
    """The reasons in the problem report shown on the page."""
    return [r for df in at.dataframe if "reason" in df.value for r in df.value["reason"]]


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture
def page(monkeypatch, empty_url, tmp_path):
    url = f"duckdb:///{tmp_path / 'import.duckdb'}"
    return open_page(monkeypatch, url, "data")


def test_a_salesforce_export_is_previewed_mapped_and_imported_to_a_correct_overview(page):
    at = page
    assert at.button(key="data_import").disabled
    upload(at, "accounts", "salesforce_accounts.csv",
           (SAMPLES / "salesforce_accounts.csv").read_bytes())
    upload(at, "mrr", "salesforce_mrr.csv", (SAMPLES / "salesforce_mrr.csv").read_bytes())
    at.run()
    # "Revenue Month" and "MRR (USD)" are not names the importer knows: the page asks
    at.selectbox(key="data_map_mrr_month").select("Revenue Month")
    at.selectbox(key="data_map_mrr_mrr").select("MRR (USD)").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    shown = texts(at)
    assert "**salesforce_accounts.csv**: 4 rows read, comma-separated, UTF-8." in shown
    assert "Dates in `customer_since`: month-first (MM/DD/YYYY), as '3/15/2022' shows." in shown
    assert "Dates in `month`: month-first (MM/DD/YYYY), as '1/31/2025' shows." in shown
    assert "**Total MRR by month** (USD), 2025-01 to 2026-01: 5,000.00 in the last month." in shown
    mapping = at.dataframe[0].value
    fed = dict(zip(mapping["column in file"], mapping["field"], strict=True))
    assert fed["Account Owner"] == "csm" and fed["Billing Country"] == "region"
    assert fed["Type"] == "" and fed["Annual Revenue"] == ""
    assert any("40 month values moved to the first day" in w.value for w in at.warning)
    assert at.get("vega_lite_chart"), "the MRR by month chart"
    at.button(key="data_import").click().run()
    assert "Imported 4 accounts rows, 40 mrr rows." in [s.value for s in at.success]
    at.switch_page("pages/overview.py").run()
    assert tiles(at)["ARR"] == "$60.0k" and tiles(at)["Active accounts"] == "3"
    assert tiles(at)["NRR (12m)"] == "50.2%" and tiles(at)["GRR (12m)"] == "43.5%"


def test_ambiguous_dates_are_refused_until_the_order_is_chosen_on_the_page(page):
    at = page
    upload(at, "accounts", "a.csv", b"account_id\nA1\nA2\n")
    upload(at, "mrr", "m.csv", b"account_id,month,mrr\nA1,01/02/2025,10\nA2,02/02/2025,20\n")
    at.run()
    assert "every date fits both month-first and day-first" in reasons(at)[0]
    assert at.button(key="data_import").disabled
    at.selectbox(key="data_dates").select("Day first (DD/MM/YYYY)").run()
    assert not at.error and "Dates in `month`: as chosen: DD/MM/YYYY." in texts(at)
    assert not at.button(key="data_import").disabled


def test_subscriptions_become_monthly_mrr_and_accounts(page):
    at = page
    at.radio(key="data_kind").set_value("Subscriptions (a billing export)").run()
    subs = (b"customer_oid,customer_name,plan_amount,plan_interval,plan_currency,"
            b"subscription_started_at,subscription_canceled_at,subscription_quantity\n"
            b"c1,Acme,4900,month,USD,2025-01-10,2025-07-01,5\n"
            b"c2,Globex,120000,year,USD,2025-03-01,2025-07-01,1\n")
    upload(at, "subscriptions", "baremetrics.csv", subs)
    at.run()
    assert not at.error, [e.value for e in at.error]
    shown = texts(at)
    assert "derived from 2 subscriptions in baremetrics.csv" in shown
    assert "2025-01 to 2025-06: 345.00 in the last month" in shown
    at.button(key="data_import").click().run()
    at.switch_page("pages/overview.py").run()
    assert tiles(at)["Active accounts"] == "2" and tiles(at)["ARR"] == "$4.1k"


def test_subscriptions_in_other_currencies_without_rates_say_what_to_do(page):
    at = page
    at.radio(key="data_kind").set_value("Subscriptions (a billing export)").run()
    upload(at, "subscriptions", "s.csv", (SAMPLES / "baremetrics_subscriptions.csv").read_bytes())
    at.run()
    found = " ".join(reasons(at))
    assert "amounts in EUR need exchange rates to USD" in found and "rates upload" in found


def test_a_mapped_warehouse_source_shows_its_mapping_and_takes_no_import(monkeypatch, tmp_path,
                                                                        tiny_frames):
    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    build_models(url, tiny_frames)
    config = tmp_path / "cs_dashboard.toml"
    config.write_text(MAPPING.format(url=url))
    monkeypatch.setenv(source_map.ENV_CONFIG, str(config))
    at = open_page(monkeypatch, url, "data")
    assert not at.error
    reads = at.dataframe[0].value
    assert reads["reads"].tolist() == ["analytics.dim_customers", "analytics.mrr_monthly",
                                       "analytics.team"]
    assert tiles(at)["mrr rows"] == "40"
    assert any("read through a source mapping" in i.value for i in at.info)
    assert at.button(key="data_import").disabled


def test_a_mapping_that_does_not_fit_is_reported_on_the_pages_not_raised(monkeypatch, tmp_path,
                                                                         tiny_frames):
    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    build_models(url, tiny_frames)
    config = tmp_path / "cs_dashboard.toml"
    config.write_text(MAPPING.format(url=url).replace("owner_name", "owner"))
    monkeypatch.setenv(source_map.ENV_CONFIG, str(config))
    for name in ("overview", "data"):
        at = open_page(monkeypatch, url, name)
        assert any("analytics.dim_customers has no column owner (mapped to csm)" in e.value
                   for e in at.error), name
