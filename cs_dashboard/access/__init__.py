"""Who may see and do what, once sign-in is on: roles from a small declared config.

The config is the ``[roles]`` table of ``.streamlit/secrets.toml`` (next to Streamlit's
``[auth]``; see docs/operations.md)::

    [roles]
    admins = ["ana@acme.com", "group:cs-ops"]
    leaders = ["@acme.com", "group:cs-leaders"]
    group_claim = "groups"            # the ID-token claim that lists a user's groups

    [roles.csms]                      # who -> the CSM name(s) of their book
    "maria@acme.com" = "Maria Lopez"
    "group:book-emea" = ["Ivan Petrov", "Jo Kim"]

An entry is an e-mail (``ana@acme.com``), an e-mail domain (``@acme.com``) or a group
(``group:NAME``). The most specific match decides (e-mail, then group, then domain); among
equally specific matches the least privileged role wins (csm, then leader, then admin), so a
mistaken extra entry never widens access. E-mails match without regard to case, and only when
the provider does not mark the address unverified (``email_verified = false``). A signed-in
user no entry matches has no access.

Pure: no Streamlit (``ui.access`` reads ``st.user`` and the secrets and calls ``resolve``).
"""

from __future__ import annotations

import getpass
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cs_dashboard.filters import BookScope

ADMIN, LEADER, CSM = "admin", "leader", "csm"
#: Least privileged first.
ROLES: tuple[str, ...] = (CSM, LEADER, ADMIN)
GROUP_PREFIX = "group:"
DEFAULT_GROUP_CLAIM = "groups"
_KEYS = {"admins", "leaders", "csms", "group_claim"}
#: How specific each kind of entry is (higher wins).
_EMAIL, _GROUP, _DOMAIN = 3, 2, 1


class RolesError(ValueError):
    """The ``[roles]`` config is malformed (user-facing message)."""


@dataclass(frozen=True)
class Access:
    """A signed-in user's role; ``csms`` is the book of a csm (CSM names, as in the data)."""

    email: str
    name: str
    role: str
    csms: tuple[str, ...] = ()

    @property
    def scope(self) -> BookScope | None:
        """The data a csm may see (their book); ``None`` (every account) for the others."""
        return BookScope(self.csms) if self.role == CSM else None

    @property
    def is_admin(self) -> bool:
        """May import, change the source and save tier rules, the score and shared scenarios."""
        return self.role == ADMIN

    @property
    def who(self) -> str:
        """How the audit trail and the sidebar name this user."""
        return self.email or self.name

    def describe(self) -> str:
        """One line for the sidebar: the role, and a csm's book."""
        if self.role == CSM:
            return f"CSM: {', '.join(self.csms)}"
        return {ADMIN: "Admin", LEADER: "Leader (read-only)"}[self.role]


@dataclass(frozen=True)
class RoleConfig:
    """Parsed ``[roles]``: entries per role, and the csm entries' CSM names."""

    admins: tuple[str, ...] = ()
    leaders: tuple[str, ...] = ()
    csms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    group_claim: str = DEFAULT_GROUP_CLAIM


def parse(raw: Mapping[str, Any] | None) -> RoleConfig:
    """``RoleConfig`` from the ``[roles]`` table (``None``: nobody has access); raises
    ``RolesError`` naming every problem."""
    if raw is None:
        return RoleConfig()
    if not isinstance(raw, Mapping):
        raise RolesError("[roles] must be a table")
    problems = [f"[roles] has unknown key {k!r} (known: admins, leaders, csms, group_claim)"
                for k in sorted(set(raw) - _KEYS)]
    lists = {}
    for key in ("admins", "leaders"):
        value = raw.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"[roles] {key} must be a list of e-mails, @domains or group:names")
            value = []
        lists[key] = tuple(_entry(v, key, problems) for v in value)
    csms = raw.get("csms", {})
    books = []
    if not isinstance(csms, Mapping):
        problems.append("[roles.csms] must be a table of e-mail or group:name = CSM name(s)")
        csms = {}
    for who, names in csms.items():
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list) or not names or not all(
                isinstance(n, str) and n.strip() for n in names):
            problems.append(f"[roles.csms] {who!r} must name a CSM (or a list of CSMs)")
            continue
        entry = _entry(who, "csms", problems)
        if entry.startswith("@"):
            problems.append(f"[roles.csms] {who!r}: a book belongs to an e-mail or a group, "
                            "not a whole domain")
            continue
        books.append((entry, tuple(n.strip() for n in names)))
    claim = raw.get("group_claim", DEFAULT_GROUP_CLAIM)
    if not isinstance(claim, str) or not claim.strip():
        problems.append("[roles] group_claim must be a claim name such as \"groups\"")
        claim = DEFAULT_GROUP_CLAIM
    if problems:
        raise RolesError("; ".join(problems))
    return RoleConfig(lists["admins"], lists["leaders"], tuple(books), claim.strip())


def _entry(value: str, key: str, problems: list[str]) -> str:
    text = value.strip()
    if text.lower().startswith(GROUP_PREFIX):
        if not text[len(GROUP_PREFIX):].strip():
            problems.append(f"[roles] {key}: {value!r} names no group")
        return GROUP_PREFIX + text[len(GROUP_PREFIX):].strip()
    if "@" not in text or text.endswith("@") or " " in text:
        problems.append(f"[roles] {key}: {value!r} is not an e-mail, an @domain or a group:name")
    return text.lower()


def command_line_user() -> str:
    """How the audit trail names a command-line run: ``command line (<OS user>)``."""
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):
        return "command line"


def resolve(config: RoleConfig, claims: Mapping[str, Any]) -> Access | None:
    """The signed-in user's ``Access`` from their ID-token ``claims`` (``email``, ``name``,
    the group claim), or ``None`` when no entry matches: no access."""
    email = str(claims.get("email") or "").strip().lower()
    if claims.get("email_verified") is False:
        email = ""
    groups = claims.get(config.group_claim) or ()
    groups = {groups} if isinstance(groups, str) else {str(g) for g in groups}
    matches: list[tuple[int, str, tuple[str, ...]]] = []

    def specificity(entry: str) -> int:
        if entry.startswith(GROUP_PREFIX):
            return _GROUP if entry[len(GROUP_PREFIX):] in groups else 0
        if entry.startswith("@"):
            return _DOMAIN if email and email.endswith(entry) else 0
        return _EMAIL if email and email == entry else 0

    for role, entries in ((ADMIN, config.admins), (LEADER, config.leaders)):
        matches += [(s, role, ()) for s in map(specificity, entries) if s]
    matches += [(s, CSM, names) for entry, names in config.csms if (s := specificity(entry))]
    if not matches:
        return None
    best = max(s for s, _, _ in matches)
    top = [(role, names) for s, role, names in matches if s == best]
    role = min((r for r, _ in top), key=ROLES.index)
    books = tuple(dict.fromkeys(n for r, names in top if r == role for n in names))
    name = str(claims.get("name") or claims.get("preferred_username") or email or "")
    return Access(email=email, name=name, role=role, csms=books)
