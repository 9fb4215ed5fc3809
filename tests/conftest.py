"""Shared fixtures: a hand-computable portfolio, the demo database, PostgreSQL and the app."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from cs_dashboard import demo
from cs_dashboard.db.engine import make_engine, mask_url
from cs_dashboard.db.state import AppState
from cs_dashboard.db.writer import replace_source

ROOT = Path(__file__).resolve().parents[1]
os.environ["CS_DASHBOARD_STATE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='cs_state_')}/state.sqlite"
os.environ.pop("CS_DASHBOARD_DB_URL", None)
# no background warm-up in tests (its own tests turn it on): a test's timings and its server's
# CPU stay its own
os.environ["CS_DASHBOARD_PREWARM"] = "0"

IN_CI = os.environ.get("CI") == "true"
#: The demo's last month in every test, so no expectation moves with the calendar.
DEMO_END = dt.date(2026, 11, 1)
CHROMIUM = "/usr/bin/chromium"
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-dev-shm-usage"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``make test`` runs two workers), keep each browser test file on one
    worker: its tests share one Chromium tab setup and Streamlit server, and files spread over
    the workers like the other tests."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group(item.path.stem))


def require(condition: bool, reason: str) -> None:
    """Skip when a system dependency is missing; in CI that is a failure instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI requires it: {reason}")
    pytest.skip(reason)


def monthly(account: str, start: str, values: list[float]) -> list[dict]:
    """MRR rows for ``account`` from month ``start`` (YYYY-MM), one value per month (0 = no row)."""
    months = pd.period_range(start, periods=len(values), freq="M").to_timestamp()
    return [{"account_id": account, "month": m, "mrr": v}
            for m, v in zip(months, values, strict=True) if v]


@pytest.fixture
def tiny_frames() -> dict[str, pd.DataFrame]:
    """Four accounts over 2025-01..2026-01, small enough to compute by hand.

    At T = 2026-01 with base month 2025-01 (A, B, C active, MRR 100 + 200 + 100 = 400):
    A expands 100 -> 150, B contracts 200 -> 50, C churns (last MRR 2025-06), D is new in 2025-06
    at 300. Accounts at T: A, B, D; MRR 500. NRR = 200/400 = 0.5; GRR = (100 + 50)/400 = 0.375;
    logo retention = 2/3.
    """
    mrr = (monthly("A", "2025-01", [100] * 12 + [150])
           + monthly("B", "2025-01", [200] * 12 + [50])
           + monthly("C", "2025-01", [100] * 6)
           + monthly("D", "2025-06", [300] * 8))
    accounts = pd.DataFrame({
        "account_id": ["A", "B", "C", "D"],
        "account_name": ["Alpha", "Beta", "Gamma", "Delta"],
        "csm": ["Ann", "Ann", "Bob", None],
        "region": ["EMEA", "North America", "EMEA", "APAC"],
        "segment": ["Enterprise", "SMB", "SMB", "Mid-Market"],
        "customer_since": pd.to_datetime(["2023-05-10", "2025-01-01", "2025-01-03", "2025-06-02"]),
    })
    csms = pd.DataFrame({"csm": ["Ann", "Bob"], "role": ["high touch", "low touch"],
                         "hours_per_week": [40.0, 40.0], "annual_cost": [180000.0, 150000.0]})
    return {"accounts": accounts, "mrr": pd.DataFrame(mrr), "csms": csms}


def write_duckdb(directory: Path, frames: dict[str, pd.DataFrame], name: str = "src") -> str:
    url = f"duckdb:///{directory / f'{name}.duckdb'}"
    engine = make_engine(url)
    replace_source(engine, frames)
    engine.dispose()
    return url


@pytest.fixture
def tiny_url(tmp_path: Path, tiny_frames) -> str:
    return write_duckdb(tmp_path, tiny_frames, "tiny")


@pytest.fixture(scope="session")
def demo_frames() -> dict[str, pd.DataFrame]:
    """The default demo portfolio (2,000 accounts x 36 months, fixed seed) ending at ``DEMO_END``."""
    return demo.generate(demo.DemoSpec(end=DEMO_END))


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory, demo_frames) -> str:
    return write_duckdb(tmp_path_factory.mktemp("demo"), demo_frames, "demo")


@pytest.fixture(scope="session")
def empty_url(tmp_path_factory) -> str:
    return f"duckdb:///{tmp_path_factory.mktemp('empty') / 'empty.duckdb'}"


@pytest.fixture(scope="session")
def pg_url():
    """A throwaway PostgreSQL server started for this test session."""
    from tests.servers import postgres_server

    with postgres_server() as (url, reason):
        require(url is not None, reason or "PostgreSQL is not available")
        yield url


# --- AppTest -------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def navigation_mode(monkeypatch):
    """Run app.py on every rerun, as the server does once st.navigation has been called.

    AppTest resets PagesManager's legacy "pages/ directory" flag before each run, so with a
    pages/ folder its reruns would execute a page script without the router (and its
    sidebar); the server clears that flag on the first st.navigation call. Streamlit has no
    public switch for this: tests/test_streamlit_pin.py fails when an upgrade changes it.
    """
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def saved_score():
    """Saves health score settings into the session's app state; the default score afterwards."""
    from cs_dashboard.api import health as api_health
    from cs_dashboard.db.state import AppState
    from cs_dashboard.health import ScoreSettings

    state = AppState()
    yield lambda settings: api_health.save_settings(state, settings)
    api_health.save_settings(state, ScoreSettings())


def open_page(monkeypatch, url: str, page: str) -> AppTest:
    """Run the app on ``url`` through the router and switch to ``pages/<page>.py``."""
    monkeypatch.setenv("CS_DASHBOARD_DB_URL", url)
    timeout = float(os.environ.get("CS_DASHBOARD_APPTEST_TIMEOUT", "60"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def show_tab(at: AppTest, key: str, name: str) -> AppTest:
    """Open the tab ``name`` of a page's lazy tabs (``ui.layout.lazy_tabs``; ``key``: their
    Session State key) and rerun: only the open tab's content is drawn."""
    at.session_state[key] = name
    return at.run()


# --- Browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    require(os.path.exists(CHROMIUM), "Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def app(demo_frames, tmp_path_factory):
    """The app served by ``streamlit run`` on its own copy of the demo (DuckDB lets one
    process hold a file at a time), marked as the demo as the ``demo`` command marks it;
    yields the base URL."""
    from tests.servers import streamlit_app

    directory = tmp_path_factory.mktemp("browser")
    url = write_duckdb(directory, demo_frames, "browser")
    state = f"sqlite:///{directory / 'state.sqlite'}"
    AppState(state).bump_data_version(mask_url(url), demo_accounts=len(demo_frames["accounts"]))
    with streamlit_app(url, state) as base:
        yield base


def open_app_page(browser, app: str, path: str, title: str, height: int = 1000, **options):
    """A new browser tab on ``app``/``path`` (``""``: the Overview), with the page ``title``
    drawn and Streamlit idle. ``options`` go to ``browser.new_page``."""
    page = browser.new_page(viewport={"width": 1440, "height": height}, **options)
    page.goto(f"{app}/{path}")
    wait_until_idle(page, title)
    return page


def wait_until_idle(page, title: str) -> None:
    """Wait for the page heading and for Streamlit to finish running."""
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=30_000)
    for _ in range(2):  # the status widget shows only after a run has gone on a moment
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=45_000)
        page.wait_for_timeout(400)


DRAWN_CHARTS = """(n) => {
  const panel = [...document.querySelectorAll('[role="tabpanel"]')].find(p => p.offsetParent !== null);
  if (!panel) return false;
  const drawn = [...panel.querySelectorAll('.js-plotly-plot .main-svg')]
    .filter(svg => svg.getBoundingClientRect().width > 0);
  return drawn.length >= n;
}"""


def open_tab(page, name: str, charts: int = 0, timeout: int = 45_000):
    """Click the tab ``name``, wait until it is selected and its panel shows at least
    ``charts`` drawn Plotly charts; return the panel. On a timeout the failure names the tab
    and a screenshot is kept in ``SHOTS``."""
    tab = page.get_by_role("tab", name=name, exact=True)
    tab.click()
    page.wait_for_function("(t) => t.getAttribute('aria-selected') === 'true'",
                           arg=tab.element_handle(), timeout=timeout)
    try:
        page.wait_for_function(DRAWN_CHARTS, arg=charts, timeout=timeout)
    except Exception as exc:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"failed_tab_{name[:20].replace(' ', '_')}.png"), full_page=True)
        raise AssertionError(f"tab {name!r}: fewer than {charts} charts drawn in {timeout} ms") from exc
    return page.locator('[role="tabpanel"]:visible').first


def expect_count(locator, n: int, at_least: bool = False, timeout: int = 30_000) -> None:
    """Wait until ``locator`` matches exactly ``n`` elements (``at_least``: ``n`` or more).
    Streamlit draws a page in pieces, so a count taken the moment the first chart appears can
    be short on a busy machine; this retries until ``timeout`` ms, then fails with the count."""
    from playwright.sync_api import expect

    if at_least:
        expect(locator.nth(n - 1)).to_be_attached(timeout=timeout)
    else:
        expect(locator).to_have_count(n, timeout=timeout)


def error_boxes(page) -> list[str]:
    """Texts of exception and st.error boxes on the page."""
    found = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
    return [found.nth(i).inner_text() for i in range(found.count())]
