"""Every role against every route that shows or changes someone's record.

The rules live in the selectors (``members/selectors.py``); this checks that every
route applies them, and that a record outside one's scope is a 404 whatever the
route. Each cell is what the role gets:

- ``ok``: the page (200), or for a POST, the redirect that follows it (302);
- ``404``: not found, as if the record did not exist;
- ``out``: sent away altogether (a redirect that is not back into the page asked
  for: to sign in, or Wagtail's "no access").

Every back-office route (a URL name starting ``backoffice_``, and the turnout and
action apps' own, ``turnout_`` and ``action_``) and every route of the member portal
and the public vote (the ``members:``, ``disputes:``, ``turnout:``, ``action:`` and
``voting:`` namespaces) must have a row: a new one without fails
``test_every_route_is_in_the_matrix``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from django.utils import timezone

from tolpuddle.action.models import (
    ActionKind,
    ActionPeriod,
    ActionPeriodWorkplace,
    Literature,
    LiteratureBranch,
)
from tolpuddle.action.tests.factories import ballot_closed
from tolpuddle.core.tests.worker import run_queued_tasks
from tolpuddle.disputes import selectors as dispute_selectors
from tolpuddle.disputes import services as dispute_services
from tolpuddle.disputes.models import BallotKind, BallotNotice, ResultNotice
from tolpuddle.members import tasks
from tolpuddle.members.models import MembershipStatus, PersonalDataAccess, Position
from tolpuddle.members.tests.factories import (
    BranchFactory,
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    WorkplaceFactory,
)
from tolpuddle.members.tests.test_access import hold, member_with_sign_in
from tolpuddle.members.tests.test_import import HEADER
from tolpuddle.turnout import links
from tolpuddle.turnout.tests.factories import ballot_open, elector
from tolpuddle.voting.tests.factories import poll_open

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "member", "rep", "secretary", "hq", "administrator")


@dataclass(frozen=True)
class Route:
    """A URL by name, its arguments named by keys of the world (an object's pk, or a
    task result's id), and how it is asked for."""

    url_name: str
    args: tuple[str, ...] = ()
    method: str = "get"
    data: Any = None

    def url(self, world: dict[str, Any]) -> str:
        values = (world[key] for key in self.args)
        return reverse(
            self.url_name,
            args=[value if isinstance(value, str) else value.pk for value in values],
        )

    def payload(self, world: dict[str, Any]) -> Any:
        """The data sent; a callable is given the world (for names made from ids)."""
        return self.data(world) if callable(self.data) else self.data


# --- The routes ----------------------------------------------------------------------
#
# Targets: "same" is a member of the secretary's and rep's branch, "other" a member
# of another branch; "own job" is the viewer's own current job (someone else's for
# those with no membership).

ROUTES: dict[str, Route] = {
    "dashboard": Route("wagtailadmin_home"),
    "members list": Route("backoffice_members"),
    "members export": Route("backoffice_members_export"),
    "positions list": Route("backoffice_positions"),
}
for target in ("same", "other"):
    job, position = f"{target} job", f"{target} position"
    ROUTES |= {
        f"member page ({target})": Route("backoffice_member", (target,)),
        f"contact details ({target})": Route("backoffice_member_details", (target,)),
        f"new job ({target})": Route("backoffice_member_job_new", (target,)),
        f"end job ({target})": Route("backoffice_member_job_end", (target, job)),
        f"change job ({target})": Route("backoffice_member_job_change", (target, job)),
        f"new position ({target})": Route("backoffice_member_position_new", (target,)),
        f"end position ({target})": Route(
            "backoffice_member_position_end", (target, position)
        ),
        f"membership terms ({target})": Route("backoffice_member_terms", (target,)),
        f"resignation ({target})": Route("backoffice_member_resign", (target,)),
        f"access log ({target})": Route("backoffice_member_access_log", (target,)),
        f"invitation ({target})": Route(
            "backoffice_member_invite", (target,), method="post"
        ),
    }
ROUTES |= {
    "applications": Route("backoffice_applications"),
    "application": Route("backoffice_application", ("applicant",)),
    "approve application": Route(
        "backoffice_application_approve", ("applicant",), method="post"
    ),
    "decline application": Route(
        "backoffice_application_decline",
        ("second applicant",),
        method="post",
        data={"reason": "Not employed in the sector."},
    ),
    "bulk transfer": Route("backoffice_transfer"),
    "transfer result": Route("backoffice_transfer_result", ("transfer",)),
    "imports": Route("backoffice_imports"),
    "import": Route("backoffice_import", ("import",)),
    "import report": Route("backoffice_import_report", ("import",)),
    "union access log": Route("backoffice_access_log"),
    # Industrial action, in the order a ballot is run: each POST succeeds for those
    # who may make it, so that the next has what it needs.
    "disputes": Route("backoffice_dispute_list"),
    "new dispute": Route("backoffice_dispute_create"),
    "dispute": Route("backoffice_dispute_detail", ("dispute",)),
    "change dispute": Route("backoffice_dispute_edit", ("dispute",)),
    "new ballot": Route("backoffice_ballot_create", ("dispute",)),
    "ballot": Route("backoffice_ballot_detail", ("ballot",)),
    "electorate": Route("backoffice_ballot_electorate", ("ballot",)),
    "freeze electorate": Route(
        "backoffice_ballot_electorate_freeze",
        ("ballot",),
        method="post",
        data=lambda w: {"on": w["freeze on"].strftime("%d/%m/%Y")},
    ),
    "notices": Route("backoffice_ballot_notices", ("ballot",)),
    "prepare notices": Route(
        "backoffice_ballot_notices_prepare", ("ballot",), method="post"
    ),
    "notice PDF": Route("backoffice_ballot_notice_pdf", ("ballot", "notice")),
    "notice text": Route("backoffice_ballot_notice_text", ("ballot", "notice")),
    "sample voting paper": Route(
        "backoffice_ballot_sample_paper_pdf", ("ballot", "notice")
    ),
    "notice given": Route(
        "backoffice_ballot_notice_given",
        ("ballot", "notice"),
        method="post",
        data=lambda w: {
            f"notice-{w['notice'].pk}-given_on": w["given on"].strftime("%d/%m/%Y")
        },
    ),
    "sample paper given": Route(
        "backoffice_ballot_sample_paper_given",
        ("ballot", "notice"),
        method="post",
        data=lambda w: {
            f"sample-{w['notice'].pk}-given_on": w["given on"].strftime("%d/%m/%Y")
        },
    ),
    "open ballot": Route("backoffice_ballot_open", ("ballot",), method="post"),
    "add late joiner": Route("backoffice_ballot_elector_add", ("ballot",)),
    "mark leaver": Route("backoffice_ballot_elector_leaver", ("ballot",)),
    # Voting and result (backoffice/ballot_results.py): the papers of the open
    # ballot; the online vote of a consultative ballot in preparation; the result of
    # a ballot that has closed, recorded again (a correction), given to its
    # employer and sent to the members.
    "voting and result": Route("backoffice_ballot_voting", ("ballot",)),
    "number papers": Route(
        "backoffice_ballot_papers_number", ("ballot",), method="post"
    ),
    "voting papers PDF": Route(
        "backoffice_ballot_papers_pdf", ("ballot", "first batch")
    ),
    "mail merge": Route("backoffice_ballot_papers_csv", ("ballot",)),
    "online vote": Route(
        "backoffice_ballot_poll_create", ("consultative ballot",), method="post"
    ),
    "voting codes": Route(
        "backoffice_ballot_poll_codes_send", ("consultative ballot",), method="post"
    ),
    "record result": Route(
        "backoffice_ballot_result",
        ("closed ballot",),
        method="post",
        data=lambda w: {
            "declared_on": w["declared on"].strftime("%d/%m/%Y"),
            "entitled": "1",
            "q1_yes": "1",
            "q1_no": "0",
            "q1_spoiled": "0",
        },
    ),
    "result from online vote": Route(
        "backoffice_ballot_result_from_poll",
        ("closed ballot",),
        method="post",
        data=lambda w: {"poll-declared_on": w["declared on"].strftime("%d/%m/%Y")},
    ),
    "scrutineer's report": Route(
        "backoffice_ballot_scrutineer_report", ("closed ballot",)
    ),
    "result notices": Route("backoffice_ballot_result_notices", ("closed ballot",)),
    "result notice PDF": Route(
        "backoffice_ballot_result_notice_pdf", ("closed ballot", "result notice")
    ),
    "result notice text": Route(
        "backoffice_ballot_result_notice_text", ("closed ballot", "result notice")
    ),
    "result notice given": Route(
        "backoffice_ballot_result_notice_given",
        ("closed ballot", "result notice"),
        method="post",
        data=lambda w: {
            f"result-{w['result notice'].pk}-given_on": w["result given on"].strftime(
                "%d/%m/%Y"
            )
        },
    ),
    "send result": Route(
        "backoffice_ballot_result_inform", ("closed ballot",), method="post"
    ),
    # The mandate and notices of industrial action (backoffice/action_notices.py),
    # on a ballot with a result and a notice prepared: a second notice is prepared,
    # and the first recorded as given today. The extension's form is looked at:
    # the 2025 Act allows none, so recording one is refused.
    "mandate": Route("backoffice_ballot_mandate", ("acted ballot",)),
    "extend mandate": Route("backoffice_ballot_mandate_extend", ("acted ballot",)),
    "action notices": Route("backoffice_action_notice_list", ("acted ballot",)),
    "prepare action notice": Route(
        "backoffice_action_notice_prepare",
        ("acted ballot",),
        method="post",
        data=lambda w: {
            "employer": str(w["acted employer"].pk),
            "pattern": "discontinuous",
            "days": "\n".join(
                (w["today"] + datetime.timedelta(days=n)).strftime("%d/%m/%Y")
                for n in (15, 16)
            ),
        },
    ),
    "action notice": Route(
        "backoffice_action_notice_detail", ("acted ballot", "action notice")
    ),
    "action notice PDF": Route(
        "backoffice_action_notice_pdf", ("acted ballot", "action notice")
    ),
    "action notice text": Route(
        "backoffice_action_notice_text", ("acted ballot", "action notice")
    ),
    "action notice given": Route(
        "backoffice_action_notice_given",
        ("acted ballot", "action notice"),
        method="post",
        data=lambda w: {"given-given_on": w["today"].strftime("%d/%m/%Y")},
    ),
    # The member portal: one's own record, whoever one is.
    "my membership": Route("members:my_membership"),
    "my details": Route("members:my_details"),
    "my resignation": Route("members:my_resignation"),
    "my new job": Route("members:my_job_new"),
    "change my job": Route("members:my_job_change", ("own job",)),
    "end my job": Route("members:my_job_end", ("own job",)),
    "change another's job": Route("members:my_job_change", ("same job",)),
    "end another's job": Route("members:my_job_end", ("same job",)),
    "my card": Route("members:my_card_pdf"),
}

# Industrial action in the portal and the turnout and action back office
# (``_portal_world``): "my ballot" is open and has member, rep and secretary in its
# electorate (at the rep's workplace), "not my ballot" has none of them; in "my
# ballot", the "rep's elector" works at the rep's workplace (another branch), the
# "branch elector" is in the secretary's branch elsewhere, the "far elector" is
# neither. "my period" calls out the rep's workplace (the three of them), "other
# period" only elsewhere.
ROUTES |= {
    "my disputes": Route("disputes:my_ballots"),
    "my ballot's page": Route("disputes:my_ballot", ("my ballot",)),
    "I've voted, on my ballot's page": Route(
        "disputes:my_ballot", ("my ballot",), method="post", data={"action": "voted"}
    ),
    "another's ballot's page": Route("disputes:my_ballot", ("not my ballot",)),
    "I've voted, on another's ballot's page": Route(
        "disputes:my_ballot",
        ("not my ballot",),
        method="post",
        data={"action": "voted"},
    ),
    "old list of my ballots": Route("turnout:my_ballots"),
    "old page of my ballot": Route("turnout:my_ballot", ("my ballot",)),
    "old page of another's ballot": Route("turnout:my_ballot", ("not my ballot",)),
    "emailed I've voted link": Route(
        "turnout:voted_link", ("my ballot", "voted link token")
    ),
    "emailed link, altered": Route(
        "turnout:voted_link", ("my ballot", "altered token")
    ),
    "my votes": Route("voting:my_polls"),
    "my vote": Route("voting:my_vote", ("my poll",)),
    "another's vote": Route("voting:my_vote", ("other poll",)),
    "vote with a code": Route("voting:vote_with_code", ("my poll",)),
    "receipts": Route("voting:poll_receipts", ("my poll",)),
    "my days of action": Route("action:my_action"),
    "did I take part": Route(
        "action:my_participation",
        ("my period",),
        method="post",
        data={"took_part": "took_part"},
    ),
    "did I take part, not called out": Route(
        "action:my_participation",
        ("other period",),
        method="post",
        data={"took_part": "took_part"},
    ),
    "turnout ballots": Route("turnout_ballots"),
    "turnout electors": Route("turnout_electors", ("my ballot",)),
    "turnout electors (nobody in scope)": Route("turnout_electors", ("not my ballot",)),
    "turnout elector (rep's workplace)": Route(
        "turnout_elector", ("my ballot", "rep's elector")
    ),
    "turnout elector (branch)": Route(
        "turnout_elector", ("my ballot", "branch elector")
    ),
    "turnout elector (elsewhere)": Route(
        "turnout_elector", ("my ballot", "far elector")
    ),
    "mark elector (rep's workplace)": Route(
        "turnout_elector_mark",
        ("my ballot", "rep's elector"),
        method="post",
        data={"status": "unreachable", "reason": "", "note": ""},
    ),
    "mark elector (elsewhere)": Route(
        "turnout_elector_mark",
        ("my ballot", "far elector"),
        method="post",
        data={"status": "unreachable", "reason": "", "note": ""},
    ),
    "call note (branch)": Route(
        "turnout_elector_call",
        ("my ballot", "branch elector"),
        method="post",
        data={"outcome": "no_answer", "note": ""},
    ),
    "call note (elsewhere)": Route(
        "turnout_elector_call",
        ("my ballot", "far elector"),
        method="post",
        data={"outcome": "no_answer", "note": ""},
    ),
    "turnout dashboard": Route("turnout_dashboard", ("my ballot",)),
    "reminders": Route("turnout_reminders", ("my ballot",)),
    "scrutineer's figures": Route("turnout_scrutineer", ("my ballot",)),
    "replacement papers": Route("turnout_replacements", ("my ballot",)),
    "action ballots": Route("action_ballots"),
    "new period of action": Route("action_period_new", ("called ballot",)),
    "period of action": Route("action_period", ("my period",)),
    "new picket line": Route("action_picket_line_new", ("my period",)),
    "send literature": Route("action_literature_new", ("my period",)),
    "literature file (branch's)": Route(
        "action_literature_file", ("north literature",)
    ),
    "literature file (another branch's)": Route(
        "action_literature_file", ("south literature",)
    ),
}


# --- What each role gets -------------------------------------------------------------
#
# A back-office row names what the rep and the secretary get: nobody without
# back-office access gets in, and HQ staff and administrators get everything. A
# portal row is each member's own record: signed-in members get theirs, anyone
# else is sent to sign in, and a sign-in with no membership (HQ staff and
# administrators here) is told so (404).

HQ_ONLY = {"rep": "404", "secretary": "404"}
BRANCH_SCOPE = {"rep": "ok", "secretary": "ok"}
OFFICERS = {"rep": "404", "secretary": "ok"}


def back_office(cells: dict[str, str]) -> dict[str, str]:
    return {
        "anonymous": "out",
        "member": "out",
        "hq": "ok",
        "administrator": "ok",
        **cells,
    }


def portal(members_get: str = "ok") -> dict[str, str]:
    return {
        "anonymous": "out",
        "member": members_get,
        "rep": members_get,
        "secretary": members_get,
        "hq": "404",
        "administrator": "404",
    }


EXPECTED: dict[str, dict[str, str]] = {
    "dashboard": back_office(BRANCH_SCOPE),
    "members list": back_office(BRANCH_SCOPE),
    "members export": back_office(BRANCH_SCOPE),
    "positions list": back_office(BRANCH_SCOPE),
    "member page (same)": back_office(BRANCH_SCOPE),
    "contact details (same)": back_office(OFFICERS),
    "new job (same)": back_office(OFFICERS),
    "end job (same)": back_office(OFFICERS),
    "change job (same)": back_office(OFFICERS),
    "new position (same)": back_office(OFFICERS),
    "end position (same)": back_office(OFFICERS),
    "membership terms (same)": back_office(HQ_ONLY),
    "resignation (same)": back_office(HQ_ONLY),
    "access log (same)": back_office(HQ_ONLY),
    "invitation (same)": back_office(OFFICERS),
    **{
        label: back_office(HQ_ONLY)  # another branch's member: nobody below HQ
        for label in ROUTES
        if label.endswith("(other)")
    },
    "applications": back_office(HQ_ONLY),
    "application": back_office(HQ_ONLY),
    "approve application": back_office(HQ_ONLY),
    "decline application": back_office(HQ_ONLY),
    "bulk transfer": back_office(HQ_ONLY),
    "transfer result": back_office(HQ_ONLY),
    "imports": back_office(HQ_ONLY),
    "import": back_office(HQ_ONLY),
    "import report": back_office(HQ_ONLY),
    "union access log": back_office(HQ_ONLY),
    **{
        label: back_office(HQ_ONLY)  # no rep or secretary is a dispute's official
        for label in (
            "disputes",
            "new dispute",
            "dispute",
            "change dispute",
            "new ballot",
            "ballot",
            "electorate",
            "freeze electorate",
            "notices",
            "prepare notices",
            "notice PDF",
            "notice text",
            "sample voting paper",
            "notice given",
            "sample paper given",
            "open ballot",
            "add late joiner",
            "mark leaver",
            "voting and result",
            "number papers",
            "voting papers PDF",
            "mail merge",
            "online vote",
            "record result",
            "scrutineer's report",
            "result notices",
            "result notice PDF",
            "result notice text",
            "result notice given",
            "send result",
        )
    },
    **{
        label: back_office(HQ_ONLY)  # no rep or secretary is a dispute's official
        for label in (
            "mandate",
            "extend mandate",
            "action notices",
            "prepare action notice",
            "action notice",
            "action notice PDF",
            "action notice text",
            "action notice given",
        )
    },
    # The closed ballot has no online vote: the service refuses (400), beyond the
    # access check.
    "result from online vote": back_office(
        {**HQ_ONLY, "hq": "400", "administrator": "400"}
    ),
    "voting codes": back_office(HQ_ONLY),
    "my membership": portal(),
    "my details": portal(),
    "my resignation": portal(),
    "my new job": portal(),
    "change my job": portal(),
    "end my job": portal(),
    "change another's job": portal("404"),
    "end another's job": portal("404"),
    "my card": portal(),
}

REP_ONLY = {"rep": "ok", "secretary": "404"}
EVERYONE = dict.fromkeys(ROLES, "ok")  # public: the vote with a code, the receipts
EXPECTED |= {
    "my disputes": portal(),
    "my ballot's page": portal(),
    "I've voted, on my ballot's page": portal(),
    "another's ballot's page": portal("404"),
    "I've voted, on another's ballot's page": portal("404"),
    "old list of my ballots": portal(),
    "old page of my ballot": portal(),
    "old page of another's ballot": portal("404"),
    # The emailed link works without signing in, for whoever holds it.
    "emailed I've voted link": EVERYONE,
    "emailed link, altered": dict.fromkeys(ROLES, "404"),
    "my votes": portal(),
    "my vote": portal(),
    "another's vote": portal("404"),
    "vote with a code": EVERYONE,
    "receipts": EVERYONE,
    "my days of action": portal(),
    "did I take part": portal(),
    "did I take part, not called out": portal("404"),
    "turnout ballots": back_office(BRANCH_SCOPE),
    "turnout electors": back_office(BRANCH_SCOPE),
    "turnout electors (nobody in scope)": back_office(HQ_ONLY),
    "turnout elector (rep's workplace)": back_office(REP_ONLY),
    "turnout elector (branch)": back_office(OFFICERS),
    "turnout elector (elsewhere)": back_office(HQ_ONLY),
    "mark elector (rep's workplace)": back_office(REP_ONLY),
    "mark elector (elsewhere)": back_office(HQ_ONLY),
    "call note (branch)": back_office(OFFICERS),
    "call note (elsewhere)": back_office(HQ_ONLY),
    "turnout dashboard": back_office(HQ_ONLY),
    "reminders": back_office(HQ_ONLY),
    "scrutineer's figures": back_office(HQ_ONLY),
    "replacement papers": back_office(HQ_ONLY),
    "action ballots": back_office(HQ_ONLY),
    "new period of action": back_office(HQ_ONLY),
    "period of action": back_office(HQ_ONLY),
    "new picket line": back_office(HQ_ONLY),
    "send literature": back_office(HQ_ONLY),
    # Literature goes to branch officers: the secretary's branch's, not another's.
    "literature file (branch's)": back_office(OFFICERS),
    "literature file (another branch's)": back_office(HQ_ONLY),
}


@pytest.fixture
def world(settings: Any, tmp_path: Path) -> dict[str, Any]:
    # Tasks are kept in the database, as in production, so that an import and a
    # transfer have pages to look at.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
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
    for name in ("applicant", "second applicant"):
        w[name] = MembershipFactory(
            branch=north,
            status=MembershipStatus.APPLICANT,
            membership_number=None,
            joined_on=None,
        )
    users: dict[str, Any] = {"anonymous": None}
    own_jobs: dict[str, Any] = {}
    users["member"], member = member_with_sign_in(north)
    users["rep"], rep = member_with_sign_in(north)
    hold(rep, "workplace-rep", workplace=WorkplaceFactory())
    users["secretary"], secretary = member_with_sign_in(north)
    hold(secretary, "branch-secretary", branch=north)
    for role, membership in (
        ("member", member),
        ("rep", rep),
        ("secretary", secretary),
    ):
        own_jobs[role] = EmploymentFactory(membership=membership)
    users["hq"] = UserFactory(is_staff=True)
    users["hq"].groups.add(Group.objects.get(name="Membership staff"))
    users["administrator"] = UserFactory(is_staff=True, is_superuser=True)
    for user in users.values():
        if user is not None:
            # Everyone has a second factor: what is tested here is scope, not MFA.
            TOTP.activate(user, generate_totp_secret())
    w["users"], w["own jobs"] = users, own_jobs
    _portal_world(w, settings, tmp_path)

    register = tmp_path / "register.csv"
    register.write_text(HEADER + "\n")
    w["import"] = str(tasks.import_members_task.enqueue(path=str(register)).id)
    run_queued_tasks()  # the import has succeeded, so it has a report
    w["transfer"] = str(
        tasks.employer_bulk_transfer_task.enqueue(
            from_employer_id=EmployerFactory().pk,
            to_employer_id=EmployerFactory().pk,
            on="2027-04-01",
        ).id
    )  # queued, waiting for the worker
    _dispute_world(w)
    _result_world(w, settings, tmp_path)
    _action_world(w)
    return w


class _CurrentNotice:
    """The ballot's notice as it is now: preparing the notices again replaces them."""

    def __init__(self, ballot: Any) -> None:
        self.ballot = ballot

    @property
    def pk(self) -> int:
        notice = BallotNotice.objects.filter(ballot=self.ballot).first()
        return notice.pk if notice else 0


def _dispute_world(w: dict[str, Any]) -> None:
    """A dispute with the employer of "same", and a statutory ballot that opened two
    days ago, frozen and with its notice prepared: the routes freeze it again (as at
    30 days ago), prepare the notice again, record it and the sample paper as given
    12 days ago (in time) and open it."""
    today = timezone.localdate()
    employer = w["same job"].employer
    dispute = dispute_services.dispute_create(
        title="Pay",
        summary="The pay award.",
        employers=[employer],
        began_on=today - datetime.timedelta(days=60),
        by=None,
    )
    ballot = dispute_services.ballot_create(
        dispute=dispute,
        title="Strike ballot",
        kind=BallotKind.STATUTORY,
        opening_on=today - datetime.timedelta(days=2),
        closing_on=today + datetime.timedelta(days=26),
        employers=[employer],
        strike=True,
        return_address="Freepost",
        authorised_to_call_action="The General Secretary",
        by=None,
    )
    w["freeze on"] = today - datetime.timedelta(days=30)
    w["given on"] = today - datetime.timedelta(days=12)
    dispute_services.ballot_electorate_freeze(ballot=ballot, on=w["freeze on"], by=None)
    dispute_services.ballot_notices_prepare(ballot=ballot, by=None)
    w["dispute"], w["ballot"], w["notice"] = dispute, ballot, _CurrentNotice(ballot)


class _CurrentResultNotice:
    """The closed ballot's result to its employer as it is now: recording the
    result again replaces it."""

    def __init__(self, ballot: Any) -> None:
        self.ballot = ballot

    @property
    def pk(self) -> int:
        notice = ResultNotice.objects.filter(ballot=self.ballot).first()
        return notice.pk if notice else 0


def _result_world(w: dict[str, Any], settings: Any, tmp_path: Path) -> None:
    """A second ballot over the dispute that opened 40 days ago and closed 20 days
    ago, its result (with the scrutineer's report) recorded the day after; and a
    consultative ballot in preparation, its electorate frozen."""
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    employer = w["same job"].employer
    closed = dispute_services.ballot_create(
        dispute=w["dispute"],
        title="Earlier strike ballot",
        kind=BallotKind.STATUTORY,
        opening_on=today - datetime.timedelta(days=40),
        closing_on=today - datetime.timedelta(days=20),
        employers=[employer],
        strike=True,
        return_address="Freepost",
        authorised_to_call_action="The General Secretary",
        by=None,
    )
    dispute_services.ballot_electorate_freeze(
        ballot=closed, on=today - datetime.timedelta(days=50), by=None
    )
    for notice in dispute_services.ballot_notices_prepare(ballot=closed, by=None):
        given = today - datetime.timedelta(days=48)
        dispute_services.ballot_notice_record_given(
            notice=notice, given_on=given, by=None
        )
        dispute_services.ballot_sample_paper_record_given(
            notice=notice, given_on=given, by=None
        )
    dispute_services.ballot_open(
        ballot=closed, by=None, on=today - datetime.timedelta(days=40)
    )
    w["declared on"] = today - datetime.timedelta(days=19)
    w["result given on"] = today - datetime.timedelta(days=18)
    dispute_services.ballot_result_record(
        ballot=closed,
        declared_on=w["declared on"],
        by=None,
        entitled=1,
        yes=1,
        no=0,
        spoiled=0,
        scrutineer_report=ContentFile(b"%PDF-1.4 report", name="report.pdf"),
    )
    consultative = dispute_services.ballot_create(
        dispute=w["dispute"],
        title="Consultation on the offer",
        kind=BallotKind.CONSULTATIVE,
        opening_on=today + datetime.timedelta(days=10),
        closing_on=today + datetime.timedelta(days=20),
        employers=[employer],
        questions=["Do you accept the offer?"],
        by=None,
    )
    dispute_services.ballot_electorate_freeze(ballot=consultative, on=today, by=None)
    w["closed ballot"], w["consultative ballot"] = closed, consultative
    w["result notice"] = _CurrentResultNotice(closed)
    w["first batch"] = "1"


def _action_world(w: dict[str, Any]) -> None:
    """A dispute with the employer of "same" and a strike ballot that closed 30 days
    ago with a mandate, its result given to the employer, and a notice of
    industrial action prepared for continuous action from 20 days on."""
    today = timezone.localdate()
    employer = w["same job"].employer
    days = datetime.timedelta(days=1)
    dispute = dispute_services.dispute_create(
        title="Workload",
        summary="Caseloads.",
        employers=[employer],
        began_on=today - 60 * days,
        by=None,
    )
    ballot = dispute_services.ballot_create(
        dispute=dispute,
        title="Workload strike ballot",
        kind=BallotKind.STATUTORY,
        opening_on=today - 50 * days,
        closing_on=today - 30 * days,
        employers=[employer],
        strike=True,
        return_address="Freepost",
        authorised_to_call_action="The General Secretary",
        by=None,
    )
    dispute_services.ballot_electorate_freeze(
        ballot=ballot, on=today - 58 * days, by=None
    )
    for notice in dispute_services.ballot_notices_prepare(ballot=ballot, by=None):
        for record in (
            dispute_services.ballot_notice_record_given,
            dispute_services.ballot_sample_paper_record_given,
        ):
            record(notice=notice, given_on=today - 58 * days, by=None)
    dispute_services.ballot_open(ballot=ballot, by=None, on=today - 50 * days)
    dispute_services.ballot_result_record(
        ballot=ballot,
        declared_on=today - 29 * days,
        by=None,
        entitled=1,
        yes=1,
        no=0,
        spoiled=0,
    )
    for result in dispute_selectors.result_notices(ballot=ballot):
        dispute_services.result_notice_record_given(
            notice=result, given_on=today - 29 * days, by=None
        )
    w["action notice"] = dispute_services.action_notice_prepare(
        ballot=ballot,
        employer=employer,
        continuous=True,
        start_on=today + 20 * days,
        by=None,
    )
    w["acted ballot"], w["acted employer"], w["today"] = ballot, employer, today


def _portal_world(w: dict[str, Any], settings: Any, tmp_path: Path) -> None:
    """The member's ballots, polls and days of action, and the electors the rep
    and the secretary work on (the routes' comment above names them). Made through
    the models (the apps' test factories): how a ballot got open or closed is the
    disputes app's business, tested there."""
    settings.MEDIA_ROOT = tmp_path / "media"
    today, now = timezone.localdate(), timezone.now()
    days = datetime.timedelta(days=1)
    north, south = w["same"].branch, w["other"].branch
    users = w["users"]
    own = [users[role].person.membership for role in ("member", "rep", "secretary")]
    reps_workplace = Position.objects.get(
        membership=own[1], workplace__isnull=False
    ).workplace
    elsewhere = WorkplaceFactory(employer=reps_workplace.employer)
    employers = [reps_workplace.employer]

    mine = ballot_open(
        employers=employers, opening_on=today - 3 * days, closing_on=today + 20 * days
    )
    for membership in own:
        elector(mine, membership=membership, workplace=reps_workplace)
    for name, branch, workplace in (
        ("rep's elector", south, reps_workplace),
        ("branch elector", north, elsewhere),
        ("far elector", south, elsewhere),
    ):
        w[name] = elector(mine, workplace=workplace, branch=branch).membership
    ready = poll_open(members=own, title=mine.title)
    mine.poll = ready.poll
    mine.save(update_fields=["poll"])
    not_mine = ballot_open(
        employers=employers, opening_on=today - 3 * days, closing_on=today + 20 * days
    )
    elector(not_mine, membership=w["far elector"], workplace=elsewhere)
    w["my ballot"], w["not my ballot"] = mine, not_mine
    w["my poll"], w["other poll"] = ready.poll, poll_open(voters=1).poll
    w["voted link token"] = links.voted_link_token(
        ballot_id=mine.pk, membership_id=own[0].pk
    )
    w["altered token"] = w["voted link token"][:-3] + "xyz"

    called = ballot_closed(
        employers=employers, opening_on=today - 50 * days, closing_on=today - 30 * days
    )
    for membership in own:
        elector(called, membership=membership, workplace=reps_workplace)
    for name, workplace in (("my period", reps_workplace), ("other period", elsewhere)):
        period = ActionPeriod.objects.create(
            ballot=called,
            kind=ActionKind.STRIKE,
            starts_at=now - 2 * days,
            ends_at=now - days,
        )
        ActionPeriodWorkplace.objects.create(period=period, workplace=workplace)
        w[name] = period
    for name, branch in (("north literature", north), ("south literature", south)):
        literature = Literature.objects.create(
            period=w["my period"],
            title="Strike leaflet",
            file=SimpleUploadedFile("leaflet.pdf", b"%PDF-1.4 leaflet"),
            sent_at=now - days,
        )
        LiteratureBranch.objects.create(literature=literature, branch=branch)
        w[name] = literature
    w["called ballot"] = called


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
    # Someone with no job of their own is given another's: a 404 whatever they are.
    world["own job"] = world["own jobs"].get(role, world["same job"])
    found = {}
    for label, route in ROUTES.items():
        url = route.url(world)
        response = getattr(client, route.method)(url, route.payload(world) or {})
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # let the export run to its end
        found[label] = outcome(response, url)

    expected = {label: EXPECTED[label][role] for label in ROUTES}
    assert found == expected


def test_every_route_is_in_the_matrix():
    """A new back-office or portal route must be added to the matrix above."""
    resolver = get_resolver()
    # The turnout and action apps' back-office routes are named for their apps.
    back_office_prefixes = ("backoffice_", "turnout_", "action_")
    names = {
        name
        for name in resolver.reverse_dict
        if isinstance(name, str) and name.startswith(back_office_prefixes)
    }
    for namespace in ("members", "disputes", "turnout", "action", "voting"):
        routes = resolver.namespace_dict[namespace][1].reverse_dict
        names |= {f"{namespace}:{name}" for name in routes if isinstance(name, str)}
    covered = {route.url_name for route in ROUTES.values()}

    assert names - covered == set(), "not in the access matrix"
    assert set(EXPECTED) == set(ROUTES)
    assert all(set(cells) == set(ROLES) for cells in EXPECTED.values())


def test_looking_is_logged_only_where_the_page_was_shown(client, world):
    client.force_login(world["users"]["secretary"])
    client.get(reverse("backoffice_member", args=[world["same"].pk]))
    client.get(reverse("backoffice_member", args=[world["other"].pk]))

    logged = PersonalDataAccess.objects.filter(user=world["users"]["secretary"])
    assert [a.membership_id for a in logged] == [world["same"].pk]


def test_the_portal_shows_each_member_their_own_record(client, world):
    user = world["users"]["member"]
    own = user.person.membership
    client.force_login(user)

    page = client.get(reverse("members:my_membership")).text
    card = client.get(reverse("members:my_card_pdf"))

    assert own.membership_number in page
    assert world["same"].membership_number not in page
    assert own.membership_number in card["Content-Disposition"]
