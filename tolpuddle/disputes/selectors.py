"""Reads of disputes and ballots: who may see which (staff, and members in the
portal), a ballot's deadlines, its frozen electorate and the figures its notices
give, its voting papers, its result and the mandate it gives."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from tolpuddle.core.models import User
from tolpuddle.disputes import law
from tolpuddle.disputes.models import (
    ActionNotice,
    Ballot,
    BallotNotice,
    BallotResult,
    BallotStatus,
    Dispute,
    ElectorateEntry,
    ElectorateJob,
    EntrySource,
    ExclusionReason,
    MandateExtension,
    QuestionKind,
    ResultNotice,
    WorkplaceBallots,
)
from tolpuddle.members.models import Employer, Membership, Workplace

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
    workplace, in the order written. ``included=False`` gives the near misses.
    ``employer``: those its notice counts, with the members whose entry is at
    another employer but who hold a qualifying job at this one too."""
    entries = ElectorateEntry.objects.filter(ballot=ballot)
    if employer is not None:
        entries = entries.filter(
            Q(employer=employer)
            | Q(
                pk__in=ElectorateJob.objects.filter(
                    ballot=ballot, employer=employer
                ).values("entry_id")
            )
        )
    if reason is not None:
        entries = entries.filter(reason=reason)
    elif included is not None:
        entries = entries.filter(reason="") if included else entries.exclude(reason="")
    return entries.select_related(
        "membership__person", "employer", "workplace"
    ).order_by("id")


def electorate_other_jobs(
    *, entries: Sequence[ElectorateEntry]
) -> dict[int, list[ElectorateJob]]:
    """The qualifying jobs at the ballot's other employers of each of ``entries``
    (by entry id), each with its employer and workplace: one query."""
    jobs: dict[int, list[ElectorateJob]] = {}
    for job in (
        ElectorateJob.objects.filter(entry__in=[entry.pk for entry in entries])
        .select_related("employer", "workplace")
        .order_by("entry_id", "employer__name")
    ):
        jobs.setdefault(job.entry_id, []).append(job)
    return jobs


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
    """What a notice of ballot to one employer counts (s.226A(2)(c), (2A)-(2D)).

    ``shared``: how many of them are counted in another employer's figures too
    (members with qualifying jobs at more than one of the employers)."""

    employer_id: int
    employer_name: str
    total: int
    categories: list[FigureRow]
    workplaces: list[FigureRow]
    check_off: int
    shared: int = 0


def notice_figures(
    *,
    ballot: Ballot,
    employer: Employer,
    only_workplaces: Collection[int] | None = None,
    current_only: bool = False,
) -> NoticeFigures:
    """An employer's employees in the frozen electorate: the total, the number in
    each job category and at each workplace (from the indexes on the electorate
    alone), and how many of them pay by check-off. A member of the electorate is
    counted by every employer they hold a qualifying job with (``ElectorateJob``),
    with that job's category and workplace, though they have one vote.

    For a notice of industrial action (s.234A): ``only_workplaces`` keeps only those
    workplaces (separate workplace ballots: those whose ballot gave a mandate), and
    ``current_only`` leaves out members marked as having left since the freeze."""
    return _figures(
        ballot=ballot,
        names={employer.pk: employer.name},
        only_workplaces=only_workplaces,
        current_only=current_only,
    )[employer.pk]


def notice_figures_by_employer(*, ballot: Ballot) -> dict[int, NoticeFigures]:
    """``notice_figures`` for every employer with someone in the frozen electorate,
    in a few grouped queries whatever the number of employers (a ballot across 200
    NHS trusts makes 200 notices at once)."""
    names = dict(employers_with_electors(ballot=ballot).values_list("pk", "name"))
    return _figures(ballot=ballot, names=names, every_employer=True)


def _figures(
    *,
    ballot: Ballot,
    names: dict[int, str],
    every_employer: bool = False,
    only_workplaces: Collection[int] | None = None,
    current_only: bool = False,
) -> dict[int, NoticeFigures]:
    """The figures of the employers ``names`` (all of the ballot's with
    ``every_employer``): the entries of the electorate at each, and the other jobs
    there of members whose entry is at another employer."""
    entries = ElectorateEntry.objects.filter(ballot=ballot, included=True)
    jobs = ElectorateJob.objects.filter(ballot=ballot)
    # Jobs elsewhere of members whose entry is counted here.
    elsewhere = ElectorateJob.objects.filter(ballot=ballot)
    if not every_employer:
        entries = entries.filter(employer_id__in=sorted(names))
        jobs = jobs.filter(employer_id__in=sorted(names))
        elsewhere = elsewhere.filter(entry__employer_id__in=sorted(names))
    if only_workplaces is not None:
        entries = entries.filter(workplace_id__in=sorted(only_workplaces))
        jobs = jobs.filter(workplace_id__in=sorted(only_workplaces))
        elsewhere = elsewhere.filter(entry__workplace_id__in=sorted(only_workplaces))
    if current_only:
        entries = entries.filter(left_on__isnull=True)
        jobs = jobs.filter(entry__left_on__isnull=True)
        elsewhere = elsewhere.filter(entry__left_on__isnull=True)
    by_category: dict[int, dict[str, int]] = {pk: {} for pk in names}
    by_workplace: dict[int, dict[int | None, int]] = {pk: {} for pk in names}
    for rows in (entries, jobs):
        for employer_id, name, n in (
            rows.values("employer_id", "job_category")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("employer_id", "job_category", "n")
        ):
            in_category = by_category[employer_id]
            in_category[name] = in_category.get(name, 0) + n
        for employer_id, workplace_id, n in (
            rows.values("employer_id", "workplace_id")
            .annotate(n=Count("id"))
            .order_by()
            .values_list("employer_id", "workplace_id", "n")
        ):
            at_workplace = by_workplace[employer_id]
            at_workplace[workplace_id] = at_workplace.get(workplace_id, 0) + n
    check_off = dict(
        entries.filter(check_off=True)
        .values("employer_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("employer_id", "n")
    )
    # One job a member and employer: each job counted here is a member shared.
    shared = dict(
        jobs.values("employer_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("employer_id", "n")
    )
    for employer_id, n in (
        elsewhere.values("entry__employer_id")
        .annotate(n=Count("entry_id", distinct=True))
        .order_by()
        .values_list("entry__employer_id", "n")
    ):
        shared[employer_id] = shared.get(employer_id, 0) + n
    places = Workplace.objects.in_bulk(
        sorted({pk for counts in by_workplace.values() for pk in counts if pk})
    )
    figures = {}
    for employer_id, name in names.items():
        counts = by_workplace[employer_id]
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
                for pk, n in counts.items()
                if pk is not None
            ),
            key=lambda row: (row.label.lower(), row.key),
        )
        if None in counts:
            workplaces.append(FigureRow(label=NO_WORKPLACE, count=counts[None]))
        figures[employer_id] = NoticeFigures(
            employer_id=employer_id,
            employer_name=name,
            total=sum(counts.values()),
            categories=[
                FigureRow(label=category or NO_CATEGORY, count=n, key=category)
                for category, n in sorted(by_category[employer_id].items())
            ],
            workplaces=workplaces,
            check_off=check_off.get(employer_id, 0),
            shared=shared.get(employer_id, 0),
        )
    return figures


def employers_with_electors(*, ballot: Ballot) -> QuerySet[Employer]:
    """The constituency's employers that employ someone in the electorate (in the
    job their entry is for, or in another qualifying job): those the union must
    give notice to (s.226A(1))."""
    return Employer.objects.filter(
        Q(
            pk__in=ElectorateEntry.objects.filter(ballot=ballot, reason="")
            .values("employer_id")
            .distinct()
        )
        | Q(
            pk__in=ElectorateJob.objects.filter(ballot=ballot)
            .values("employer_id")
            .distinct()
        )
    ).order_by("name")


def ballot_notices(*, ballot: Ballot) -> QuerySet[BallotNotice]:
    return BallotNotice.objects.filter(ballot=ballot).select_related("employer")


def separate_workplace_ballots(ballot: Ballot) -> bool:
    """Whether the ballot's result is counted and decided workplace by workplace
    (s.228): a statutory ballot held as separate workplace ballots."""
    return ballot.is_statutory and ballot.workplace_ballots == WorkplaceBallots.SEPARATE


def electorate_by_workplace(
    *, ballot: Ballot, without_leavers: bool = False
) -> dict[int | None, int]:
    """How many of the electorate are at each workplace (None: no workplace
    recorded): the electorate of each ballot, where they are separate (s.228).
    ``without_leavers``: not counting members marked as having left."""
    entries = ElectorateEntry.objects.filter(ballot=ballot, reason="")
    if without_leavers:
        entries = entries.filter(left_on__isnull=True)
    return dict(
        entries.values("workplace_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("workplace_id", "n")
    )


# --- Voting papers ---------------------------------------------------------------------


@dataclass(frozen=True)
class PaperBatch:
    """Some of one employer's voting papers, in number order: at most the batch
    size, so that each PDF is made in bounded time and memory."""

    employer_id: int
    employer_name: str
    first: int
    last: int
    count: int


def voting_paper_batches(*, ballot: Ballot, size: int = 500) -> list[PaperBatch]:
    """The ballot's numbered papers, employer by employer, in runs of at most
    ``size`` papers (by number). One query: the database numbers each employer's
    papers in order and groups them by run, so a page listing the batches of half a
    million papers reads a thousand rows, not half a million numbers."""
    if size < 1:
        raise ValueError("a batch holds at least one paper")
    entries = connection.ops.quote_name(ElectorateEntry._meta.db_table)
    statement = (
        "SELECT employer_id, MIN(paper_number), MAX(paper_number), COUNT(*) "  # noqa: S608 - the model's table; values are parameters
        "FROM (SELECT employer_id, paper_number, "
        "(ROW_NUMBER() OVER (PARTITION BY employer_id ORDER BY paper_number) - 1) / %s "
        f"AS run FROM {entries} WHERE ballot_id = %s AND reason = '' "
        "AND paper_number IS NOT NULL) numbered "
        "GROUP BY employer_id, run"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [size, ballot.pk])
        runs = cursor.fetchall()
    names = dict(
        Employer.objects.filter(pk__in={row[0] for row in runs}).values_list(
            "pk", "name"
        )
    )
    batches = [
        PaperBatch(
            employer_id=employer_id,
            employer_name=names[employer_id],
            first=first,
            last=last,
            count=count,
        )
        for employer_id, first, last, count in runs
    ]
    batches.sort(key=lambda b: (b.employer_name, b.employer_id, b.first))
    return batches


def voting_paper_electors(
    *, ballot: Ballot, batch: PaperBatch | None = None
) -> QuerySet[ElectorateEntry]:
    """The electors with a numbered paper, in number order (of one batch), with
    what the paper and the mail merge print: name, home address, employer and
    workplace."""
    entries = ElectorateEntry.objects.filter(
        ballot=ballot, reason="", paper_number__isnull=False
    )
    if batch is not None:
        entries = entries.filter(
            employer_id=batch.employer_id,
            paper_number__gte=batch.first,
            paper_number__lte=batch.last,
        )
    return entries.select_related(
        "membership__person", "employer", "workplace"
    ).order_by("paper_number")


def voting_paper_numbers(*, ballot: Ballot) -> tuple[int, int, int]:
    """How many papers are numbered, and the first and last numbers (0 if none)."""
    figures = ElectorateEntry.objects.filter(
        ballot=ballot, paper_number__isnull=False
    ).aggregate(n=Count("id"), first=Min("paper_number"), last=Max("paper_number"))
    return figures["n"], figures["first"] or 0, figures["last"] or 0


def electors_without_address(*, ballot: Ballot) -> QuerySet[ElectorateEntry]:
    """Members of the electorate with no home address to post a paper to
    (s.230(2)(a)): neither a first line nor a postcode."""
    return electorate_entries(ballot=ballot, included=True).filter(
        membership__person__address_line_1="", membership__person__postcode=""
    )


# --- The result and the mandate -----------------------------------------------------


def ballot_results(*, ballot: Ballot) -> QuerySet[BallotResult]:
    """The ballot's results, per question (and per workplace where separate)."""
    return BallotResult.objects.filter(ballot=ballot).select_related(
        "question", "workplace"
    )


def result_notices(*, ballot: Ballot) -> QuerySet[ResultNotice]:
    """The result as given to each employer (s.231A)."""
    return ResultNotice.objects.filter(ballot=ballot).select_related("employer")


def action_notices(
    *, ballot: Ballot, employer: Employer | None = None, given: bool | None = None
) -> QuerySet[ActionNotice]:
    """The notices of industrial action (s.234A), by first day of action."""
    notices = ActionNotice.objects.filter(ballot=ballot)
    if employer is not None:
        notices = notices.filter(employer=employer)
    if given is not None:
        notices = notices.filter(given_on__isnull=not given)
    return notices.select_related("employer").order_by("first_day", "id")


@dataclass(frozen=True)
class MandateState:
    """What a ballot's result allows (s.226, s.234), for other apps and screens.

    ``actions`` are the questions whose result gives a mandate ("strike",
    "action_short_of_strike"). Where the ballot is held as separate workplace
    ballots, ``workplaces`` gives for each of them the workplaces whose own ballot
    gave it (s.226(3)); otherwise it is None. With an ``employer``, everything is of
    that employer's employees, and ``expires_on`` is as extended by its agreement.
    ``days_left`` counts today and the last day, so it is 1 on the last day and 0
    once the mandate has ended (or where there is none)."""

    ballot_id: int
    has_result: bool
    has_mandate: bool
    declared_on: datetime.date | None
    expires_on: datetime.date | None
    extended: bool
    extendable_to: datetime.date | None
    covers: str
    days_left: int
    actions: tuple[str, ...]
    workplaces: dict[str, tuple[int, ...]] | None
    reasons: tuple[str, ...]

    @property
    def expired(self) -> bool:
        return self.has_mandate and self.days_left == 0

    @property
    def live(self) -> bool:
        """A mandate that action may still rest on today."""
        return self.has_mandate and self.days_left > 0


def ballot_mandate(
    *,
    ballot: Ballot,
    employer: Employer | None = None,
    on: datetime.date | None = None,
) -> MandateState:
    """Whether ``ballot`` gives a mandate for industrial action, for which action
    (and where, for separate workplace ballots), until when, and how many days of
    it are left on ``on`` (today)."""
    day = on or timezone.localdate()
    regime = law.regime_for(opening_on=ballot.opening_on)
    results = list(ballot_results(ballot=ballot))
    covers = regime.mandate_covers.value
    if not results:
        return MandateState(
            ballot_id=ballot.pk,
            has_result=False,
            has_mandate=False,
            declared_on=None,
            expires_on=None,
            extended=False,
            extendable_to=None,
            covers=covers,
            days_left=0,
            actions=(),
            workplaces=None,
            reasons=("No result has been recorded for this ballot.",),
        )
    separate = any(r.workplace_id is not None for r in results)
    employer_workplaces: set[int] | None = None
    if employer is not None and separate:
        employer_workplaces = set(
            Workplace.objects.filter(employer=employer).values_list("pk", flat=True)
        )
    employs_electors = employer is None or (
        ElectorateEntry.objects.filter(
            ballot=ballot, employer=employer, reason=""
        ).exists()
        or ElectorateJob.objects.filter(ballot=ballot, employer=employer).exists()
    )
    actions: list[str] = []
    workplaces: dict[str, tuple[int, ...]] = {}
    reasons: list[str] = []
    for result in results:
        if employer_workplaces is not None and (
            result.workplace_id not in employer_workplaces
        ):
            continue
        if not result.mandate:
            where = f" at {result.workplace.name}" if result.workplace else ""
            reasons.extend(
                f"{result.question.get_kind_display()}{where}: {reason}"
                for reason in result.reasons
            )
    for kind in (QuestionKind.STRIKE, QuestionKind.ACTION_SHORT_OF_STRIKE):
        passed = [
            r
            for r in results
            if r.question.kind == kind
            and r.mandate
            and (employer_workplaces is None or r.workplace_id in employer_workplaces)
        ]
        if passed and employs_electors:
            actions.append(kind.value)
            if separate:
                workplaces[kind.value] = tuple(
                    sorted(r.workplace_id for r in passed if r.workplace_id)
                )
    if not employs_electors:
        reasons.append(
            f"No one employed by {employer} was entitled to vote in this ballot."
        )
    has_mandate = bool(actions)
    mandated = next((r for r in results if r.mandate), None)
    expires_on = mandated.mandate_expires_on if has_mandate and mandated else None
    extendable_to = mandated.mandate_extendable_to if has_mandate and mandated else None
    extended = False
    if has_mandate and employer is not None:
        extension = MandateExtension.objects.filter(
            ballot=ballot, employer=employer
        ).first()
        if extension is not None:
            expires_on, extended, extendable_to = extension.expires_on, True, None
    days_left = 0
    if expires_on is not None and day <= expires_on:
        days_left = (expires_on - day).days + 1
    return MandateState(
        ballot_id=ballot.pk,
        has_result=True,
        has_mandate=has_mandate,
        declared_on=ballot.result_declared_on,
        expires_on=expires_on,
        extended=extended,
        extendable_to=extendable_to,
        covers=covers,
        days_left=days_left,
        actions=tuple(actions),
        workplaces=workplaces if separate else None,
        reasons=() if has_mandate else tuple(reasons),
    )


# --- The member portal ---------------------------------------------------------------


def ballots_for_member(*, membership: Membership) -> QuerySet[Ballot]:
    """The ballots ``membership`` is in the electorate of, once open, newest
    first: the one place that decides which ballots a member sees in the portal
    (any other is a 404, the same as for a ballot that does not exist)."""
    return (
        Ballot.objects.exclude(status=BallotStatus.DRAFT)
        .filter(
            pk__in=ElectorateEntry.objects.filter(
                membership=membership, reason=""
            ).values("ballot_id")
        )
        .select_related("dispute")
        .order_by("-opening_on", "-id")
    )


def member_entry(*, ballot: Ballot, membership: Membership) -> ElectorateEntry | None:
    """The member's row in the ballot's electorate, if they are in it."""
    return (
        ElectorateEntry.objects.filter(ballot=ballot, membership=membership, reason="")
        .select_related("employer", "workplace")
        .first()
    )


def action_notices_for_member(
    *, ballot: Ballot, entry: ElectorateEntry
) -> list[ActionNotice]:
    """The notices of industrial action given to the member's employers (that of
    their entry, and those of their other qualifying jobs) that call out the
    member's workplace there (every workplace the notice lists): the days of
    action that apply to them."""
    workplaces: dict[int, int | None] = {entry.employer_id: entry.workplace_id}
    workplaces.update(
        ElectorateJob.objects.filter(entry=entry).values_list(
            "employer_id", "workplace_id"
        )
    )
    notices = action_notices(ballot=ballot, given=True).filter(
        employer_id__in=sorted(workplaces)
    )
    return [
        notice
        for notice in notices
        if (workplace_id := workplaces[notice.employer_id])
        in notice.content.get("workplace_ids", [])
        or (workplace_id is None and notice.content.get("no_workplace", 0))
    ]


def member_results(*, ballot: Ballot, entry: ElectorateEntry) -> list[BallotResult]:
    """The results that are the member's: the whole ballot's, or, for separate
    workplace ballots, those of the member's workplace."""
    results = ballot_results(ballot=ballot)
    if separate_workplace_ballots(ballot) and entry.workplace_id is not None:
        results = results.filter(workplace_id=entry.workplace_id)
    elif separate_workplace_ballots(ballot):
        return []
    else:
        results = results.filter(workplace__isnull=True)
    return list(results.order_by("question__position"))
