"""Factories for the register. Defaults are valid; a test sets only what it is about.

Members made here carry the history the import would have written (an "imported"
entry when they joined and, for a former member, another when they left), so the
selectors that read the history answer for them as they would for real members.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory

from tolpuddle.core.models import User
from tolpuddle.members.models import (
    ENDED_STATUSES,
    Branch,
    Employer,
    EmployerType,
    Employment,
    Membership,
    MembershipCategory,
    MembershipEvent,
    MembershipEventKind,
    MembershipStatus,
    Nation,
    PaymentMethod,
    Person,
    Region,
    Workplace,
)

JOINED_ON = datetime.date(2020, 1, 6)
LEFT_ON = datetime.date(2024, 3, 31)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("correct horse battery staple")


class NationFactory(factory.django.DjangoModelFactory):
    """Nations are reference data (loaded by a migration): fetched, not duplicated."""

    class Meta:
        model = Nation
        django_get_or_create = ("code",)

    code = "ENG"
    name = "England"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")
    nation = factory.SubFactory(NationFactory)


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    name = factory.Sequence(lambda n: f"Branch {n}")
    region = factory.SubFactory(RegionFactory)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Employer {n}")
    type = EmployerType.PUBLIC
    nation = factory.SubFactory(NationFactory)


class WorkplaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workplace

    employer = factory.SubFactory(EmployerFactory)
    name = factory.Sequence(lambda n: f"Workplace {n}")
    address_line_1 = factory.Faker("street_address", locale="en_GB")
    town = factory.Faker("city", locale="en_GB")
    postcode = "SE1 7TP"


class PersonFactory(factory.django.DjangoModelFactory):
    """Saved through ``Person.save()``, which sets the search keys."""

    class Meta:
        model = Person

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    postcode = "M1 1AE"


class MembershipFactory(factory.django.DjangoModelFactory):
    """An active member by default. Traits: ``applicant``, ``declined``, ``lapsed``,
    ``resigned``, ``deceased``, ``expelled``; ``history=False`` writes no history."""

    class Meta:
        model = Membership
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    membership_number: Any = factory.Sequence(lambda n: str(900001 + n))
    category = MembershipCategory.FULL
    status = MembershipStatus.ACTIVE
    branch = factory.SubFactory(BranchFactory)
    applied_on = factory.LazyAttribute(lambda o: o.joined_on or JOINED_ON)
    joined_on: Any = JOINED_ON
    left_on: Any = None
    payment_method = PaymentMethod.DIRECT_DEBIT

    class Params:
        applicant = factory.Trait(
            status=MembershipStatus.APPLICANT, membership_number=None, joined_on=None
        )
        declined = factory.Trait(
            status=MembershipStatus.DECLINED, membership_number=None, joined_on=None
        )
        lapsed = factory.Trait(
            status=MembershipStatus.LAPSED,
            left_on=LEFT_ON,
            arrears=Decimal("36.00"),
            arrears_since=datetime.date(2023, 12, 1),
        )
        resigned = factory.Trait(status=MembershipStatus.RESIGNED, left_on=LEFT_ON)
        deceased = factory.Trait(status=MembershipStatus.DECEASED, left_on=LEFT_ON)
        expelled = factory.Trait(status=MembershipStatus.EXPELLED, left_on=LEFT_ON)

    @factory.post_generation
    def history(obj: Membership, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805 - factory_boy passes the object first
        if not create or extracted is False:
            return
        imported = MembershipEventKind.IMPORTED
        if obj.status in (MembershipStatus.APPLICANT, MembershipStatus.DECLINED):
            MembershipEvent.objects.create(
                membership=obj,
                kind=imported,
                effective_on=obj.applied_on or JOINED_ON,
                status_to=obj.status,
            )
            return
        MembershipEvent.objects.create(
            membership=obj,
            kind=imported,
            effective_on=obj.joined_on or JOINED_ON,
            status_to=MembershipStatus.ACTIVE,
        )
        if obj.status in ENDED_STATUSES:
            MembershipEvent.objects.create(
                membership=obj,
                kind=imported,
                effective_on=obj.left_on or LEFT_ON,
                status_from=MembershipStatus.ACTIVE,
                status_to=obj.status,
            )


class EmploymentFactory(factory.django.DjangoModelFactory):
    """A current job. The employer follows the workplace; for a job with no workplace
    pass ``workplace=None`` (and ``employer=`` if it matters)."""

    class Meta:
        model = Employment

    membership = factory.SubFactory(MembershipFactory)
    employer = factory.LazyAttribute(
        lambda o: o.workplace.employer if o.workplace else EmployerFactory()
    )
    workplace = factory.SubFactory(WorkplaceFactory)
    job_category = "Nurse"
    hours = Decimal("37.50")
    pay_band = "Band 5"
    started_on = JOINED_ON
    ended_on: Any = None

    class Params:
        ended = factory.Trait(ended_on=datetime.date(2022, 12, 31))

    @classmethod
    def _create(
        cls, model_class: type[Employment], *args: Any, **kwargs: Any
    ) -> Employment:
        workplace, employer = kwargs.get("workplace"), kwargs["employer"]
        if workplace is not None and workplace.employer_id != employer.pk:
            raise ValueError(
                "EmploymentFactory: the workplace belongs to another employer."
            )
        return super()._create(model_class, *args, **kwargs)
