"""Role resolution from the ``[roles]`` config and the ID-token claims (no Streamlit)."""

from __future__ import annotations

import pytest

from cs_dashboard.access import ADMIN, CSM, LEADER, RolesError, parse, resolve
from cs_dashboard.filters import BookScope

ROLES = parse({
    "admins": ["Ana@Acme.test", "group:cs-ops"],
    "leaders": ["@acme.test", "group:cs-leaders"],
    "csms": {"maria@acme.test": "Maria Lopez", "group:book-emea": ["Ivan Petrov", "Jo Kim"],
             "both@acme.test": "Ben Haas"},
})


def who(email: str = "", **claims):
    return resolve(ROLES, {"email": email, **claims})


def test_an_admin_by_email_any_case_can_change_everything():
    access = who("ana@ACME.test", name="Ana")
    assert (access.role, access.is_admin, access.scope) == (ADMIN, True, None)
    assert access.name == "Ana" and access.who == "ana@acme.test"


def test_a_domain_makes_a_read_only_leader():
    access = who("lee@acme.test")
    assert access.role == LEADER and not access.is_admin and access.scope is None


def test_a_csm_by_email_is_scoped_to_their_book():
    access = who("maria@acme.test")
    assert access.role == CSM and access.scope == BookScope(("Maria Lopez",))
    assert access.describe() == "CSM: Maria Lopez"


def test_a_group_claim_maps_a_role_and_a_book():
    assert who("x@elsewhere.test", groups=["cs-ops"]).role == ADMIN
    access = who("y@elsewhere.test", groups=["book-emea", "staff"])
    assert access.role == CSM and access.csms == ("Ivan Petrov", "Jo Kim")


def test_the_most_specific_entry_wins_then_the_least_privilege():
    # an e-mail entry beats the leaders' domain: this person is a csm only
    assert who("maria@acme.test").role == CSM
    # a group beats a domain
    assert who("z@acme.test", groups=["book-emea"]).role == CSM
    # equally specific (two groups): the least privileged role
    assert who("q@elsewhere.test", groups=["cs-ops", "cs-leaders"]).role == LEADER


def test_unknown_unverified_and_empty_users_have_no_access():
    assert who("someone@other.test") is None
    assert who("ana@acme.test", email_verified=False) is None
    assert who("") is None
    assert resolve(parse(None), {"email": "ana@acme.test"}) is None
    # a domain entry does not match a look-alike domain
    assert who("eve@notacme.test") is None and who("eve@acme.test.evil") is None


def test_a_custom_group_claim():
    roles = parse({"admins": ["group:ops"], "group_claim": "roles"})
    assert resolve(roles, {"email": "a@b.test", "roles": "ops"}).role == ADMIN
    assert resolve(roles, {"email": "a@b.test", "groups": ["ops"]}) is None


@pytest.mark.parametrize("raw,message", [
    ({"admin": ["a@b.test"]}, "unknown key 'admin'"),
    ({"admins": "not-an-email"}, "is not an e-mail"),
    ({"admins": [1]}, "must be a list"),
    ({"csms": {"@acme.test": "Maria"}}, "not a whole domain"),
    ({"csms": {"m@acme.test": []}}, "must name a CSM"),
    ({"csms": ["m@acme.test"]}, "must be a table"),
    ({"group_claim": ""}, "group_claim"),
    ({"leaders": ["group:"]}, "names no group"),
])
def test_a_malformed_config_names_the_problem(raw, message):
    with pytest.raises(RolesError, match=message):
        parse(raw)
