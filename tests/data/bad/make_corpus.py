"""Writes the bad-input corpus in this folder: ``python tests/data/bad/make_corpus.py``.

The files are committed; this script documents exactly which bytes each one holds and lets
anyone rebuild them. What each file must produce is in ``tests/test_bad_inputs.py``. The
million-row file is generated at test time instead (it would be 30 MB).
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent

ACCOUNTS = "account_id,account_name,region\nA1,Alpha,EMEA\nA2,Beta,APAC\n"
MRR = "account_id,month,mrr\nA1,2026-01-01,100\nA2,2026-01-01,250\nA1,2026-02-01,120\n"


def text_files() -> dict[str, bytes]:
    long_name = "N" * 1_000_000
    return {
        # delimiters
        "semicolon.csv": ACCOUNTS.replace(",", ";").encode(),
        "tab.csv": MRR.replace(",", "\t").encode(),
        "pipe.csv": MRR.replace(",", "|").encode(),
        "colon_delimiter.csv": ACCOUNTS.replace(",", ":").encode(),
        "mixed_delimiters.csv": b"account_id,month,mrr\nA1;2026-01-01;100\nA2,2026-01-01,250\n",
        # encodings
        "utf16_bom.csv": ("account_id,account_name\nA1,Café Zürich\nA2,Søren ApS\n").encode("utf-16"),
        "utf16le_no_bom.csv": ("account_id,account_name\nA1,Café Zürich\nA2,Søren ApS\n")
        .encode("utf-16-le"),
        "utf16be_bom.csv": b"\xfe\xff" + "account_id,month,mrr\nA1,2026-01-01,100\nA2,2026-01,5\n"
        .encode("utf-16-be"),
        "latin1.csv": "account_id,account_name\nA1,Café Zürich\nA2,Ærøskøbing Ltd\n".encode("cp1252"),
        "utf8_bom.csv": b"\xef\xbb\xbf" + ACCOUNTS.encode(),
        "binary.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)),
        # content
        "quoted_newlines.csv": b'account_id,account_name\nA1,"Alpha\nNorth, Inc."\nA2,"Beta ""B"""\n',
        "formulas.csv": (b'account_id,account_name,csm\nA1,"=HYPERLINK(""http://x"",""y"")",+cmd\n'
                         b"A2,@SUM(A1:A9),-2+3\n"),
        "control_chars.csv": b"account_id,account_name\nA1,Al\x07pha\x1b[31m\nA2,Be\x00ta\n",
        "long_field.csv": f"account_id,account_name\nA1,{long_name}\nA2,Beta\n".encode(),
        "long_number.csv": f"account_id,month,mrr\nA1,2026-01-01,{'9' * 100_000}x\n".encode(),
        "empty.csv": b"",
        "blank_lines.csv": b"\n\n  \n",
        "header_only.csv": b"account_id,month,mrr\n",
        "duplicate_headers.csv": b"account_id,account_name,Account Name\nA1,Alpha,Alpha2\n",
        "ragged_rows.csv": b"account_id,month,mrr\nA1,2026-01-01,100\nA2,2026-01-01,1,000\n",
        "missing_column.csv": b"account_id,month\nA1,2026-01-01\n",
        # dates
        "dates_accepted.csv": (b"account_id,month,mrr\nA1,2026-01-01,1\nA2,2026-01,2\n"
                               b"A1,2026/02/01,3\nA2,2026-02-01T00:00:00,4\n"
                               b"A1,2026-03-01 00:00:00,5\nA2,2026-03-17,6\n"),
        "dates_ambiguous.csv": (b"account_id,month,mrr\nA1,03/01/2026,1\nA2,1 March 2026,2\n"
                                b"A1,2026-13-01,3\nA2,20260301,4\n"),
        "dates_month_first.csv": (b"account_id,customer_since,renewal_date\n"
                                  b"A1,3/15/2022,03/15/2027 10:30 AM\nA2,04/01/2023,4/1/2027\n"),
        "dates_day_first.csv": b"account_id,customer_since\nA1,15.03.2022\nA2,01.04.2023\n",
        "dates_mixed_orders.csv": b"account_id,customer_since\nA1,3/15/2022\nA2,15/3/2022\n",
        "dates_two_digit_year.csv": b"account_id,customer_since\nA1,3/15/22\nA2,4/1/22\n",
        # money
        "money_accepted.csv": ('account_id,month,mrr\nA1,2026-01-01,"$1,234.50"\n'
                               "A2,2026-01-01,€ 99\nA1,2026-02-01,£5\n"
                               'A2,2026-02-01,"1,000,000"\nA1,2026-03-01,  42.5  \n').encode(),
        "money_rejected.csv": (b'account_id,month,mrr\nA1,2026-01-01,"1234,50"\n'
                               b"A2,2026-01-01,12 EUR\nA1,2026-02-01,1.234.567\n"
                               b"A2,2026-02-01,-$5\nA1,2026-03-01,1e999\n"),
    }


def excel_files() -> dict[str, bytes]:
    several = io.BytesIO()
    with pd.ExcelWriter(several, engine="openpyxl") as writer:
        pd.DataFrame({"note": ["exported 2026-03-01"]}).to_excel(writer, sheet_name="Notes", index=False)
        pd.DataFrame({"account_id": ["A1", "A2"], "account_name": ["Alpha", "Beta"]}).to_excel(
            writer, sheet_name="Accounts", index=False)
        pd.DataFrame({"account_id": ["A1", "A2"], "month": pd.to_datetime(["2026-01-01"] * 2),
                      "mrr": [100.0, 250.0]}).to_excel(writer, sheet_name="MRR", index=False)
    unnamed = io.BytesIO()
    with pd.ExcelWriter(unnamed, engine="openpyxl") as writer:
        pd.DataFrame({"account_id": ["A1", "A2"]}).to_excel(writer, sheet_name="Sheet1", index=False)
        pd.DataFrame({"other": [1]}).to_excel(writer, sheet_name="Sheet2", index=False)
    empty_sheet = io.BytesIO()
    with pd.ExcelWriter(empty_sheet, engine="openpyxl") as writer:
        pd.DataFrame().to_excel(writer, sheet_name="Accounts", index=False)
    return {"several_sheets.xlsx": several.getvalue(), "unnamed_sheets.xlsx": unnamed.getvalue(),
            "empty_sheet.xlsx": empty_sheet.getvalue(),
            "corrupt.xlsx": several.getvalue()[:600]}


def main() -> None:
    for name, data in {**text_files(), **excel_files()}.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
