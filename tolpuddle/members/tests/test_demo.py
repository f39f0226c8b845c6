"""The demo union: `tolpuddle demo` and `tolpuddle demo_signins`."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery

from tolpuddle.core.models import User
from tolpuddle.members import demo, services
from tolpuddle.members.models import (
    Employer,
    EmployerSuccession,
    Employment,
    Membership,
    MembershipEvent,
    MembershipNumberSequence,
    Person,
    Position,
    Workplace,
    search_key,
)
from tolpuddle.members.normalise import normalise_phone, normalise_postcode

pytestmark = pytest.mark.django_db

MEMBERS = 300
TRANSFORMING_REHABILITATION = datetime.date(2014, 6, 1)
REUNIFICATION = datetime.date(2021, 6, 26)
DAY = datetime.timedelta(days=1)


def run(command: str, **options) -> str:
    out = io.StringIO()
    call_command(command, stdout=out, **options)
    return out.getvalue()


def build(**options) -> str:
    return run("demo", members=MEMBERS, **options)


@pytest.fixture
def union():
    build()


# --- Determinism --------------------------------------------------------------------


class UndoTheBuildError(Exception):
    pass


def register_digest() -> str:
    """A fingerprint of what the register holds, without ids or timestamps."""
    email = "membership__person__email"
    rows = [
        list(
            Membership.objects.order_by(
                "membership_number", "person__email"
            ).values_list(
                "membership_number",
                "person__title",
                "person__first_name",
                "person__last_name",
                "person__email",
                "person__phone",
                "person__address_line_1",
                "person__postcode",
                "person__date_of_birth",
                "category",
                "status",
                "branch__name",
                "applied_on",
                "joined_on",
                "left_on",
                "arrears",
            )
        ),
        list(
            Employment.objects.order_by(email, "started_on", "id").values_list(
                email,
                "employer__name",
                "workplace__name",
                "job_category",
                "hours",
                "pay_band",
                "started_on",
                "ended_on",
            )
        ),
        list(
            MembershipEvent.objects.order_by(email, "effective_on", "id").values_list(
                email, "kind", "effective_on", "status_from", "status_to", "reason"
            )
        ),
        list(
            Position.objects.order_by(
                email, "role__slug", "started_on", "id"
            ).values_list(
                email, "role__slug", "branch__name", "workplace__name", "started_on"
            )
        ),
        list(
            Workplace.objects.order_by("employer__name", "name").values_list(
                "name", "postcode"
            )
        ),
        list(User.objects.order_by("username").values_list("username", "email")),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_same_seed_always_builds_the_same_union_and_another_seed_another():
    digests = []
    for seed in (demo.DEFAULT_SEED, demo.DEFAULT_SEED, 7):
        try:
            with transaction.atomic():
                build(seed=seed)
                digests.append(register_digest())
                raise UndoTheBuildError
        except UndoTheBuildError:
            pass
        assert not Membership.objects.exists()
    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


# --- The employers and what became of them -------------------------------------------


def test_the_35_trusts_became_21_crcs_and_the_nps_on_1_june_2014(union):
    trusts = Employer.objects.filter(name__endswith="Probation Trust")
    assert trusts.count() == 35
    nps = Employer.objects.get(name="National Probation Service")
    assert nps.type == "civil_service"
    assert nps.existed_from == TRANSFORMING_REHABILITATION
    crcs = set()
    for trust in trusts:
        assert trust.type == "public"
        assert trust.existed_from == datetime.date(2010, 4, 1)
        assert trust.existed_until == TRANSFORMING_REHABILITATION - DAY
        successions = EmployerSuccession.objects.filter(predecessor=trust)
        assert {s.on for s in successions} == {TRANSFORMING_REHABILITATION}
        [crc] = [s.successor for s in successions if s.successor != nps]
        assert {s.successor for s in successions} == {crc, nps}
        crcs.add(crc)
    assert len(crcs) == 21
    for crc in crcs:
        assert crc.name.endswith(" CRC")
        assert crc.type == "private"
        assert (crc.existed_from, crc.existed_until) == (
            TRANSFORMING_REHABILITATION,
            REUNIFICATION - DAY,
        )
        [succession] = EmployerSuccession.objects.filter(predecessor=crc)
        assert (succession.successor, succession.on) == (nps, REUNIFICATION)
    assert (
        Employer.objects.filter(name__endswith="London Probation Trust")
        .get()
        .successors.filter(name="London CRC")
        .exists()
    )
    for name, nation in (
        ("Cafcass", "ENG"),
        ("Cafcass Cymru", "WLS"),
        ("Probation Board for Northern Ireland", "NIR"),
        ("Wales Probation Trust", "WLS"),
    ):
        assert Employer.objects.get(name=name).nation.code == nation


def test_every_workplace_has_an_address_with_a_valid_postcode(union):
    for employer in Employer.objects.all():
        assert employer.workplaces.count() >= 2, employer
    for workplace in Workplace.objects.all():
        assert workplace.address_line_1
        assert workplace.town
        assert normalise_postcode(workplace.postcode) == workplace.postcode


# --- Jobs follow the reorganisations -----------------------------------------------------


def test_trust_staff_moved_to_a_crc_or_the_nps_with_their_job_on_1_june_2014(union):
    before = TRANSFORMING_REHABILITATION - DAY
    assert not (
        Employment.objects.current_on(TRANSFORMING_REHABILITATION)
        .filter(employer__name__endswith="Probation Trust")
        .exists()
    )
    moved = 0
    trust_jobs = (
        Employment.objects.current_on(before)
        .filter(employer__name__endswith="Probation Trust")
        .select_related("employer", "workplace")
    )
    for old in trust_jobs:
        later = list(
            Employment.objects.current_on(TRANSFORMING_REHABILITATION)
            .filter(membership_id=old.membership_id)
            .select_related("employer", "workplace")
        )
        if not later:  # they left on 31/05/2014
            continue
        [new] = later
        assert old.ended_on == before
        assert new.started_on == TRANSFORMING_REHABILITATION
        assert new.employer in old.employer.successors.all()
        assert (new.job_category, new.hours, new.pay_band) == (
            old.job_category,
            old.hours,
            old.pay_band,
        )
        assert new.workplace.name == old.workplace.name
        assert MembershipEvent.objects.filter(
            membership_id=old.membership_id,
            kind="transferred",
            effective_on=TRANSFORMING_REHABILITATION,
        ).exists()
        moved += 1
    assert moved >= 20


def test_crc_staff_moved_to_the_nps_on_26_june_2021_and_nobody_works_for_a_crc_since(
    union,
):
    assert (
        not Employment.objects.current_on(REUNIFICATION)
        .filter(employer__type="private")
        .exists()
    )
    assert not Employment.objects.filter(
        employer__type="private", ended_on__isnull=True
    ).exists()
    moved = 0
    for old in Employment.objects.current_on(REUNIFICATION - DAY).filter(
        employer__type="private"
    ):
        new = Employment.objects.filter(
            membership_id=old.membership_id, started_on=REUNIFICATION
        ).first()
        if new is None:
            continue
        assert new.employer.name == "National Probation Service"
        assert new.job_category == old.job_category
        moved += 1
    assert moved >= 10


def test_later_joiners_start_at_the_employer_of_the_day(union):
    jobs = Employment.objects.filter(membership__joined_on__gte=REUNIFICATION)
    assert jobs.exists()
    assert not jobs.filter(employer__existed_until__isnull=False).exists()


def test_every_job_is_within_its_employers_life_and_at_its_own_workplaces(union):
    assert not Employment.objects.filter(
        Q(started_on__lt=F("employer__existed_from"))
        | Q(ended_on__gt=F("employer__existed_until"))
        | Q(ended_on__isnull=True, employer__existed_until__isnull=False)
    ).exists()
    assert not Employment.objects.exclude(workplace__employer=F("employer")).exists()


def test_some_members_hold_two_jobs(union):
    two = (
        Membership.objects.filter(employments__ended_on__isnull=True)
        .annotate(current_jobs=Count("employments"))
        .filter(current_jobs=2)
    )
    assert two.exists()


# --- Memberships and their history ----------------------------------------------


def test_the_register_has_exactly_the_members_asked_for_most_of_them_active(union):
    assert Membership.objects.count() == MEMBERS
    active = Membership.objects.filter(status="active").count()
    assert active > MEMBERS * 0.8
    statuses = set(Membership.objects.values_list("status", flat=True))
    assert {"active", "applicant", "lapsed", "resigned", "deceased"} <= statuses
    categories = set(Membership.objects.values_list("category", flat=True))
    assert {"full", "student", "retired"} <= categories


def test_every_membership_has_the_history_its_status_says(union):
    assert (
        not Membership.objects.filter(status="active")
        .exclude(events__status_to="active")
        .exists()
    )
    last_status = (
        MembershipEvent.objects.filter(membership=OuterRef("pk"))
        .exclude(status_to="")
        .order_by("-effective_on", "-id")
        .values("status_to")[:1]
    )
    assert (
        not Membership.objects.annotate(history=Subquery(last_status))
        .exclude(history=F("status"))
        .exists()
    )
    for membership in Membership.objects.filter(
        status__in=["lapsed", "resigned", "deceased"]
    ):
        assert membership.left_on is not None
        assert membership.events.filter(
            status_from="active",
            status_to=membership.status,
            effective_on=membership.left_on,
        ).exists()
    for membership in Membership.objects.filter(status="active"):
        assert membership.events.filter(
            status_to="active", effective_on=membership.joined_on
        ).exists()
    for membership in Membership.objects.filter(status="applicant"):
        assert membership.membership_number is None
        assert membership.events.filter(kind="applied", status_to="applicant").exists()
    assert not MembershipEvent.objects.filter(effective_on__gt=demo.AS_AT).exists()


def test_membership_numbers_are_numeric_and_the_next_approval_takes_a_new_one(union):
    numbers = [
        int(n)
        for n in Membership.objects.exclude(membership_number=None).values_list(
            "membership_number", flat=True
        )
    ]
    sequence = MembershipNumberSequence.objects.get(name="membership")
    assert sequence.last_value >= max(numbers)
    applicant = Membership.objects.filter(status="applicant").first()
    approved = services.membership_approve(membership=applicant, actor=None)
    assert int(approved.membership_number) > max(numbers)


def test_people_have_valid_contact_details_and_searchable_names(union):
    people = list(Person.objects.all())
    assert all(normalise_postcode(p.postcode) == p.postcode for p in people)
    assert all(normalise_phone(p.phone) == p.phone for p in people if p.phone)
    assert all(
        p.email == p.email.lower() and p.email.endswith("@example.org") for p in people
    )
    assert len({p.email for p in people}) == len(people)
    person = people[0]
    assert Person.objects.filter(
        last_name_key=search_key(person.last_name.upper()),
        first_name_key=search_key(person.first_name),
    ).exists()


def test_branches_have_officers_and_workplaces_have_reps(union):
    assert Position.objects.filter(role__slug="branch-secretary").exists()
    assert Position.objects.filter(role__slug="branch-chair").exists()
    assert Position.objects.filter(
        role__slug="workplace-rep", workplace__isnull=False
    ).exists()
    assert not Position.objects.exclude(membership__status="active").exists()


# --- The command ------------------------------------------------------------------------


def test_if_empty_leaves_a_register_with_members_alone(union):
    out = run("demo", members=MEMBERS, if_empty=True)
    assert "not loaded" in out
    assert Membership.objects.count() == MEMBERS


def test_without_if_empty_it_refuses_a_register_with_members(union):
    with pytest.raises(CommandError, match="empty register"):
        build()
    assert Membership.objects.count() == MEMBERS


def test_if_empty_builds_in_an_empty_register():
    out = build(if_empty=True)
    assert "Built the demo union" in out
    assert Membership.objects.count() == MEMBERS


def test_it_refuses_too_few_members():
    with pytest.raises(CommandError, match="at least"):
        run("demo", members=5)
    assert not Membership.objects.exists()


# --- Sign-ins ---------------------------------------------------------------------------


def test_the_four_sign_ins_exist_and_the_demo_password_works(union):
    signed_in = {}
    for username in ("member", "rep", "secretary", "membership"):
        email = User.objects.get(username=username).email
        user = authenticate(email=email, password=demo.DEMO_PASSWORD)
        assert user is not None, username
        signed_in[username] = user
        assert EmailAddress.objects.get(user=user).verified
    member = signed_in["member"].person.membership
    assert member.status == "active"
    rep = signed_in["rep"].person.membership
    assert rep.positions.filter(
        role__slug="workplace-rep", ended_on__isnull=True
    ).exists()
    secretary = signed_in["secretary"].person.membership
    assert secretary.positions.filter(role__slug="branch-secretary").exists()
    staff = signed_in["membership"]
    assert staff.is_staff
    assert not Person.objects.filter(user=staff).exists()
    assert authenticate(email=member.person.email, password="wrong") is None
    for username in ("rep", "secretary", "membership"):
        assert is_mfa_enabled(signed_in[username]), username
    assert not is_mfa_enabled(signed_in["member"])


def test_demo_signins_prints_the_urls_and_who_each_sign_in_is(union):
    out = run("demo_signins", url="http://testserver:8000")
    assert "http://testserver:8000/" in out
    assert "http://testserver:8000/sign-in/" in out
    for username in ("member", "rep", "secretary", "membership"):
        assert f"  {User.objects.get(username=username).email} " in out
    assert demo.DEMO_TOTP_SECRET in out
    assert demo.DEMO_PASSWORD in out
    member = Membership.objects.get(person__user__username="member")
    assert member.membership_number in out
    assert str(member.person) in out
    assert "workplace rep at" in out
    assert "branch secretary of" in out


def test_demo_signins_says_when_the_demo_is_not_loaded():
    out = run("demo_signins")
    assert "http://127.0.0.1:8000/sign-in/" in out
    assert "not loaded" in out


# --- Full size ------------------------------------------------------------------------


@pytest.mark.slow
def test_the_full_demo_builds_at_its_full_size():
    # How long it takes is measured in bench/, not asserted here.
    run("demo")
    assert Membership.objects.count() == demo.DEFAULT_MEMBERS


def test_the_demo_refreshes_the_planner_statistics_it_goes_on_to_rely_on():
    # PostgreSQL may hold statistics saying a table is empty (autovacuum analysed it
    # after an earlier load rolled back) while the demo fills it inside one
    # transaction; the disputes demo's joins were then planned as nested loops over
    # thousands of rows and took minutes. The demo analyses what it wrote.
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_membership")
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = 'members_membership'"
        )
        assert cursor.fetchone()[0] <= 0
    build()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = 'members_membership'"
        )
        assert cursor.fetchone()[0] == Membership.objects.count() == MEMBERS


def test_the_demo_sign_ins_see_what_their_roles_allow(union):
    from tolpuddle.core.models import User
    from tolpuddle.members import selectors

    def scope(username):
        user = User.objects.get(username=username)
        return (
            selectors.memberships_visible_to(user=user),
            selectors.memberships_changeable_by(user=user),
        )

    everyone = Membership.objects.count()
    seen, changed = scope("member")
    assert (seen.count(), changed.count()) == (1, 1)
    seen, changed = scope("rep")
    rep_branch = seen.get(person__user__username="rep").branch
    assert seen.count() == Membership.objects.filter(branch=rep_branch).count() > 1
    assert changed.count() == 1
    seen, changed = scope("secretary")
    assert 1 < changed.count() <= seen.count() < everyone
    seen, changed = scope("membership")
    assert seen.count() == changed.count() == everyone


# --- Industrial action (tolpuddle.disputes.demo), dated from today ---------------------


def test_the_demo_has_a_dispute_with_a_mandate_and_action_on_it(union):
    from django.utils import timezone

    from tolpuddle.action.models import ActionPeriod, Participation, PicketLine
    from tolpuddle.disputes import selectors
    from tolpuddle.disputes.demo import PAY_TITLE
    from tolpuddle.disputes.models import ActionNotice, Ballot, ResultNotice
    from tolpuddle.turnout.models import ScrutineerTurnout, TurnoutReport

    today = timezone.localdate()
    ballot = Ballot.objects.get(dispute__title=PAY_TITLE, kind="statutory")
    assert ballot.status == "closed"
    assert ballot.papers_numbered_at is not None and ballot.poll is None  # by post
    assert ballot.closing_on < ballot.result_declared_on < today
    notices = selectors.ballot_notices(ballot=ballot)
    deadlines = selectors.ballot_deadlines(ballot=ballot)
    assert notices and all(
        n.given_on <= deadlines.notice_by
        and n.sample_paper_given_on <= deadlines.sample_paper_by
        for n in notices
    )
    mandate = selectors.ballot_mandate(ballot=ballot)
    assert mandate.has_mandate and mandate.live, mandate.reasons
    assert not ResultNotice.objects.filter(ballot=ballot, given_on=None).exists()
    assert ActionNotice.objects.filter(ballot=ballot, given_on__isnull=False).exists()
    periods = list(ActionPeriod.objects.filter(ballot=ballot).order_by("starts_at"))
    assert [p.ends_at < timezone.now() for p in periods] == [True, False]
    assert all(p.ends_at.date() <= mandate.expires_on for p in periods)
    assert PicketLine.objects.filter(period__in=periods).exists()
    assert Participation.objects.filter(period=periods[0]).exists()
    said = TurnoutReport.objects.filter(ballot=ballot, said_voted_at__isnull=False)
    assert said.exists()
    assert not said.filter(said_voted_at__date__gt=ballot.closing_on).exists()
    assert ScrutineerTurnout.objects.filter(ballot=ballot, day=ballot.closing_on)


def test_the_demo_has_a_ballot_being_prepared_and_an_online_consultation(union):
    from django.utils import timezone

    from tolpuddle.disputes.demo import CASELOADS_TITLE, PAY_TITLE
    from tolpuddle.disputes.models import Ballot, BallotNotice
    from tolpuddle.voting.models import Vote, Voter

    today = timezone.localdate()
    preparing = Ballot.objects.get(dispute__title=CASELOADS_TITLE)
    assert preparing.status == "draft" and preparing.opening_on > today
    assert preparing.electorate_version == 1
    notices = BallotNotice.objects.filter(ballot=preparing)
    assert notices.exists() and not notices.filter(given_on__isnull=False).exists()
    consultation = Ballot.objects.get(dispute__title=PAY_TITLE, kind="consultative")
    assert consultation.status == "open" and consultation.poll.status == "open"
    assert Vote.objects.filter(poll=consultation.poll).count() > 0
    member = Membership.objects.get(person__user__username="member")
    assert (
        Voter.objects.get(poll=consultation.poll, membership=member).has_voted is False
    )


def test_the_member_sign_in_sees_their_ballots_and_the_strike_days(union, client):
    from django.urls import reverse

    from tolpuddle.disputes.demo import PAY_TITLE

    client.force_login(User.objects.get(username="member"))
    page = client.get(reverse("disputes:my_ballots")).content.decode()
    assert "over the 2026 pay award" in page
    assert (
        "Consultation on the employer"
        in client.get(reverse("voting:my_polls")).content.decode()
    )
    action = client.get(reverse("action:my_action"))
    assert action.status_code == 200
    assert "Did you take part" in action.content.decode()
    out = run("demo_signins")
    assert PAY_TITLE in out
    assert "/my/disputes/" in out
