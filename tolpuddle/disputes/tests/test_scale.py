"""The freeze at scale: a register written in bulk, frozen across every employer.

By default a register of 20,000 members; ``TOLPUDDLE_FREEZE_MEMBERS=500000`` runs
it at the size the freeze is built for (500,000 members, 200 employers, 2,000
workplaces). Either way the freeze must keep Python's memory flat: no member passes
through Python. How long it takes is measured by ``bench/ballots.py`` (``make
bench``), not asserted here.
"""

from __future__ import annotations

import datetime
import os
import random
import resource
import time
import tracemalloc
from decimal import Decimal

import pytest
from django.db import transaction

from tolpuddle.core.bulk import bulk_insert, reserve_ids
from tolpuddle.disputes import selectors, services
from tolpuddle.disputes.models import ElectorateEntry, ElectorateJob
from tolpuddle.disputes.tests.factories import DisputeFactory, statutory_ballot
from tolpuddle.members.models import Employer, Employment, Membership, Person, Workplace

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MEMBERS = int(os.environ.get("TOLPUDDLE_FREEZE_MEMBERS", "20000"))
EMPLOYERS = 200
WORKPLACES = 2000
ON = datetime.date(2026, 11, 20)
BATCH = 20_000
CATEGORIES = ("Probation officer", "Probation service officer", "Administrator", "")


def scale_register(count: int) -> list[Employer]:
    """``count`` members over ``EMPLOYERS`` employers and ``WORKPLACES`` workplaces:
    most active with one job; some lapsed lately, some long gone, some in arrears,
    some who left their employer or start after the freeze date, some with two jobs."""
    employers = Employer.objects.bulk_create(
        Employer(name=f"Employer {i:03}") for i in range(EMPLOYERS)
    )
    workplaces = Workplace.objects.bulk_create(
        Workplace(employer=employers[i % EMPLOYERS], name=f"Office {i:04}")
        for i in range(WORKPLACES)
    )
    joined = datetime.date(2015, 4, 1)
    chance = random.Random(1834)  # where each member works: not tied to their number
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        with transaction.atomic():
            people = reserve_ids(Person, size)
            bulk_insert(
                Person,
                [
                    "title",
                    "first_name",
                    "last_name",
                    "email",
                    "phone",
                    "address_line_1",
                    "address_line_2",
                    "town",
                    "postcode",
                    "first_name_key",
                    "last_name_key",
                ],
                [
                    ("", "Member", f"N{n}", "", "", "", "", "", "", "member", f"n{n}")
                    for n in range(start, start + size)
                ],
                ids=people,
            )
            members = reserve_ids(Membership, size)
            rows = []
            for n, person in zip(range(start, start + size), people, strict=True):
                status, left_on, arrears, since = "active", None, Decimal(0), None
                if n % 20 == 1:
                    status, left_on = "lapsed", ON - datetime.timedelta(days=n % 80)
                elif n % 50 == 2:
                    status, left_on = "resigned", datetime.date(2019, 1, 31)
                elif n % 33 == 3:
                    arrears, since = Decimal("24.00"), ON - datetime.timedelta(days=45)
                rows.append(
                    (
                        person,
                        str(1_000_000 + n),
                        "full",
                        status,
                        joined,
                        joined,
                        left_on,
                        "payroll" if n % 3 == 0 else "direct_debit",
                        arrears,
                        since,
                        False,
                    )
                )
            bulk_insert(
                Membership,
                [
                    "person_id",
                    "membership_number",
                    "category",
                    "status",
                    "applied_on",
                    "joined_on",
                    "left_on",
                    "payment_method",
                    "arrears",
                    "arrears_since",
                    "readmitted",
                ],
                rows,
                ids=members,
            )
            jobs = []
            for n, member in zip(range(start, start + size), members, strict=True):
                workplace = chance.choice(workplaces)
                started, ended = joined, None
                if n % 40 == 5:
                    ended = ON - datetime.timedelta(days=1 + n % 60)
                elif n % 45 == 6:
                    started = ON + datetime.timedelta(days=1 + n % 60)
                jobs.append(
                    (
                        member,
                        workplace.employer_id,
                        workplace.pk,
                        CATEGORIES[n % 4],
                        Decimal("37.00"),
                        "",
                        started,
                        ended,
                    )
                )
                if n % 25 == 7:  # a second, smaller job elsewhere
                    other = chance.choice(workplaces)
                    jobs.append(
                        (
                            member,
                            other.employer_id,
                            other.pk,
                            CATEGORIES[0],
                            Decimal("8.00"),
                            "",
                            joined,
                            None,
                        )
                    )
            bulk_insert(
                Employment,
                [
                    "membership_id",
                    "employer_id",
                    "workplace_id",
                    "job_category",
                    "hours",
                    "pay_band",
                    "started_on",
                    "ended_on",
                ],
                jobs,
            )
    return employers


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_large_register_freezes_quickly_in_flat_memory() -> None:
    employers = scale_register(MEMBERS)
    dispute = DisputeFactory(employers=employers)
    ballot = statutory_ballot(dispute=dispute, employers=employers)
    rss_before = _peak_rss_mb()

    tracemalloc.start()
    started = time.perf_counter()
    summary = services.ballot_electorate_freeze(ballot=ballot, on=ON, by=None)
    frozen_in = time.perf_counter() - started
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    started = time.perf_counter()
    services.ballot_electorate_freeze(ballot=ballot, on=ON, by=None)
    refrozen_in = time.perf_counter() - started
    started = time.perf_counter()
    notices = services.ballot_notices_prepare(ballot=ballot, by=None)
    notices_in = time.perf_counter() - started

    # Members with a qualifying job at a second employer are counted by both.
    other_jobs = ElectorateJob.objects.filter(ballot=ballot).count()
    print(  # noqa: T201 - the measurement is the point of the test
        f"\nfreeze of {MEMBERS:,} members, {EMPLOYERS} employers, {WORKPLACES:,} "
        f"workplaces: {frozen_in:.2f} s (again: {refrozen_in:.2f} s); "
        f"{summary.included:,} included, {sum(summary.excluded.values()):,} excluded "
        f"{summary.excluded}; {other_jobs:,} jobs at a second employer; "
        f"Python peak {python_peak / 2**20:.1f} MB; "
        f"peak RSS {rss_before:.0f} -> {_peak_rss_mb():.0f} MB; "
        f"{len(notices)} notices in {notices_in:.2f} s"
    )
    assert ElectorateEntry.objects.filter(ballot=ballot).count() == summary.considered
    assert summary.considered <= MEMBERS
    assert summary.included == selectors.electorate_size(ballot=ballot) > 0
    assert other_jobs > 0
    assert sum(n.content["total"] for n in notices) == summary.included + other_jobs
    # Flat: what Python allocates does not grow with the register.
    assert python_peak < 5 * 2**20
