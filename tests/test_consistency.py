"""One number, right everywhere: every headline figure that appears in more than one place is
read from the CLI's JSON, from the page under AppTest and from the board pack (table cells,
notes, chart data), and must agree exactly, on the demo and on a hand-built book.

The CLI's JSON holds the raw numbers; a page or slide shows them through the shared formatters
(``fmt_money``, ``fmt_pct``), so each place is compared in its own display form.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os

import pandas as pd
import pytest
from pptx import Presentation

from cs_dashboard.cli import main
from cs_dashboard.db.engine import make_engine
from cs_dashboard.export.pack import PackOptions, build_pack
from cs_dashboard.fmt import fmt_money, fmt_pct
from tests.conftest import ROOT, monthly, open_page, show_tab, write_duckdb

T_BOOK = dt.date(2026, 2, 1)


def book_frames() -> dict[str, pd.DataFrame]:
    """Twelve accounts over 2025-01..2026-02 with the edge cases of a real book.

    Expansion (a02), contraction (a04), churn (a03, a10), a reactivation (a05), a late go-live
    signed before the data (a08), new accounts (a07, a12), equal MRR at a tier boundary (a05
    and a06 at 300), an account without a CSM (a11), health snapshots every quarter with one
    account scored from an older snapshot (a09) and one never scored (a12).
    """
    months = 14
    series = {
        "a01": [1000] * months, "a02": [800] * 6 + [900] * 8,
        "a03": [500] * 9, "a04": [400] * 5 + [300] * 9,
        "a05": [300] * 4 + [0, 0] + [300] * 8, "a06": [300] * months,
        "a07": [0] * 3 + [200] * 11, "a08": [0] * 2 + [150] * 12,
        "a09": [100] * months, "a10": [0] + [100] * 10, "a11": [50] * months,
        "a12": [0] * 8 + [250] * 6,
    }
    mrr = [row for account, values in series.items()
           for row in monthly(account, "2025-01", values)]
    ids = list(series)
    accounts = pd.DataFrame({
        "account_id": ids,
        "account_name": [f"Account {i[1:]}" for i in ids],
        "csm": ["Ann", "Ann", "Bob", "Bob", "Bob", "Cara", "Cara", "Cara", "Ann", "Bob", None,
                "Cara"],
        "region": ["EMEA", "EMEA", "APAC", "North America"] * 3,
        "segment": ["Enterprise"] * 2 + ["Mid-Market"] * 4 + ["SMB"] * 6,
        "customer_since": pd.to_datetime(
            ["2023-03-01", "2024-06-15", "2024-01-01", "2022-11-20", "2024-09-01", "2023-05-05",
             "2025-04-02", "2024-08-10", "2021-01-01", "2025-02-14", None, "2025-09-01"]),
    })
    snapshots = ["2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01", "2026-01-01"]
    usage = {"a01": 90, "a02": 80, "a03": 40, "a04": 60, "a05": 75, "a06": 88, "a07": 65,
             "a08": 70, "a10": 50, "a11": 95}
    rows = [(a, s, u, u - 5) for a, u in usage.items() for s in snapshots]
    rows.append(("a09", "2025-04-01", 55, 60))  # scored at T from a snapshot of last April
    health = pd.DataFrame(rows, columns=["account_id", "as_of", "usage", "nps"])
    health["as_of"] = pd.to_datetime(health["as_of"])
    health[["usage", "nps"]] = health[["usage", "nps"]].astype(float)
    csms = pd.DataFrame({"csm": ["Ann", "Bob", "Cara"],
                         "role": ["high touch", "low touch", "tech touch"],
                         "hours_per_week": [40.0, 40.0, 40.0],
                         "annual_cost": [180000.0, 160000.0, 150000.0]})
    return {"accounts": accounts, "mrr": pd.DataFrame(mrr), "health": health, "csms": csms}


@pytest.fixture(scope="module")
def book_url(tmp_path_factory) -> str:
    return write_duckdb(tmp_path_factory.mktemp("book"), book_frames(), "book")


#: One more database to hold to the same agreement, e.g. the 2,000,000-account demo
#: (``benchmarks/RESULTS.md``): ``CS_DASHBOARD_AGREEMENT_DB=URL pytest tests/test_consistency.py
#: -k extra`` (with ``CS_DASHBOARD_APPTEST_TIMEOUT`` in seconds for pages that take longer).
EXTRA = os.environ.get("CS_DASHBOARD_AGREEMENT_DB")


@pytest.fixture(params=["book", "demo", *(["extra"] if EXTRA else [])])
def source(request, book_url, demo_url) -> str:
    return {"book": book_url, "demo": demo_url, "extra": EXTRA}[request.param]


def cli(capsys, *args: str) -> dict:
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def frame_with(at, column: str) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if column in df.value.columns)


def deck(url: str, section: str):
    """The pack's slides at the data's latest month (text as a reader sees it) and the data
    behind each chart slide of ``section`` by slide name (the frames the deck drew and exported,
    before CSV's 16-digit rounding)."""
    from cs_dashboard import api
    from cs_dashboard.export import sections

    engine = make_engine(url)
    as_of = api.default_as_of(engine)
    pack = build_pack(engine, PackOptions(as_of, (section,)))
    built = sections.build(engine, section, sections.Request(as_of))
    return Presentation(io.BytesIO(pack.pptx)).slides, {s.name: s.data for s in built}


def slide_named(slides, headline_start: str):
    return next(s for s in slides if s.shapes.title is not None
                and s.shapes.title.text.startswith(headline_start))


def table_cells(slide) -> dict[str, list[str]]:
    table = next(s.table for s in slide.shapes if s.has_table)
    return {table.cell(r, 0).text: [table.cell(r, c).text for c in range(1, len(table.columns))]
            for r in range(1, len(table.rows))}


def test_the_portfolio_kpis_agree_on_the_cli_the_overview_and_the_deck(capsys, monkeypatch,
                                                                       source):
    metrics = cli(capsys, "metrics", "--db", source)
    shown = tiles(open_page(monkeypatch, source, "overview"))
    slides, _ = deck(source, "overview")
    kpis = table_cells(slides[1])
    assert shown["ARR"] == fmt_money(metrics["arr"])
    assert kpis["ARR"][0] == fmt_money(metrics["arr"], compact=False)
    assert kpis["Active accounts"][0] == f"{metrics['accounts']:,}"
    for tile, row, key in (("NRR (12m)", "NRR (trailing 12 months)", "nrr_12m"),
                           ("GRR (12m)", "GRR (trailing 12 months)", "grr_12m"),
                           ("Logo retention (12m)", "Logo retention (trailing 12 months)",
                            "logo_retention_12m")):
        assert shown[tile] == kpis[row][0] == fmt_pct(metrics[key])


def test_arr_at_risk_agrees_on_the_cli_both_pages_and_the_deck(capsys, monkeypatch, source):
    health = cli(capsys, "health", "--db", source)
    risk = health["arr_at_risk"]
    assert tiles(open_page(monkeypatch, source, "overview"))["ARR at risk"] == fmt_money(risk)
    assert tiles(open_page(monkeypatch, source, "health"))["ARR at risk (red)"] == fmt_money(risk)
    slides, data = deck(source, "health")
    assert slide_named(slides, "Red accounts hold").shapes.title.text.startswith(
        f"Red accounts hold {fmt_money(risk)} of ARR")
    by_band = data["arr_at_risk"].groupby("band")["arr"].sum()
    assert round(by_band["red"], 2) == risk


def test_tier_counts_shares_and_floors_agree_on_the_cli_the_page_and_the_deck(capsys,
                                                                                monkeypatch,
                                                                                source):
    tiers = cli(capsys, "metrics", "--db", source)["tiers"]
    page = frame_with(open_page(monkeypatch, source, "segmentation"), "share_accounts")
    _, data = deck(source, "segmentation")
    slide = data["arr_by_tier"]
    for i, tier in enumerate(tiers):
        for table in (page, slide):
            assert table["tier"].iloc[i] == tier["tier"]
            assert table["accounts"].iloc[i] == tier["accounts"]
            assert table["share_accounts"].iloc[i] == tier["share_accounts"]
            assert table["share_mrr"].iloc[i] == tier["share_mrr"]
        assert slide["floor_mrr"].iloc[i] == tier["floor_mrr"]
        assert page["floor_mrr"].iloc[i] == round(tier["floor_mrr"])  # the page shows whole dollars


def test_per_tier_retention_agrees_on_the_cli_and_the_retention_page(capsys, monkeypatch, source):
    by_tier = cli(capsys, "metrics", "--db", source)["retention_by_tier"]["tiers"]
    at = show_tab(open_page(monkeypatch, source, "retention"), "ret_tab", "NRR / GRR trends")
    page = frame_with(at, "base_accounts")
    for i, tier in enumerate(by_tier):
        assert page["tier"].iloc[i] == tier["tier"]
        assert (page["base_accounts"].iloc[i], page["retained"].iloc[i]) == \
            (tier["base_accounts"], tier["retained"])
        for column, key in (("nrr", "nrr_12m"), ("grr", "grr_12m"), ("logo", "logo_retention_12m")):
            value = page[column].iloc[i]
            assert (None if pd.isna(value) else value) == tier[key]


def test_csms_needed_and_costs_agree_on_the_cli_the_capacity_page_and_the_deck(capsys,
                                                                              monkeypatch, source):
    """The page opens on the Gainsight-midpoints preset, shipped as gainsight_book.json."""
    plan = cli(capsys, "capacity", "--db", source, "--scenario",
               str(ROOT / "data" / "scenarios" / "gainsight_book.json"))
    shown = tiles(open_page(monkeypatch, source, "capacity"))
    assert shown["CSMs needed"] == f"{plan['csm_heads']:,}"
    assert shown["Total CS team"] == f"{plan['total_heads']:,}"
    assert shown["Team cost"] == fmt_money(plan["team_cost"])
    assert shown["Team cost ÷ ARR"] == fmt_pct(plan["team_cost_share"])
    assert shown["ARR per required CSM"] == fmt_money(plan["arr_per_required_csm"])
    _, data = deck(source, "capacity")
    row = data["scenarios"].set_index("scenario").loc[plan["scenario"]]
    assert (row["csm_heads"], row["total_heads"]) == (plan["csm_heads"], plan["total_heads"])
    assert round(row["team_cost"], 4) == plan["team_cost"]
    assert round(row["csm_cost"], 4) == plan["csm_cost"]
    assert round(row["team_cost_share"], 4) == plan["team_cost_share"]
