"""The "Data source" label and the demo mark: what slides, notes and chart footnotes call the
data, and how the app knows it is the demo portfolio."""

from __future__ import annotations

import pytest

from cs_dashboard.cli import main
from cs_dashboard.db.engine import mask_url
from cs_dashboard.db.state import DEMO_LABEL, MAX_LABEL_LENGTH, AppState, database_name


@pytest.mark.parametrize(("url", "name"), [
    ("postgresql+psycopg2://analyst:s3cret@db.internal.example.com:5432/sales", "sales"),
    ("postgresql+psycopg2://analyst:***@db.internal.example.com:5432/sales", "sales"),
    ("postgresql://db.internal.example.com", "PostgreSQL database"),
    ("duckdb:////srv/customers/acme/cs_dashboard.duckdb", "cs_dashboard"),
    ("duckdb:///data/acme.duckdb", "acme"),
    ("duckdb:///:memory:", "DuckDB database"),
    ("sqlite:///C:\\Users\\ann\\crm.sqlite", "crm"),
    ("sqlite:///file:/srv/crm.db?mode=ro&uri=true", "crm"),
    ("snowflake://ann:pw@acme-xy123/CRM/PUBLIC?warehouse=WH", "CRM.PUBLIC"),
    ("bigquery://my-project/cs_dataset", "cs_dataset"),
    ("not a url", "database"),
])
def test_the_database_name_has_no_driver_host_port_user_password_or_folder(url, name):
    assert database_name(url) == name


@pytest.fixture
def state(tmp_path) -> AppState:
    return AppState(f"sqlite:///{tmp_path / 'state.sqlite'}")


SOURCE = "duckdb:////srv/customers/acme.duckdb"


def test_the_default_label_is_the_database_name_and_no_demo_mark(state):
    assert state.demo_accounts(SOURCE) is None
    assert state.source_label(SOURCE) == "acme"


def test_a_demo_load_marks_the_source_and_labels_it_demo_portfolio(state):
    state.bump_data_version(SOURCE, demo_accounts=2000)
    assert state.demo_accounts(SOURCE) == 2000
    assert state.source_label(SOURCE) == DEMO_LABEL == "Demo portfolio"


def test_an_import_after_the_demo_clears_the_mark(state):
    state.bump_data_version(SOURCE, demo_accounts=2000)
    version = state.bump_data_version(SOURCE)
    assert version == 2
    assert state.demo_accounts(SOURCE) is None
    assert state.source_label(SOURCE) == "acme"


def test_a_saved_label_wins_is_tidied_and_an_empty_one_restores_the_default(state):
    state.bump_data_version(SOURCE, demo_accounts=50)
    assert state.set_source_label(SOURCE, "  CRM export,\n March ") == "CRM export, March"
    assert state.source_label(SOURCE) == "CRM export, March"
    assert state.set_source_label(SOURCE, "x" * 200) == "x" * MAX_LABEL_LENGTH
    assert state.set_source_label(SOURCE, "   ") == DEMO_LABEL
    assert state.source_label("duckdb:////other.duckdb") == "other"


def test_the_demo_command_marks_its_database_and_an_import_clears_the_mark(
        tmp_path, tiny_frames, capsys):
    url = f"duckdb:///{tmp_path / 'mine.duckdb'}"
    assert main(["demo", "--db", url, "--accounts", "40", "--months", "13",
                 "--end", "2026-11"]) == 0
    state = AppState()
    assert state.demo_accounts(mask_url(url)) == 40
    assert state.source_label(mask_url(url)) == "Demo portfolio"
    files = []
    for table in ("accounts", "mrr"):
        path = tmp_path / f"{table}.csv"
        tiny_frames[table].to_csv(path, index=False)
        files += [f"--{table}", str(path)]
    assert main(["import", "--db", url, *files]) == 0
    assert state.demo_accounts(mask_url(url)) is None
    assert state.source_label(mask_url(url)) == "mine"
