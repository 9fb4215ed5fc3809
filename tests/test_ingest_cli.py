"""``import`` and ``validate`` on exports as they come: the summary, the mapping file, the
date format, and a US-locale Salesforce export reaching a correct Overview."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cs_dashboard import api
from cs_dashboard.cli import main
from cs_dashboard.db.engine import make_engine
from tests.conftest import ROOT

SAMPLES = ROOT / "data" / "samples"
SALESFORCE = ["--accounts", str(SAMPLES / "salesforce_accounts.csv"),
              "--mrr", str(SAMPLES / "salesforce_mrr.csv")]
MAPPING = ["--mapping", str(SAMPLES / "salesforce_mapping.toml")]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_us_salesforce_export_with_dollar_amounts_reaches_the_hand_computed_overview(tmp_path,
                                                                                       capsys):
    url = f"duckdb:///{tmp_path / 'sf.duckdb'}"
    code, out, err = run(capsys, "import", "--db", url, "--json", *SALESFORCE, *MAPPING)
    assert code == 0, err
    assert json.loads(out)["mrr"] == 40
    assert "40 month values moved to the first day of their month" in err
    overview = api.portfolio_at(make_engine(url), dt.date(2026, 1, 1))
    # T-12 base: Northwind $1,234.50, Bluefield $2,000.00, Cedar $750.25 = $3,984.75;
    # at T: Northwind $1,500, Bluefield $500, Delta (new) $3,000.
    assert (overview.accounts, overview.mrr, overview.arr) == (3, 5000.0, 60000.0)
    assert overview.nrr_12m == pytest.approx(2000 / 3984.75, abs=1e-12)
    assert overview.grr_12m == pytest.approx((1234.50 + 500) / 3984.75, abs=1e-12)
    assert overview.logo_retention_12m == pytest.approx(2 / 3, abs=1e-12)


def test_validate_prints_what_would_be_imported(capsys):
    code, out, _ = run(capsys, "validate", *SALESFORCE, *MAPPING)
    assert code == 0
    for line in ("accounts: salesforce_accounts.csv, 4 rows, comma-separated, UTF-8",
                 "  dates in customer_since: month-first (MM/DD/YYYY), as '3/15/2022' shows",
                 "  dates in month: month-first (MM/DD/YYYY), as '1/31/2025' shows",
                 "  2026-01          5,000.00 USD",
                 "valid: nothing was imported (validate only)"):
        assert line in out.splitlines(), line
    assert "Account Owner -> csm (Salesforce label)" in out
    assert "ignored: Type (not a field of accounts); Annual Revenue" in out


def test_validate_json_carries_the_mapping_to_reuse(capsys, tmp_path):
    code, out, _ = run(capsys, "validate", "--json", *SALESFORCE, *MAPPING)
    summary = json.loads(out)
    assert code == 0 and summary["status"] == "valid"
    assert summary["tables"]["mrr"]["first_rows"][0] == {
        "account_id": "0015g00000AaNWL", "month": "2025-01-01", "mrr": 1234.5}
    assert summary["mrr_by_month"][-1] == {"month": "2026-01", "mrr": 5000.0}
    saved = tmp_path / "mapping.json"
    saved.write_text(json.dumps(summary["mapping"]))
    code, again, _ = run(capsys, "validate", "--json", *SALESFORCE, "--mapping", str(saved))
    assert code == 0 and json.loads(again)["mrr_by_month"] == summary["mrr_by_month"]


def test_ambiguous_dates_are_refused_with_the_file_column_and_the_flag_to_use(tmp_path, capsys):
    (tmp_path / "a.csv").write_text("account_id\nA1\nA2\n")
    (tmp_path / "m.csv").write_text("account_id,month,mrr\nA1,01/02/2025,5\nA2,02/02/2025,5\n")
    argv = ["validate", "--accounts", str(tmp_path / "a.csv"), "--mrr", str(tmp_path / "m.csv")]
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "m.csv, column month: every date fits both month-first and day-first" in err
    assert "--date-format MM/DD/YYYY or DD/MM/YYYY" in err
    code, out, _ = run(capsys, *argv, "--date-format", "DD/MM/YYYY", "--json")
    assert code == 0
    assert [m["month"] for m in json.loads(out)["mrr_by_month"]] == ["2025-02"]


@pytest.mark.parametrize(("extra", "message"), [
    (["--date-format", "DD/MM/YY"], "--date-format: date format 'DD/MM/YY': two-digit years"),
    (["--currency", "dollars"], "--currency: not a currency code"),
    (["--mapping", "/nonexistent/map.toml"], "no such file for --mapping"),
])
def test_unusable_options_exit_2_with_a_message(capsys, extra, message):
    code, _, err = run(capsys, "validate", *SALESFORCE, *extra)
    assert code == 2 and message in err


def test_a_mapping_file_with_an_unknown_field_names_the_file_and_the_place(tmp_path, capsys):
    (tmp_path / "m.toml").write_text('[columns.mrr]\n"MRR (USD)" = "revenue"\n')
    code, _, err = run(capsys, "validate", *SALESFORCE, "--mapping", str(tmp_path / "m.toml"))
    assert code == 2 and "m.toml: columns.mrr: 'revenue' not a field of mrr" in err
