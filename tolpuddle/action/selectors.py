"""Reads of industrial action: who is called out by a period, the periods that apply
to a member, who may see and call which, and participation counted by branch and by
workplace.

Who is called out by a period: a member in good standing who was balloted (in the
ballot's electorate, not recorded as having left), or who works now for one of the
ballot's employers (a member who joined or moved there since: s.232B, and members
who join after a ballot may be called out), and whose workplace (in the electorate,
or of such a job) is called out, or whose branch is called out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tolpuddle.action.models import (
    ActionPeriod,
    Literature,
    Participation,
    PicketLine,
)
from tolpuddle.core.models import User
from tolpuddle.disputes import selectors as dispute_selectors
from tolpuddle.disputes.models import (
    Ballot,
    BallotEmployer,
    BallotKind,
    BallotStatus,
    ElectorateEntry,
)
from tolpuddle.members import selectors as member_selectors
from tolpuddle.members.models import (
    Branch,
    Employment,
    Membership,
    MembershipStatus,
    Position,
    Workplace,
)

# How long after a period ends the member's page still shows it (to tell us).
SHOWN_AFTER_END = datetime.timedelta(days=90)

# --- Who is called out ---------------------------------------------------------------


@dataclass(frozen=True)
class MemberPlaces:
    """Where a member stands for one ballot: whether they may be called out at all
    (balloted, or working for one of its employers now) and their workplaces."""

    eligible: bool
    workplace_ids: frozenset[int]
    entry_workplace_id: int | None


def member_places(*, membership: Membership, ballot: Ballot) -> MemberPlaces:
    entry = (
        ElectorateEntry.objects.filter(
            ballot=ballot, membership=membership, reason="", left_on__isnull=True
        )
        .values("workplace_id")
        .first()
    )
    entry_workplace: int | None = None if entry is None else entry["workplace_id"]
    jobs: list[int | None] = list(
        Employment.objects.current_on(timezone.localdate())
        .filter(
            membership=membership,
            employer_id__in=BallotEmployer.objects.filter(ballot=ballot).values(
                "employer_id"
            ),
        )
        .values_list("workplace_id", flat=True)
    )
    places = {pk for pk in jobs if pk is not None}
    if entry_workplace is not None:
        places.add(entry_workplace)
    return MemberPlaces(
        eligible=membership.status == MembershipStatus.ACTIVE
        and (entry is not None or bool(jobs)),
        workplace_ids=frozenset(places),
        entry_workplace_id=entry_workplace,
    )


@dataclass(frozen=True)
class CalledOut:
    """Whether a period calls a member out, and from where (for the counts)."""

    called: bool
    branch_id: int | None = None
    workplace_id: int | None = None


def period_calls_out(*, period: ActionPeriod, membership: Membership) -> CalledOut:
    places = member_places(membership=membership, ballot=period.ballot)
    if not places.eligible:
        return CalledOut(called=False)
    called_workplaces = {row.workplace_id for row in period.called_workplaces.all()}
    called_branches = {row.branch_id for row in period.called_branches.all()}
    at = sorted(places.workplace_ids & called_workplaces)
    if at:
        return CalledOut(
            called=True, branch_id=membership.branch_id, workplace_id=at[0]
        )
    if membership.branch_id is not None and membership.branch_id in called_branches:
        workplace = places.entry_workplace_id or min(places.workplace_ids, default=None)
        return CalledOut(
            called=True, branch_id=membership.branch_id, workplace_id=workplace
        )
    return CalledOut(called=False)


def periods_for_member(*, membership: Membership) -> list[ActionPeriod]:
    """The periods of action that call ``membership`` out, from those still to come
    to those that ended up to ``SHOWN_AFTER_END`` ago, soonest first."""
    now = timezone.now()
    today = timezone.localdate()
    ballots = set(
        ElectorateEntry.objects.filter(
            membership=membership, reason="", left_on__isnull=True
        ).values_list("ballot_id", flat=True)
    ) | set(
        BallotEmployer.objects.filter(
            employer_id__in=Employment.objects.current_on(today)
            .filter(membership=membership)
            .values("employer_id")
        ).values_list("ballot_id", flat=True)
    )
    candidates = (
        ActionPeriod.objects.filter(
            ballot_id__in=sorted(ballots), ends_at__gte=now - SHOWN_AFTER_END
        )
        .select_related("ballot")
        .prefetch_related("called_workplaces", "called_branches")
        .order_by("starts_at", "pk")
    )
    return [
        period
        for period in candidates
        if period_calls_out(period=period, membership=membership).called
    ]


def participations_of(
    *, membership: Membership, periods: list[ActionPeriod]
) -> dict[int, Participation]:
    return {
        p.period_id: p
        for p in Participation.objects.filter(
            membership=membership, period__in=[period.pk for period in periods]
        )
    }


def picket_lines_for(*, period: ActionPeriod) -> QuerySet[PicketLine]:
    return (
        PicketLine.objects.filter(period=period)
        .select_related("workplace__employer", "supervisor__person")
        .order_by("workplace__name", "place", "pk")
    )


# --- Who may see and call which --------------------------------------------------------


def ballots_for_action(*, user: User | AnonymousUser) -> QuerySet[Ballot]:
    """Statutory ballots, once opened, of the disputes a user may see."""
    return dispute_selectors.ballots_visible_to(user=user).filter(
        kind=BallotKind.STATUTORY, status__in=[BallotStatus.OPEN, BallotStatus.CLOSED]
    )


def ballots_action_managed_by(*, user: User | AnonymousUser) -> QuerySet[Ballot]:
    """The ballots on which a user may call action, add picket lines and send
    literature: administrators and staff with ``action.manage_action`` for those they
    see, and a dispute's responsible officials for its ballots."""
    ballots = ballots_for_action(user=user)
    if not user.is_authenticated or not user.is_active:
        return ballots.none()
    if user.is_superuser or user.has_perm("action.manage_action"):
        return ballots
    return ballots.filter(dispute__officials=user)


def periods_visible_to(*, user: User | AnonymousUser) -> QuerySet[ActionPeriod]:
    return ActionPeriod.objects.filter(
        ballot__in=ballots_for_action(user=user)
    ).select_related("ballot")


def literature_visible_to(*, user: User | AnonymousUser) -> QuerySet[Literature]:
    """Literature the staff of its ballot may see, and the officers of the branches
    it was sent to."""
    scope = member_selectors.register_scope_for(user=user)
    return Literature.objects.filter(
        Q(period__ballot__in=ballots_for_action(user=user))
        | Q(sent_to__branch_id__in=sorted(scope.change_branch_ids))
    ).distinct()


def branch_officer_emails(*, branch_ids: list[int]) -> list[tuple[int, str]]:
    """(branch, email) of each officer holding office today in those branches."""
    today = timezone.localdate()
    return list(
        Position.objects.filter(
            branch_id__in=branch_ids,
            role__slug__in=sorted(member_selectors.BRANCH_OFFICER_ROLES),
            membership__status=MembershipStatus.ACTIVE,
            started_on__lte=today,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .exclude(membership__person__email="")
        .values_list("branch_id", "membership__person__email")
        .distinct()
        .order_by("branch_id", "membership__person__email")
    )


def called_out_branches(*, ballot: Ballot) -> QuerySet[Branch]:
    """The branches with members in the ballot's electorate: those that can be
    called out."""
    return Branch.objects.filter(
        pk__in=ElectorateEntry.objects.filter(ballot=ballot, reason="").values(
            "membership__branch_id"
        )
    ).order_by("name")


def called_out_workplaces(*, ballot: Ballot) -> QuerySet[Workplace]:
    """The workplaces of members in the ballot's electorate."""
    return (
        Workplace.objects.filter(
            pk__in=ElectorateEntry.objects.filter(ballot=ballot, reason="").values(
                "workplace_id"
            )
        )
        .select_related("employer")
        .order_by("name", "pk")
    )


# --- Participation counted ----------------------------------------------------------------


@dataclass(frozen=True)
class ParticipationRow:
    key: int | None
    label: str
    took_part: int
    did_not: int
    balloted_called_out: int

    @property
    def reported(self) -> int:
        return self.took_part + self.did_not


@dataclass(frozen=True)
class ParticipationCounts:
    took_part: int
    did_not: int
    by_branch: list[ParticipationRow]
    by_workplace: list[ParticipationRow]

    @property
    def reported(self) -> int:
        return self.took_part + self.did_not


def _called_entries(period: ActionPeriod) -> QuerySet[ElectorateEntry]:
    return ElectorateEntry.objects.filter(
        ballot_id=period.ballot_id, reason="", left_on__isnull=True
    ).filter(
        Q(workplace_id__in=period.called_workplaces.values("workplace_id"))
        | Q(membership__branch_id__in=period.called_branches.values("branch_id"))
    )


def participation_counts(*, period: ActionPeriod) -> ParticipationCounts:
    """Who told us they took part and who did not, by branch and by workplace (as
    they were called out), beside how many balloted members each branch and
    workplace has among those called out. SQL aggregates: a few queries whatever the
    number of members."""
    reports = Participation.objects.filter(period=period)
    took, did_not = (
        Count("pk", filter=Q(took_part=True)),
        Count("pk", filter=Q(took_part=False)),
    )
    totals = reports.aggregate(took=took, did_not=did_not)
    called = _called_entries(period)
    branch_called: dict[int | None, int] = dict(
        called.values("membership__branch_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("membership__branch_id", "n")
    )
    workplace_called: dict[int | None, int] = dict(
        called.values("workplace_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("workplace_id", "n")
    )
    branch_rows: dict[int | None, dict[str, int]] = {
        row["branch_id"]: {"took": row["took"], "did_not": row["did_not"]}
        for row in reports.values("branch_id")
        .annotate(took=took, did_not=did_not)
        .order_by()
    }
    workplace_rows: dict[int | None, dict[str, int]] = {
        row["workplace_id"]: {"took": row["took"], "did_not": row["did_not"]}
        for row in reports.values("workplace_id")
        .annotate(took=took, did_not=did_not)
        .order_by()
    }
    branch_names = dict(
        Branch.objects.filter(
            pk__in=[k for k in {*branch_rows, *branch_called} if k is not None]
        ).values_list("pk", "name")
    )
    workplace_names = {
        w.pk: f"{w.name} ({w.employer.name})"
        for w in Workplace.objects.filter(
            pk__in=[k for k in {*workplace_rows, *workplace_called} if k is not None]
        ).select_related("employer")
    }

    def rows(
        reported: dict[int | None, dict[str, int]],
        called_out: dict[int | None, int],
        names: dict[int, str],
        none_label: str,
    ) -> list[ParticipationRow]:
        keys = {*reported, *called_out}
        out = [
            ParticipationRow(
                key=key,
                label=names.get(key, none_label) if key is not None else none_label,
                took_part=reported.get(key, {}).get("took", 0),
                did_not=reported.get(key, {}).get("did_not", 0),
                balloted_called_out=called_out.get(key, 0),
            )
            for key in keys
        ]
        return sorted(out, key=lambda r: (r.key is None, r.label.lower(), r.key or 0))

    return ParticipationCounts(
        took_part=totals["took"],
        did_not=totals["did_not"],
        by_branch=rows(branch_rows, branch_called, branch_names, "No branch"),
        by_workplace=rows(
            workplace_rows, workplace_called, workplace_names, "No workplace recorded"
        ),
    )
