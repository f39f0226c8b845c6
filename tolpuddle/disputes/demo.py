"""The demo union's industrial action: two disputes and three ballots, dated from
today, so that a newcomer's disputes, turnout and action screens have something on
them whenever ``tolpuddle demo`` is run.

- **The pay award** (with the employer of the demo's member sign-in): a statutory
  postal ballot on strike action and action short of a strike, run through from
  the freeze to the result (which gives a mandate under whichever regime applies
  to its opening day), the s.231A result given, a s.234A notice of strike days,
  one strike day past (some members have said whether they took part) and two to
  come, with picket lines; while it was open some members said they had voted.
  Then a consultative online ballot on the employer's revised offer, open now, in
  which some members have voted (the member sign-in has not: they can try it).
- **Caseloads** (with another employer): a statutory ballot frozen, its notices
  prepared and not yet given, opening in ten days, so staff see the timetable's
  warnings.

Everything is written by the services, as staff, reps and members would have done
it, each step on its day: the past is replayed with the services' clock
(``django.utils.timezone.now``, which they and the time stamps read) set to the
day of each step. Dates come from ``ballot_law`` (the notice periods, the
mandate), so the timeline holds under whichever regime applies. The choice of
members is seeded, so a run on a given day always builds the same.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock

from django.db.models import Count
from django.utils import timezone

from tolpuddle.action import services as action_services
from tolpuddle.action.models import ActionKind, ActionPeriod
from tolpuddle.core.models import User
from tolpuddle.disputes import law, selectors, services
from tolpuddle.disputes.models import Ballot, BallotKind, Dispute, ElectorateEntry
from tolpuddle.members.models import Branch, Employer, Employment, Membership, Workplace
from tolpuddle.turnout import services as turnout_services
from tolpuddle.turnout.models import CallOutcome, RepStatus, SaidVotedVia
from tolpuddle.voting import services as voting_services
from tolpuddle.voting.models import Choice

LONDON = zoneinfo.ZoneInfo("Europe/London")
DAY = datetime.timedelta(days=1)

PAY_TITLE = "The 2026 pay award"
PAY_SUMMARY = (
    "The employer's refusal to pay the 2026 pay award in full to members in all "
    "grades, and its imposition of a lower award without agreement."
)
CASELOADS_TITLE = "Caseloads and unfilled posts"
CASELOADS_SUMMARY = (
    "The employer's failure to fill vacant posts and to cap caseloads, which "
    "members say is unsafe for them and for the families they work with."
)
SCRUTINEER = "Civica Election Services"
RETURN_ADDRESS = "Freepost RTKA-XYZA, Civica Election Services, London SE1 1AA"
AUTHORISED = "The General Secretary"
ACTION_SHORT_OF_STRIKE_TYPES = (
    "An overtime ban; working to contract; refusing to cover unfilled posts."
)
OFFER_QUESTION = (
    "The employer has offered 4.5% from 1 April 2026 and a review of pay bands. "
    "Do you accept the offer?"
)
# A supervisor's phone when the register has none: an Ofcom drama number.
SUPERVISOR_PHONE = "0161 496 0999"
# How many members the demo has tell us things (each is a service call).
LOCAL_VOTED = 40  # of the member sign-in's branch, said they voted
ELSEWHERE_VOTED = 12
TOOK_PART_TOLD = 30  # said whether they took part in the strike day
ONLINE_VOTES = 30  # voted online in the consultation


@dataclass(frozen=True)
class DemoDisputes:
    """What was built, for the command to report."""

    disputes: int
    ballots: int
    said_voted: int
    took_part: int
    votes: int


def _at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), LONDON)


@contextmanager
def _clock(moment: datetime.datetime) -> Iterator[None]:
    """The services run as if it were ``moment`` (they, ``localdate()`` and the
    ``auto_now`` time stamps all read ``timezone.now``)."""
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def _weekday(day: datetime.date) -> datetime.date:
    """``day``, or the Monday after it if it falls at a weekend."""
    return day + DAY * max(0, 7 - day.weekday()) if day.weekday() >= 5 else day


def _largest_employers(exclude: Sequence[int] = ()) -> list[Employer]:
    """Employers by the number of members in jobs there today, largest first."""
    return list(
        Employer.objects.filter(
            employments__in=Employment.objects.current_on(timezone.localdate())
        )
        .exclude(pk__in=exclude)
        .annotate(jobs=Count("employments"))
        .order_by("-jobs", "name")
    )


@dataclass(frozen=True)
class _Elector:
    membership_id: int
    branch_id: int | None
    active: bool


def _electors(ballot: Ballot) -> list[_Elector]:
    """The ballot's electors, as plain values (thousands: no model objects)."""
    return [
        _Elector(pk, branch, status == "active")
        for pk, branch, status in ElectorateEntry.objects.filter(
            ballot=ballot, reason="", left_on__isnull=True
        )
        .order_by("id")
        .values_list("membership_id", "membership__branch_id", "membership__status")
    ]


def _memberships(electors: Sequence[_Elector]) -> list[Membership]:
    """The memberships of ``electors``, in their order, read in one query."""
    found = Membership.objects.in_bulk([e.membership_id for e in electors])
    return [found[e.membership_id] for e in electors]


def _statutory_ballot(
    *,
    dispute: Dispute,
    title: str,
    employer: Employer,
    opening_on: datetime.date,
    closing_on: datetime.date,
    by: User,
) -> Ballot:
    return services.ballot_create(
        dispute=dispute,
        title=title,
        kind=BallotKind.STATUTORY,
        opening_on=opening_on,
        closing_on=closing_on,
        employers=[employer],
        strike=True,
        action_short_of_strike=True,
        scrutineer_name=SCRUTINEER,
        return_address=RETURN_ADDRESS,
        authorised_to_call_action=AUTHORISED,
        action_short_of_strike_types=ACTION_SHORT_OF_STRIKE_TYPES,
        expected_action_period="Action is expected to begin within a month of the result.",
        by=by,
    )


class _Builder:
    def __init__(self, *, today: datetime.date, seed: int) -> None:
        self.today = today
        self.rng = random.Random(f"{seed}-{today.isoformat()}")  # noqa: S311 - demo data
        self.staff = User.objects.get(username="membership")
        self.member = Membership.objects.select_related("person__user").get(
            person__user__username="member"
        )
        self.rep_user = User.objects.get(username="rep")
        self.said_voted = self.took_part = self.votes = 0

    # --- The pay award: a ballot run through to a mandate, and action on it --------

    def pay_dispute(self) -> Dispute:
        today = self.today
        job = (
            Employment.objects.current_on(today)
            .filter(membership=self.member)
            .select_related("employer")
            .order_by("-hours", "started_on")
            .first()
        )
        employer = job.employer if job else _largest_employers()[0]
        self.pay_employer = employer
        opening = _weekday(today - 63 * DAY)
        closing = opening + 28 * DAY
        frozen_on = opening - 22 * DAY
        began = frozen_on - 30 * DAY
        with _clock(_at(began)):
            dispute = services.dispute_create(
                title=PAY_TITLE,
                summary=PAY_SUMMARY,
                employers=[employer],
                began_on=began,
                by=self.staff,
            )
            ballot = _statutory_ballot(
                dispute=dispute,
                title="Ballot for industrial action over the 2026 pay award",
                employer=employer,
                opening_on=opening,
                closing_on=closing,
                by=self.staff,
            )
        # Frozen the next morning, from the register as it stood the day before.
        with _clock(_at(frozen_on + DAY, 9)):
            services.ballot_electorate_freeze(
                ballot=ballot, on=frozen_on, by=self.staff
            )
            notices = services.ballot_notices_prepare(ballot=ballot, by=self.staff)
        deadlines = selectors.ballot_deadlines(ballot=ballot)
        given_on = deadlines.notice_by - 7 * DAY  # a week to spare
        with _clock(_at(given_on, 11)):
            for notice in notices:
                services.ballot_notice_record_given(
                    notice=notice, given_on=given_on, by=self.staff
                )
                services.ballot_sample_paper_record_given(
                    notice=notice, given_on=given_on, by=self.staff
                )
        with _clock(_at(opening - 5 * DAY)):
            services.ballot_papers_number(ballot=ballot, by=self.staff)
        with _clock(_at(opening, 8)):
            services.ballot_open(ballot=ballot, by=self.staff)
        electors = _electors(ballot)
        cast = len(electors) * 58 // 100 + 1  # a turnout over 50%
        self._turnout(ballot, electors, cast)
        yes = cast * 79 // 100
        spoiled = min(2, cast - yes)
        no_strike = cast - yes - spoiled
        declared = closing + 2 * DAY
        with _clock(_at(declared, 12)):
            services.ballot_result_record(
                ballot=ballot,
                declared_on=declared,
                by=self.staff,
                entitled=selectors.electorate_size(ballot=ballot),
                questions={
                    1: services.QuestionFigures(yes=yes, no=no_strike, spoiled=spoiled),
                    2: services.QuestionFigures(
                        yes=cast * 88 // 100,
                        no=cast - cast * 88 // 100 - spoiled,
                        spoiled=spoiled,
                    ),
                },
            )
            for result_notice in selectors.result_notices(ballot=ballot):
                services.result_notice_record_given(
                    notice=result_notice, given_on=declared, by=self.staff
                )
        self._action(ballot, employer, declared + DAY)
        self._consultation(dispute, employer)
        return dispute

    def _turnout(self, ballot: Ballot, electors: list[_Elector], cast: int) -> None:
        """While the ballot was open: the member sign-in and some of their branch
        (and a few elsewhere) said they voted, by the portal, the emailed link or a
        rep; a rep made some calls; the scrutineer gave the papers returned week by
        week. A sample, not everyone: each is a service call, and the demo is
        built on every fresh ``make run``."""
        days = (ballot.closing_on - ballot.opening_on).days
        branch = self.member.branch_id
        mine = [e for e in electors if e.membership_id == self.member.pk]
        local = [e for e in electors if e.branch_id == branch and e not in mine]
        others = [e for e in electors if e.branch_id != branch]
        chosen = mine + self.rng.sample(local, min(len(local) * 2 // 5, LOCAL_VOTED))
        chosen += self.rng.sample(others, min(len(others), ELSEWHERE_VOTED))
        chosen = chosen[: max(0, cast - 10)]
        for index, membership in enumerate(_memberships(chosen)):
            day = ballot.opening_on + DAY * (1 + index * (days - 1) // len(chosen))
            with _clock(_at(day, 8 + index % 12, index % 60)):
                if membership.pk == self.member.pk:
                    turnout_services.turnout_voted_record(
                        ballot=ballot,
                        membership=membership,
                        via=SaidVotedVia.PORTAL,
                        by=self.member.person.user,
                    )
                elif index % 5 == 4:
                    turnout_services.turnout_rep_mark(
                        ballot=ballot,
                        membership=membership,
                        status=RepStatus.VOTED,
                        by=self.rep_user,
                    )
                else:
                    turnout_services.turnout_voted_record(
                        ballot=ballot,
                        membership=membership,
                        via=SaidVotedVia.LINK,
                        by=None,
                    )
            self.said_voted += 1
        rest = _memberships([e for e in local if e not in chosen][:7])
        outcomes = (CallOutcome.SPOKE, CallOutcome.NO_ANSWER, CallOutcome.LEFT_MESSAGE)
        with _clock(_at(ballot.opening_on + 10 * DAY, 18)):
            for membership, outcome in zip(rest[:3], outcomes, strict=False):
                turnout_services.turnout_call_add(
                    ballot=ballot,
                    membership=membership,
                    outcome=outcome,
                    by=self.rep_user,
                    note="Says it is in the post."
                    if outcome == CallOutcome.SPOKE
                    else "",
                )
            for membership in rest[3:5]:
                turnout_services.replacement_paper_request(
                    ballot=ballot, membership=membership, by=None
                )
            for membership in rest[5:6]:
                turnout_services.turnout_do_not_contact_set(
                    ballot=ballot, membership=membership, by=None
                )
        for week in range(1, days // 7 + 1):
            day = min(ballot.opening_on + 7 * week * DAY, ballot.closing_on)
            returned = cast if day == ballot.closing_on else cast * week * 7 // days
            with _clock(_at(day + DAY, 9)):
                turnout_services.scrutineer_turnout_record(
                    ballot=ballot, day=day, returned=returned, by=self.staff
                )

    def _action(
        self, ballot: Ballot, employer: Employer, given_on: datetime.date
    ) -> None:
        """The s.234A notice the day after the result, for a strike day now past and
        two to come, and the periods of action called on it."""
        period = law.action_notice_period(
            opening_on=ballot.opening_on, notice_received=given_on
        )
        earliest = law.earliest_action(
            notice_received=given_on, notice_days=period.days
        )
        first = _weekday(max(earliest, self.today - 10 * DAY))
        second = _weekday(self.today + 8 * DAY)
        third = _weekday(second + DAY)
        with _clock(_at(given_on, 10)):
            notice = services.action_notice_prepare(
                ballot=ballot,
                employer=employer,
                continuous=False,
                days=[first, second, third],
                action=ActionKind.STRIKE.value,
                by=self.staff,
            )
            services.action_notice_record_given(
                notice=notice, given_on=given_on, by=self.staff
            )
        branches = list(
            Branch.objects.filter(
                pk__in=ElectorateEntry.objects.filter(ballot=ballot, reason="").values(
                    "membership__branch_id"
                )
            ).order_by("name")
        )
        with _clock(_at(given_on + DAY, 15)):
            past = action_services.action_period_create(
                ballot=ballot,
                kind=ActionKind.STRIKE,
                starts_at=_at(first, 0),
                ends_at=_at(first + DAY, 0),
                branches=branches,
                description="A day of strike action over the 2026 pay award: "
                "join the picket line at your workplace from 7:30.",
                by=self.staff,
            )
            coming = action_services.action_period_create(
                ballot=ballot,
                kind=ActionKind.STRIKE,
                starts_at=_at(second, 0),
                ends_at=_at(third + DAY, 0),
                branches=branches,
                description="Two days of strike action: the employer has not moved.",
                by=self.staff,
            )
            for workplace, supervisor in self._picket_places(ballot):
                for period_of_action in (past, coming):
                    action_services.picket_line_add(
                        period=period_of_action,
                        supervisor=supervisor,
                        supervisor_contact=supervisor.person.phone or SUPERVISOR_PHONE,
                        workplace=workplace,
                        place="Main entrance",
                        by=self.staff,
                    )
        self._participation(ballot, past, first)

    def _picket_places(self, ballot: Ballot) -> list[tuple[Workplace, Membership]]:
        """The sign-ins' workplaces with electors, each with its picket supervisor:
        the rep and the branch secretary at their own, a colleague at the member
        sign-in's."""
        places: dict[int, tuple[Workplace, Membership]] = {}
        for username in ("rep", "secretary", "member"):
            membership = Membership.objects.select_related("person").get(
                person__user__username=username
            )
            entry = (
                ElectorateEntry.objects.filter(
                    ballot=ballot, membership=membership, reason=""
                )
                .select_related("workplace")
                .first()
            )
            workplace = entry.workplace if entry is not None else None
            if workplace is not None and workplace.pk not in places:
                supervisor = (
                    membership if username != "member" else self._colleague(workplace)
                )
                places[workplace.pk] = (workplace, supervisor)
        return list(places.values())

    def _colleague(self, workplace: Workplace) -> Membership:
        """Someone else in good standing at ``workplace``, else the member sign-in."""
        job = (
            Employment.objects.current_on(self.today)
            .filter(workplace=workplace, membership__status="active")
            .exclude(membership=self.member)
            .select_related("membership__person")
            .order_by("membership__membership_number")
            .first()
        )
        return job.membership if job else self.member

    def _participation(
        self, ballot: Ballot, period: ActionPeriod, day: datetime.date
    ) -> None:
        """After the strike day, some of the member sign-in's branch said whether they
        took part (the member sign-in has not: they can say on /my/action/)."""
        local = [
            e
            for e in _electors(ballot)
            if e.branch_id == self.member.branch_id
            and e.membership_id != self.member.pk
            and e.active
        ]
        chosen = self.rng.sample(local, min(len(local) // 3, TOOK_PART_TOLD))
        for index, membership in enumerate(_memberships(chosen)):
            with _clock(_at(day + DAY * (1 + index % 2), 9 + index % 10)):
                action_services.participation_report(
                    membership=membership,
                    period=period,
                    took_part=index % 7 != 3,
                    by=None,
                )
            self.took_part += 1

    # --- The consultation on the revised offer: online, open now --------------------

    def _consultation(self, dispute: Dispute, employer: Employer) -> None:
        opening = self.today - 2 * DAY
        with _clock(_at(opening - DAY, 16)):
            ballot = services.ballot_create(
                dispute=dispute,
                title="Consultation on the employer's revised offer",
                kind=BallotKind.CONSULTATIVE,
                opening_on=opening,
                closing_on=self.today + 12 * DAY,
                employers=[employer],
                questions=[OFFER_QUESTION],
                by=self.staff,
            )
            services.ballot_electorate_freeze(
                ballot=ballot, on=opening - 2 * DAY, by=self.staff
            )
            poll = services.ballot_poll_create(ballot=ballot, by=self.staff)
        with _clock(_at(opening, 8)):
            services.ballot_open(ballot=ballot, by=self.staff)
        [question] = poll.questions.all()
        choices = dict(
            Choice.objects.filter(question=question).values_list("text", "pk")
        )
        voters = [e for e in _electors(ballot) if e.membership_id != self.member.pk]
        chosen = self.rng.sample(voters, min(len(voters), ONLINE_VOTES))
        for index, membership in enumerate(_memberships(chosen)):
            moment = _at(opening + DAY * (index % 2), 9 + index % 12, index % 60)
            with _clock(moment):
                voting_services.vote_cast(
                    poll=poll,
                    answers={question.pk: choices["No" if index % 3 else "Yes"]},
                    membership=membership,
                )
            self.votes += 1

    # --- Caseloads: a ballot being prepared ------------------------------------------

    def caseloads_dispute(self) -> Dispute:
        today = self.today
        employer = _largest_employers(exclude=[self.pay_employer.pk])[0]
        began = today - 40 * DAY
        with _clock(_at(began)):
            dispute = services.dispute_create(
                title=CASELOADS_TITLE,
                summary=CASELOADS_SUMMARY,
                employers=[employer],
                began_on=began,
                by=self.staff,
            )
        with _clock(_at(today - 2 * DAY, 14)):
            ballot = _statutory_ballot(
                dispute=dispute,
                title="Ballot for industrial action over caseloads",
                employer=employer,
                opening_on=today + 10 * DAY,
                closing_on=today + 38 * DAY,
                by=self.staff,
            )
        # Today (the real clock), from the register as it stood yesterday.
        services.ballot_electorate_freeze(ballot=ballot, on=today - DAY, by=self.staff)
        services.ballot_notices_prepare(ballot=ballot, by=self.staff)
        return dispute


def demo_disputes_build(*, seed: int) -> DemoDisputes:
    """Build the demo's disputes in a register the demo has just written (its
    sign-ins and employers). Call inside the demo's transaction."""
    builder = _Builder(today=timezone.localdate(), seed=seed)
    builder.pay_dispute()
    builder.caseloads_dispute()
    return DemoDisputes(
        disputes=Dispute.objects.count(),
        ballots=Ballot.objects.count(),
        said_voted=builder.said_voted,
        took_part=builder.took_part,
        votes=builder.votes,
    )


def demo_disputes_lines() -> list[str]:
    """What the demo's industrial action holds, from its rows, for
    ``tolpuddle demo_signins``: one line a dispute, and where to look."""
    lines = []
    for dispute in Dispute.objects.prefetch_related("employers").order_by("id"):
        employers = ", ".join(e.name for e in dispute.employers.all())
        parts = []
        for ballot in dispute.ballots.order_by("id"):
            if ballot.kind == BallotKind.CONSULTATIVE:
                parts.append(
                    f"{ballot.title[0].lower()}{ballot.title[1:]} online, "
                    f"{ballot.get_status_display().lower()} until "
                    f"{ballot.closing_on:%d/%m/%Y}"
                )
            elif ballot.result_declared_on is not None:
                state = selectors.ballot_mandate(ballot=ballot)
                mandate = (
                    f"a mandate to {state.expires_on:%d/%m/%Y}"
                    if state.has_mandate and state.expires_on
                    else "no mandate"
                )
                periods = []
                for period in ActionPeriod.objects.filter(ballot=ballot).order_by(
                    "starts_at"
                ):
                    first = timezone.localtime(period.starts_at).date()
                    last = timezone.localtime(period.ends_at - DAY / 24).date()
                    periods.append(
                        f"{first:%d/%m/%Y}"
                        + (f" to {last:%d/%m/%Y}" if last != first else "")
                    )
                parts.append(
                    f"postal ballot closed {ballot.closing_on:%d/%m/%Y} with {mandate}"
                    + (f", strike days {' and '.join(periods)}" if periods else "")
                )
            else:
                deadlines = selectors.ballot_deadlines(ballot=ballot)
                parts.append(
                    f"ballot opening {ballot.opening_on:%d/%m/%Y} "
                    f"({ballot.get_status_display().lower()}), notice of ballot due "
                    f"by {deadlines.notice_by:%d/%m/%Y}"
                )
        lines.append(f"{dispute.title} ({employers}): " + "; ".join(parts) + ".")
    return lines
