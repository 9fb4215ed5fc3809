"""Sign-in and roles on the pages (AppTest with a seeded ``st.user``): no data before sign-in
or without a role, read-only leaders, a csm's Overview that equals the Overview filtered to
their CSM, and admin-only import and save controls. The real sign-in, with an OpenID provider
in Chromium, is in test_browser_auth.py."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "cs-dashboard", "client_secret": "not-a-secret",
        "server_metadata_url": "http://localhost:1/.well-known/openid-configuration"}
ROLES = {"admins": ["ana@acme.test"], "leaders": ["@acme.test"],
         "csms": {"ben@acme.test": "Ben Haas"}}


def signed_in(monkeypatch, url: str, email: str | None, roles=ROLES, page: str = "overview"):
    """The app with [auth] and [roles] in its secrets, run as ``email`` (``None``: signed out)."""
    monkeypatch.setenv("CS_DASHBOARD_DB_URL", url)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    if roles is not None:
        at.secrets["roles"] = roles
    at.user = {"is_logged_in": email is not None, **({"email": email, "name": email.split("@")[0]}
                                                      if email else {})}
    at.run()
    if page != "overview" and at.title[0].value not in ("CS Dashboard", "No access"):
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at) -> str:
    return " ".join(e.value for kind in ("markdown", "caption", "warning", "error", "info")
                    for e in getattr(at, kind))


def test_signed_out_visitors_see_a_sign_in_page_and_no_data(monkeypatch, demo_url):
    at = signed_in(monkeypatch, demo_url, None)
    assert at.title[0].value == "CS Dashboard"
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.metric and not at.get("plotly_chart") and not at.dataframe


def test_an_unknown_user_gets_no_access_and_no_numbers(monkeypatch, demo_url):
    at = signed_in(monkeypatch, demo_url, "eve@other.test")
    assert at.title[0].value == "No access"
    assert "eve@other.test" in at.warning[0].value
    assert [b.label for b in at.button] == ["Sign out"]
    assert not at.metric and not at.get("plotly_chart") and not at.dataframe
    assert not at.sidebar.multiselect


def test_a_malformed_roles_config_shows_no_data(monkeypatch, demo_url):
    at = signed_in(monkeypatch, demo_url, "ana@acme.test", roles={"admin": ["ana@acme.test"]})
    assert at.title[0].value == "Sign-in is misconfigured"
    assert "unknown key 'admin'" in at.error[0].value
    assert not at.metric


def test_without_roles_nobody_has_access(monkeypatch, demo_url):
    at = signed_in(monkeypatch, demo_url, "ana@acme.test", roles=None)
    assert at.title[0].value == "No access" and not at.metric


def test_the_sidebar_names_the_signed_in_user_and_offers_sign_out(monkeypatch, demo_url):
    at = signed_in(monkeypatch, demo_url, "lee@acme.test")
    side = " ".join(m.value for m in at.sidebar.markdown)
    assert "lee@acme.test" in side and "Leader (read-only)" in side
    assert "Sign out" in [b.label for b in at.sidebar.button]


def test_a_csms_overview_equals_the_overview_filtered_to_their_csm(monkeypatch, demo_url):
    csm = signed_in(monkeypatch, demo_url, "ben@acme.test")
    assert csm.sidebar.multiselect(key="f_csm").options == ["Ben Haas"]
    admin = signed_in(monkeypatch, demo_url, "ana@acme.test")
    everyone = tiles(admin)
    admin.sidebar.multiselect(key="f_csm").select("Ben Haas").run()
    assert tiles(csm) == tiles(admin)
    assert tiles(csm)["Active accounts"] != everyone["Active accounts"]


@pytest.mark.parametrize("email", ["lee@acme.test", "ben@acme.test"])
def test_non_admins_cannot_import_change_the_source_or_save_settings(monkeypatch, demo_url,
                                                                      email):
    data = signed_in(monkeypatch, demo_url, email, page="data")
    labels = [b.label for b in data.button]
    assert "Import" not in labels and "Connect" not in labels and "Save label" not in labels
    assert not data.get("file_uploader")
    assert "Importing data and changing the source is up to an admin" in texts(data)
    seg = signed_in(monkeypatch, demo_url, email, page="segmentation")
    assert "Save as the tier rule used everywhere" not in [b.label for b in seg.button]
    assert "Saving the tier rule is up to an admin" in texts(seg)
    health = signed_in(monkeypatch, demo_url, email, page="health")
    assert "Save as the score for every page" not in [b.label for b in health.button]


def test_an_admin_has_the_import_source_and_save_controls(monkeypatch, demo_url):
    data = signed_in(monkeypatch, demo_url, "ana@acme.test", page="data")
    labels = [b.label for b in data.button]
    assert {"Import", "Connect", "Save label"} <= set(labels)
    seg = signed_in(monkeypatch, demo_url, "ana@acme.test", page="segmentation")
    assert "Save as the tier rule used everywhere" in [b.label for b in seg.button]


def test_a_csm_cannot_switch_the_source_through_the_session(monkeypatch, demo_url, tiny_url):
    """The session's source choice is an admin's: a csm's session keeps the configured one."""
    at = signed_in(monkeypatch, demo_url, "ben@acme.test")
    before = tiles(at)
    at.session_state["source_url"] = tiny_url
    at.run()
    assert tiles(at) == before
