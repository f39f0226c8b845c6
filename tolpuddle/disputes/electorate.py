"""Who is in a ballot's electorate, decided by the database in one statement.

``ballot_electorate_freeze`` calls ``electorate_insert``: one ``INSERT INTO
disputes_electorateentry ... SELECT`` built with the ORM, so that half a million
members are decided and written without a row passing through Python.

The SELECT reads the jobs held at the constituency's employers on the freeze date
and in the ``NEAR_MISS_DAYS`` either side of it, ranks each member's jobs (one that
qualifies first, then the closest miss, then the most hours) and keeps one a member
(``ROW_NUMBER()``), with the reason the member is excluded, if they are:

1. ``left_employer`` / ``not_yet_started``: no job at the employers on the date,
   but one that ended in the days before it or starts in the days after;
2. ``left_union``: not in good standing on the date and since lapsed, resigned,
   expelled or died; ``not_member_on_date``: not in good standing on the date for
   another reason (an applicant, or joined after the date);
3. ``job_category`` / ``workplace``: at the employer on the date, but not in a job
   category or at a workplace balloted;
4. ``in_arrears``: when the ballot excludes members in arrears, a member whose
   arrears (above nothing) began on or before the freeze date, less the ballot's
   grace days. The register keeps a member's arrears as they are now with the date
   they began, so a member in arrears on the freeze date who has since paid up is
   included: freeze on the day, or close to it.

Former members who left the union more than ``NEAR_MISS_DAYS`` before the date are
not considered at all (their old job records would otherwise fill the near misses
of every ballot), nor are declined applications.

A second ``INSERT INTO disputes_electoratejob ... SELECT`` then writes, for each
member in the electorate, their qualifying jobs at the constituency's other
employers (one an employer): the member is one of each employer's employees
concerned, and is counted in each employer's notice (s.226A(2)(c), s.234A(3)),
with one vote all the same.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.db.models.lookups import In

from tolpuddle.core.expressions import Unindexed
from tolpuddle.disputes.models import (
    Ballot,
    ElectorateEntry,
    ElectorateJob,
    EntrySource,
    ExclusionReason,
)
from tolpuddle.members.models import (
    ENDED_STATUSES,
    Employer,
    Employment,
    MembershipStatus,
    PaymentMethod,
)
from tolpuddle.members.selectors import memberships_in_good_standing

# How far either side of the freeze date a job (or a departure from the union)
# makes a member a near miss worth showing to staff: about three months.
NEAR_MISS_DAYS = 92

# A constituency of more than one employer in this many: scan the jobs.
SCAN_ABOVE_SHARE = 4

# Ranks of a member's jobs: the lowest is the one the decision rests on.
QUALIFIES, WRONG_CATEGORY, WRONG_WORKPLACE, ENDED_BEFORE, STARTS_AFTER = range(5)


def _ranked_jobs(
    *,
    ballot: Ballot,
    on: datetime.date,
    employer_ids: Sequence[int],
    workplace_ids: Sequence[int],
    job_categories: Sequence[str],
) -> QuerySet[Employment]:
    window = datetime.timedelta(days=NEAR_MISS_DAYS)
    current = Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gte=on))
    in_category = Q(job_category__in=list(job_categories)) if job_categories else None
    at_workplace = Q(workplace_id__in=list(workplace_ids)) if workplace_ids else None
    ranks = [
        When(
            _qualifies(
                on=on, workplace_ids=workplace_ids, job_categories=job_categories
            ),
            then=Value(QUALIFIES),
        )
    ]
    if in_category is not None:
        ranks.append(When(current & ~in_category, then=Value(WRONG_CATEGORY)))
    if at_workplace is not None:
        ranks.append(When(current, then=Value(WRONG_WORKPLACE)))
    ranks.append(When(ended_on__lt=on, then=Value(ENDED_BEFORE)))
    rank = Case(*ranks, default=Value(STARTS_AFTER), output_field=IntegerField())

    return (
        Employment.objects.filter(
            _at_employers(employer_ids), started_on__lte=on + window
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on - window))
        .exclude(membership__status=MembershipStatus.DECLINED)
        .exclude(
            membership__status__in=list(ENDED_STATUSES),
            membership__left_on__lt=on - window,
        )
        .annotate(
            x_rank=rank,
            x_row=Window(
                RowNumber(),
                partition_by=[F("membership_id")],
                order_by=[
                    F("x_rank").asc(),
                    F("hours").desc(nulls_last=True),
                    F("started_on").asc(),
                    F("id").asc(),
                ],
            ),
        )
        .filter(x_row=1)
    )


def _qualifies(
    *, on: datetime.date, workplace_ids: Sequence[int], job_categories: Sequence[str]
) -> Q:
    """A job that qualifies on ``on`` (at one of the constituency's employers): held
    that day, in a job category and at a workplace balloted if the ballot names
    some."""
    qualifies = Q(started_on__lte=on) & (Q(ended_on__isnull=True) | Q(ended_on__gte=on))
    if job_categories:
        qualifies &= Q(job_category__in=list(job_categories))
    if workplace_ids:
        qualifies &= Q(workplace_id__in=list(workplace_ids))
    return qualifies


def _at_employers(employer_ids: Sequence[int]) -> Q:
    """Jobs at the employers ``employer_ids``."""
    if len(employer_ids) * SCAN_ABOVE_SHARE > Employer.objects.count():
        # Most employers: reading every job in turn beats looking each employer's up
        # in the index and each job's row from there (SQLite, without statistics,
        # would take the index; see Unindexed).
        return Q(
            In(
                Unindexed(F("employer_id"), output_field=IntegerField()),
                list(employer_ids),
            )
        )
    return Q(employer_id__in=list(employer_ids))


def _reason(*, ballot: Ballot, on: datetime.date) -> Case:
    """The first reason that applies to a member's chosen job, or ""."""
    good = Q(
        Exists(memberships_in_good_standing(on=on).filter(pk=OuterRef("membership_id")))
    )
    whens = [
        When(x_rank=ENDED_BEFORE, then=Value(ExclusionReason.LEFT_EMPLOYER.value)),
        When(x_rank=STARTS_AFTER, then=Value(ExclusionReason.NOT_YET_STARTED.value)),
        When(
            ~good & Q(membership__status__in=list(ENDED_STATUSES)),
            then=Value(ExclusionReason.LEFT_UNION.value),
        ),
        When(~good, then=Value(ExclusionReason.NOT_MEMBER_ON_DATE.value)),
        When(x_rank=WRONG_CATEGORY, then=Value(ExclusionReason.JOB_CATEGORY.value)),
        When(x_rank=WRONG_WORKPLACE, then=Value(ExclusionReason.WORKPLACE.value)),
    ]
    if ballot.exclude_arrears:
        arrears_from = on - datetime.timedelta(days=ballot.arrears_grace_days)
        whens.append(
            When(
                Q(membership__arrears__gt=0)
                & (
                    Q(membership__arrears_since__isnull=True)
                    | Q(membership__arrears_since__lte=arrears_from)
                ),
                then=Value(ExclusionReason.IN_ARREARS.value),
            )
        )
    return Case(*whens, default=Value(""), output_field=CharField())


# The entry's columns: those the SELECT decides for each member, then those the same
# for every row (given as parameters), then ``included``, which follows the reason.
DECIDED = (
    "membership_id",
    "employment_id",
    "employer_id",
    "workplace_id",
    "job_category",
    "membership_status",
    "check_off",
    "reason",
)


def electorate_select(
    *,
    ballot: Ballot,
    on: datetime.date,
    employer_ids: Sequence[int],
    workplace_ids: Sequence[int],
    job_categories: Sequence[str],
) -> QuerySet[Employment, dict[str, Any]]:
    """One row a member considered, with the values of ``DECIDED`` (as
    ``x_<column>``). No constants: the window-function wrapper Django puts around
    the query merges equal expressions, so two columns both ``1`` would become one."""
    jobs = _ranked_jobs(
        ballot=ballot,
        on=on,
        employer_ids=employer_ids,
        workplace_ids=workplace_ids,
        job_categories=job_categories,
    )
    rows: QuerySet[Employment, dict[str, Any]] = (
        jobs.annotate(
            x_membership_id=F("membership_id"),
            x_employment_id=F("id"),
            x_employer_id=F("employer_id"),
            x_workplace_id=F("workplace_id"),
            x_job_category=F("job_category"),
            x_membership_status=F("membership__status"),
            x_check_off=Case(
                When(
                    membership__payment_method=PaymentMethod.PAYROLL, then=Value(True)
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
            x_reason=_reason(ballot=ballot, on=on),
        )
        .order_by()
        .values(*(f"x_{name}" for name in DECIDED))
    )
    return rows


def electorate_insert(
    *,
    ballot: Ballot,
    on: datetime.date,
    version: int,
    employer_ids: Sequence[int],
    workplace_ids: Sequence[int],
    job_categories: Sequence[str],
) -> int:
    """Write the electorate's entries in one ``INSERT ... SELECT``, then their
    other jobs in a second (``electorate_jobs_insert``); the number of entries
    written. Call inside the freeze's transaction."""
    rows = electorate_select(
        ballot=ballot,
        on=on,
        employer_ids=employer_ids,
        workplace_ids=workplace_ids,
        job_categories=job_categories,
    )
    quote = connection.ops.quote_name
    written = _insert_select(
        ElectorateEntry,
        rows,
        decided=DECIDED,
        constant={
            "ballot_id": ballot.pk,
            "version": version,
            "source": EntrySource.FROZEN.value,
            "added_reason": "",
            "left_reason": "",
        },
        computed={"included": "(" + quote("x_reason") + " = '')"},
    )
    electorate_jobs_insert(
        ballot=ballot,
        on=on,
        employer_ids=employer_ids,
        workplace_ids=workplace_ids,
        job_categories=job_categories,
    )
    return written


# The columns of a member's other jobs, all decided by the SELECT.
JOB_DECIDED = (
    "entry_id",
    "employment_id",
    "employer_id",
    "workplace_id",
    "job_category",
)


def electorate_jobs_select(
    *,
    ballot: Ballot,
    on: datetime.date,
    employer_ids: Sequence[int],
    workplace_ids: Sequence[int],
    job_categories: Sequence[str],
    membership_id: int | None = None,
) -> QuerySet[Employment, dict[str, Any]]:
    """The qualifying jobs of the electorate's members at the employers
    ``employer_ids`` other than the employer of their entry: one a member and
    employer (the most hours, then the earliest), with the values of ``JOB_DECIDED``
    (as ``x_<column>``). Read after the entries are written: each job is matched to
    its member's entry through the entries' index on (membership, ballot); the
    database looks the entry up again in the SELECT list only for the few jobs kept."""
    entry = (
        ElectorateEntry.objects.filter(
            ballot_id=ballot.pk, membership_id=OuterRef("membership_id"), reason=""
        )
        .exclude(employer_id=OuterRef("employer_id"))
        .order_by()
        .values("id")[:1]
    )
    qualifies = _qualifies(
        on=on, workplace_ids=workplace_ids, job_categories=job_categories
    )
    if membership_id is None:
        jobs = Employment.objects.filter(_at_employers(employer_ids), qualifies)
    else:
        jobs = Employment.objects.filter(
            qualifies, membership_id=membership_id, employer_id__in=list(employer_ids)
        )
    rows: QuerySet[Employment, dict[str, Any]] = (
        jobs.annotate(x_entry_id=Subquery(entry))
        .filter(x_entry_id__isnull=False)
        .annotate(
            x_row=Window(
                RowNumber(),
                partition_by=[F("membership_id"), F("employer_id")],
                order_by=[
                    F("hours").desc(nulls_last=True),
                    F("started_on").asc(),
                    F("id").asc(),
                ],
            ),
            x_employment_id=F("id"),
            x_employer_id=F("employer_id"),
            x_workplace_id=F("workplace_id"),
            x_job_category=F("job_category"),
        )
        .filter(x_row=1)
        .order_by()
        .values(*(f"x_{name}" for name in JOB_DECIDED))
    )
    return rows


def electorate_jobs_insert(
    *,
    ballot: Ballot,
    on: datetime.date,
    employer_ids: Sequence[int],
    workplace_ids: Sequence[int],
    job_categories: Sequence[str],
    membership_id: int | None = None,
) -> int:
    """Write the electorate's other jobs (``electorate_jobs_select``; of one
    member with ``membership_id``) in one ``INSERT ... SELECT``; the number
    written. The entries must be written first."""
    rows = electorate_jobs_select(
        ballot=ballot,
        on=on,
        employer_ids=employer_ids,
        workplace_ids=workplace_ids,
        job_categories=job_categories,
        membership_id=membership_id,
    )
    return _insert_select(
        ElectorateJob, rows, decided=JOB_DECIDED, constant={"ballot_id": ballot.pk}
    )


def _insert_select(
    model: type[models.Model],
    rows: QuerySet[Any, dict[str, Any]],
    *,
    decided: Sequence[str],
    constant: dict[str, Any],
    computed: dict[str, str] | None = None,
) -> int:
    """``INSERT INTO`` the table of ``model`` the rows of ``rows`` (their
    ``x_<name>`` for each of ``decided``), with ``constant`` values as parameters
    and ``computed`` columns as SQL over the rows; the number written."""
    sql, params = rows.query.sql_with_params()
    quote = connection.ops.quote_name
    computed = computed or {}
    columns = [*decided, *constant, *computed]
    select = [
        *(quote(f"x_{name}") for name in decided),
        *(["%s"] * len(constant)),
        *computed.values(),
    ]
    statement = "INSERT INTO {} ({}) SELECT {} FROM ({}) {}".format(  # noqa: S608 - names from the model; values are parameters
        quote(model._meta.db_table),
        ", ".join(quote(_column(model, name)) for name in columns),
        ", ".join(select),
        sql,
        quote("considered"),
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL would compile these statements' expressions to machine code
            # (JIT) on every freeze, for about a second each, and run them no faster.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(statement, [*constant.values(), *params])
        return int(cursor.rowcount)


def _column(model: type[models.Model], name: str) -> str:
    """The table column of ``model``'s field named ``name`` (``employer_id``: the
    foreign key ``employer``)."""
    field = model._meta.get_field(name.removesuffix("_id"))
    if not isinstance(field, models.Field):
        raise TypeError(name)
    return str(field.column)
