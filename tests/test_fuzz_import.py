"""Fuzzing the importer (fixed budget, deterministic): garbage never raises, good data round-trips.

Whatever the bytes, ``load_tables`` returns either typed tables and no problem, or problems and
no tables; never an exception and never a half result.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cs_dashboard.db.engine import make_engine
from cs_dashboard.db.writer import replace_source
from cs_dashboard.ingest import load_tables

FUZZ = settings(max_examples=100, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
GOOD_ACCOUNTS = b"account_id\nA1\nA2\n"
GOOD_MRR = b"account_id,month,mrr\nA1,2026-01-01,5\n"


def assert_whole(result) -> None:
    """Either a full import or a report, never both and never neither."""
    if result.ok:
        assert result.problems == [] and {"accounts", "mrr"} <= set(result.frames)
    else:
        assert result.frames == {} and result.problem_count >= len(result.problems) >= 1
        assert all(p.reason for p in result.problems)


@FUZZ
@given(data=st.binary(max_size=3000), name=st.sampled_from(["a.csv", "a.txt", "a.xlsx", "a"]),
       table=st.sampled_from(["accounts", "mrr", "health", "csms"]))
def test_arbitrary_bytes_never_raise(data, name, table):
    files = {"accounts": ("accounts.csv", GOOD_ACCOUNTS), "mrr": ("mrr.csv", GOOD_MRR)}
    files[table] = (name, data)
    assert_whole(load_tables(files))


HEADERS = ["account_id", "month", "mrr", "Account ID", "MRR", "as_of", "score", "csm", "x", "",
           "account_id", "usage"]
CELLS = st.one_of(
    st.sampled_from(["A1", "A2", "", " ", "2026-01-01", "2026-02", "01/02/2026", "$1,234.50",
                     "1234,50", "-5", "1e999", "nan", "=1+1", '"', '""', "\t", "€ 9", "101",
                     "3/15/2026", "15.03.2026", "3/15/26", "month", "year", "trialing", "EUR",
                     "2025-12-31T23:59:59Z"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)


SUBSCRIPTION_HEADERS = ["account_id", "start", "end", "amount", "interval", "quantity", "currency",
                        "plan_amount", "plan_interval", "customer_oid", "Status", "Trial End (UTC)",
                        "interval_count", "x", ""]


@st.composite
def csv_ish(draw, headers: list[str] = HEADERS) -> bytes:
    """Text that looks like CSV: a header of plausible names, rows of awkward cells, random
    delimiters, quoting, line endings and encodings."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|", ":"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    header = draw(st.lists(st.sampled_from(headers), min_size=1, max_size=5))
    width = st.integers(min_value=max(0, len(header) - 1), max_value=len(header) + 1)
    rows = draw(st.lists(width.flatmap(lambda n: st.lists(CELLS, min_size=n, max_size=n)),
                         max_size=8))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=quoting,
                        escapechar="\\")
    for row in [header, *rows]:
        try:
            writer.writerow(row)
        except csv.Error:  # e.g. a lone empty field without quoting: write it quoted
            csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerow(row)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"]))
    return buffer.getvalue().encode(encoding, errors="replace")


@FUZZ
@given(accounts=csv_ish(), mrr=csv_ish(), health=st.none() | csv_ish())
def test_csv_ish_text_never_raises(accounts, mrr, health):
    files = {"accounts": ("accounts.csv", accounts), "mrr": ("mrr.csv", mrr)}
    if health is not None:
        files["health"] = ("health.csv", health)
    assert_whole(load_tables(files))


@FUZZ
@given(subscriptions=csv_ish(SUBSCRIPTION_HEADERS), fx=st.none() | csv_ish(["currency", "month",
                                                                        "date", "rate", "x"]),
       accounts=st.none() | csv_ish())
def test_subscription_and_rate_files_never_raise(subscriptions, fx, accounts):
    files = {"subscriptions": ("subscriptions.csv", subscriptions)}
    if fx is not None:
        files["fx"] = ("fx.csv", fx)
    if accounts is not None:
        files["accounts"] = ("accounts.csv", accounts)
    result = load_tables(files, through=dt.date(2026, 1, 1))
    if result.ok:
        assert result.problems == [] and {"accounts", "mrr"} <= set(result.frames)
    else:
        assert result.frames == {} and result.problem_count >= len(result.problems) >= 1


ACCOUNT_IDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs",
                                                                                 "Zl", "Zp")),
                      min_size=1, max_size=10).filter(lambda s: s == s.strip())
MONTHS = st.integers(min_value=0, max_value=47).map(
    lambda i: dt.date(2023 + i // 12, i % 12 + 1, 1))
MONEY = st.integers(min_value=0, max_value=10**9).map(lambda cents: cents / 100)


@st.composite
def portfolio(draw):
    ids = draw(st.lists(ACCOUNT_IDS, min_size=1, max_size=6, unique=True))
    rows = draw(st.lists(st.tuples(st.sampled_from(ids), MONTHS, MONEY), min_size=1, max_size=20,
                         unique_by=lambda r: (r[0], r[1])))
    style = draw(st.sampled_from(["plain", "dollars", "month-only", "euro"]))
    return ids, rows, style


def written(ids, rows, style) -> dict[str, tuple[str, bytes]]:
    accounts, mrr = io.StringIO(), io.StringIO()
    csv.writer(accounts, lineterminator="\n").writerows([["account_id"]] + [[i] for i in ids])
    out = csv.writer(mrr, lineterminator="\n")
    out.writerow(["Account ID", "Month", "MRR"])
    for account, month, value in rows:
        text = {"plain": f"{value}", "dollars": f"${value:,.2f}", "month-only": f"{value:.2f}",
                "euro": f"€ {value:.2f}"}[style]
        out.writerow([account, month.strftime("%Y-%m" if style == "month-only" else "%Y-%m-%d"),
                      text])
    return {"accounts": ("accounts.csv", accounts.getvalue().encode()),
            "mrr": ("mrr.csv", mrr.getvalue().encode())}


@FUZZ
@given(portfolio())
def test_valid_generated_data_round_trips(generated):
    ids, rows, style = generated
    result = load_tables(written(ids, rows, style))
    assert result.ok, [str(p) for p in result.problems]
    assert result.frames["accounts"]["account_id"].tolist() == ids
    mrr = result.frames["mrr"]
    assert list(zip(mrr["account_id"], mrr["month"].dt.date, mrr["mrr"], strict=True)) == rows


@settings(max_examples=15, derandomize=True, deadline=None, database=None)
@given(portfolio())
def test_valid_generated_data_lands_in_the_database_unchanged(tmp_path_factory, generated):
    ids, rows, style = generated
    result = load_tables(written(ids, rows, style))
    engine = make_engine(f"duckdb:///{tmp_path_factory.mktemp('fuzz') / 'db.duckdb'}")
    replace_source(engine, result.frames)
    with engine.connect() as conn:
        stored = pd.read_sql("SELECT account_id, month, mrr FROM mrr", conn)
        stored_ids = pd.read_sql("SELECT account_id FROM accounts", conn)["account_id"]
    engine.dispose()
    assert sorted(stored_ids) == sorted(ids)
    got = sorted(zip(stored["account_id"], pd.to_datetime(stored["month"]).dt.date, strict=True))
    assert got == sorted((a, m) for a, m, _ in rows)
    assert stored["mrr"].sum() == pytest.approx(sum(v for *_, v in rows), rel=1e-6)
