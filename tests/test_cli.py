"""The command line: demo, import, validate and metrics."""

import datetime as dt
import json
import re

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


def plain_lines(capsys, monkeypatch, *argv) -> list[str]:
    """Plain output on a 100-column terminal, each line's runs of spaces made one."""
    monkeypatch.setenv("COLUMNS", "100")
    assert main(list(argv)) == 0
    return [" ".join(line.split()) for line in capsys.readouterr().out.splitlines()]


def test_metrics_plain_text_formats_money_and_percentages_like_the_pages(capsys, monkeypatch,
                                                                          tiny_url):
    lines = plain_lines(capsys, monkeypatch, "metrics", "--db", tiny_url, "--as-of", "2026-01")
    assert {"as_of: 2026-01", "accounts: 3", "mrr: $500", "arr: $6.0k", "nrr_12m: 50.0%",
            "grr_12m: 37.5%", "logo_retention_12m: 66.7%"} <= set(lines)
    # The saved rule's tiers at 2026-01 (D 300, A 150, B 50): 10% and 30% of 3 accounts
    # round to 0 and 1, so Low touch holds D and Tech touch A and B.
    start = lines.index("tiers")
    assert lines[start + 1:start + 6] == [
        "tier accounts share_accounts mrr arr share_mrr floor_mrr",
        "---------- -------- -------------- ---- ------ --------- ---------",
        "High touch 0 0.0% $0 $0 0.0% –",
        "Low touch 1 33.3% $300 $3,600 60.0% $300",
        "Tech touch 2 66.7% $200 $2,400 40.0% $50",
    ]


def test_demo_plain_text_counts_rows_and_never_calls_them_dollars(capsys, monkeypatch, tmp_path):
    url = f"duckdb:///{tmp_path / 'demo.duckdb'}"
    lines = plain_lines(capsys, monkeypatch, "demo", "--db", url, "--accounts", "120",
                        "--months", "14", "--end", "2026-11")
    assert "accounts: 120" in lines
    mrr_rows = next(line for line in lines if line.startswith("mrr: "))
    assert "$" not in mrr_rows and int(mrr_rows.split()[1].replace(",", "")) > 120


WINGTIP = str(ROOT / "data" / "scenarios" / "wingtip.json")


@pytest.mark.parametrize("argv", [
    ["metrics"], ["segment"], ["health"], ["movements"], ["cohorts", "--period", "quarter"],
    ["survival", "--by", "tier"], ["capacity", "--scenario", WINGTIP],
])
def test_every_command_prints_plain_text_without_python_reprs_or_raw_floats(capsys, monkeypatch,
                                                                            demo_url, argv):
    lines = plain_lines(capsys, monkeypatch, argv[0], "--db", demo_url, *argv[1:])
    text = "\n".join(lines)
    assert not re.search(r"[{}\[\]]|': |\d\.\d{6,}", text), text  # dicts, lists, raw floats
    assert re.search(r"\$\d|\d%", text)


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
