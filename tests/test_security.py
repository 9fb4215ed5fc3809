"""Security: masked passwords, bound parameters, upload limits, read-only sources, separate state."""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import tomllib

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cs_dashboard import api
from cs_dashboard.cli import main
from cs_dashboard.db import queries
from cs_dashboard.db.engine import make_engine, mask_url, opens_read_only
from cs_dashboard.db.state import AppState
from cs_dashboard.db.writer import replace_source
from cs_dashboard.filters import Filters
from cs_dashboard.ingest import load_tables
from cs_dashboard.ingest.load import DEFAULT_MAX_UPLOAD_MB
from cs_dashboard.ingest.problems import problems_frame, spreadsheet_safe
from cs_dashboard.tiers import STATE_KEY
from tests.conftest import ROOT, open_page

T = dt.date(2026, 1, 1)
SECRET = "Sup3r-Secret-pw"
HOSTILE = ["EMEA'; DROP TABLE mrr; --", 'x" OR "1"="1', "') OR 1=1 --", "%", "_", "\\'"]


def with_password(url: str, password: str = SECRET) -> str:
    return make_url(url).set(password=password).render_as_string(hide_password=False)


def run(capsys, *argv) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


def page_text(at) -> str:
    """Every text an AppTest page shows: markdown, captions, alerts, metrics, charts' specs."""
    parts = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "exception",
                 "metric", "title", "header", "subheader", "text", "code", "json"):
        for element in at.get(kind):
            parts.append(str(getattr(element, "value", "")) + str(getattr(element, "label", "")))
    parts += [str(e.proto) for e in at.get("plotly_chart")]
    return "\n".join(parts)


def write_files(tmp_path, accounts: str, mrr: str):
    (tmp_path / "accounts.csv").write_text(accounts)
    (tmp_path / "mrr.csv").write_text(mrr)
    return ["--accounts", str(tmp_path / "accounts.csv"), "--mrr", str(tmp_path / "mrr.csv")]


# --- passwords -----------------------------------------------------------------------------


def test_mask_url_hides_the_password_and_keeps_the_rest():
    masked = mask_url(f"postgresql+psycopg2://analyst:{SECRET}@db.example.com:5432/cs")
    assert SECRET not in masked
    assert masked == "postgresql+psycopg2://analyst:***@db.example.com:5432/cs"


@pytest.mark.parametrize("command", [["metrics", "--json"], ["segment", "--json"],
                                     ["demo", "--accounts", "10", "--months", "13"]])
def test_cli_errors_on_an_unreachable_server_never_print_the_password(capsys, command):
    url = f"postgresql+psycopg2://analyst:{SECRET}@127.0.0.1:1/nowhere"
    code, text = run(capsys, command[0], "--db", url, *command[1:])
    assert code != 0
    assert SECRET not in text and "Traceback" not in text


def test_cli_import_into_an_unreachable_server_masks_the_password(capsys, tmp_path):
    url = f"postgresql+psycopg2://analyst:{SECRET}@127.0.0.1:1/nowhere"
    files = write_files(tmp_path, "account_id\nA1\n", "account_id,month,mrr\nA1,2026-01,5\n")
    code, text = run(capsys, "import", "--db", url, *files)
    assert code == 1 and "nothing was imported" in text
    assert SECRET not in text and "Traceback" not in text


def test_cli_output_and_logs_on_a_live_postgres_show_only_the_masked_url(capsys, caplog, pg_url,
                                                                        tmp_path):
    url = with_password(pg_url)
    files = write_files(tmp_path, "account_id\nA1\n", "account_id,month,mrr\nA1,2026-01,5\n")
    with caplog.at_level(logging.DEBUG):
        code, text = run(capsys, "import", "--db", url, "--json", *files)
        assert code == 0, text
        code, metrics = run(capsys, "metrics", "--db", url, "--json")
    assert code == 0
    assert SECRET not in text + metrics + caplog.text
    assert ":***@" in text


def test_pages_never_show_the_password_of_the_source(monkeypatch, pg_url, tiny_frames):
    url = with_password(pg_url)
    replace_source(make_engine(url), tiny_frames)
    for page in ("overview", "data"):
        at = open_page(monkeypatch, url, page)
        shown = page_text(at) + "".join(str(e.value) for e in at.sidebar.caption)
        assert SECRET not in shown
        if page == "data":
            assert ":***@" in shown  # where the data lives, masked: on the Data page only
        else:
            assert "127.0.0.1" not in shown and "Data source: postgres" in shown


def test_a_source_that_cannot_be_reached_is_reported_masked_on_the_page(monkeypatch):
    url = f"postgresql+psycopg2://analyst:{SECRET}@127.0.0.1:1/nowhere"
    at = open_page(monkeypatch, url, "data")
    shown = page_text(at) + "".join(str(e.value) for e in at.sidebar.caption)
    assert SECRET not in shown
    assert at.error, "the page says the source cannot be read"


# --- bound parameters ----------------------------------------------------------------------


def hostile_frames(tiny_frames) -> dict[str, pd.DataFrame]:
    frames = {k: v.copy() for k, v in tiny_frames.items()}
    frames["accounts"].loc[frames["accounts"]["account_id"] == "A", "region"] = HOSTILE[0]
    return frames


@pytest.fixture(params=["duckdb", "postgresql"])
def hostile_url(request, tmp_path, tiny_frames):
    if request.param == "duckdb":
        url = f"duckdb:///{tmp_path / 'hostile.duckdb'}"
    else:
        url = request.getfixturevalue("pg_url")
    replace_source(make_engine(url), hostile_frames(tiny_frames))
    return url


@pytest.mark.parametrize("value", HOSTILE)
def test_filter_values_with_quotes_and_sql_reach_the_database_as_data(hostile_url, tiny_frames,
                                                                     value):
    engine = make_engine(hostile_url)
    result = api.portfolio_at(engine, T, Filters.of(region=[value], segment=[value], csm=[value]))
    assert result.accounts == 0
    assert queries.table_counts(engine) == {t: len(f) for t, f in tiny_frames.items()}


def test_a_hostile_value_stored_in_the_data_is_matched_exactly(hostile_url):
    engine = make_engine(hostile_url)
    only_a = api.portfolio_at(engine, T, Filters.of(region=[HOSTILE[0]]))
    assert (only_a.accounts, only_a.mrr) == (1, 150.0)
    assert HOSTILE[0] in queries.filter_options(engine)["region"]


def test_a_hostile_health_column_name_is_stored_as_a_name(tmp_path):
    name = 'x") SELECT 1; DROP TABLE accounts; --'
    health = f'account_id,as_of,"{name}"\nA1,2026-01-01,50\n'.encode()
    result = load_tables({"accounts": ("a.csv", b"account_id\nA1\n"),
                          "mrr": ("m.csv", b"account_id,month,mrr\nA1,2026-01-01,5\n"),
                          "health": ("h.csv", health)})
    assert result.ok, [str(p) for p in result.problems]
    engine = make_engine(f"duckdb:///{tmp_path / 'h.duckdb'}")
    replace_source(engine, result.frames)
    assert queries.table_counts(engine) == {"accounts": 1, "mrr": 1, "health": 1}
    assert len(queries.columns(engine)["health"]) == 3


def test_sql_text_is_only_built_from_fixed_names():
    """Queries are SQLAlchemy Core with bound parameters; the few SQL strings the package
    builds itself use table names from ``schema.TABLES`` and quoted identifiers only."""
    allowed = {("cs_dashboard/db/writer.py", "DROP TABLE IF EXISTS"),
               ("cs_dashboard/db/writer.py", "INSERT INTO"),
               # a staging table (``TABLES`` name + suffix) swapped in under its own name
               ("cs_dashboard/db/writer.py", "ALTER TABLE"),
               # DuckDB's memory cap, an int
               ("cs_dashboard/db/engine.py", "SET")}
    pattern = re.compile(r"""(?:text|exec_driver_sql)\(\s*f["']([A-Z]+(?: [A-Z]+)*)""")
    found = set()
    for path in (ROOT / "cs_dashboard").rglob("*.py"):
        for match in pattern.finditer(path.read_text()):
            found.add((str(path.relative_to(ROOT)), match.group(1)))
    assert found <= allowed, found - allowed


# --- limits --------------------------------------------------------------------------------


def test_the_server_upload_limit_matches_the_importer_default():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == DEFAULT_MAX_UPLOAD_MB


def test_the_cli_refuses_a_file_over_the_limit_clearly(capsys, tmp_path, monkeypatch, tiny_url):
    monkeypatch.setenv("CS_DASHBOARD_MAX_UPLOAD_MB", "0.00005")
    files = write_files(tmp_path, "account_id\nA1\n", "account_id,month,mrr\n" + "A1,2026-01,5\n" * 20)
    code, text = run(capsys, "import", "--db", tiny_url, *files)
    assert code == 2
    assert "over the 0 MB limit (raise it with CS_DASHBOARD_MAX_UPLOAD_MB)" in text
    assert queries.table_counts(make_engine(tiny_url))["accounts"] == 4


def test_the_problem_report_download_defuses_spreadsheet_formulas():
    result = load_tables({"accounts": ("a.csv", b"account_id,seats\nA1,=1+2\nA2,-3\n"),
                          "mrr": ("m.csv", b"account_id,month,mrr\nA1,2026-01,@SUM(A1)\n")})
    report = spreadsheet_safe(problems_frame(result.problems))
    assert sorted(report["value"]) == ["'=1+2", "'@SUM(A1)", "-3"]


# --- read-only sources ---------------------------------------------------------------------


@pytest.fixture
def read_only(monkeypatch):
    monkeypatch.setenv("CS_DASHBOARD_READ_ONLY", "1")


def test_read_only_mode_applies_to_warehouses_not_to_the_embedded_database(read_only):
    from cs_dashboard.db.engine import DEFAULT_URL

    assert opens_read_only("duckdb:////data/warehouse.duckdb")
    assert opens_read_only("postgresql+psycopg2://u:p@h/db")
    assert opens_read_only("sqlite:////data/warehouse.sqlite")
    assert not opens_read_only(DEFAULT_URL)
    assert not opens_read_only("duckdb:///:memory:")


def test_read_only_is_off_unless_asked(monkeypatch):
    monkeypatch.delenv("CS_DASHBOARD_READ_ONLY", raising=False)
    assert not opens_read_only("postgresql+psycopg2://u:p@h/db")


def test_a_read_only_duckdb_source_reads_but_refuses_an_import(capsys, tmp_path, tiny_url, read_only):
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(make_url(tiny_url).database, copy)
    url = f"duckdb:///{copy}"
    code, text = run(capsys, "metrics", "--db", url, "--json")
    assert code == 0 and '"accounts": 3' in text
    files = write_files(tmp_path, "account_id\nX\n", "account_id,month,mrr\nX,2026-01,5\n")
    code, text = run(capsys, "import", "--db", url, *files)
    assert code == 1 and "open read-only" in text and "Traceback" not in text
    assert queries.table_counts(make_engine(url))["accounts"] == 4


def test_a_read_only_postgres_source_refuses_writes(read_only, capsys, tmp_path, pg_url, tiny_frames):
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CS_DASHBOARD_READ_ONLY")
        replace_source(make_engine(pg_url), tiny_frames)
    engine = make_engine(pg_url)
    assert api.portfolio_at(engine, T).accounts == 3
    with pytest.raises(sa.exc.DBAPIError, match="read-only"):
        replace_source(engine, tiny_frames)
    files = write_files(tmp_path, "account_id\nX\n", "account_id,month,mrr\nX,2026-01,5\n")
    code, text = run(capsys, "import", "--db", pg_url, *files)
    assert code == 1 and "open read-only" in text
    assert queries.table_counts(engine)["accounts"] == 4


def test_app_state_stays_writable_in_read_only_mode(read_only):
    state = AppState()
    state.set("security-test", {"ok": True})
    assert state.get("security-test") == {"ok": True}


# --- state apart from the source -----------------------------------------------------------


def test_saving_a_tier_rule_on_a_read_only_source_writes_only_app_state(monkeypatch, tmp_path,
                                                                       tiny_url, read_only):
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(make_url(tiny_url).database, copy)
    before = copy.read_bytes()
    state = AppState()
    previous = state.get(STATE_KEY)
    try:
        at = open_page(monkeypatch, f"duckdb:///{copy}", "segmentation")
        at.selectbox(key="seg_tiers").set_value(4).run()
        at.button(key="seg_save").click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert len(state.get(STATE_KEY)["names"]) == 4
    finally:
        with state.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM settings WHERE key = :k"), {"k": STATE_KEY})
        if previous is not None:
            state.set(STATE_KEY, previous)
    assert copy.read_bytes() == before
    engine = make_engine(f"duckdb:///{copy}")
    assert set(sa.inspect(engine).get_table_names()) == {"accounts", "mrr", "csms"}


def test_scenarios_and_data_versions_live_in_the_state_database(capsys, tmp_path, tiny_url):
    state = AppState()
    state.save_scenario("security-test", {"csms": 3})
    files = write_files(tmp_path, "account_id\nX\n", "account_id,month,mrr\nX,2026-01,5\n")
    version = state.data_version(mask_url(tiny_url))
    assert run(capsys, "import", "--db", tiny_url, *files)[0] == 0
    assert state.data_version(mask_url(tiny_url)) == version + 1
    assert state.load_scenario("security-test") == {"csms": 3}
    state.delete_scenario("security-test")
    source_tables = set(sa.inspect(make_engine(tiny_url)).get_table_names())
    assert source_tables == {"accounts", "mrr"}


def test_the_data_page_says_a_read_only_source_cannot_be_imported_into(monkeypatch, tmp_path,
                                                                       tiny_url, read_only):
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(make_url(tiny_url).database, copy)
    at = open_page(monkeypatch, f"duckdb:///{copy}", "data")
    assert any("opened read-only" in i.value for i in at.info)
    assert at.button(key="data_import").disabled
    assert any("Files up to 500 MB each" in m.value for m in at.markdown)
