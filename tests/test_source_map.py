"""Warehouse tables in place: a source mapping read through ``schema.reflect``.

The same portfolio stored as our tables, and stored as a team's own schema with other table and
column names (and other column types), must give the same answer to every command; a mapping
that does not fit says every mismatch at once; nothing is ever written to a mapped source.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cs_dashboard import api, demo
from cs_dashboard.cli import main
from cs_dashboard.db import queries, source_map
from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.source_map import SourceMapError
from cs_dashboard.db.writer import replace_source
from tests.conftest import DEMO_END, write_duckdb

T = dt.date(2026, 1, 1)

#: Our tables as a warehouse might hold them: schema ``analytics``, other names and types.
MODELS = [
    "CREATE SCHEMA analytics",
    "CREATE TABLE analytics.dim_customers AS SELECT account_id AS customer_id, account_name, "
    "csm AS owner_name, region AS sales_region, segment, customer_since, 'x' AS notes FROM accounts",
    "CREATE TABLE analytics.fct_mrr_raw AS SELECT account_id AS customer_id, "
    "CAST(month AS TIMESTAMP) AS revenue_month, CAST(mrr AS DECIMAL(14, 2)) AS mrr_usd FROM mrr",
    "CREATE VIEW analytics.mrr_monthly AS SELECT * FROM analytics.fct_mrr_raw",
    "CREATE TABLE analytics.team AS SELECT csm AS full_name, role, hours_per_week, annual_cost "
    "FROM csms",
]
HEALTH_MODEL = ("CREATE TABLE analytics.health_scores AS SELECT *, account_id AS customer_id, "
                "as_of AS snapshot_date, 'text beside the scores' AS comment FROM health")
MAPPING = """
[source]
url = "{url}"
[source.accounts]
table = "analytics.dim_customers"
columns = {{ customer_id = "account_id", owner_name = "csm", sales_region = "region" }}
[source.mrr]
table = "analytics.mrr_monthly"
columns = {{ customer_id = "account_id", revenue_month = "month", mrr_usd = "mrr" }}
[source.csms]
table = "analytics.team"
columns = {{ full_name = "csm" }}
"""
HEALTH_MAPPING = """[source.health]
table = "analytics.health_scores"
columns = { customer_id = "account_id", snapshot_date = "as_of", account_id = "", as_of = "" }
"""


def build_models(url: str, frames: dict, health: bool = False) -> None:
    """``frames`` stored as our tables, copied into the ``analytics`` models, ours dropped."""
    engine = make_engine(url)
    replace_source(engine, frames)
    with engine.begin() as conn:
        for statement in MODELS + ([HEALTH_MODEL] if health else []):
            conn.exec_driver_sql(statement)
        for table in ("accounts", "mrr", "health", "csms"):
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
    engine.dispose()


def use_mapping(monkeypatch, tmp_path, text: str) -> None:
    path = tmp_path / "cs_dashboard.toml"
    path.write_text(text)
    monkeypatch.setenv(source_map.ENV_CONFIG, str(path))


@pytest.fixture
def mapped_tiny(monkeypatch, tmp_path, tiny_frames) -> str:
    url = f"duckdb:///{tmp_path / 'warehouse.duckdb'}"
    build_models(url, tiny_frames)
    use_mapping(monkeypatch, tmp_path, MAPPING.format(url=url))
    return url


def test_the_hand_computed_portfolio_reads_the_same_through_the_mapping(mapped_tiny):
    engine = make_engine(mapped_tiny)
    portfolio = api.portfolio_at(engine, T)
    assert (portfolio.accounts, portfolio.mrr, portfolio.nrr_12m, portfolio.grr_12m) == \
        (3, 500.0, 0.5, 0.375)
    assert queries.filter_options(engine)["region"] == ["APAC", "EMEA", "North America"]
    attrs = queries.account_attributes(engine, ["customer_since"]).set_index("account_id")
    assert attrs.loc["A", "customer_since"] == dt.date(2023, 5, 10)
    assert queries.columns(engine)["csms"] == ["csm", "role", "hours_per_week", "annual_cost"]


def test_every_command_answers_a_demo_alike_from_our_tables_and_from_the_models(
        monkeypatch, tmp_path, capsys):
    frames = demo.generate(demo.DemoSpec(accounts=200, months=24, end=DEMO_END))
    ours = write_duckdb(tmp_path, frames, "ours")
    commands = [["metrics"], ["movements"], ["cohorts", "--basis", "net", "--period", "quarter"],
                ["survival", "--by", "segment"], ["health"], ["segment", "--rule", "revenue",
                                                              "--cuts", "45,75"]]
    expected = {}
    for command in commands:
        assert main([*command, "--db", ours, "--json"]) == 0
        expected[command[0]] = json.loads(capsys.readouterr().out)
    url = f"duckdb:///{tmp_path / 'models.duckdb'}"
    build_models(url, frames, health=True)
    use_mapping(monkeypatch, tmp_path, MAPPING.format(url=url) + HEALTH_MAPPING)
    for command in commands:
        assert main([*command, "--db", url, "--json"]) == 0, capsys.readouterr().err
        got = json.loads(capsys.readouterr().out)
        for result in (got, expected[command[0]]):
            if isinstance(result, dict):
                result.pop("database", None)
        assert got == expected[command[0]], command
    assert expected["metrics"]["as_of"] == f"{DEMO_END:%Y-%m}"


def test_a_mapping_that_does_not_fit_reports_every_mismatch_in_one_message(monkeypatch, tmp_path,
                                                                           mapped_tiny):
    broken = (MAPPING.format(url=mapped_tiny).replace("owner_name", "owner")
              .replace("analytics.mrr_monthly", "analytics.dim_customers")
              .replace('mrr_usd = "mrr"', 'notes = "mrr"')
              + '[source.health]\ntable = "analytics.health_scores"\n')
    use_mapping(monkeypatch, tmp_path, broken)
    with pytest.raises(SourceMapError) as raised:
        api.portfolio_at(make_engine(mapped_tiny), T)
    message = str(raised.value)
    parts = message.split(": ", 1)[1].split("; ")
    assert "\n" not in message and message.startswith("the source mapping in ")
    assert parts == ["accounts: analytics.dim_customers has no column owner (mapped to csm)",
                     "mrr: analytics.dim_customers has no column revenue_month (mapped to month)",
                     "mrr: analytics.dim_customers.notes is VARCHAR, mrr needs a number",
                     "health: no table or view analytics.health_scores"]


@pytest.mark.parametrize(("entry", "message"), [
    ('[source.accounts]\ntable = "a.b"\ncolumns = { x = "acount_id" }\n',
     "maps x to 'acount_id', not a column of accounts"),
    ('[source.mrr]\ncolumns = { x = "mrr" }\n', '[source.mrr] needs table = "schema.table_or_view"'),
    ('[source.mrr]\ntable = "a.b"\ncolumns = { x = "mrr", y = "mrr" }\n',
     "maps more than one column to mrr"),
    ('[source.revenue]\ntable = "a.b"\n', "unknown key(s) revenue"),
])
def test_a_mapping_file_that_cannot_be_used_names_the_place(entry, message):
    with pytest.raises(SourceMapError, match=message.replace("[", r"\[").replace("]", r"\]")
                       .replace("(", r"\(").replace(")", r"\)")):
        source_map.parse(f'[source]\nurl = "duckdb:///x"\n{entry}'.encode(), "cs_dashboard.toml")


def test_text_columns_beside_the_scores_are_not_components(monkeypatch, tmp_path, tiny_frames):
    frames = dict(tiny_frames, health=tiny_frames["accounts"][["account_id"]].assign(
        as_of=T, usage=80.0))
    url = f"duckdb:///{tmp_path / 'h.duckdb'}"
    build_models(url, frames, health=True)
    use_mapping(monkeypatch, tmp_path, MAPPING.format(url=url) + HEALTH_MAPPING)
    assert queries.columns(make_engine(url))["health"] == ["account_id", "as_of", "usage"]


def test_the_mapping_applies_to_its_own_database_only(mapped_tiny, tiny_url):
    assert source_map.for_engine(make_engine(mapped_tiny)) is not None
    assert source_map.for_engine(make_engine(tiny_url)) is None
    assert source_map.SourceMap("x", "postgresql://u:a@h:5432/db", ()).applies_to(
        "postgresql+psycopg2://u:b@h:5432/db")


def test_nothing_is_ever_imported_into_a_mapped_source(mapped_tiny, tiny_frames, tmp_path, capsys):
    with pytest.raises(SourceMapError, match="read through the source mapping"):
        replace_source(make_engine(mapped_tiny), tiny_frames)
    (tmp_path / "a.csv").write_text("account_id\nX\n")
    (tmp_path / "m.csv").write_text("account_id,month,mrr\nX,2026-01,5\n")
    code = main(["import", "--db", mapped_tiny, "--accounts", str(tmp_path / "a.csv"),
                 "--mrr", str(tmp_path / "m.csv")])
    assert code == 1 and "nothing was imported" in capsys.readouterr().err
    assert api.portfolio_at(make_engine(mapped_tiny), T).mrr == 500.0


@pytest.mark.postgres
def test_postgres_models_in_their_own_schema_read_by_a_read_only_role(monkeypatch, tmp_path,
                                                                      pg_url, tiny_frames):
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    base = make_url(pg_url)
    with admin.connect() as conn:
        conn.exec_driver_sql("CREATE DATABASE mapped_models")
        conn.exec_driver_sql("CREATE ROLE cs_reader LOGIN")
    owner_url = base.set(database="mapped_models").render_as_string(hide_password=False)
    reader_url = base.set(database="mapped_models", username="cs_reader", password=None) \
        .render_as_string(hide_password=False)
    try:
        build_models(owner_url, tiny_frames)
        owner = sa.create_engine(owner_url)
        with owner.begin() as conn:
            conn.exec_driver_sql("GRANT USAGE ON SCHEMA analytics TO cs_reader")
            conn.exec_driver_sql("GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO cs_reader")
        use_mapping(monkeypatch, tmp_path, MAPPING.format(url=reader_url))
        reader = make_engine(reader_url)
        portfolio = api.portfolio_at(reader, T)
        assert (portfolio.accounts, portfolio.mrr, portfolio.nrr_12m, portfolio.grr_12m,
                portfolio.logo_retention_12m) == (3, 500.0, 0.5, 0.375, 2 / 3)
        assert queries.mrr_by_month(reader)["mrr"].sum() == \
            pytest.approx(tiny_frames["mrr"]["mrr"].sum())
        with pytest.raises(SourceMapError, match="read through the source mapping"):
            replace_source(reader, tiny_frames)
        with owner.begin() as conn:
            conn.exec_driver_sql("REVOKE SELECT ON analytics.mrr_monthly FROM cs_reader")
        with pytest.raises(SourceMapError, match="mrr: cannot read analytics.mrr_monthly "
                                                 r"\(permission denied"):
            api.portfolio_at(make_engine(reader_url), T)
        reader.dispose()
        owner.dispose()
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql("DROP DATABASE IF EXISTS mapped_models WITH (FORCE)")
            conn.exec_driver_sql("DROP ROLE IF EXISTS cs_reader")
        admin.dispose()
