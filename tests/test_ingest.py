"""Import validation: every bad case is reported with file, row, column, value and reason."""

import io

import pandas as pd
import pytest

from cs_dashboard.ingest import load_tables

ACCOUNTS = b"account_id,account_name,region\nA1,Alpha,EMEA\nA2,Beta,APAC\n"
MRR = b"account_id,month,mrr\nA1,2026-01-01,100\nA2,2026-01-01,250.5\nA1,2026-02-01,120\n"


def load(accounts=ACCOUNTS, mrr=MRR, **others):
    files = {"accounts": ("accounts.csv", accounts), "mrr": ("mrr.csv", mrr)}
    files.update({t: (f"{t}.csv", data) for t, data in others.items()})
    return load_tables(files)


def only_problem(result):
    assert not result.ok and result.frames == {}
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    return result.problems[0]


def test_good_files_come_out_typed():
    result = load()
    assert result.ok
    mrr = result.frames["mrr"]
    assert mrr["mrr"].tolist() == [100.0, 250.5, 120.0]
    assert str(mrr["month"].dtype).startswith("datetime64")


def test_column_names_match_ignoring_case_spaces_and_underscores():
    result = load(accounts=b"Account ID,Account-Name\nA1,Alpha\nA2,Beta\n",
                  mrr=b"ACCOUNT_ID, Month ,MRR\nA1,2026-01-01,1\n")
    assert result.ok
    assert list(result.frames["accounts"].columns)[:2] == ["account_id", "account_name"]


def test_an_explicit_mapping_names_the_remaining_columns():
    result = load_tables({"accounts": ("a.csv", b"customer\nA1\n"),
                          "mrr": ("m.csv", b"customer,period,revenue\nA1,2026-01,5\n")},
                         {"accounts": {"customer": "account_id"},
                          "mrr": {"customer": "account_id", "period": "month", "revenue": "mrr"}})
    assert result.ok


@pytest.mark.parametrize(("mrr", "row", "column", "value", "reason"), [
    (b"account_id,month\nA1,2026-01-01\n", None, "mrr", None, "missing required column 'mrr'"),
    (b"account_id,month,mrr\nA1,2026-01-01,-5\n", 2, "mrr", "-5", "negative"),
    (b"account_id,month,mrr\nA1,2026-01-01,lots\n", 2, "mrr", "lots", "not a number"),
    (b"account_id,month,mrr\nZ9,2026-01-01,5\n", 2, "account_id", "Z9", "unknown account_id"),
    (b"account_id,month,mrr\nA1,2026-01-01,5\nA1,2026-01-15,6\n", 3, "month", "2026-01-15",
     "duplicate (account_id, month)"),
    (b"account_id,month,mrr\nA1,15 Jan 2026,5\n", 2, "month", "15 Jan 2026", "not a date"),
    (b"account_id,month,mrr\nA1,01/02/2026,5\n", None, "month", "01/02/2026",
     "fits both month-first and day-first"),
    (b"account_id,month,mrr\nA1,2026-01-01,\n", 2, "mrr", "", "empty value"),
])
def test_each_bad_mrr_case_names_row_column_value_and_reason(mrr, row, column, value, reason):
    problem = only_problem(load(mrr=mrr))
    assert (problem.file, problem.row, problem.column) == ("mrr.csv", row, column)
    assert problem.value == value or (value is None and problem.value is None) or value == ""
    assert reason in problem.reason


def test_duplicate_account_ids_are_reported_on_the_second_row():
    problem = only_problem(load(accounts=b"account_id\nA1\nA2\nA1\n"))
    assert (problem.file, problem.row, problem.column, problem.value) == \
        ("accounts.csv", 4, "account_id", "A1")
    assert "duplicate account_id" in problem.reason


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "the file is empty"),
    (b"   \n", "the file is empty"),
    (b"account_id,name\n", "header but no data rows"),
    (b"\x00\x01\x02binary\x00", "cannot decode"),
    (b"account_id,Account ID\nA1,A1\n", "duplicate column"),
])
def test_unreadable_accounts_files_are_reported(data, reason):
    problem = only_problem(load(accounts=data))
    assert problem.file == "accounts.csv"
    assert reason in problem.reason


def test_every_problem_is_reported_at_once():
    mrr = b"account_id,month,mrr\nA1,2026-01-01,-1\nZ9,bad,x\nA2,2026-01-01,5\n"
    result = load(mrr=mrr)
    found = sorted((p.row, p.column, p.reason.split(" (")[0].split(";")[0]) for p in result.problems)
    assert result.problem_count == 4
    assert found == [(2, "mrr", "negative"), (3, "account_id", "unknown account_id"),
                     (3, "month", "not a date"), (3, "mrr", "not a number")]


@pytest.mark.parametrize(("health", "ok", "reason"), [
    (b"account_id,as_of,usage,nps\nA1,2026-01-01,80,\nA2,2026-01-01,70,40\n", True, None),
    (b"account_id,as_of,score\nA1,2026-01-01,101\n", False, "above 100"),
    (b"account_id,as_of,usage\nA1,2026-01-01,-3\n", False, "negative"),
    (b"account_id,as_of\nA1,2026-01-01\n", False, "needs a 'score' column"),
    (b"account_id,as_of,score\nA1,2026-01-01,50\nA1,2026-01-01,60\n", False, "duplicate"),
])
def test_health_scores_must_be_within_0_to_100(health, ok, reason):
    result = load(health=health)
    assert result.ok is ok
    if reason:
        assert any(reason in p.reason for p in result.problems)


def test_months_move_to_the_first_day_with_a_warning():
    result = load(mrr=b"account_id,month,mrr\nA1,2026-01-17,5\nA2,2026-02,7\n")
    assert result.ok
    assert result.frames["mrr"]["month"].dt.day.tolist() == [1, 1]
    assert any("moved to the first day" in w for w in result.warnings)


@pytest.mark.parametrize(("text", "value"), [
    ('"$1,234.50"', 1234.5), ("€ 99", 99.0), ("1234", 1234.0), ('"12,500"', 12500.0),
])
def test_money_with_currency_symbols_and_thousands_separators_is_parsed(text, value):
    result = load(mrr=f"account_id,month,mrr\nA1,2026-01-01,{text}\n".encode())
    assert result.ok, [str(p) for p in result.problems]
    assert result.frames["mrr"]["mrr"].iloc[0] == value


def test_other_encodings_and_delimiters_are_read():
    latin = "account_id;account_name\nA1;Café Zürich\nA2;Beta\n".encode("cp1252")
    utf16 = "account_id,month,mrr\nA1,2026-01-01,5\n".encode("utf-16")
    result = load(accounts=latin, mrr=utf16)
    assert result.ok
    assert result.frames["accounts"]["account_name"].iloc[0] == "Café Zürich"


def test_excel_workbooks_use_the_sheet_named_after_the_table():
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer) as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="notes", index=False)
        pd.DataFrame({"account_id": ["A1", "A2"]}).to_excel(writer, sheet_name="Accounts",
                                                            index=False)
    result = load_tables({"accounts": ("book.xlsx", buffer.getvalue()), "mrr": ("mrr.csv", MRR)})
    assert result.ok
    assert result.frames["accounts"]["account_id"].tolist() == ["A1", "A2"]


def test_both_required_files_must_be_given():
    result = load_tables({"accounts": ("a.csv", ACCOUNTS)})
    assert not result.ok
    assert any("mrr file is required" in p.reason for p in result.problems)


def test_a_row_with_extra_fields_is_a_problem_not_a_shifted_row():
    problem = only_problem(load(mrr=b"account_id,month,mrr\nA1,2026-01-01,$1,234.50\n"))
    assert "expected 3 fields in line 2" in problem.reason


def test_a_later_row_with_extra_fields_names_its_line():
    mrr = b"account_id,month,mrr\nA1,2026-01-01,5\nA2,2026-01-01,1,000\n"
    assert "expected 3 fields in line 3, saw 4" in only_problem(load(mrr=mrr)).reason
