"""The bad-input corpus (tests/data/bad/): each file yields a correct import or a clear report.

Never a traceback and never a partial import: every case runs through ``load_tables`` and
through the CLI into a database holding the tiny portfolio, which must be intact after a
rejected import.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cs_dashboard.cli import main
from cs_dashboard.db import queries
from cs_dashboard.db.engine import make_engine
from cs_dashboard.ingest import load_tables
from cs_dashboard.ingest.read import read_header
from tests.conftest import ROOT

BAD = ROOT / "tests" / "data" / "bad"
ACCOUNTS = b"account_id,account_name,region\nA1,Alpha,EMEA\nA2,Beta,APAC\n"
MRR = b"account_id,month,mrr\nA1,2026-01-01,100\nA2,2026-01-01,250\n"

#: file -> (table it is given as, reason expected in the report; None = imports correctly)
CORPUS: dict[str, tuple[str, str | None]] = {
    "semicolon.csv": ("accounts", None),
    "tab.csv": ("mrr", None),
    "pipe.csv": ("mrr", None),
    "colon_delimiter.csv": ("accounts", "missing required column 'account_id'"),
    "mixed_delimiters.csv": ("mrr", "unknown account_id"),
    "utf16_bom.csv": ("accounts", None),
    "utf16le_no_bom.csv": ("accounts", None),
    "utf16be_bom.csv": ("mrr", None),
    "latin1.csv": ("accounts", None),
    "utf8_bom.csv": ("accounts", None),
    "binary.csv": ("accounts", "it looks binary"),
    "quoted_newlines.csv": ("accounts", None),
    "formulas.csv": ("accounts", None),
    "control_chars.csv": ("accounts", None),
    "long_field.csv": ("accounts", None),
    "long_number.csv": ("mrr", "not a number"),
    "empty.csv": ("accounts", "the file is empty"),
    "blank_lines.csv": ("mrr", "the file is empty"),
    "header_only.csv": ("mrr", "header but no data rows"),
    "duplicate_headers.csv": ("accounts", "duplicate column"),
    "ragged_rows.csv": ("mrr", "expected 3 fields in line 3, saw 4"),
    "missing_column.csv": ("mrr", "missing required column 'mrr'"),
    "dates_accepted.csv": ("mrr", None),
    "dates_ambiguous.csv": ("mrr", "fits both month-first and day-first"),
    "dates_month_first.csv": ("accounts", None),
    "dates_day_first.csv": ("accounts", None),
    "dates_mixed_orders.csv": ("accounts", "mixes month-first dates"),
    "dates_two_digit_year.csv": ("accounts", "two-digit years are not accepted"),
    "money_accepted.csv": ("mrr", None),
    "money_rejected.csv": ("mrr", "not a number"),
    "several_sheets.xlsx": ("accounts", None),
    "unnamed_sheets.xlsx": ("accounts", None),
    "empty_sheet.xlsx": ("accounts", "is empty"),
    "corrupt.xlsx": ("accounts", "cannot read the Excel file"),
}


def files_with(name: str) -> dict[str, tuple[str, bytes]]:
    table, _ = CORPUS[name]
    files = {"accounts": ("accounts.csv", ACCOUNTS), "mrr": ("mrr.csv", MRR)}
    files[table] = (name, (BAD / name).read_bytes())
    return files


def test_the_corpus_covers_every_committed_file():
    committed = {p.name for p in BAD.iterdir() if p.suffix != ".py"}
    assert committed == set(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_bad_file_yields_a_clear_report_or_a_correct_import(name):
    _, reason = CORPUS[name]
    result = load_tables(files_with(name))
    if reason is None:
        assert result.ok, [str(p) for p in result.problems]
        assert result.problem_count == 0
    else:
        assert not result.ok and result.frames == {}
        assert any(reason in p.reason for p in result.problems), [str(p) for p in result.problems]
        assert all(p.file == name for p in result.problems)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_bad_file_through_the_cli_never_tracebacks_nor_half_imports(name, tmp_path, tiny_url,
                                                                          tiny_frames, capsys):
    table, reason = CORPUS[name]
    paths = {"accounts": tmp_path / "accounts.csv", "mrr": tmp_path / "mrr.csv"}
    paths["accounts"].write_bytes(ACCOUNTS)
    paths["mrr"].write_bytes(MRR)
    paths[table] = BAD / name
    code = main(["import", "--db", tiny_url, "--accounts", str(paths["accounts"]),
                 "--mrr", str(paths["mrr"])])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    counts = queries.table_counts(make_engine(tiny_url))
    if reason is None:
        assert code == 0, err
        assert counts["accounts"] == 2
    else:
        assert code == 2 and reason in err
        assert "nothing was imported" in err
        assert counts == {t: len(f) for t, f in tiny_frames.items()}


@pytest.mark.parametrize(("name", "column", "expected"), [
    ("semicolon.csv", "region", ["EMEA", "APAC"]),
    ("utf16_bom.csv", "account_name", ["Café Zürich", "Søren ApS"]),
    ("utf16le_no_bom.csv", "account_name", ["Café Zürich", "Søren ApS"]),
    ("latin1.csv", "account_name", ["Café Zürich", "Ærøskøbing Ltd"]),
    ("utf8_bom.csv", "account_id", ["A1", "A2"]),
    ("quoted_newlines.csv", "account_name", ["Alpha\nNorth, Inc.", 'Beta "B"']),
    ("formulas.csv", "account_name", ['=HYPERLINK("http://x","y")', "@SUM(A1:A9)"]),
    ("formulas.csv", "csm", ["+cmd", "-2+3"]),
    ("control_chars.csv", "account_name", ["Alpha[31m", "Beta"]),
    ("several_sheets.xlsx", "account_name", ["Alpha", "Beta"]),
    ("unnamed_sheets.xlsx", "account_id", ["A1", "A2"]),
])
def test_accepted_account_files_keep_their_text_exactly(name, column, expected):
    result = load_tables(files_with(name))
    assert result.frames["accounts"][column].tolist() == expected


@pytest.mark.parametrize(("name", "warning"), [
    ("semicolon.csv", "separated by ';'"),
    ("latin1.csv", "read as Windows-1252"),
    ("utf16le_no_bom.csv", "read as UTF-16"),
    ("control_chars.csv", "control characters removed"),
    ("unnamed_sheets.xlsx", "used the first sheet 'Sheet1' of 2"),
    ("dates_accepted.csv", "1 month values moved to the first day"),
])
def test_guesses_the_importer_makes_are_stated_as_warnings(name, warning):
    assert any(warning in w for w in load_tables(files_with(name)).warnings)


def test_a_million_character_name_is_stored_whole():
    result = load_tables(files_with("long_field.csv"))
    assert len(result.frames["accounts"]["account_name"].iloc[0]) == 1_000_000


def test_a_huge_bad_value_is_shortened_in_the_report():
    problem = load_tables(files_with("long_number.csv")).problems[0]
    assert (problem.row, problem.column) == (2, "mrr") and len(problem.value) == 200


@pytest.mark.parametrize(("name", "table", "column", "values"), [
    ("dates_accepted.csv", "mrr", "month", ["2026-01-01", "2026-01-01", "2026-02-01", "2026-02-01",
                                            "2026-03-01", "2026-03-01"]),
    ("dates_month_first.csv", "accounts", "customer_since", ["2022-03-15", "2023-04-01"]),
    ("dates_month_first.csv", "accounts", "renewal_date", ["2027-03-15", "2027-04-01"]),
    ("dates_day_first.csv", "accounts", "customer_since", ["2022-03-15", "2023-04-01"]),
])
def test_every_documented_date_form_is_read(name, table, column, values):
    dates = load_tables(files_with(name)).frames[table][column]
    assert dates.dt.strftime("%Y-%m-%d").tolist() == values


@pytest.mark.parametrize(("name", "column", "reading"), [
    ("dates_accepted.csv", "month", "ISO (YYYY-MM-DD)"),
    ("dates_month_first.csv", "customer_since", "month-first (MM/DD/YYYY), as '3/15/2022' shows"),
    ("dates_day_first.csv", "customer_since", "day-first (DD/MM/YYYY), as '15.03.2022' shows"),
])
def test_the_preview_says_how_each_date_column_was_read(name, column, reading):
    table, _ = CORPUS[name]
    assert load_tables(files_with(name)).reports[table].dates[column] == reading


def test_money_with_symbols_and_thousands_separators_is_parsed():
    mrr = load_tables(files_with("money_accepted.csv")).frames["mrr"]["mrr"]
    assert mrr.tolist() == [1234.5, 99.0, 5.0, 1_000_000.0, 42.5]


def test_rejected_money_and_dates_are_each_named_by_row():
    money = {(p.row, p.value): p.reason for p in load_tables(files_with("money_rejected.csv")).problems}
    assert money == {(2, "1234,50"): "not a number", (3, "12 EUR"): "not a number",
                     (4, "1.234.567"): "not a number", (5, "-$5"): "negative",
                     (6, "1e999"): "not a number"}
    dates = [(p.row, p.value) for p in load_tables(files_with("dates_ambiguous.csv")).problems]
    assert dates == [(None, "03/01/2026"), (3, "1 March 2026"), (4, "2026-13-01"), (5, "20260301")]


def test_one_workbook_can_hold_both_tables_on_named_sheets():
    book = (BAD / "several_sheets.xlsx").read_bytes()
    result = load_tables({"accounts": ("book.xlsx", book), "mrr": ("book.xlsx", book)})
    assert result.ok
    assert result.frames["mrr"]["mrr"].tolist() == [100.0, 250.0]


def test_a_file_over_the_upload_limit_is_refused_with_the_setting_to_change(monkeypatch):
    monkeypatch.setenv("CS_DASHBOARD_MAX_UPLOAD_MB", "0.0001")
    result = load_tables({"accounts": ("accounts.csv", ACCOUNTS), "mrr": ("mrr.csv", MRR * 3)})
    reasons = [p.reason for p in result.problems]
    assert not result.ok
    assert any("over the 0 MB limit" in r and "CS_DASHBOARD_MAX_UPLOAD_MB" in r for r in reasons)


def write_million(directory) -> None:
    """50,000 accounts x 20 months = 1,000,000 MRR rows as CSV files in ``directory``."""
    accounts = pd.DataFrame({"account_id": [f"A{i:05d}" for i in range(50_000)]})
    months = pd.period_range("2024-09", periods=20, freq="M").strftime("%Y-%m-%d")
    mrr = pd.DataFrame({"account_id": accounts["account_id"].repeat(20).to_numpy(),
                        "month": list(months) * 50_000, "mrr": 100.0})
    accounts.to_csv(directory / "accounts.csv", index=False)
    mrr.to_csv(directory / "mrr.csv", index=False)


def cli_import(url, directory) -> int:
    return main(["import", "--db", url, "--accounts", str(directory / "accounts.csv"),
                 "--mrr", str(directory / "mrr.csv")])


def test_a_million_mrr_rows_import_in_full(tmp_path, capsys):
    write_million(tmp_path)
    url = f"duckdb:///{tmp_path / 'million.duckdb'}"
    code = cli_import(url, tmp_path)
    assert code == 0, capsys.readouterr().err
    assert queries.table_counts(make_engine(url)) == {"accounts": 50_000, "mrr": 1_000_000}


def test_one_bad_cell_in_a_million_rows_imports_nothing(tmp_path, tiny_url, tiny_frames, capsys):
    write_million(tmp_path)
    path = tmp_path / "mrr.csv"
    path.write_text(path.read_text().rstrip("\n").rsplit("\n", 1)[0] + "\nA49999,2026-04-01,oops\n")
    code = cli_import(tiny_url, tmp_path)
    err = capsys.readouterr().err
    assert code == 2
    assert "mrr.csv, row 1000001, column mrr: not a number (value 'oops')" in err
    assert queries.table_counts(make_engine(tiny_url)) == {t: len(f) for t, f in tiny_frames.items()}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                      "cp1252"])
def test_the_data_page_reads_the_header_of_a_large_file_from_its_start(encoding):
    big = "Account ID;Näme\n" + "A1;Zoë\n" * 20_000
    assert read_header(big.encode(encoding), "big.csv", "accounts") == ["Account ID", "Näme"]
