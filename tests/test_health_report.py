"""``api.health.health_report``: one result object that the Health page, the board pack's health
slides and ``health --json`` present; on hand-built data and on the demo they agree exactly."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from cs_dashboard.api import health as api_health
from cs_dashboard.cli import main
from cs_dashboard.db.engine import make_engine
from cs_dashboard.export import sections
from cs_dashboard.export.sections import Request
from cs_dashboard.health import BAND_ORDER, UNSCORED, ScoreSettings
from cs_dashboard.months import add_months, label
from tests.conftest import DEMO_END, write_duckdb
from tests.test_db_health import MIX_BY_HAND, S, T, health_frames

BANDS = (*BAND_ORDER, UNSCORED)


@pytest.fixture
def health_url(tmp_path) -> str:
    return write_duckdb(tmp_path, health_frames(), "health_report")


def band_figures(summary) -> dict[str, tuple[int, float]]:
    return {b: (summary.band(b).accounts, summary.band(b).arr) for b in BANDS}


def month_figures(mix: pd.DataFrame, month: dt.date) -> dict[str, tuple[int, float]]:
    rows = mix[mix["month"] == month]
    return {r.band: (int(r.accounts), float(r.arr)) for r in rows.itertuples()}


# --- Hand-built portfolio (health_frames, T = 2025-07) ----------------------------------------


def test_the_report_by_hand(health_url):
    """At T the active accounts by MRR are D 300, B 200, E 150, G 120, A 100. Default tiers
    (top 10% / next 20% of 5 accounts, halves up): High touch D, Low touch B, Tech touch the rest.
    """
    report = api_health.health_report(make_engine(health_url), T)
    assert report.as_of == T
    assert band_figures(report.summary) == MIX_BY_HAND[T]
    assert report.tiers == ("High touch", "Low touch", "Tech touch")
    by_tier = {(r.tier, r.band): (r.accounts, r.arr) for r in report.by_tier.itertuples()
               if r.accounts}
    assert by_tier == {("High touch", "unscored"): (1, 3600.0), ("Low touch", "green"): (1, 2400.0),
                       ("Tech touch", "red"): (1, 1200.0), ("Tech touch", "green"): (1, 1800.0),
                       ("Tech touch", "unscored"): (1, 1440.0)}
    assert len(report.by_tier) == 3 * 4
    assert report.months == tuple(dt.date(2025, m, 1) for m in range(1, 8))
    assert {m: month_figures(report.mix, m) for m in report.months} == MIX_BY_HAND
    assert report.thresholds == (70.0, 85.0)
    assert report.weights == (("usage", 1.0), ("adoption", 1.0))
    assert report.weight_shares == (("usage", 0.5), ("adoption", 0.5))


def test_every_month_of_the_mix_is_the_summary_of_that_month(health_url):
    engine = make_engine(health_url)
    report = api_health.health_report(engine, T)
    for month in report.months:
        assert report.at(month) == api_health.health_summary(engine, month)
    assert report.summary == api_health.health_summary(engine, T)
    assert report.at(add_months(S, -1)) is None


def test_arr_at_risk_by_tier_is_red_arr_and_half_of_yellow(health_url):
    engine = make_engine(health_url)
    # bands 60 / 90: A 55 red (1,200), B 85 yellow (2,400), E 90 green
    report = api_health.health_report(engine, T, bands=(60.0, 90.0))
    risk = report.risk_by_tier().set_index("tier")
    assert risk["at_risk"].to_dict() == {"High touch": 0.0, "Low touch": 0.0, "Tech touch": 1200.0}
    assert risk["at_risk_with_yellow"].to_dict() == {"High touch": 0.0, "Low touch": 1200.0,
                                                     "Tech touch": 1200.0}
    assert risk["arr"].to_dict() == {"High touch": 3600.0, "Low touch": 2400.0,
                                     "Tech touch": 1200.0 + 1800.0 + 1440.0}
    assert risk["red_accounts"].to_dict() == {"High touch": 0, "Low touch": 0, "Tech touch": 1}
    assert risk["at_risk"].sum() == report.summary.arr_at_risk


def test_the_red_share_of_arr_is_the_same_in_the_summary_and_the_mix(health_url):
    report = api_health.health_report(make_engine(health_url), T)
    # July: red 1,200 of 10,440; January: red 600 of 12,000
    assert report.summary.arr_at_risk_share == report.share("red") == 1200 / 10440
    assert report.share_change("red") == pytest.approx(1200 / 10440 - 600 / 12000)
    assert report.share("green", S, "accounts") == 2 / 7


def test_the_deck_headlines_agree_on_the_red_share(health_url):
    slides = sections.build(make_engine(health_url), "health", Request(T))
    assert [s.name for s in slides] == ["arr_at_risk", "band_mix"]
    risk, mix = slides
    assert risk.headline.endswith(", 11% of the book")
    assert mix.headline == ("Red accounts hold 11% of ARR, up 6 pts since January 2025; green "
                            "accounts hold 40%")
    assert "latest snapshot at or before that month" in mix.notes
    assert "Weights: usage 50%, adoption 50%." in mix.notes


def test_the_cli_json_gives_arr_by_tier_and_the_band_mix(capsys, health_url):
    assert main(["health", "--db", health_url, "--as-of", "2025-07", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by_tier"]["Tech touch"] == {"red": {"accounts": 1, "arr": 1200.0},
                                             "yellow": {"accounts": 0, "arr": 0.0},
                                             "green": {"accounts": 1, "arr": 1800.0},
                                             "unscored": {"accounts": 1, "arr": 1440.0}}
    assert list(data["band_mix"]) == [f"2025-{m:02d}" for m in range(1, 8)]
    assert {month: {b: (v["accounts"], v["arr"]) for b, v in bands.items()}
            for month, bands in data["band_mix"].items()} == \
        {label(m): figures for m, figures in MIX_BY_HAND.items()}
    assert data["band_mix"]["2025-07"]["green"]["share_arr"] == round(4200 / 10440, 6)
    assert data["arr_at_risk_share"] == round(1200 / 10440, 6)
    assert data["weight_shares"] == {"usage": 0.5, "adoption": 0.5}


def test_the_cli_says_when_the_saved_tier_rule_cannot_be_applied(capsys, tmp_path):
    from cs_dashboard.db.state import AppState
    from cs_dashboard.tiers import STATE_KEY, TierRule

    frames = health_frames()
    frames["accounts"] = frames["accounts"].drop(columns="segment")
    url = write_duckdb(tmp_path, frames, "no_segment")
    state = AppState()
    state.set(STATE_KEY, TierRule("segment").to_json())
    try:
        assert main(["health", "--db", url, "--as-of", "2025-07", "--json"]) == 0
    finally:
        state.set(STATE_KEY, TierRule().to_json())
    out, err = capsys.readouterr()
    assert ("warning: The tier rule cannot be used: the data has no 'segment' column to use as "
            "tiers. Using the default tiers.") in err
    assert list(json.loads(out)["by_tier"]) == ["High touch", "Low touch", "Tech touch"]


# --- The demo ----------------------------------------------------------------------------------


def test_on_the_demo_the_last_band_mix_month_is_the_summary_the_cli_and_the_deck(capsys, demo_url):
    engine = make_engine(demo_url)
    summary = api_health.health_summary(engine, DEMO_END)
    expected = band_figures(summary)
    assert summary.unscored.accounts > 0  # the old mix left accounts without a snapshot out

    mix = api_health.band_mix(engine, DEMO_END)
    assert mix["month"].iloc[-1] == DEMO_END and mix["month"].nunique() == 12
    assert month_figures(mix, DEMO_END) == expected

    assert main(["health", "--db", demo_url, "--as-of", label(DEMO_END), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    cli = {b: (v["accounts"], v["arr"]) for b, v in data["bands"].items()}
    assert {**cli, UNSCORED: (data["unscored"], data["unscored_arr"])} == expected
    assert {b: (v["accounts"], v["arr"]) for b, v in data["band_mix"][label(DEMO_END)].items()} \
        == expected
    assert data["arr_at_risk"] == summary.arr_at_risk

    risk, trend = sections.build(engine, "health", Request(DEMO_END, score=ScoreSettings()))
    by_band = risk.data.groupby("band")[["accounts", "arr"]].sum()
    assert {b: (int(by_band.loc[b, "accounts"]), float(by_band.loc[b, "arr"])) for b in BANDS} \
        == expected
    assert month_figures(trend.data, DEMO_END) == expected
    share = f"{summary.arr_at_risk_share:.0%}"
    assert risk.headline.endswith(f", {share} of the book")
    assert trend.headline.startswith(f"Red accounts hold {share} of ARR")
