"""Every role against every route that shows or changes someone's record.

The rules live in the selectors (``members/selectors.py``); this checks that every
route applies them, and that a record outside one's scope is a 404 whatever the
route. Each cell is what the role gets:

- ``ok``: the page (200), or for a POST, the redirect that follows success (302);
- ``404``: not found, as if the record did not exist;
- ``out``: sent away from the back office altogether (a redirect that is not
  back into the page asked for: to sign in, or Wagtail's "no access").
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.urls import reverse

from tolpuddle.members.models import MembershipStatus, PersonalDataAccess
from tolpuddle.members.tests.factories import (
    BranchFactory,
    EmploymentFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    WorkplaceFactory,
)
from tolpuddle.members.tests.test_access import hold, member_with_sign_in

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "rep", "secretary", "hq", "administrator")


@dataclass(frozen=True)
class Route:
    name: str
    url: Any  # (world) -> str
    method: str = "get"
    data: Any = None


def _member_url(name: str, target: str, *extra: str) -> Any:
    return lambda w: reverse(name, args=[w[target].pk, *(w[e].pk for e in extra)])


# target "same": a member of the secretary's and rep's branch; "other": another branch.
ROUTES: dict[str, Route] = {
    "members list": Route("list", lambda w: reverse("backoffice_members")),
    "dashboard": Route("dashboard", lambda w: reverse("wagtailadmin_home")),
}
for target in ("same", "other"):
    ROUTES |= {
        f"member page ({target})": Route(
            "page", _member_url("backoffice_member", target)
        ),
        f"contact details ({target})": Route(
            "details", _member_url("backoffice_member_details", target)
        ),
        f"new job ({target})": Route(
            "job", _member_url("backoffice_member_job_new", target)
        ),
        f"end job ({target})": Route(
            "job end",
            _member_url("backoffice_member_job_end", target, f"{target} job"),
        ),
        f"resignation ({target})": Route(
            "resign", _member_url("backoffice_member_resign", target)
        ),
        f"access log ({target})": Route(
            "log", _member_url("backoffice_member_access_log", target)
        ),
        f"invitation ({target})": Route(
            "invite", _member_url("backoffice_member_invite", target), method="post"
        ),
        f"change job ({target})": Route(
            "job change",
            _member_url("backoffice_member_job_change", target, f"{target} job"),
        ),
        f"new position ({target})": Route(
            "position", _member_url("backoffice_member_position_new", target)
        ),
        f"end position ({target})": Route(
            "position end",
            _member_url("backoffice_member_position_end", target, f"{target} position"),
        ),
        f"membership terms ({target})": Route(
            "terms", _member_url("backoffice_member_terms", target)
        ),
    }
ROUTES |= {
    "applications": Route("apps", lambda w: reverse("backoffice_applications")),
    "application": Route(
        "app", lambda w: reverse("backoffice_application", args=[w["applicant"].pk])
    ),
    "bulk transfer": Route("transfer", lambda w: reverse("backoffice_transfer")),
    "imports": Route("imports", lambda w: reverse("backoffice_imports")),
    "union access log": Route("access", lambda w: reverse("backoffice_access_log")),
}

# What each role gets on each route.
EXPECTED: dict[str, dict[str, str]] = {
    "members list": {"rep": "ok", "secretary": "ok", "hq": "ok", "administrator": "ok"},
    "dashboard": {"rep": "ok", "secretary": "ok", "hq": "ok", "administrator": "ok"},
    "member page (same)": {"rep": "ok", "secretary": "ok"},
    "member page (other)": {"rep": "404", "secretary": "404"},
    "contact details (same)": {"rep": "404", "secretary": "ok"},
    "contact details (other)": {"rep": "404", "secretary": "404"},
    "new job (same)": {"rep": "404", "secretary": "ok"},
    "new job (other)": {"rep": "404", "secretary": "404"},
    "end job (same)": {"rep": "404", "secretary": "ok"},
    "end job (other)": {"rep": "404", "secretary": "404"},
    "resignation (same)": {"rep": "404", "secretary": "404"},
    "resignation (other)": {"rep": "404", "secretary": "404"},
    "access log (same)": {"rep": "404", "secretary": "404"},
    "access log (other)": {"rep": "404", "secretary": "404"},
    "invitation (same)": {"rep": "404", "secretary": "ok"},
    "invitation (other)": {"rep": "404", "secretary": "404"},
    "change job (same)": {"rep": "404", "secretary": "ok"},
    "change job (other)": {"rep": "404", "secretary": "404"},
    "new position (same)": {"rep": "404", "secretary": "ok"},
    "new position (other)": {"rep": "404", "secretary": "404"},
    "end position (same)": {"rep": "404", "secretary": "ok"},
    "end position (other)": {"rep": "404", "secretary": "404"},
    "membership terms (same)": {"rep": "404", "secretary": "404"},
    "membership terms (other)": {"rep": "404", "secretary": "404"},
    "applications": {"rep": "404", "secretary": "404"},
    "application": {"rep": "404", "secretary": "404"},
    "bulk transfer": {"rep": "404", "secretary": "404"},
    "imports": {"rep": "404", "secretary": "404"},
    "union access log": {"rep": "404", "secretary": "404"},
}
for cells in EXPECTED.values():
    # Nobody without back-office access gets in; HQ and administrators see all.
    cells.setdefault("anonymous", "out")
    cells.setdefault("member", "out")
    cells.setdefault("hq", "ok")
    cells.setdefault("administrator", "ok")


@pytest.fixture
def world() -> dict[str, Any]:
    north, south = BranchFactory(name="North"), BranchFactory(name="South")
    w: dict[str, Any] = {}
    for name, branch in (("same", north), ("other", south)):
        w[name] = MembershipFactory(
            branch=branch, person=PersonFactory(email=f"{name}@example.org")
        )
        w[f"{name} job"] = EmploymentFactory(
            membership=w[name], started_on=datetime.date(2020, 1, 6)
        )
        w[f"{name} position"] = hold(
            w[name], "workplace-rep", workplace=w[f"{name} job"].workplace
        )
    w["applicant"] = MembershipFactory(
        branch=north,
        status=MembershipStatus.APPLICANT,
        membership_number=None,
        joined_on=None,
    )
    users: dict[str, Any] = {"anonymous": None}
    users["member"], _ = member_with_sign_in(north)
    users["rep"], rep = member_with_sign_in(north)
    hold(rep, "workplace-rep", workplace=WorkplaceFactory())
    users["secretary"], secretary = member_with_sign_in(north)
    hold(secretary, "branch-secretary", branch=north)
    users["hq"] = UserFactory(is_staff=True)
    users["hq"].groups.add(Group.objects.get(name="Membership staff"))
    users["administrator"] = UserFactory(is_staff=True, is_superuser=True)
    for user in users.values():
        if user is not None:
            # Everyone has a second factor: what is tested here is scope, not MFA.
            TOTP.activate(user, generate_totp_secret())
    w["users"] = users
    return w


def outcome(response: Any, url: str) -> str:
    if response.status_code == 404:
        return "404"
    if response.status_code == 200:
        return "ok"
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(("/sign-in/", "/account/login/")) or (
            location.rstrip("/") == "/admin" and url.rstrip("/") != "/admin"
        ):
            return "out"
        return "ok"
    return str(response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_its_scope_allows_on_every_route(
    client, world, role
):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    found = {}
    for label, route in ROUTES.items():
        url = route.url(world)
        response = getattr(client, route.method)(url, route.data or {})
        found[label] = outcome(response, url)

    expected = {label: EXPECTED[label][role] for label in ROUTES}
    assert found == expected


def test_every_back_office_route_with_a_member_in_it_is_in_the_matrix():
    """A new route that takes a member must be added to the matrix above."""
    from django.urls import get_resolver

    names = {
        name
        for name in get_resolver().reverse_dict
        if isinstance(name, str) and name.startswith("backoffice_member")
    }
    covered = {
        "backoffice_members",
        "backoffice_members_export",  # its scope is checked in test_member_list
        "backoffice_member",
        "backoffice_member_details",
        "backoffice_member_job_new",
        "backoffice_member_job_end",
        "backoffice_member_resign",
        "backoffice_member_access_log",
        "backoffice_member_invite",
        "backoffice_member_job_change",
        "backoffice_member_position_new",
        "backoffice_member_position_end",
        "backoffice_member_terms",
    }
    assert names <= covered, f"not in the access matrix: {sorted(names - covered)}"


def test_looking_is_logged_only_where_the_page_was_shown(client, world):
    client.force_login(world["users"]["secretary"])
    client.get(reverse("backoffice_member", args=[world["same"].pk]))
    client.get(reverse("backoffice_member", args=[world["other"].pk]))

    logged = PersonalDataAccess.objects.filter(user=world["users"]["secretary"])
    assert [a.membership_id for a in logged] == [world["same"].pk]
