"""The board pack's capacity slide presents ``api.capacity.shipped_scenarios`` on the tiny
portfolio: headline, data columns and notes, computed by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pytest
from pptx import Presentation

from cs_dashboard.capacity.result import TABLE_COLUMNS
from cs_dashboard.db.engine import make_engine
from cs_dashboard.export.pack import PackOptions, build_pack
from cs_dashboard.export.sections import Request
from cs_dashboard.export.sections import capacity as section

T = dt.date(2026, 1, 1)


@pytest.fixture
def slide(tiny_url):
    """Tiny book at 2026-01 (default tier rule): High touch 0, Low touch 1, Tech touch 2 accounts,
    $6,000 ARR; 2 CSMs on the roster. Every shipped data scenario needs under one CSM FTE."""
    [built] = section.build(make_engine(tiny_url), Request(T))
    return built


def test_the_headline_gives_the_csms_and_their_team_cost(slide):
    """1 CSM + 1 manager + 1 CS ops at $160k, $220k and $130k: a team cost of $510k."""
    assert slide.headline == "Every scenario needs 1 CSM (team cost $510.0k a year) against 2 today"


def test_the_data_names_csm_cost_team_cost_and_the_per_required_csm_ratios(slide):
    """Gainsight midpoints: 1/35 + 2/1000 = 0.030571 FTE; CSM cost = 0.030571 x $160k = $4,891;
    team cost $510k = 85 x ARR; $6,000 and 3 accounts per required CSM."""
    data = slide.data
    assert tuple(data.columns) == TABLE_COLUMNS
    assert data["scenario"].tolist() == ["50 customers per CSM", "Bottom-up hours", "Four-band spectrum",
                                         "Gainsight book midpoints"]
    row = data.set_index("scenario").loc["Gainsight book midpoints"]
    assert row["csm_fte"] == pytest.approx(1 / 35 + 2 / 1000)
    assert (row["csm_heads"], row["total_heads"]) == (1, 3)
    assert row["csm_cost"] == pytest.approx((1 / 35 + 2 / 1000) * 160_000)
    assert row["team_cost"] == 510_000
    assert row["team_cost_share"] == pytest.approx(510_000 / 6_000)
    assert (row["arr_per_required_csm"], row["accounts_per_required_csm"]) == (6_000, 3)


def test_the_notes_say_what_each_cost_sums_and_what_per_required_csm_divides_by(slide):
    assert "CSM cost (csm_cost) = required CSM FTE x fully loaded cost per CSM (the model)" in slide.notes
    assert ("Team cost (team_cost) = whole CSM heads plus managers and CS operations, each at their own "
            "cost (the budget)") in slide.notes
    assert "Team cost / ARR (team_cost_share) divides the team cost by ARR" in slide.notes
    assert "ARR and accounts per required CSM divide by the required CSM heads" in slide.notes
    assert "Left out: Wingtip team (reference book) (it models a book of its own)." in slide.notes


def test_the_bars_are_labelled_with_the_team_cost_and_its_share_of_arr(slide):
    spec = slide.chart.to_dict()
    bars = spec["vconcat"][0]["layer"][1]
    assert bars["encoding"]["x"]["title"] == "Required CSMs (whole heads)"
    labels = {row["scenario"]: row["label"] for row in spec["datasets"][bars["data"]["name"]]}
    assert labels["Gainsight book midpoints"] == "1 CSM · team cost $510.0k a year · 8500.0% of ARR"


def test_the_deck_carries_the_same_notes_and_the_csv_the_same_columns(tiny_url, slide):
    pack = build_pack(make_engine(tiny_url), PackOptions(T, ("capacity",)))
    prs = Presentation(io.BytesIO(pack.pptx))
    page = prs.slides[1]
    assert page.shapes.title.text == slide.headline
    assert page.notes_slide.notes_text_frame.text == slide.notes
    with zipfile.ZipFile(io.BytesIO(pack.zip)) as z:
        header = next(csv.reader(io.StringIO(z.read("02_capacity_scenarios.csv").decode())))
    assert tuple(header) == TABLE_COLUMNS
