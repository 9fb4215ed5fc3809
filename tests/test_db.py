"""The data layer: transactional writes, masking, app state, and portability to PostgreSQL."""

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from cs_dashboard import api, demo
from cs_dashboard.db import queries
from cs_dashboard.db.engine import make_engine, mask_text, mask_url
from cs_dashboard.db.state import AppState
from cs_dashboard.db.writer import replace_source
from cs_dashboard.filters import Filters

T = dt.date(2026, 1, 1)


def test_passwords_are_masked_in_urls_and_messages():
    url = "postgresql://cs:s3cr3t@db.example/prod"
    assert "s3cr3t" not in mask_url(url) and "***" in mask_url(url)
    assert mask_text("could not connect with s3cr3t", url) == "could not connect with ***"
    assert mask_url("not a url") == "<invalid database URL>"


def test_a_failed_write_leaves_the_previous_data_intact(tiny_url, tiny_frames):
    engine = make_engine(tiny_url)
    broken = dict(tiny_frames, mrr=tiny_frames["mrr"].assign(mrr="not a number"))
    with pytest.raises(Exception):  # noqa: B017 - any driver error will do
        replace_source(engine, broken)
    assert queries.table_counts(engine) == {"accounts": 4, "mrr": 40, "csms": 2}
    assert api.portfolio_at(engine, T).mrr == 500.0


def test_health_components_become_columns(tmp_path, tiny_frames):
    engine = make_engine(f"duckdb:///{tmp_path / 'h.duckdb'}")
    health = pd.DataFrame({"account_id": ["A"], "as_of": pd.to_datetime(["2026-01-01"]),
                           "usage": [80.0], "sponsor": [None]})
    replace_source(engine, dict(tiny_frames, health=health))
    assert queries.columns(engine)["health"] == ["account_id", "as_of", "usage", "sponsor"]


@pytest.mark.parametrize("backend", ["duckdb", "sqlite"])
def test_tables_written_in_chunks_equal_tables_written_whole(tmp_path, backend):
    spec = demo.DemoSpec(accounts=150, months=14, end=T)
    engines = {how: make_engine(f"{backend}:///{tmp_path / how}.db") for how in ("whole", "chunks")}
    assert replace_source(engines["whole"], demo.generate(spec)) == \
        replace_source(engines["chunks"], demo.generate_chunks(spec, chunk_accounts=40))
    for name in ("accounts", "mrr", "health", "csms"):
        read = {}
        for how, e in engines.items():
            with e.connect() as conn:
                read[how] = pd.read_sql(sa.text(f"SELECT * FROM {name}"), conn)
        pd.testing.assert_frame_equal(read["whole"], read["chunks"], check_exact=True)
        describe = (f"PRAGMA table_info({name})" if backend == "sqlite" else
                    f"SELECT column_name, data_type FROM information_schema.columns "
                    f"WHERE table_name = '{name}' ORDER BY ordinal_position")
        types = {}
        for how, e in engines.items():
            with e.connect() as conn:
                types[how] = [tuple(r) for r in conn.execute(sa.text(describe))]
        assert types["whole"] == types["chunks"] and types["whole"]


def test_a_chunked_write_that_fails_leaves_the_previous_data_and_no_staging_table(tiny_url,
                                                                                  tiny_frames):
    engine = make_engine(tiny_url)
    before = queries.table_counts(engine)

    def broken_chunks():
        yield tiny_frames["mrr"]
        raise RuntimeError("the source went away")

    with pytest.raises(RuntimeError):
        replace_source(engine, dict(tiny_frames, mrr=broken_chunks()))
    assert queries.table_counts(engine) == before
    with engine.connect() as conn:
        names = {r[0] for r in conn.execute(sa.text("SHOW TABLES"))}
    assert names == {"accounts", "mrr", "csms"}


def test_filter_options_list_distinct_values(tiny_url):
    options = queries.filter_options(make_engine(tiny_url))
    assert options["region"] == ["APAC", "EMEA", "North America"]
    assert options["csm"] == ["Ann", "Bob"]
    assert "industry" not in options  # the column is absent


def test_app_state_keeps_settings_and_scenarios(tmp_path):
    url = f"sqlite:///{tmp_path / 'state.sqlite'}"
    state = AppState(url)
    state.set("tier_rule", {"rule": "accounts", "cuts": [10, 30]})
    state.save_scenario("Option B", {"ratio": 15})
    again = AppState(url)
    assert again.get("tier_rule") == {"rule": "accounts", "cuts": [10, 30]}
    assert again.scenario_names() == ["Option B"]
    assert again.bump_data_version("src") == 1 and again.data_version("src") == 1
    again.delete_scenario("Option B")
    assert again.scenario_names() == []


def test_month_index_sql_agrees_with_python_on_sqlite():
    engine = sa.create_engine("sqlite://")
    expr = queries.month_index_sql(sa.literal(dt.date(2026, 10, 1), sa.Date))
    with engine.connect() as conn:
        assert conn.execute(sa.select(expr)).scalar_one() == 2026 * 12 + 9


@pytest.mark.postgres
def test_postgresql_gives_the_same_metrics_as_duckdb(pg_url, demo_url, demo_frames):
    pg = make_engine(pg_url)
    replace_source(pg, demo_frames)
    duck = make_engine(demo_url)
    as_of = api.default_as_of(duck)
    assert api.default_as_of(pg) == as_of
    for filters in (Filters(), Filters.of(region=["EMEA"], segment=["SMB", "Mid-Market"])):
        for month in (as_of, dt.date(as_of.year - 1, as_of.month, 1)):
            a = api.portfolio_at(duck, month, filters).to_json()
            b = api.portfolio_at(pg, month, filters).to_json()
            assert a.keys() == b.keys()
            assert a.pop("as_of") == b.pop("as_of")
            assert a == pytest.approx(b, rel=1e-12)
    assert queries.filter_options(pg) == queries.filter_options(duck)
    assert queries.mrr_by_month(pg).equals(queries.mrr_by_month(duck))


@pytest.mark.postgres
def test_sqlite_gives_the_same_metrics_as_duckdb(tmp_path, tiny_url, tiny_frames):
    lite = make_engine(f"sqlite:///{tmp_path / 'lite.sqlite'}")
    replace_source(lite, tiny_frames)
    assert api.portfolio_at(lite, T) == api.portfolio_at(make_engine(tiny_url), T)


@pytest.mark.parametrize("backend", ["duckdb", "sqlite"])
def test_account_attributes_are_typed_alike_on_every_backend(tmp_path, tiny_frames, backend):
    url = (f"duckdb:///{tmp_path / 'a.duckdb'}" if backend == "duckdb"
           else f"sqlite:///{tmp_path / 'a.sqlite'}")
    engine = make_engine(url)
    replace_source(engine, tiny_frames)
    attrs = queries.account_attributes(engine, ["customer_since", "region", "nonexistent"])
    assert list(attrs.columns) == ["account_id", "customer_since", "region"]
    assert attrs.set_index("account_id").loc["A", "customer_since"] == dt.date(2023, 5, 10)
    assert queries.account_mrr_at(engine, T).sort_values("account_id")["mrr"].tolist() == \
        [150.0, 50.0, 300.0]


def test_money_keeps_its_cents_in_storage(tmp_path, tiny_frames):
    engine = make_engine(f"duckdb:///{tmp_path / 'cents.duckdb'}")
    cents = tiny_frames["mrr"].assign(mrr=tiny_frames["mrr"]["mrr"] + 0.37)
    replace_source(engine, dict(tiny_frames, mrr=cents))
    assert queries.account_mrr_at(engine, T)["mrr"].sum() == 500.0 + 3 * 0.37
    assert api.portfolio_at(engine, T).mrr == pytest.approx(501.11, abs=1e-9)
