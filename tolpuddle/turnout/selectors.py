"""Reads for getting the vote out: who may work on whose turnout, the electors a rep
sees, the ballots a member is in, who a reminder goes to, and the dashboard.

Who sees which electors (``electors_visible_to``):

- HQ (the whole register: ``register_scope_for(...).see_all``) and the staff who
  see the ballot's dispute (``disputes.selectors.ballots_visible_to``: disputes
  staff and the dispute's responsible officials): every elector;
- a branch officer: the electors who are members of the branches they hold office
  in;
- a workplace rep: the electors whose job in the frozen electorate is at the
  workplaces they are rep for (their positions held today);
- anyone else: nobody. Fetch through these, so anything out of scope is a 404.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from tolpuddle.ballot_law import calculations
from tolpuddle.core.models import User
from tolpuddle.disputes import selectors as dispute_selectors
from tolpuddle.disputes.models import (
    Ballot,
    BallotStatus,
    ElectorateEntry,
    WorkplaceBallots,
)
from tolpuddle.members import selectors as member_selectors
from tolpuddle.members.models import (
    MembershipStatus,
    Position,
    RoleScope,
    Workplace,
)
from tolpuddle.turnout.models import (
    RepStatus,
    ScrutineerTurnout,
    TurnoutCall,
    TurnoutEvent,
    TurnoutEventKind,
    TurnoutReport,
)

LONDON = ZoneInfo("Europe/London")

# --- Who may work on whose turnout ---------------------------------------------------


@dataclass(frozen=True)
class TurnoutScope:
    """The electors a user may see in any ballot, from the register scope and the
    positions they hold today."""

    see_all: bool = False
    branch_ids: frozenset[int] = frozenset()
    workplace_ids: frozenset[int] = frozenset()

    @property
    def sees_anyone(self) -> bool:
        return self.see_all or bool(self.branch_ids or self.workplace_ids)

    def entries_q(self) -> Q:
        """The electorate entries in scope (for a user who does not see all)."""
        condition = Q(pk__in=[])
        if self.workplace_ids:
            condition |= Q(workplace_id__in=sorted(self.workplace_ids))
        if self.branch_ids:
            condition |= Q(membership__branch_id__in=sorted(self.branch_ids))
        return condition


def turnout_scope_for(
    *, user: User | AnonymousUser, on: datetime.date | None = None
) -> TurnoutScope:
    """HQ sees everyone; a branch officer the members of their branches; a workplace
    rep the electors at their workplaces. A former member holds no office."""
    scope = member_selectors.register_scope_for(user=user, on=on)
    if scope.see_all:
        return TurnoutScope(see_all=True)
    if scope.own_membership_id is None:
        return TurnoutScope()
    day = on or timezone.localdate()
    workplaces = frozenset(
        Position.objects.filter(
            membership_id=scope.own_membership_id,
            membership__status=MembershipStatus.ACTIVE,
            role__scope=RoleScope.WORKPLACE,
            workplace__isnull=False,
            started_on__lte=day,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .values_list("workplace_id", flat=True)
    )
    return TurnoutScope(branch_ids=scope.change_branch_ids, workplace_ids=workplaces)


def _sees_whole_ballot(user: User | AnonymousUser, ballot: Ballot) -> bool:
    if turnout_scope_for(user=user).see_all:
        return True
    return dispute_selectors.ballots_visible_to(user=user).filter(pk=ballot.pk).exists()


def ballots_for_turnout(*, user: User | AnonymousUser) -> QuerySet[Ballot]:
    """The ballots a user may work on: for HQ and the dispute's staff, every ballot
    that has opened (open or closed); for a rep or officer, the open ballots with
    electors in their scope."""
    scope = turnout_scope_for(user=user)
    opened = Ballot.objects.exclude(status=BallotStatus.DRAFT)
    if scope.see_all:
        return opened
    visible = Q(pk__in=dispute_selectors.ballots_visible_to(user=user).values("pk"))
    if not scope.sees_anyone:
        return opened.filter(visible)
    in_scope = Exists(
        ElectorateEntry.objects.filter(ballot=OuterRef("pk"), reason="").filter(
            scope.entries_q()
        )
    )
    return opened.filter(visible | (Q(status=BallotStatus.OPEN) & in_scope))


def ballots_managed_by(*, user: User | AnonymousUser) -> QuerySet[Ballot]:
    """The ballots whose reminders and scrutineer's figures a user may send and
    record: administrators and staff with ``turnout.manage_turnout`` for the ballots
    they see, and a dispute's responsible officials for its ballots."""
    if not user.is_authenticated or not user.is_active:
        return Ballot.objects.none()
    opened = Ballot.objects.exclude(status=BallotStatus.DRAFT)
    visible = dispute_selectors.ballots_visible_to(user=user)
    if user.is_superuser or user.has_perm("turnout.manage_turnout"):
        return opened.filter(pk__in=visible.values("pk"))
    return opened.filter(dispute__officials=user)


def ballots_on_dashboard(*, user: User | AnonymousUser) -> QuerySet[Ballot]:
    """The ballots whose dashboard a user may see: those of the disputes they see."""
    return dispute_selectors.ballots_visible_to(user=user).exclude(
        status=BallotStatus.DRAFT
    )


# --- The electors a rep sees ---------------------------------------------------------

ELECTORS_TO_CALL = "to_call"
ELECTORS_NOT_VOTED = "not_voted"
ELECTORS_VOTED = "voted"
ELECTORS_ALL = "all"
ELECTOR_FILTERS = (ELECTORS_TO_CALL, ELECTORS_NOT_VOTED, ELECTORS_VOTED, ELECTORS_ALL)


def _reports() -> QuerySet[TurnoutReport]:
    return TurnoutReport.objects.filter(
        ballot_id=OuterRef("ballot_id"), membership_id=OuterRef("membership_id")
    )


def electors_in_scope(
    *, user: User | AnonymousUser, ballot: Ballot
) -> QuerySet[ElectorateEntry]:
    """The ballot's electors (in the electorate, not recorded as having left) that
    ``user`` may see, as plain entries."""
    entries = ElectorateEntry.objects.filter(
        ballot=ballot, reason="", left_on__isnull=True
    )
    if _sees_whole_ballot(user, ballot):
        return entries
    scope = turnout_scope_for(user=user)
    if not scope.sees_anyone:
        return entries.none()
    return entries.filter(scope.entries_q())


def electors_visible_to(
    *, user: User | AnonymousUser, ballot: Ballot
) -> QuerySet[ElectorateEntry]:
    """``electors_in_scope``, each with what is known of their turnout:
    ``said_voted_at``, ``dnc`` (asked not to be contacted), ``marked`` (the rep
    status) and ``replacement_at``. Fetch an elector through it, so that anyone out
    of scope is a 404."""
    reports = _reports()
    return electors_in_scope(user=user, ballot=ballot).annotate(
        said_voted_at=Subquery(reports.values("said_voted_at")[:1]),
        dnc=Coalesce(Subquery(reports.values("do_not_contact")[:1]), Value(False)),
        marked=Coalesce(Subquery(reports.values("rep_status")[:1]), Value("")),
        replacement_at=Subquery(reports.values("replacement_requested_at")[:1]),
    )


def electors_filtered(
    entries: QuerySet[ElectorateEntry], *, show: str
) -> QuerySet[ElectorateEntry]:
    """Narrow ``electors_visible_to`` to those to call (not said they voted, not
    asked to be left alone, not marked as voted or to exclude), those who have not
    said they voted, those who have, or all; by name."""
    reports = _reports()
    said = Exists(reports.filter(said_voted_at__isnull=False))
    if show == ELECTORS_TO_CALL:
        entries = entries.filter(
            ~Exists(
                reports.filter(
                    Q(said_voted_at__isnull=False)
                    | Q(do_not_contact=True)
                    | Q(rep_status__in=[RepStatus.VOTED, RepStatus.EXCLUDE])
                )
            )
        )
    elif show == ELECTORS_NOT_VOTED:
        entries = entries.filter(~said)
    elif show == ELECTORS_VOTED:
        entries = entries.filter(said)
    return entries.select_related("membership__person", "workplace").order_by(
        "membership__person__last_name_key",
        "membership__person__first_name_key",
        "pk",
    )


@dataclass(frozen=True)
class ScopeCounts:
    electors: int
    said_voted: int
    do_not_contact: int

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.said_voted, self.electors) if self.electors else None

    @property
    def percent(self) -> str:
        share = self.share
        return "" if share is None else calculations.format_percent(share)


def scope_counts(*, user: User | AnonymousUser, ballot: Ballot) -> ScopeCounts:
    """How many electors ``user`` sees, how many of them have said they voted and
    how many asked not to be contacted. The reports are counted from their own
    table (the few who have done something), not looked up for every elector."""
    entries = electors_in_scope(user=user, ballot=ballot)
    counts = TurnoutReport.objects.filter(
        ballot=ballot, membership_id__in=entries.values("membership_id")
    ).aggregate(
        said_voted=Count("pk", filter=Q(said_voted_at__isnull=False)),
        do_not_contact=Count("pk", filter=Q(do_not_contact=True)),
    )
    return ScopeCounts(electors=entries.count(), **counts)


def elector_calls(*, ballot: Ballot, membership_id: int) -> QuerySet[TurnoutCall]:
    return (
        TurnoutCall.objects.filter(ballot=ballot, membership_id=membership_id)
        .select_related("by")
        .order_by("-created_at", "-id")
    )


def turnout_report_for(*, ballot: Ballot, membership_id: int) -> TurnoutReport | None:
    return TurnoutReport.objects.filter(
        ballot=ballot, membership_id=membership_id
    ).first()


# --- The member's own ballots ---------------------------------------------------------


def ballot_accepting_votes(ballot: Ballot, *, on: datetime.date | None = None) -> bool:
    """Open, and between its opening and closing days."""
    day = on or timezone.localdate()
    return (
        ballot.status == BallotStatus.OPEN
        and ballot.opening_on <= day <= ballot.closing_on
    )


def member_entries(*, membership_id: int) -> QuerySet[ElectorateEntry]:
    """The member's places in the electorates of ballots open for voting today,
    soonest closing first."""
    today = timezone.localdate()
    return (
        ElectorateEntry.objects.filter(
            membership_id=membership_id,
            reason="",
            left_on__isnull=True,
            ballot__status=BallotStatus.OPEN,
            ballot__opening_on__lte=today,
            ballot__closing_on__gte=today,
        )
        .select_related("ballot")
        .order_by("ballot__closing_on", "ballot_id")
    )


def member_entry(*, membership_id: int, ballot_id: int) -> ElectorateEntry | None:
    """The member's entry in one ballot open for voting, or None."""
    return (
        member_entries(membership_id=membership_id).filter(ballot_id=ballot_id).first()
    )


# --- Reminders -------------------------------------------------------------------------


def reminder_recipients(*, ballot: Ballot) -> QuerySet[ElectorateEntry]:
    """Who a reminder to vote goes to: the electors (in the electorate, not recorded
    as having left, not recorded as having died) with an email address who have not
    said they voted and have not asked not to be contacted about this ballot. No
    one else. In the electorate's order, to be read in batches."""
    told_us = TurnoutReport.objects.filter(
        ballot_id=ballot.pk, membership_id=OuterRef("membership_id")
    ).filter(Q(said_voted_at__isnull=False) | Q(do_not_contact=True))
    return (
        ElectorateEntry.objects.filter(ballot=ballot, reason="", left_on__isnull=True)
        .exclude(membership__person__email="")
        .exclude(membership__status=MembershipStatus.DECEASED)
        .filter(~Exists(told_us))
        .order_by("pk")
    )


@dataclass(frozen=True)
class ReminderPreview:
    recipients: int
    without_email: int
    last_requested: TurnoutEvent | None
    last_sent: TurnoutEvent | None


def reminder_preview(*, ballot: Ballot) -> ReminderPreview:
    """How many a reminder would go to now, how many of those left to reach have
    no email address (reps can call them), and the last reminders."""
    recipients = reminder_recipients(ballot=ballot)
    told_us = TurnoutReport.objects.filter(
        ballot_id=ballot.pk, membership_id=OuterRef("membership_id")
    ).filter(Q(said_voted_at__isnull=False) | Q(do_not_contact=True))
    without_email = (
        ElectorateEntry.objects.filter(
            ballot=ballot,
            reason="",
            left_on__isnull=True,
            membership__person__email="",
        )
        .filter(~Exists(told_us))
        .count()
    )
    events = TurnoutEvent.objects.filter(ballot=ballot).order_by("-created_at", "-id")
    return ReminderPreview(
        recipients=recipients.count(),
        without_email=without_email,
        last_requested=events.filter(kind=TurnoutEventKind.REMINDER_REQUESTED).first(),
        last_sent=events.filter(kind=TurnoutEventKind.REMINDER_SENT).first(),
    )


def replacement_requests(*, ballot: Ballot) -> QuerySet[TurnoutReport]:
    """Electors who asked for a replacement voting paper, latest first (for staff to
    pass to the scrutineer, who issues them)."""
    return (
        TurnoutReport.objects.filter(
            ballot=ballot, replacement_requested_at__isnull=False
        )
        .select_related("membership__person", "workplace")
        .order_by("-replacement_requested_at", "-pk")
    )


# --- The dashboard ---------------------------------------------------------------------

NO_WORKPLACE = "No workplace recorded"


@dataclass(frozen=True)
class TurnoutFigures:
    """Turnout in the whole ballot or at one workplace: as members (and reps) have
    reported it, and as the scrutineer counts papers returned (None: no figure)."""

    label: str
    electorate: int
    reported: int
    returned: int | None
    threshold: Fraction | None
    key: int | None = None
    returned_on: datetime.date | None = None

    def _share(self, count: int | None) -> Fraction | None:
        if count is None or not self.electorate:
            return None
        return Fraction(count, self.electorate)

    @property
    def reported_share(self) -> Fraction | None:
        return self._share(self.reported)

    @property
    def returned_share(self) -> Fraction | None:
        return self._share(self.returned)

    @property
    def reported_percent(self) -> str:
        share = self.reported_share
        return "" if share is None else calculations.format_percent(share)

    @property
    def returned_percent(self) -> str:
        share = self.returned_share
        return "" if share is None else calculations.format_percent(share)

    @property
    def needed(self) -> int | None:
        """How many must vote to reach the threshold (at least, exactly)."""
        if self.threshold is None:
            return None
        return math.ceil(self.electorate * self.threshold)

    def _meets(self, count: int | None) -> bool | None:
        needed = self.needed
        if needed is None or count is None or not self.electorate:
            return None
        return count >= needed

    @property
    def reported_meets(self) -> bool | None:
        return self._meets(self.reported)

    @property
    def returned_meets(self) -> bool | None:
        return self._meets(self.returned)

    @property
    def still_needed(self) -> int | None:
        """More votes needed to reach the threshold, on the better of the two
        figures (each is a lower bound of who has voted)."""
        needed = self.needed
        if needed is None:
            return None
        return max(0, needed - max(self.reported, self.returned or 0))


@dataclass(frozen=True)
class TurnoutDay:
    day: datetime.date
    reported: int  # said they voted by the end of the day, in all
    returned: int | None  # the scrutineer's figure for the day, if given
    electorate: int

    @property
    def reported_percent(self) -> str:
        if not self.electorate:
            return ""
        return calculations.format_percent(Fraction(self.reported, self.electorate))

    @property
    def returned_percent(self) -> str:
        if self.returned is None or not self.electorate:
            return ""
        return calculations.format_percent(Fraction(self.returned, self.electorate))


@dataclass(frozen=True)
class TurnoutDashboard:
    ballot: Ballot
    regime_name: str
    threshold: Fraction | None
    threshold_cites: str
    separate: bool
    overall: TurnoutFigures
    workplaces: list[TurnoutFigures]
    days: list[TurnoutDay]
    selected: TurnoutFigures | None = None
    replacement_requests: int = 0
    do_not_contact: int = 0
    workplaces_meeting: int = field(default=0)

    @property
    def threshold_percent(self) -> str:
        return (
            ""
            if self.threshold is None
            else calculations.format_percent(self.threshold)
        )


def _workplace_labels(ids: list[int]) -> dict[int, str]:
    return {
        workplace.pk: f"{workplace.name} ({workplace.employer.name})"
        for workplace in Workplace.objects.filter(pk__in=ids).select_related("employer")
    }


def _latest_returned(
    ballot: Ballot, day: datetime.date
) -> dict[int | None, tuple[int, datetime.date]]:
    """The scrutineer's latest figure (and its day) by ``day``, for each workplace
    and (key None) for the whole ballot."""
    figures = ScrutineerTurnout.objects.filter(ballot=ballot, day__lte=day)
    latest_day = (
        ScrutineerTurnout.objects.filter(
            ballot=ballot, day__lte=day, workplace_id=OuterRef("workplace_id")
        )
        .order_by("-day")
        .values("day")[:1]
    )
    by_workplace: dict[int | None, tuple[int, datetime.date]] = {
        workplace_id: (returned, on)
        for workplace_id, returned, on in figures.filter(
            workplace__isnull=False, day=Subquery(latest_day)
        ).values_list("workplace_id", "returned", "day")
    }
    whole = figures.filter(workplace__isnull=True).order_by("-day").first()
    if whole is not None:
        by_workplace[None] = (whole.returned, whole.day)
    return by_workplace


def turnout_dashboard(
    *, ballot: Ballot, workplace_id: int | None = None
) -> TurnoutDashboard:
    """Reported turnout (members who said they voted) and the scrutineer's figures,
    against the regime's threshold: across the ballot and at each workplace (where
    workplaces ballot separately, s.228, each must reach it on its own), and day by
    day from the opening, for the ballot or for one workplace. Counted by SQL
    aggregates: a few queries whatever the electorate's size."""
    today = timezone.localdate()
    regime = calculations.regime_for(opening=ballot.opening_on)
    threshold = regime.turnout_threshold.value
    entries = ElectorateEntry.objects.filter(ballot=ballot, reason="")
    electorate_by: dict[int | None, int] = dict(
        entries.values("workplace_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("workplace_id", "n")
    )
    said = TurnoutReport.objects.filter(ballot=ballot, said_voted_at__isnull=False)
    reported_by: dict[int | None, int] = dict(
        said.values("workplace_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("workplace_id", "n")
    )
    returned_by = _latest_returned(ballot, today)
    labels = _workplace_labels([pk for pk in electorate_by if pk is not None])

    def figures(key: int | None) -> TurnoutFigures:
        returned = returned_by.get(key)
        return TurnoutFigures(
            label=labels.get(key, NO_WORKPLACE) if key is not None else NO_WORKPLACE,
            key=key,
            electorate=electorate_by.get(key, 0),
            reported=reported_by.get(key, 0),
            returned=None if returned is None else returned[0],
            returned_on=None if returned is None else returned[1],
            threshold=threshold,
        )

    rows = sorted(
        (figures(key) for key in electorate_by if key is not None),
        key=lambda row: (row.label.lower(), row.key),
    )
    if None in electorate_by:
        rows.append(
            TurnoutFigures(
                label=NO_WORKPLACE,
                electorate=electorate_by[None],
                reported=reported_by.get(None, 0),
                returned=None,
                threshold=threshold,
            )
        )
    whole = returned_by.get(None)
    overall = TurnoutFigures(
        label="The whole ballot",
        electorate=sum(electorate_by.values()),
        reported=sum(reported_by.values()),
        returned=None if whole is None else whole[0],
        returned_on=None if whole is None else whole[1],
        threshold=threshold,
    )
    selected = (
        None
        if workplace_id is None
        else next((row for row in rows if row.key == workplace_id), None)
    )
    day_figures = selected or overall
    days = _days(ballot, today=today, workplace_id=selected.key if selected else None)
    counts = TurnoutReport.objects.filter(ballot=ballot).aggregate(
        replacements=Count("pk", filter=Q(replacement_requested_at__isnull=False)),
        dnc=Count("pk", filter=Q(do_not_contact=True)),
    )
    return TurnoutDashboard(
        ballot=ballot,
        regime_name=regime.name,
        threshold=threshold,
        threshold_cites=regime.turnout_threshold.cites,
        separate=ballot.workplace_ballots == WorkplaceBallots.SEPARATE,
        overall=overall,
        workplaces=rows,
        days=[
            TurnoutDay(
                day=d.day,
                reported=d.reported,
                returned=d.returned,
                electorate=day_figures.electorate,
            )
            for d in days
        ],
        selected=selected,
        replacement_requests=counts["replacements"],
        do_not_contact=counts["dnc"],
        workplaces_meeting=sum(1 for row in rows if row.reported_meets),
    )


def _days(
    ballot: Ballot, *, today: datetime.date, workplace_id: int | None
) -> list[TurnoutDay]:
    """Each day from the opening to the closing (or today, if sooner): those who had
    said they voted by its end, and the scrutineer's figure for it."""
    last = min(ballot.closing_on, today)
    if last < ballot.opening_on:
        return []
    said = TurnoutReport.objects.filter(ballot=ballot, said_voted_at__isnull=False)
    figures = ScrutineerTurnout.objects.filter(ballot=ballot)
    if workplace_id is None:
        figures = figures.filter(workplace__isnull=True)
    else:
        said = said.filter(workplace_id=workplace_id)
        figures = figures.filter(workplace_id=workplace_id)
    per_day = dict(
        said.annotate(on=TruncDate("said_voted_at", tzinfo=LONDON))
        .values("on")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("on", "n")
    )
    returned = dict(figures.values_list("day", "returned"))
    total = sum(n for on, n in per_day.items() if on < ballot.opening_on)
    days = []
    day = ballot.opening_on
    while day <= last:
        total += per_day.get(day, 0)
        days.append(
            TurnoutDay(
                day=day, reported=total, returned=returned.get(day), electorate=0
            )
        )
        day += datetime.timedelta(days=1)
    return days
