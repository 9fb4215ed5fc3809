"""The audit trail: imports (app and CLI), source changes and saved settings are recorded with
who, when and what changed, without file content or passwords; admins see it on the Data page;
leaders' and csms' scenarios are their own."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cs_dashboard import api
from cs_dashboard.access.audit import changes, history_frame, size, summary
from cs_dashboard.api import health as api_health
from cs_dashboard.cli import main
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.state import AppState
from cs_dashboard.db.writer import load_source
from cs_dashboard.health import ScoreSettings
from cs_dashboard.tiers import TierRule
from tests.conftest import ROOT
from tests.test_page_access import signed_in

SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(params=["sqlite", "duckdb"])
def state(request, tmp_path) -> AppState:
    """The app state on SQLite (the default file) and on DuckDB (any URL may hold it)."""
    return AppState(f"{request.param}:///{tmp_path / 'state.db'}")


@pytest.mark.postgres
def test_the_trail_keeps_changes_in_order_on_postgresql(pg_url):
    trail = AppState(pg_url)
    trail.record("ann@example.com", "tier rule", {"old": "a", "new": "b"})
    trail.record("bob@example.com", "source", {"old": "postgresql://u:secret@h/db"})
    latest = trail.history(limit=2)
    assert [(e.who, e.action) for e in latest] == [("bob@example.com", "source"),
                                                   ("ann@example.com", "tier rule")]
    assert latest[0].details == {"old": "postgresql://u:***@h/db"}


def test_an_import_records_who_rows_and_files_but_no_content(tmp_path, tiny_frames, state):
    url = f"duckdb:///{tmp_path / 'src.duckdb'}"
    rows = load_source(make_engine(url), url, tiny_frames, state, who="ana@acme.test",
                       files={"accounts": ("accounts.csv", 2_345), "mrr": ("mrr.csv", 1_234_567)})
    [entry] = state.history()
    assert (entry.who, entry.action, entry.source) == ("ana@acme.test", "import", url)
    assert entry.details["rows"] == rows
    assert entry.details["files"][1] == {"kind": "mrr", "name": "mrr.csv", "bytes": 1_234_567}
    assert abs(entry.at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    stored = json.dumps(entry.details)
    assert not any(str(v) in stored for v in tiny_frames["accounts"]["account_name"])
    counted = ", ".join(f"{n:,} {table} rows" for table, n in rows.items())
    assert summary(entry) == f"{counted}; files: accounts.csv (2.3 kB), mrr.csv (1.2 MB)"


def test_the_command_line_import_is_recorded_with_its_files(tmp_path, monkeypatch, capsys):
    state_url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    monkeypatch.setenv("CS_DASHBOARD_STATE_URL", state_url)
    db = f"duckdb:///{tmp_path / 'cli.duckdb'}"
    accounts, mrr = SAMPLES / "accounts.csv", SAMPLES / "mrr.csv"
    assert main(["import", "--db", db, "--accounts", str(accounts), "--mrr", str(mrr)]) == 0
    [entry] = AppState(state_url).history()
    assert entry.who.startswith("command line") and entry.action == "import"
    assert {f["name"]: f["bytes"] for f in entry.details["files"]} == {
        "accounts.csv": accounts.stat().st_size, "mrr.csv": mrr.stat().st_size}


def test_passwords_never_reach_the_trail(state):
    secret = "postgresql://reader:s3cret@db.internal/sales"
    state.record("ana@acme.test", "source change", {"from": "duckdb:///x.duckdb", "to": secret},
                 secret)
    [entry] = state.history()
    assert "s3cret" not in json.dumps(entry.details) + entry.source
    assert entry.details["to"] == "postgresql://reader:***@db.internal/sales"


def test_saved_settings_record_old_and_new(state):
    api.save_tier_rule(state, TierRule("accounts", (5.0, 25.0), ("A", "B", "C")), "ana@acme.test")
    api_health.save_settings(state, ScoreSettings((), (60.0, 80.0)), who="ana@acme.test")
    state.set_source_label("duckdb:///x", "CRM export", who="ana@acme.test")
    state.set_source_label("duckdb:///x", "CRM export", who="ana@acme.test")  # no change
    label, score, rule = state.history()
    assert (label.action, score.action, rule.action) == ("source label", "health score",
                                                         "tier rule")
    assert summary(label) == "default → CRM export"
    assert summary(score) == "weights: default → {}; bands: default → [60, 80]"
    assert rule.details["old"] is None and rule.details["new"]["cuts"] == [5.0, 25.0]
    assert len(state.history()) == 3
    assert history_frame(state.history()).columns.tolist()[:3] == ["When (UTC)", "Who", "What"]


def test_the_summary_words():
    assert size(999) == "999 bytes" and size(2_345) == "2.3 kB" and size(3_400_000) == "3.4 MB"
    assert changes({"bands": [70.0, 85.0], "weights": {}},
                   {"bands": [60.0, 85.0], "weights": {}}) == "bands: [70, 85] → [60, 85]"
    assert changes({"a": 1}, {"a": 1}) == "no change"


def test_own_scenarios_are_private_and_shared_ones_are_an_admins(state):
    state.save_scenario("Plan", {"name": "Plan", "v": 1}, who="ana@acme.test")
    state.save_scenario("Mine", {"name": "Mine"}, owner="lee@acme.test", who="lee@acme.test")
    state.save_scenario("Plan", {"name": "Plan", "v": 2}, owner="lee@acme.test",
                        who="lee@acme.test")
    assert state.scenario_names() == ["Plan"]
    assert state.scenario_names("lee@acme.test") == ["Mine", "Plan"]
    assert state.scenario_names("ben@acme.test") == ["Plan"]
    assert state.load_scenario("Plan", "lee@acme.test")["v"] == 2
    assert state.load_scenario("Plan", "ben@acme.test")["v"] == 1
    assert not state.delete_scenario("Plan", "ben@acme.test", who="ben@acme.test")
    assert state.delete_scenario("Plan", "lee@acme.test", who="lee@acme.test")
    assert state.load_scenario("Plan", "lee@acme.test")["v"] == 1
    actions = [(e.who, e.action, e.details["shared"]) for e in state.history()]
    assert actions == [("lee@acme.test", "scenario deleted", False),
                       ("lee@acme.test", "scenario saved", False),
                       ("lee@acme.test", "scenario saved", False),
                       ("ana@acme.test", "scenario saved", True)]
    assert summary(state.history()[-1]) == "“Plan” (shared, new)"


def test_the_data_page_shows_admins_the_history_and_records_a_source_change(monkeypatch,
                                                                            demo_url):
    admin = signed_in(monkeypatch, demo_url, "ana@acme.test", page="data")
    admin.text_input(key="data_url").input("postgresql+psycopg2://u:s3cret@127.0.0.1:1/nowhere").run()
    admin.button(key="data_connect").click().run()
    [entry] = [e for e in AppState().history() if e.action == "source change"][:1]
    assert entry.who == "ana@acme.test" and entry.details["to"].endswith("u:***@127.0.0.1:1/nowhere")
    admin.button(key="data_default").click().run()
    assert "Recent changes" in [s.value for s in admin.subheader]
    table = admin.dataframe[-1].value
    assert table["What"].iloc[0] == "source change" and table["Who"].iloc[0] == "ana@acme.test"
    assert "s3cret" not in table.to_string()
    leader = signed_in(monkeypatch, demo_url, "lee@acme.test", page="data")
    assert "Recent changes" not in [s.value for s in leader.subheader]
