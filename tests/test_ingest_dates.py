"""Dates as exports write them: one reading per column, refusals that say how to choose."""

import pandas as pd
import pytest

from cs_dashboard.ingest import load_tables
from cs_dashboard.ingest.dates import DateFormat, DateFormatError, read_column
from cs_dashboard.ingest.mapping import ImportOptions


def read(values, choice=None):
    result = read_column(pd.Series(values, dtype=object),
                         DateFormat.parse(choice) if choice else None)
    return result, result.parsed.dt.strftime("%Y-%m-%d").fillna("NaT").tolist()


@pytest.mark.parametrize(("values", "expected", "reading"), [
    (["2024-03-15", "2024-03", "2024/3/5", "2024-03-15T23:30:00-05:00", "2024-03-15 00:00:00"],
     ["2024-03-15", "2024-03-01", "2024-03-05", "2024-03-15", "2024-03-15"], "ISO (YYYY-MM-DD)"),
    (["3/15/2022", "4/1/2023", "12/31/2024 10:30 AM"], ["2022-03-15", "2023-04-01", "2024-12-31"],
     "month-first (MM/DD/YYYY), as '3/15/2022' shows"),
    (["15.03.2022", "01.04.2023", "2024-05-06"], ["2022-03-15", "2023-04-01", "2024-05-06"],
     "day-first (DD/MM/YYYY), as '15.03.2022' shows"),
    (["04-01-2023", "13-01-2023"], ["2023-01-04", "2023-01-13"],
     "day-first (DD/MM/YYYY), as '13-01-2023' shows"),
])
def test_a_column_takes_its_order_from_the_values_that_can_only_be_read_one_way(values, expected,
                                                                                reading):
    result, dates = read(values)
    assert (dates, result.reading, result.refusal) == (expected, reading, None)


@pytest.mark.parametrize(("values", "refusal", "example"), [
    (["03/04/2022", "1/2/2023"], "every date fits both month-first and day-first", "03/04/2022"),
    (["3/15/2022", "15/3/2022"], "mixes month-first dates (such as '3/15/2022') and day-first",
     "15/3/2022"),
    (["3/15/22"], "two-digit years are not accepted", "3/15/22"),
])
def test_a_column_that_cannot_be_read_one_way_is_refused_whole(values, refusal, example):
    result, dates = read(values)
    assert refusal in result.refusal and result.example == example
    assert set(dates) == {"NaT"}


def test_the_refusal_says_how_to_choose_on_the_cli_in_a_mapping_file_and_on_the_data_page():
    refusal = read(["03/04/2022"])[0].refusal
    assert "--date-format MM/DD/YYYY or DD/MM/YYYY" in refusal
    assert "'date_format' in a mapping file" in refusal and "the Data page" in refusal


@pytest.mark.parametrize(("choice", "values", "expected"), [
    ("MM/DD/YYYY", ["03/04/2022", "2024-01-02"], ["2022-03-04", "2024-01-02"]),
    ("DD/MM/YYYY", ["03/04/2022", "3/15/2022"], ["2022-04-03", "NaT"]),
    ("%d.%m.%Y", ["15.03.2022", "15.03.2022 10:00"], ["2022-03-15", "2022-03-15"]),
    ("YYYYMMDD", ["20240315"], ["2024-03-15"]),
])
def test_a_chosen_format_reads_every_value_that_is_not_iso(choice, values, expected):
    result, dates = read(values, choice)
    assert dates == expected and result.reading == f"as chosen: {choice}"


@pytest.mark.parametrize(("text", "message"), [
    ("DD/MM/YY", "two-digit years are not accepted"),
    ("%d/%m/%y", "two-digit years (%y) are not accepted"),
    ("%d/%m", "needs a four-digit year"),
    ("soon", "not understood"),
])
def test_unusable_date_formats_are_refused_with_the_reason(text, message):
    with pytest.raises(DateFormatError, match=message.replace("(", r"\(").replace(")", r"\)")):
        DateFormat.parse(text)


US_ACCOUNTS = b"account_id,customer_since\nA1,3/15/2022\nA2,4/1/2023\n"
AMBIGUOUS_MRR = b"account_id,month,mrr\nA1,1/1/2025,5\nA2,2/1/2025,7\n"


def test_an_ambiguous_column_imports_nothing_and_names_file_column_and_value():
    result = load_tables({"accounts": ("a.csv", US_ACCOUNTS), "mrr": ("m.csv", AMBIGUOUS_MRR)})
    assert not result.ok and result.frames == {}
    [problem] = result.problems
    assert (problem.file, problem.row, problem.column, problem.value) == \
        ("m.csv", None, "month", "1/1/2025")
    assert result.reports["accounts"].dates["customer_since"].startswith("month-first")


def test_the_chosen_order_imports_the_same_files():
    result = load_tables({"accounts": ("a.csv", US_ACCOUNTS), "mrr": ("m.csv", AMBIGUOUS_MRR)},
                         options=ImportOptions(date_format="MM/DD/YYYY"))
    assert result.ok
    assert result.frames["mrr"]["month"].dt.strftime("%Y-%m").tolist() == ["2025-01", "2025-02"]


def test_excel_date_cells_keep_working(tmp_path):
    path = tmp_path / "accounts.xlsx"
    pd.DataFrame({"account_id": ["A1"], "customer_since": pd.to_datetime(["2022-03-15"])}) \
        .to_excel(path, index=False)
    result = load_tables({"accounts": ("accounts.xlsx", path.read_bytes()),
                          "mrr": ("m.csv", b"account_id,month,mrr\nA1,2025-01,5\n")})
    assert result.ok
    assert result.frames["accounts"]["customer_since"].iloc[0] == pd.Timestamp("2022-03-15")
