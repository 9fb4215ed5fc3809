"""The command line: demo, import, validate and metrics."""

import datetime as dt
import json

import pytest

from cs_dashboard.cli import main
from cs_dashboard.db import queries
from cs_dashboard.db.engine import make_engine
from tests.conftest import ROOT


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_metrics_json_has_the_documented_keys_and_hand_computed_values(capsys, tiny_url):
    code, out, _ = run(capsys, "metrics", "--db", tiny_url, "--as-of", "2026-01", "--json")
    data = json.loads(out)
    assert code == 0
    assert {k: data[k] for k in ("as_of", "accounts", "mrr", "arr")} == \
        {"as_of": "2026-01", "accounts": 3, "mrr": 500.0, "arr": 6000.0}
    assert data["nrr_12m"] == pytest.approx(0.5)
    assert data["grr_12m"] == pytest.approx(0.375)
    assert data["logo_retention_12m"] == pytest.approx(2 / 3)


def test_demo_builds_a_small_portfolio(capsys, tmp_path):
    url = f"duckdb:///{tmp_path / 'demo.duckdb'}"
    code, out, _ = run(capsys, "demo", "--db", url, "--accounts", "120", "--months", "14",
                       "--end", "2026-11", "--json")
    assert code == 0 and json.loads(out)["accounts"] == 120
    assert queries.table_counts(make_engine(url))["accounts"] == 120
    assert queries.month_range(make_engine(url)) == (dt.date(2025, 10, 1), dt.date(2026, 11, 1))
    code, out, _ = run(capsys, "demo", "--db", url, "--if-missing", "--json")
    assert "left as is" in json.loads(out)["status"]


def test_import_replaces_data_and_a_bad_import_changes_nothing(capsys, tmp_path, tiny_url):
    accounts = write(tmp_path, "accounts.csv", "account_id\nX1\nX2\n")
    good = write(tmp_path, "mrr.csv", "account_id,month,mrr\nX1,2026-03-01,10\nX2,2026-03,20\n")
    bad = write(tmp_path, "bad.csv", "account_id,month,mrr\nX1,2026-03-01,-10\nX9,2026-03,1\n")
    code, _, err = run(capsys, "import", "--db", tiny_url, "--accounts", accounts, "--mrr", bad)
    assert code == 2
    assert "bad.csv, row 2, column mrr: negative" in err
    assert "bad.csv, row 3, column account_id: unknown account_id" in err
    assert queries.table_counts(make_engine(tiny_url))["accounts"] == 4  # untouched
    code, out, _ = run(capsys, "import", "--db", tiny_url, "--accounts", accounts, "--mrr", good,
                       "--json")
    assert code == 0 and json.loads(out)["mrr"] == 2
    counts = queries.table_counts(make_engine(tiny_url))
    assert counts == {"accounts": 2, "mrr": 2}


def test_validate_reports_without_importing(capsys, tmp_path):
    accounts = write(tmp_path, "accounts.csv", "account_id\nX1\nX1\n")
    mrr = write(tmp_path, "mrr.csv", "account_id,month,mrr\nX1,2026-03-01,10\n")
    code, _, err = run(capsys, "validate", "--accounts", accounts, "--mrr", mrr)
    assert code == 2 and "row 3, column account_id: duplicate account_id" in err


def test_metrics_on_an_empty_database_exits_2_with_a_message(capsys, empty_url):
    code, _, err = run(capsys, "metrics", "--db", empty_url, "--json")
    assert code == 2 and "no revenue" in err


def test_errors_never_print_the_password(capsys):
    url = "postgresql+psycopg2://analyst:hunter2secret@127.0.0.1:1/nowhere"
    code, out, err = run(capsys, "metrics", "--db", url, "--json")
    assert code != 0
    assert "hunter2secret" not in out + err


def test_the_shipped_sample_files_import_cleanly(capsys, tmp_path):
    samples = ROOT / "data" / "samples"
    url = f"duckdb:///{tmp_path / 'sample.duckdb'}"
    code, out, err = run(capsys, "import", "--db", url, "--json",
                         *[arg for t in ("accounts", "mrr", "health", "csms")
                           for arg in (f"--{t}", str(samples / f"{t}.csv"))])
    assert code == 0, err
    assert json.loads(out)["accounts"] == 60


def test_help_works_for_the_cli_and_every_subcommand(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    listing = capsys.readouterr().out
    names = [n for n in ("demo", "import", "validate", "metrics", "segment", "health",
                         "movements", "cohorts", "survival", "capacity", "board-pack")
             if n in listing]
    assert {"demo", "import", "validate", "metrics"} <= set(names)
    for name in names:
        with pytest.raises(SystemExit) as exit_info:
            main([name, "--help"])
        assert exit_info.value.code == 0, name
        assert "--db" in capsys.readouterr().out


def test_a_missing_file_is_named_and_nothing_is_imported(capsys, tmp_path, tiny_url):
    accounts = write(tmp_path, "accounts.csv", "account_id\nX1\n")
    code, _, err = run(capsys, "import", "--db", tiny_url, "--accounts", accounts,
                       "--mrr", str(tmp_path / "nope.csv"))
    assert code == 2 and "no such file for --mrr" in err and "nope.csv" in err
    assert queries.table_counts(make_engine(tiny_url))["accounts"] == 4
