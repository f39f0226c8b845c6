"""Reads of disputes and ballots: who may see which, a ballot's deadlines, its frozen
electorate and the figures its notices give."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from tolpuddle.core.models import User
from tolpuddle.disputes import law
from tolpuddle.disputes.models import (
    Ballot,
    BallotNotice,
    Dispute,
    ElectorateEntry,
    EntrySource,
    ExclusionReason,
)
from tolpuddle.members.models import Employer, Workplace

# --- Who may see which ------------------------------------------------------------


def disputes_visible_to(*, user: User | AnonymousUser) -> QuerySet[Dispute]:
    """The one place that decides which disputes a user may see: every dispute for
    staff who may see them all (and administrators), else those the user is a
    responsible official of. Fetch through it, so that any other is a 404."""
    if not user.is_authenticated or not user.is_active:
        return Dispute.objects.none()
    if user.is_superuser or user.has_perm("disputes.view_all_disputes"):
        return Dispute.objects.all()
    return Dispute.objects.filter(officials=user)


def ballots_visible_to(*, user: User | AnonymousUser) -> QuerySet[Ballot]:
    """The ballots of the disputes a user may see."""
    return Ballot.objects.filter(dispute__in=disputes_visible_to(user=user))


# --- Deadlines -----------------------------------------------------------------------


@dataclass(frozen=True)
class BallotDeadlines:
    """The regime a ballot is held under and the last days for its notices."""

    regime: law.Regime
    opening_on: datetime.date
    notice_by: datetime.date
    sample_paper_by: datetime.date


def ballot_deadlines(*, ballot: Ballot) -> BallotDeadlines:
    """s.226A(1): the notice of ballot received "not later than the seventh day
    before the opening day", the sample voting paper not later than the third."""
    deadlines = law.notice_deadlines(opening_on=ballot.opening_on)
    return BallotDeadlines(
        regime=deadlines.regime,
        opening_on=ballot.opening_on,
        notice_by=deadlines.notice_by,
        sample_paper_by=deadlines.sample_paper_by,
    )


# --- The electorate -----------------------------------------------------------------


@dataclass(frozen=True)
class ElectorateSummary:
    """How many a freeze included, and how many it excluded for each reason."""

    version: int
    on: datetime.date | None
    included: int
    excluded: dict[str, int] = field(default_factory=dict)
    added: int = 0
    left: int = 0

    @property
    def considered(self) -> int:
        return self.included + sum(self.excluded.values())


def electorate_summary(*, ballot: Ballot) -> ElectorateSummary:
    """The electorate as it stands: included (late joiners counted in), excluded by
    reason, and the late joiners and leavers recorded since the freeze."""
    counts = dict(
        ElectorateEntry.objects.filter(ballot=ballot)
        .values("reason")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("reason", "n")
    )
    changes = electorate_changes(ballot=ballot)
    return ElectorateSummary(
        version=ballot.electorate_version,
        on=ballot.electorate_on,
        included=counts.pop("", 0),
        excluded={
            reason.value: counts[reason.value]
            for reason in ExclusionReason
            if counts.get(reason.value)
        },
        added=changes.filter(source=EntrySource.ADDED).count(),
        left=changes.filter(left_on__isnull=False).count(),
    )


def electorate_size(*, ballot: Ballot) -> int:
    """How many are in the electorate (those who left since included)."""
    return ElectorateEntry.objects.filter(ballot=ballot, reason="").count()


def electorate_entries(
    *,
    ballot: Ballot,
    included: bool | None = None,
    reason: ExclusionReason | None = None,
    employer: Employer | None = None,
) -> QuerySet[ElectorateEntry]:
    """The people considered for a ballot, with their membership, employer and
    workplace, in the order written. ``included=False`` gives the near misses."""
    entries = ElectorateEntry.objects.filter(ballot=ballot)
    if employer is not None:
        entries = entries.filter(employer=employer)
    if reason is not None:
        entries = entries.filter(reason=reason)
    elif included is not None:
        entries = entries.filter(reason="") if included else entries.exclude(reason="")
    return entries.select_related(
        "membership__person", "employer", "workplace"
    ).order_by("id")


def electorate_changes(*, ballot: Ballot) -> QuerySet[ElectorateEntry]:
    """Members added after the notice (late joiners) and members marked as having
    left: the small departures from the frozen electorate that s.232B disregards
    when accidental and too few to affect the result, shown so that they can be
    judged."""
    return (
        ElectorateEntry.objects.filter(ballot=ballot)
        .filter(Q(source=EntrySource.ADDED) | Q(left_on__isnull=False))
        .select_related("membership__person", "employer", "workplace")
        .order_by("id")
    )


# --- The notice's figures ------------------------------------------------------------

NO_CATEGORY = "Not recorded"
NO_WORKPLACE = "No workplace recorded"


@dataclass(frozen=True)
class FigureRow:
    label: str
    count: int
    key: int | str | None = None
    detail: str = ""


@dataclass(frozen=True)
class NoticeFigures:
    """What a notice of ballot to one employer counts (s.226A(2)(c), (2A)-(2D))."""

    employer_id: int
    employer_name: str
    total: int
    categories: list[FigureRow]
    workplaces: list[FigureRow]
    check_off: int


def notice_figures(*, ballot: Ballot, employer: Employer) -> NoticeFigures:
    """An employer's members in the frozen electorate: the total, the number in each
    job category and at each workplace (from the index on the electorate alone), and
    how many of them pay by check-off."""
    entries = ElectorateEntry.objects.filter(
        ballot=ballot, employer=employer, included=True
    )
    by_category = (
        entries.values("job_category")
        .annotate(n=Count("id"))
        .order_by("job_category")
        .values_list("job_category", "n")
    )
    by_workplace: dict[int | None, int] = dict(
        entries.values("workplace_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("workplace_id", "n")
    )
    places = Workplace.objects.in_bulk([pk for pk in by_workplace if pk is not None])
    workplaces = sorted(
        (
            FigureRow(
                label=places[pk].name,
                count=n,
                key=pk,
                detail=", ".join(
                    part
                    for part in (
                        places[pk].address_line_1,
                        places[pk].town,
                        places[pk].postcode,
                    )
                    if part
                ),
            )
            for pk, n in by_workplace.items()
            if pk is not None
        ),
        key=lambda row: (row.label.lower(), row.key),
    )
    if None in by_workplace:
        workplaces.append(FigureRow(label=NO_WORKPLACE, count=by_workplace[None]))
    categories = [
        FigureRow(label=name or NO_CATEGORY, count=n, key=name)
        for name, n in by_category
    ]
    return NoticeFigures(
        employer_id=employer.pk,
        employer_name=employer.name,
        total=sum(by_workplace.values()),
        categories=categories,
        workplaces=workplaces,
        check_off=entries.filter(check_off=True).count(),
    )


def employers_with_electors(*, ballot: Ballot) -> QuerySet[Employer]:
    """The constituency's employers that employ someone in the electorate: those
    the union must give notice to (s.226A(1))."""
    return Employer.objects.filter(
        pk__in=ElectorateEntry.objects.filter(ballot=ballot, reason="")
        .values("employer_id")
        .distinct()
    ).order_by("name")


def ballot_notices(*, ballot: Ballot) -> QuerySet[BallotNotice]:
    return BallotNotice.objects.filter(ballot=ballot).select_related("employer")
