"""Sign-in for real: an OpenID Connect provider (oidc-provider-mock) on a thread, the app served
with an ``[auth]`` and ``[roles]`` secrets file pointing at it, and Chromium signing in as an
admin, a leader, a csm and an unknown user, then signing out."""

from __future__ import annotations

import pytest
from oidc_provider_mock import User, run_server_in_thread

from cs_dashboard.db.engine import mask_url
from cs_dashboard.db.state import AppState
from tests.conftest import SHOTS, error_boxes, wait_until_idle, write_duckdb
from tests.servers import free_port, streamlit_app

pytestmark = pytest.mark.browser
CSM = "Ben Haas"
USERS = {  # the provider's predefined users: sub -> ID-token claims
    "ana": {"email": "ana@acme.test", "name": "Ana Admin"},
    "lee": {"email": "lee@acme.test", "name": "Lee Leader", "groups": ["cs-leaders"]},
    "ben": {"email": "ben@acme.test", "name": "Ben Haas"},
    "eve": {"email": "eve@elsewhere.test", "name": "Eve Unknown"},
}
TILES = """() => Object.fromEntries(Array.from(document.querySelectorAll('[data-testid="stMetric"]'))
  .map(m => [m.querySelector('[data-testid="stMetricLabel"]').innerText,
             m.querySelector('[data-testid="stMetricValue"]').innerText]))"""


@pytest.fixture(scope="module")
def provider():
    """A real OpenID Connect provider on a free port; yields its base URL."""
    users = [User(sub=sub, claims=claims) for sub, claims in USERS.items()]
    with run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def signed_app(provider, demo_frames, tmp_path_factory):
    """The app on its own copy of the demo, with sign-in on; yields its base URL (on
    ``localhost``, the host its redirect URI names, so the sign-in cookie is sent back)."""
    directory = tmp_path_factory.mktemp("auth")
    url = write_duckdb(directory, demo_frames, "auth")
    state = f"sqlite:///{directory / 'state.sqlite'}"
    AppState(state).bump_data_version(mask_url(url), demo_accounts=len(demo_frames["accounts"]))
    port = free_port()
    secrets = directory / "secrets.toml"
    secrets.write_text(f"""
[auth]
redirect_uri = "http://localhost:{port}/oauth2callback"
cookie_secret = "a-test-cookie-secret-that-is-long-enough"
client_id = "cs-dashboard"
client_secret = "not-a-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[roles]
admins = ["ana@acme.test"]
leaders = ["group:cs-leaders"]

[roles.csms]
"ben@acme.test" = "{CSM}"
""")
    with streamlit_app(url, state, port=port, secrets=secrets,
                       env={"AUTHLIB_INSECURE_TRANSPORT": "1"}):
        yield f"http://localhost:{port}"


def sign_in(browser, app: str, provider: str, sub: str, landing: str = "Overview"):
    """A fresh browser (no cookies) that opens the app, is asked to sign in, picks ``sub`` at
    the provider and lands on ``landing``."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.goto(app)
    wait_until_idle(page, "CS Dashboard")
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert page.locator('[data-testid="stSidebar"]').count() == 0
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{provider}/oauth2/authorize**", timeout=30_000)
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(f"{app}/**", timeout=30_000)
    wait_until_idle(page, landing)
    return page


def tiles(page) -> dict[str, str]:
    """The Overview's tiles (label -> value) once all ten are drawn and two reads half a second
    apart agree (on a busy machine the tiles stream in and update after the first chart)."""
    try:
        page.wait_for_function(
            "() => document.querySelectorAll('[data-testid=\"stMetric\"]').length >= 10",
            timeout=60_000)
    except Exception:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "auth_tiles_missing.png"), full_page=True)
        raise
    wait_until_idle(page, "Overview")
    shown = page.evaluate(TILES)
    for _ in range(40):
        page.wait_for_timeout(500)
        again = page.evaluate(TILES)
        if again == shown:
            return shown
        shown = again
    raise AssertionError(f"the Overview's tiles kept changing: {shown}")


def open_data_page(page, last: str) -> str:
    """The Data page's text once the text ``last`` is drawn."""
    page.locator('[data-testid="stSidebarNav"] a', has_text="Data").click()
    wait_until_idle(page, "Data")
    page.get_by_text(last).first.wait_for(timeout=30_000)
    return page.locator('[data-testid="stMain"]').inner_text()


def sign_out(page, app: str, provider: str) -> None:
    """Sign out from the sidebar, end the session at the provider, and find the sign-in page."""
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{provider}/oauth2/end_session**", timeout=30_000)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{app}/**", timeout=30_000)
    wait_until_idle(page, "CS Dashboard")
    page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
    assert page.locator('[data-testid="stMetric"]').count() == 0


@pytest.fixture(scope="module")
def admin_views(browser, signed_app, provider):
    """The admin's Overview tiles for everyone and filtered to ``CSM``, and their Data page."""
    page = sign_in(browser, signed_app, provider, "ana")
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    everyone = tiles(page)
    csm_filter = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text="CSM")
    csm_filter.click()
    page.get_by_role("option", name=CSM, exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function(f"(before) => ({TILES})()['ARR'] !== before", arg=everyone["ARR"],
                           timeout=30_000)
    wait_until_idle(page, "Overview")
    filtered = tiles(page)
    data = open_data_page(page, "Recent changes")
    views = {"sidebar": sidebar, "everyone": everyone, "filtered": filtered, "data": data,
             "import": page.get_by_role("button", name="Import").count(),
             "errors": error_boxes(page)}
    sign_out(page, signed_app, provider)
    page.context.close()
    return views


def test_an_admin_signs_in_sees_everything_and_may_import(admin_views):
    assert "ana@acme.test" in admin_views["sidebar"] and "Admin" in admin_views["sidebar"]
    assert admin_views["everyone"]["Active accounts"] != admin_views["filtered"]["Active accounts"]
    assert admin_views["import"] == 1
    assert "Use another database" in admin_views["data"]
    assert "Recent changes" in admin_views["data"]
    assert admin_views["errors"] == []


def test_a_csms_overview_equals_the_admins_overview_filtered_to_that_csm(browser, signed_app,
                                                                        provider, admin_views):
    page = sign_in(browser, signed_app, provider, "ben")
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert f"CSM: {CSM}" in sidebar and "ben@acme.test" in sidebar
    assert tiles(page) == admin_views["filtered"]
    assert tiles(page)["Active accounts"] != admin_views["everyone"]["Active accounts"]
    # the sidebar's CSM filter offers only their own name
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has_text="CSM").click()
    assert page.get_by_role("option").all_inner_texts() == [CSM]
    page.keyboard.press("Escape")
    data = open_data_page(page, "is up to an admin")
    assert page.get_by_role("button", name="Import").count() == 0
    assert "Recent changes" not in data
    assert error_boxes(page) == []
    sign_out(page, signed_app, provider)
    page.context.close()


def test_a_leader_sees_everything_read_only(browser, signed_app, provider, admin_views):
    page = sign_in(browser, signed_app, provider, "lee")
    assert "Leader (read-only)" in page.locator('[data-testid="stSidebar"]').inner_text()
    assert tiles(page) == admin_views["everyone"]
    data = open_data_page(page, "is up to an admin")
    assert page.get_by_role("button", name="Import").count() == 0
    assert "Use another database" not in data
    assert error_boxes(page) == []
    sign_out(page, signed_app, provider)
    page.context.close()


def test_an_unknown_user_sees_no_numbers(browser, signed_app, provider):
    page = sign_in(browser, signed_app, provider, "eve", landing="No access")
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "eve@elsewhere.test" in text and "no role" in text
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert page.locator(".js-plotly-plot, [data-testid='stDataFrame']").count() == 0
    assert not any(ch.isdigit() for ch in text.replace("eve@elsewhere.test", ""))
    # a deep link does not get past the gate either
    page.goto(f"{signed_app}/retention")
    wait_until_idle(page, "No access")
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert page.get_by_role("dialog").count() == 0  # no "page not found" either
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{provider}/oauth2/end_session**", timeout=30_000)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{signed_app}/**", timeout=30_000)
    page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
    page.context.close()
