"""Reads of the register. Functions that depend on who is asking arrive with the portal."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import CharField, Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.db.models.lookups import Exact
from django.utils import timezone

from tolpuddle.core.cache import generation_current, generation_forget
from tolpuddle.core.expressions import Unindexed
from tolpuddle.core.models import User
from tolpuddle.members.models import (
    ENDED_STATUSES,
    Branch,
    Employer,
    Employment,
    Membership,
    MembershipCategory,
    MembershipEvent,
    MembershipQuerySet,
    MembershipStatus,
    Person,
    PersonalDataAccess,
    Position,
    Region,
    Role,
    RoleScope,
    SubscriptionRate,
    Workplace,
    search_key,
)
from tolpuddle.members.normalise import looks_like_postcode, normalise_postcode


def _status_on(day: datetime.date) -> Subquery:
    """The status a membership had at the end of ``day``, from its history."""
    return Subquery(
        MembershipEvent.objects.filter(membership=OuterRef("pk"), effective_on__lte=day)
        .exclude(status_to="")
        .order_by("-effective_on", "-id")
        .values("status_to")[:1]
    )


def memberships_in_good_standing(
    *, on: datetime.date | None = None, among: MembershipQuerySet | None = None
) -> MembershipQuerySet:
    """Members in good standing on a date (today if none is given), optionally
    ``among`` some memberships already chosen.

    Today's answer comes from the current status; a past date's from the dates of
    each member's current spell of membership, and from the history for members who
    have been readmitted (which this asks the database about straight away).
    """
    members: MembershipQuerySet = Membership.objects.all() if among is None else among
    if on is None or on >= timezone.localdate():
        return members.in_good_standing()
    # A member with a single spell of membership was in good standing on ``on`` if
    # joined_on and left_on cover that day: the history says the same, at the cost
    # of a lookup a member. For the few readmitted members the history is read (an
    # import may readmit a member without saying when their new spell began).
    one_spell = (
        Q(readmitted=False, joined_on__lte=on)
        & (Q(left_on__isnull=True) | Q(left_on__gt=on))
        & ~Q(status__in=[MembershipStatus.APPLICANT, MembershipStatus.DECLINED])
    )
    readmitted_then = (
        members.filter(readmitted=True)
        .annotate(status_then=_status_on(on))
        .filter(status_then=MembershipStatus.ACTIVE)
        .values_list("pk", flat=True)
    )
    # Asked first and given as a list: a subquery in an OR hides from the planner
    # that it should start from the few members already chosen.
    ids = list(readmitted_then[: READMITTED_AS_LIST + 1])
    if not ids:
        return members.filter(one_spell)
    if len(ids) <= READMITTED_AS_LIST:
        return members.filter(one_spell | Q(pk__in=ids))
    return members.filter(one_spell | Q(pk__in=readmitted_then))


READMITTED_AS_LIST = 2000


def membership_count_in_good_standing() -> int:
    return Membership.objects.in_good_standing().count()


def employments_on(
    *,
    employer: Employer,
    on: datetime.date,
    workplace: Workplace | None = None,
    job_category: str | None = None,
) -> QuerySet[Employment]:
    jobs = Employment.objects.current_on(on).filter(employer=employer)
    if workplace is not None:
        jobs = jobs.filter(workplace=workplace)
    if job_category:
        jobs = jobs.filter(job_category=job_category)
    return jobs


def memberships_employed_by(
    *,
    employer: Employer,
    on: datetime.date,
    workplace: Workplace | None = None,
    job_category: str | None = None,
    in_good_standing: bool = True,
) -> QuerySet[Membership]:
    """Members employed by ``employer`` on ``on`` (at ``workplace``, in ``job_category``):
    the question every statutory ballot asks. Ordered by membership number."""
    jobs = employments_on(
        employer=employer, on=on, workplace=workplace, job_category=job_category
    )
    members = Membership.objects.filter(pk__in=jobs.values("membership_id"))
    if in_good_standing and on >= timezone.localdate():
        # Today's status, checked on the rows the employer's jobs lead to: written
        # so that no index answers it, or SQLite would start from the index on
        # status and check most of the register against the employer's jobs.
        members = members.filter(
            Exact(
                Unindexed(F("status"), output_field=CharField()),
                MembershipStatus.ACTIVE,
            )
        )
    elif in_good_standing:
        members = memberships_in_good_standing(on=on, among=members)
    # In the register's order, membership number: the database sorts the rows it
    # has already read to check the status. Ordering by name would mean fetching a
    # person row for every member of the employer (thousands) before the first page.
    return members.select_related("person", "branch").order_by("membership_number")


CountBy = Literal["branch", "region", "employer", "workplace", "category"]


@dataclass(frozen=True)
class CountRow:
    key: int | str | None
    label: str
    count: int


def membership_counts(
    *,
    by: CountBy,
    on: datetime.date | None = None,
    branch_ids: Collection[int] | None = None,
) -> list[CountRow]:
    """Members in good standing counted by branch, region, employer, workplace or category.

    By employer and workplace a member counts once per employer (or workplace) they
    work for on the day; members with no job there are not counted. ``branch_ids``
    counts only the members of those branches (a branch officer's figures).
    """
    day = on or timezone.localdate()
    members = memberships_in_good_standing(
        on=on,
        among=None
        if branch_ids is None
        else Membership.objects.filter(branch_id__in=list(branch_ids)),
    )
    if by == "category":
        labels = dict(MembershipCategory.choices)
        by_category = (
            members.values("category").annotate(n=Count("pk")).order_by("category")
        )
        return [
            CountRow(
                r["category"], str(labels.get(r["category"], r["category"])), r["n"]
            )
            for r in by_category
        ]
    if by == "branch":
        by_branch = (
            members.values("branch_id", "branch__name")
            .annotate(n=Count("pk"))
            .order_by(F("branch__name").asc(nulls_last=True))
        )
        return [
            CountRow(r["branch_id"], r["branch__name"] or "No branch", r["n"])
            for r in by_branch
        ]
    if by == "region":
        by_region = (
            members.values("branch__region_id", "branch__region__name")
            .annotate(n=Count("pk"))
            .order_by(F("branch__region__name").asc(nulls_last=True))
        )
        return [
            CountRow(
                r["branch__region_id"], r["branch__region__name"] or "No region", r["n"]
            )
            for r in by_region
        ]
    jobs = Employment.objects.current_on(day).filter(
        membership__in=members.values("pk")
    )
    if by == "employer":
        by_employer = (
            jobs.values("employer_id", "employer__name")
            .annotate(n=Count("membership_id", distinct=True))
            .order_by("employer__name")
        )
        return [
            CountRow(r["employer_id"], r["employer__name"], r["n"]) for r in by_employer
        ]
    rows = (
        jobs.values("workplace_id", "workplace__name", "employer__name")
        .annotate(n=Count("membership_id", distinct=True))
        .order_by("employer__name", F("workplace__name").asc(nulls_last=True))
    )
    return [
        CountRow(
            r["workplace_id"],
            f"{r['workplace__name']} ({r['employer__name']})"
            if r["workplace_id"]
            else f"No workplace ({r['employer__name']})",
            r["n"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class JoinersLeavers:
    joiners: int
    leavers: int


def _joins() -> Q:
    return Q(status_to=MembershipStatus.ACTIVE) & ~Q(
        status_from=MembershipStatus.ACTIVE
    )


def _leaves() -> Q:
    return Q(status_from=MembershipStatus.ACTIVE, status_to__in=list(ENDED_STATUSES))


def joiners_and_leavers(*, start: datetime.date, end: datetime.date) -> JoinersLeavers:
    """How many became (or became again) members, and how many left, from ``start`` to
    ``end`` inclusive, as the history records it."""
    events = MembershipEvent.objects.filter(
        effective_on__gte=start, effective_on__lte=end
    )
    return JoinersLeavers(
        joiners=events.filter(_joins()).values("membership_id").distinct().count(),
        leavers=events.filter(_leaves()).values("membership_id").distinct().count(),
    )


def joiners_and_leavers_by_month(
    *,
    start: datetime.date,
    end: datetime.date,
    branch_ids: Collection[int] | None = None,
) -> list[tuple[datetime.date, int, int]]:
    """(first day of month, joiners, leavers) for each month from ``start`` to ``end``;
    with ``branch_ids``, only of members now in those branches."""
    events = MembershipEvent.objects.filter(
        effective_on__gte=start, effective_on__lte=end
    )
    if branch_ids is not None:
        events = events.filter(membership__branch_id__in=list(branch_ids))
    joins = dict(
        events.filter(_joins())
        .annotate(month=TruncMonth("effective_on"))
        .values("month")
        .annotate(n=Count("membership_id", distinct=True))
        .values_list("month", "n")
    )
    leaves = dict(
        events.filter(_leaves())
        .annotate(month=TruncMonth("effective_on"))
        .values("month")
        .annotate(n=Count("membership_id", distinct=True))
        .values_list("month", "n")
    )
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append((month, joins.get(month, 0), leaves.get(month, 0)))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def memberships_search(*, query: str) -> QuerySet[Membership]:
    """Find members by membership number, email, postcode or name.

    A number matches exactly; an email exactly (any case); a postcode in full or
    by its outward code (B1); a name by the start of the last name ("smi", or "de la"
    for a last name of several words), else by the starts of the first and last
    names ("jo smi").
    """
    text = " ".join(query.split())
    base = Membership.objects.select_related("person", "branch")
    if not text:
        return base.none()
    if "@" in text:
        return base.filter(person__email=text.lower())
    if any(ch.isdigit() for ch in text):
        if looks_like_postcode(text):
            return base.filter(person__postcode=normalise_postcode(text)).order_by(
                "person__last_name_key", "pk"
            )
        compact = text.upper().replace(" ", "")
        if compact.isalnum() and len(compact) <= 4 and compact[0].isalpha():
            # An outward code (B1, SW1A): every postcode in that district.
            return base.filter(_prefix("person__postcode", f"{compact} ")).order_by(
                "person__postcode", "pk"
            )
        return base.filter(membership_number=text)
    return base.filter(_name_condition(text, "person__")).order_by(
        "person__last_name_key", "person__first_name_key", "pk"
    )


def people_named(*, query: str) -> QuerySet[Person] | None:
    """The people whose names match ``query`` as ``memberships_search`` matches
    them, or None when the query is not a name (a number, an email, a postcode)."""
    text = " ".join(query.split())
    if not text or "@" in text or any(ch.isdigit() for ch in text):
        return None
    return Person.objects.filter(_name_condition(text, ""))


def _name_condition(text: str, to_person: str) -> Q:
    """The start of the last name ("smi", or "de la" for a last name of several
    words), else the starts of the first and last names ("jo smi"), on the person
    reached by ``to_person`` ("person__" from a membership, "" from a person)."""
    key = search_key(text)
    parts = key.split(" ")
    last_name = _prefix(f"{to_person}last_name_key", key)
    if (
        len(parts) == 1
        or Membership.objects.filter(_prefix("person__last_name_key", key)).exists()
    ):
        # One word, or a last name of several words ("de la", "van der b").
        return last_name
    first, last = parts[0], " ".join(parts[1:])
    return _prefix(f"{to_person}first_name_key", first) & _prefix(
        f"{to_person}last_name_key", last
    )


def _prefix(field: str, prefix: str) -> Q:
    """``field`` starts with ``prefix``, as a range that the field's index answers.

    The search keys and postcodes compare byte by byte on every database
    (``BytewiseCharField``), so the range is exact."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


def subscription_rate_for(
    *, membership: Membership, on: datetime.date | None = None
) -> SubscriptionRate | None:
    """The monthly rate a member pays on a date: by their category and the pay band of
    their main job (the one with the most hours) then, failing a rate for that band, the
    category's rate for any band. None if no rate applies."""
    day = on or timezone.localdate()
    jobs = Employment.objects.current_on(day).filter(membership=membership)
    main_job = jobs.order_by(F("hours").desc(nulls_last=True), "started_on").first()
    bands = [main_job.pay_band] if main_job and main_job.pay_band else []
    rates = SubscriptionRate.objects.filter(
        category=membership.category,
        pay_band__in=[*bands, ""],
        valid_from__lte=day,
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
    for band in [*bands, ""]:
        rate = rates.filter(pay_band=band).order_by("-valid_from").first()
        if rate is not None:
            return rate
    return None


# --- Who may see and change whom -------------------------------------------------

BRANCH_OFFICER_ROLES = frozenset(
    {
        "branch-chair",
        "branch-secretary",
        "branch-treasurer",
        "branch-membership-officer",
    }
)
MEMBERSHIP_STAFF_GROUP = "Membership staff"


@dataclass(frozen=True)
class RegisterScope:
    """What one user may see and change in the register, from their staff groups and
    the positions they hold on the day:

    - a member: their own record;
    - a workplace rep (any workplace role): the members of their own branch, to see;
    - a branch officer: the members of the branches they hold office in, to see and
      to change contact details and jobs;
    - HQ membership staff (the "Membership staff" group): everyone, to see and change;
    - an administrator (superuser): everything.

    ``own_branch_id`` is the branch of the user's own membership (when they have
    one): a scope whose branches include it needs no separate "or their own record".
    """

    own_membership_id: int | None = None
    see_branch_ids: frozenset[int] = frozenset()
    change_branch_ids: frozenset[int] = frozenset()
    see_all: bool = False
    change_all: bool = False
    own_branch_id: int | None = None


# The scope is kept on the user object, keyed by the day, so that everything one
# request asks (the page, each menu item, the dashboard) reads the database once. A
# request loads its user afresh, so a change of position shows at the next request;
# code that changes a user's positions and asks again with the same object calls
# ``register_scope_forget``.
SCOPE_CACHE_ATTRIBUTE = "_tolpuddle_scope"


def register_scope_for(
    *, user: User | AnonymousUser, on: datetime.date | None = None
) -> RegisterScope:
    if not user.is_authenticated or not user.is_active:
        return RegisterScope()
    day = on or timezone.localdate()
    cached: tuple[datetime.date, RegisterScope] | None = getattr(
        user, SCOPE_CACHE_ATTRIBUTE, None
    )
    if cached is not None and cached[0] == day:
        return cached[1]
    scope = _register_scope(user, day)
    setattr(user, SCOPE_CACHE_ATTRIBUTE, (day, scope))
    return scope


def register_scope_forget(*, user: User | AnonymousUser) -> None:
    """Drop the scope kept on ``user`` (after changing their positions or status)."""
    if hasattr(user, SCOPE_CACHE_ATTRIBUTE):
        delattr(user, SCOPE_CACHE_ATTRIBUTE)


def _register_scope(user: User, day: datetime.date) -> RegisterScope:
    if user.is_superuser or user.has_perm("members.view_all_memberships"):
        own_id, own_branch_id = _own_membership(user)
        return RegisterScope(
            see_all=True,
            change_all=user.is_superuser
            or user.has_perm("members.change_all_memberships"),
            own_membership_id=own_id,
            own_branch_id=own_branch_id,
        )
    own = (
        Membership.objects.filter(person__user=user)
        .values("pk", "branch_id", "status")
        .first()
    )
    if own is None:
        return RegisterScope()
    if own["status"] != MembershipStatus.ACTIVE:
        # A former member keeps sight of their own record, and holds no office.
        return RegisterScope(
            own_membership_id=own["pk"], own_branch_id=own["branch_id"]
        )
    # Every position held on the day, in one query: the offices and whether any is
    # a workplace role.
    held = (
        Position.objects.filter(membership_id=own["pk"], started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .values_list("branch_id", "role__slug", "role__scope")
    )
    officer_of: set[int] = set()
    is_rep = False
    for branch_id, slug, role_scope in held:
        if slug in BRANCH_OFFICER_ROLES and branch_id is not None:
            officer_of.add(branch_id)
        if role_scope == RoleScope.WORKPLACE:
            is_rep = True
    see = set(officer_of)
    if is_rep and own["branch_id"] is not None:
        see.add(own["branch_id"])
    return RegisterScope(
        own_membership_id=own["pk"],
        see_branch_ids=frozenset(see),
        change_branch_ids=frozenset(officer_of),
        own_branch_id=own["branch_id"],
    )


def _own_membership(user: User) -> tuple[int | None, int | None]:
    own = (
        Membership.objects.filter(person__user=user)
        .values_list("pk", "branch_id")
        .first()
    )
    return (None, None) if own is None else own


def memberships_visible_to(*, user: User | AnonymousUser) -> MembershipQuerySet:
    """The one place that decides whose records a user may see. Fetch through it
    (``get_object_or_404(memberships_visible_to(user=...), pk=...)``) so that a record
    out of scope is a 404, the same as one that does not exist."""
    return _within(register_scope_for(user=user), change=False)


def memberships_changeable_by(*, user: User | AnonymousUser) -> MembershipQuerySet:
    """Whose contact details and jobs a user may change (a member: their own)."""
    return _within(register_scope_for(user=user), change=True)


def _within(scope: RegisterScope, *, change: bool) -> MembershipQuerySet:
    everyone: MembershipQuerySet = Membership.objects.all()
    if scope.change_all if change else scope.see_all:
        return everyone
    branches = scope.change_branch_ids if change else scope.see_branch_ids
    own = scope.own_membership_id
    if branches and (own is None or scope.own_branch_id in branches):
        # Their own record is among their branches' (or they have none): a plain
        # ``branch_id IN (...)``, which the branch index answers and which lets the
        # database walk it in order. An OR with the primary key would not.
        return everyone.filter(branch_id__in=sorted(branches))
    if branches:
        # An officer of branches other than their own: theirs, plus their own record.
        return everyone.filter(Q(branch_id__in=sorted(branches)) | Q(pk=own))
    if own is not None:
        return everyone.filter(pk=own)
    return everyone.none()


def positions_visible_to(*, user: User | AnonymousUser) -> QuerySet[Position]:
    """The positions a user may see: those held by the members they may see
    (``memberships_visible_to``). Every position for HQ staff; for a branch officer
    or a rep, those of the members of the branches they see, and their own."""
    scope = register_scope_for(user=user)
    positions = Position.objects.all()
    if scope.see_all:
        return positions
    return positions.filter(membership__in=_within(scope, change=False))


# --- Who may start and end positions ------------------------------------------------
#
# HQ staff (scope ``change_all``) start and end any position of anyone. A branch
# officer does so only for the members of a branch they hold office in
# (``change_branch_ids``), and only a branch role in such a branch or a workplace
# role; national roles are HQ's. Reps and members change no positions, not even
# their own.


def memberships_positions_changeable_by(
    *, user: User | AnonymousUser
) -> MembershipQuerySet:
    """Whose positions a user may start and end: anyone's for HQ staff; for a branch
    officer, the members of the branches they hold office in (their own record too
    only when it is in one of them). Fetch through it, so that anyone else is a 404."""
    scope = register_scope_for(user=user)
    everyone: MembershipQuerySet = Membership.objects.all()
    if scope.change_all:
        return everyone
    return everyone.filter(branch_id__in=sorted(scope.change_branch_ids))


def membership_positions_changeable(
    *, user: User | AnonymousUser, membership: Membership
) -> bool:
    """Whether ``user`` may start and end ``membership``'s positions (as
    ``memberships_positions_changeable_by``, from the scope, without a query)."""
    scope = register_scope_for(user=user)
    return scope.change_all or membership.branch_id in scope.change_branch_ids


def positions_changeable_by(*, user: User | AnonymousUser) -> QuerySet[Position]:
    """The positions a user may end: any for HQ staff; for a branch officer, those of
    the members of their branches that are a branch role in such a branch, or a
    workplace role. None for anyone else."""
    scope = register_scope_for(user=user)
    positions = Position.objects.all()
    if scope.change_all:
        return positions
    branches = sorted(scope.change_branch_ids)
    return positions.filter(membership__branch_id__in=branches).filter(
        Q(role__scope=RoleScope.WORKPLACE)
        | Q(role__scope=RoleScope.BRANCH, branch_id__in=branches)
    )


def roles_assignable_by(*, user: User | AnonymousUser) -> QuerySet[Role]:
    """The roles a user may give a member (of ``memberships_positions_changeable_by``),
    by name: every role for HQ staff; branch and workplace roles for a branch
    officer; none for anyone else."""
    scope = register_scope_for(user=user)
    roles = Role.objects.order_by("name")
    if scope.change_all:
        return roles
    if not scope.change_branch_ids:
        return roles.none()
    return roles.filter(scope__in=[RoleScope.BRANCH, RoleScope.WORKPLACE])


def branches_assignable_by(*, user: User | AnonymousUser) -> QuerySet[Branch]:
    """The branches in which a user may start a branch role, by name: any for HQ
    staff; for a branch officer, the branches they hold office in."""
    scope = register_scope_for(user=user)
    branches = Branch.objects.order_by("name")
    if scope.change_all:
        return branches
    return branches.filter(pk__in=sorted(scope.change_branch_ids))


def accesses_to(*, membership: Membership) -> QuerySet[PersonalDataAccess]:
    """Who has looked at this member's record, newest first (for HQ staff)."""
    return PersonalDataAccess.objects.filter(membership=membership).select_related(
        "user"
    )


# --- Applications ------------------------------------------------------------------


@dataclass(frozen=True)
class PossibleDuplicate:
    """Another record that may be the same person as an applicant, and why."""

    membership: Membership
    reasons: tuple[str, ...]


POSSIBLE_DUPLICATES_SHOWN = 10


def application_possible_duplicates(
    *, membership: Membership, limit: int = POSSIBLE_DUPLICATES_SHOWN
) -> list[PossibleDuplicate]:
    """Other memberships (of any status: a former member applying again should be
    readmitted, not given a second record) that may be the same person as
    ``membership``'s: the same email address, or the same name with the same date of
    birth or postcode. The tests ``membership_apply`` refuses a new application on,
    applied to everyone. Each test reads an index of the person table."""
    person = membership.person
    first, last = person.first_name_key, person.last_name_key
    tests: list[tuple[str, Q]] = []
    if person.email:
        tests.append(("same email address", Q(person__email=person.email)))
    if person.date_of_birth is not None:
        tests.append(
            (
                "same name and date of birth",
                Q(
                    person__first_name_key=first,
                    person__last_name_key=last,
                    person__date_of_birth=person.date_of_birth,
                ),
            )
        )
    if person.postcode:
        tests.append(
            (
                "same name and postcode",
                Q(
                    person__first_name_key=first,
                    person__last_name_key=last,
                    person__postcode=person.postcode,
                ),
            )
        )
    reasons: dict[int, list[str]] = {}
    for reason, test in tests:
        matches = (
            Membership.objects.filter(test)
            .exclude(pk=membership.pk)
            .values_list("pk", flat=True)[:limit]
        )
        for membership_id in matches:
            reasons.setdefault(membership_id, []).append(reason)
    if not reasons:
        return []
    others = (
        Membership.objects.filter(pk__in=list(reasons))
        .select_related("person", "branch")
        .order_by("pk")[:limit]
    )
    return [
        PossibleDuplicate(membership=other, reasons=tuple(reasons[other.pk]))
        for other in others
    ]


def applications_waiting() -> MembershipQuerySet:
    """Applications not yet decided, oldest first."""
    return (
        Membership.objects.filter(status=MembershipStatus.APPLICANT)
        .select_related("person", "branch")
        .order_by("applied_on", "pk")
    )


# --- The union-wide access log -------------------------------------------------------


def _start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the site's time (Europe/London)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def accesses_all(
    *,
    action: str = "",
    user_email: str = "",
    on_or_after: datetime.date | None = None,
    on_or_before: datetime.date | None = None,
) -> QuerySet[PersonalDataAccess]:
    """Every look at a member's record and every export or list, newest first (for
    HQ staff), narrowed to one action, to one person (their email, in any case) and
    to the days between two dates (both included, in UK time). Newest first is id
    order, the order the log is written in: the primary key answers it without
    sorting the whole log."""
    accesses = PersonalDataAccess.objects.select_related(
        "user", "membership__person"
    ).order_by("-id")
    if action:
        accesses = accesses.filter(action=action)
    if user_email.strip():
        accesses = accesses.filter(user__email__iexact=user_email.strip())
    if on_or_after is not None:
        accesses = accesses.filter(at__gte=_start_of_day(on_or_after))
    if on_or_before is not None:
        next_day = on_or_before + datetime.timedelta(days=1)
        accesses = accesses.filter(at__lt=_start_of_day(next_day))
    return accesses


# --- The reference lists (branches, regions, employers, workplaces) ------------------
#
# Every page of the members list offers them as filters. They are small and change
# rarely, but building them cost more than the list's own queries, so they are kept
# in the cache for REFERENCE_SECONDS under a generation number that any change to a
# branch, region, employer or workplace moves on (members/signals.py). With the
# default per-process cache another web process may offer the old list for up to
# that long; with a shared cache (CACHE_URL) the change shows at once.

REFERENCE_SECONDS = 60
REFERENCE_GENERATION_KEY = "members:reference:generation"

Choices = list[tuple[int, str]]


def reference_choices_forget() -> None:
    """Build the reference lists afresh next time (once the change commits)."""
    generation_forget(REFERENCE_GENERATION_KEY)


def _reference_cached(name: str, build: Callable[[], Choices]) -> Choices:
    generation = generation_current(REFERENCE_GENERATION_KEY)
    key = f"members:reference:{generation}:{name}"
    choices: Choices | None = cache.get(key)
    if choices is None:
        choices = build()
        cache.set(key, choices, REFERENCE_SECONDS)
    return choices


def branch_choices() -> Choices:
    """Every branch as (id, name), by name."""
    return _reference_cached(
        "branches",
        lambda: list(Branch.objects.order_by("name").values_list("pk", "name")),
    )


def region_choices() -> Choices:
    """Every region as (id, name), by name."""
    return _reference_cached(
        "regions",
        lambda: list(Region.objects.order_by("name").values_list("pk", "name")),
    )


def employer_choices() -> Choices:
    """Every employer as (id, name), by name."""
    return _reference_cached(
        "employers",
        lambda: list(Employer.objects.order_by("name").values_list("pk", "name")),
    )


def workplace_choices(*, employer_id: int) -> Choices:
    """The employer's workplaces as (id, "name (employer)"), by name."""

    def build() -> Choices:
        rows = Workplace.objects.filter(employer_id=employer_id).order_by("name")
        return [
            (pk, f"{name} ({employer})")
            for pk, name, employer in rows.values_list("pk", "name", "employer__name")
        ]

    return _reference_cached(f"workplaces:{employer_id}", build)
