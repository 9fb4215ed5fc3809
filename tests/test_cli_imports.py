"""The CLI imports what a command needs when it needs it: no plotting, survival fitting or deck
code for the commands that print numbers (``metrics --json`` once paid 1.4 s for them)."""

import json
import os
import subprocess
import sys

import pytest

from cs_dashboard import demo
from tests.conftest import DEMO_END, ROOT, write_duckdb

#: Packages only drawing, survival fitting and the deck use.
HEAVY = ("lifelines", "scipy", "altair", "plotly", "pptx")
WINGTIP = str(ROOT / "data" / "scenarios" / "wingtip.json")

#: Runs ``main(argv)`` in a fresh interpreter and prints its exit status and which of the
#: heavy packages ended up imported.
PROBE = """
import contextlib, io, json, sys
from cs_dashboard.cli import main
argv = json.loads(sys.argv[1])
with contextlib.redirect_stdout(io.StringIO()):
    code = main(argv) if argv else 0
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(sys.argv[2])))
print(json.dumps({"code": code, "heavy": heavy}))
"""


@pytest.fixture(scope="module")
def small_url(tmp_path_factory) -> str:
    """A 200-account demo in its own file (a subprocess must be able to open it)."""
    frames = demo.generate(demo.DemoSpec(accounts=200, months=24, end=DEMO_END))
    return write_duckdb(tmp_path_factory.mktemp("imports"), frames, "small")


def probe(argv: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(HEAVY)],
                          cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_cli_imports_no_plotting_fitting_or_deck_package():
    assert probe([]) == {"code": 0, "heavy": []}


@pytest.mark.parametrize("argv", [
    ["metrics"], ["segment"], ["health"], ["cohorts"], ["movements"], ["forecast"],
    ["capacity", "--scenario", WINGTIP],
])
def test_a_command_that_prints_numbers_imports_none_of_them(small_url, argv):
    assert probe([argv[0], "--db", small_url, "--json", *argv[1:]]) == {"code": 0, "heavy": []}


def test_survival_loads_lifelines_to_fit_but_no_plotting_or_deck_package(small_url):
    result = probe(["survival", "--db", small_url, "--json"])
    assert result["code"] == 0
    assert "lifelines" in result["heavy"]
    assert not {"altair", "plotly", "pptx"} & set(result["heavy"])
