"""Sign-in with Streamlit's own ``st.login`` / ``st.user`` (OpenID Connect), and the signed-in
user's role (``cs_dashboard.access``).

Off without an ``[auth]`` section in the secrets: the app runs as an open local tool, everyone
may do everything (``OPEN``). With it, ``gate`` (first thing ``app.py`` does) shows a sign-in
page until the user is signed in, and a "no access" page without data to a signed-in user the
``[roles]`` config does not name. ``scope`` is what ``ui.cache`` hands the data layer: a csm's
book, and no account at all when in doubt.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from cs_dashboard.access import ADMIN, Access, RoleConfig, RolesError, parse, resolve
from cs_dashboard.filters import BookScope

#: Everyone, when sign-in is off: the app as a local tool (the audit trail names no one).
OPEN = Access(email="", name="no sign-in", role=ADMIN)
#: The scope of anyone who is not (yet) allowed to see data.
NOBODY = BookScope(())


#: The secrets as last read: ``(secrets object, second, secrets)``. Every cached read asks for
#: the session's scope; without a secrets file each lookup searches for one (0.5 ms).
_read: tuple[object, int, Mapping[str, Any]] | None = None


def _secrets() -> Mapping[str, Any]:
    """The secrets as a dict (empty without a secrets file), re-read at most once a second."""
    global _read
    source, second = st.secrets, int(time.monotonic())
    if _read is None or _read[0] is not source or _read[1] != second:
        try:
            found = source.to_dict() if source.load_if_toml_exists() else {}
        except Exception:  # noqa: BLE001 - a missing or unreadable secrets file: sign-in off
            found = {}
        _read = (source, second, found)
    return _read[2]


def enabled() -> bool:
    """True when ``[auth]`` is configured: every page requires sign-in."""
    return "auth" in _secrets()


def roles() -> RoleConfig:
    """The ``[roles]`` config (``RolesError`` when malformed)."""
    return parse(_secrets().get("roles"))


def current() -> Access | None:
    """The signed-in user's access; ``OPEN`` with sign-in off; ``None`` when not signed in,
    not in the roles config, or the config is malformed."""
    if not enabled():
        return OPEN
    if not st.user.is_logged_in:
        return None
    try:
        return resolve(roles(), st.user.to_dict())
    except RolesError:
        return None


def scope() -> BookScope | None:
    """The book every query of this session is restricted to (``None``: every account)."""
    access = current()
    return NOBODY if access is None else access.scope


def is_admin() -> bool:
    """May import, change the source and save shared settings."""
    access = current()
    return access is not None and access.is_admin


def scenario_owner() -> str | None:
    """Whose scenarios this user saves: ``None`` (the shared ones) for an admin, else their own."""
    access = current()
    if access is not None and access.is_admin:
        return None
    return access.who if access is not None else "unknown"


def who() -> str:
    """The signed-in user as the audit trail names them."""
    access = current()
    return access.who if access is not None else "unknown"


def gate(paths: Sequence[str] = ()) -> Access:
    """The signed-in user's access, or a sign-in / no-access page and ``st.stop()``.

    ``paths``: the app's page URL paths, which show that page too (a bookmarked page asks for
    sign-in instead of "page not found")."""
    if not enabled():
        return OPEN
    if not st.user.is_logged_in:
        _page(_sign_in, paths)
    try:
        config = roles()
    except RolesError as exc:
        problem = str(exc)
        _page(lambda: _misconfigured(problem), paths)
    access = resolve(config, st.user.to_dict())
    if access is None:
        _page(_no_access, paths)
    return access


def sidebar(access: Access) -> None:
    """Who is signed in, their role, and a sign-out button (nothing with sign-in off)."""
    if access is OPEN:
        return
    box = st.sidebar.container(border=True)
    box.markdown(f":material/account_circle: **{access.name or access.email}**  \n"
                 f"{access.email}  \n{access.describe()}")
    _sign_out_button(box)


def admin_only(what: str) -> bool:
    """True for an admin; for anyone else a note that ``what`` is an admin's, and False."""
    if is_admin():
        return True
    st.caption(f":material/lock: {what} is up to an admin.")
    return False


def _page(draw, paths: Sequence[str]) -> None:
    """Show only ``draw`` (no navigation, no data), at any of the app's ``paths``, and stop."""
    pages = [st.Page(draw, title="CS Dashboard", default=True)]
    pages += [st.Page(draw, title="CS Dashboard", url_path=path) for path in paths if path]
    st.navigation(pages, position="hidden").run()
    st.stop()


def _sign_in() -> None:
    st.title("CS Dashboard")
    st.markdown("Sign in with your company account to see the dashboard.")
    if st.button("Sign in", type="primary", key="auth_sign_in", icon=":material/login:"):
        st.login()


def _no_access() -> None:
    st.title("No access")
    user = st.user.to_dict()
    st.warning(f"You are signed in as {user.get('email') or user.get('name') or 'an unknown user'}"
               ", but this account has no role in CS Dashboard. Ask an admin to add you.",
               icon=":material/block:")
    _sign_out_button(st)


def _misconfigured(problem: str) -> None:
    st.title("Sign-in is misconfigured")
    st.error(f"The [roles] section of the secrets cannot be used: {problem}. An admin has to "
             "fix it (docs/operations.md).", icon=":material/error:")
    _sign_out_button(st)


def _sign_out_button(where) -> None:
    if where.button("Sign out", key="auth_sign_out", icon=":material/logout:"):
        st.logout()
