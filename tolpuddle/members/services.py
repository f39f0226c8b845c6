"""Every change to the register. Each service is atomic and writes the member's history.

Views, commands, tasks and the API call these; nothing else writes these tables
(the import writes in bulk through ``tolpuddle.members.importer`` for speed, with
the same validation and the same history rows).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tolpuddle.core.email import email_send
from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.members.models import (
    ENDED_STATUSES,
    AccessAction,
    Branch,
    Employer,
    EmployerSuccession,
    Employment,
    Membership,
    MembershipCategory,
    MembershipEvent,
    MembershipEventKind,
    MembershipNumberSequence,
    MembershipStatus,
    PaymentMethod,
    Person,
    PersonalDataAccess,
    Position,
    Role,
    RoleScope,
    Workplace,
    search_key,
)
from tolpuddle.members.normalise import (
    InvalidValueError,
    normalise_email,
    normalise_phone,
    normalise_postcode,
)

MEMBERSHIP_NUMBER_SEQUENCE = "membership"
FIRST_MEMBERSHIP_NUMBER = 100001


def _today() -> datetime.date:
    return timezone.localdate()


def membership_event_record(
    *,
    membership: Membership,
    kind: MembershipEventKind,
    actor: User | None,
    effective_on: datetime.date | None = None,
    status_from: str = "",
    status_to: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> MembershipEvent:
    """Append one entry to a member's history."""
    return MembershipEvent.objects.create(
        membership=membership,
        kind=kind,
        actor=actor,
        effective_on=effective_on or _today(),
        status_from=status_from,
        status_to=status_to,
        reason=reason,
        data=data or {},
    )


def _set_status(
    *,
    membership: Membership,
    status: MembershipStatus,
    kind: MembershipEventKind,
    actor: User | None,
    on: datetime.date,
    reason: str,
    data: dict[str, Any] | None = None,
) -> MembershipEvent:
    previous = membership.status
    membership.status = status
    if status in ENDED_STATUSES:
        membership.left_on = on
    elif status == MembershipStatus.ACTIVE:
        membership.left_on = None
    membership.save(update_fields=["status", "left_on", "joined_on", "updated_at"])
    return membership_event_record(
        membership=membership,
        kind=kind,
        actor=actor,
        effective_on=on,
        status_from=previous,
        status_to=status,
        reason=reason,
        data=data,
    )


def _require_status(
    membership: Membership, allowed: Iterable[str], action: str
) -> None:
    if membership.status not in allowed:
        raise ApplicationError(
            f"Cannot {action}: this membership is {membership.get_status_display().lower()}."
        )


def _clean_contact(
    *, email: str = "", phone: str = "", postcode: str = ""
) -> tuple[str, str, str]:
    try:
        return (
            normalise_email(email) if email.strip() else "",
            normalise_phone(phone) if phone.strip() else "",
            normalise_postcode(postcode) if postcode.strip() else "",
        )
    except InvalidValueError as error:
        raise ApplicationError(str(error)) from None


# --- Joining ---------------------------------------------------------------------


@transaction.atomic
def membership_apply(
    *,
    first_name: str,
    last_name: str,
    email: str,
    category: MembershipCategory = MembershipCategory.FULL,
    title: str = "",
    phone: str = "",
    address_line_1: str = "",
    address_line_2: str = "",
    town: str = "",
    postcode: str = "",
    date_of_birth: datetime.date | None = None,
    branch: Branch | None = None,
    employer: Employer | None = None,
    workplace: Workplace | None = None,
    job_category: str = "",
    hours: Decimal | None = None,
    pay_band: str = "",
    payment_method: PaymentMethod = PaymentMethod.NONE,
    applied_on: datetime.date | None = None,
    actor: User | None = None,
    employer_typed: str = "",
    workplace_typed: str = "",
) -> Membership:
    """Record an application to join. It has no membership number until approved.

    An applicant whose employer or workplace is not in the register types its
    name; that goes into the application's history for staff to match up."""
    if not first_name.strip() or not last_name.strip():
        raise ApplicationError("Give both a first name and a last name.")
    email, phone, postcode = _clean_contact(email=email, phone=phone, postcode=postcode)
    _refuse_duplicate_application(
        email=email,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        postcode=postcode,
    )
    if (
        workplace is not None
        and employer is not None
        and workplace.employer_id != employer.pk
    ):
        raise ApplicationError(
            f"{workplace.name} is not a workplace of {employer.name}."
        )
    applied_on = applied_on or _today()
    person = Person.objects.create(
        title=title.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        phone=phone,
        address_line_1=address_line_1.strip(),
        address_line_2=address_line_2.strip(),
        town=town.strip(),
        postcode=postcode,
        date_of_birth=date_of_birth,
    )
    membership = Membership.objects.create(
        person=person,
        category=category,
        status=MembershipStatus.APPLICANT,
        branch=branch,
        applied_on=applied_on,
        payment_method=payment_method,
    )
    membership_event_record(
        membership=membership,
        kind=MembershipEventKind.APPLIED,
        actor=actor,
        effective_on=applied_on,
        status_to=MembershipStatus.APPLICANT,
        data={
            key: value
            for key, value in (
                ("employer_typed", employer_typed.strip()),
                ("workplace_typed", workplace_typed.strip()),
                ("job_category", job_category.strip()),
                ("pay_band", pay_band.strip()),
            )
            if value
        },
    )
    employer = employer or (workplace.employer if workplace else None)
    if employer is not None:
        employment_start(
            membership=membership,
            employer=employer,
            workplace=workplace,
            job_category=job_category,
            hours=hours,
            pay_band=pay_band,
            started_on=applied_on,
            actor=actor,
        )
    return membership


CURRENT_STATUSES = (MembershipStatus.APPLICANT, MembershipStatus.ACTIVE)


def _refuse_duplicate_application(
    *,
    email: str,
    first_name: str,
    last_name: str,
    date_of_birth: datetime.date | None,
    postcode: str,
) -> None:
    """The same email address, or the same person (name with date of birth or with
    postcode), already a member or already applying: say so rather than add a second."""
    current = Membership.objects.filter(status__in=CURRENT_STATUSES)
    if email and current.filter(person__email=email).exists():
        raise ApplicationError(
            "There is already a membership or an application with this email address. "
            "If it is yours, sign in to see it, or ask the membership team."
        )
    same_name = current.filter(
        person__first_name_key=search_key(first_name),
        person__last_name_key=search_key(last_name),
    )
    same_person = Q()
    if date_of_birth is not None:
        same_person |= Q(person__date_of_birth=date_of_birth)
    if postcode:
        same_person |= Q(person__postcode=postcode)
    if same_person and same_name.filter(same_person).exists():
        raise ApplicationError(
            "Someone with this name and date of birth or postcode is already a member or "
            "applying. If it is you, ask the membership team rather than applying again."
        )


def _allocate_membership_number() -> str:
    """The next free number. The sequence row is locked until the caller's transaction
    ends, so two approvals at once queue rather than take the same number."""
    sequence, _created = (
        MembershipNumberSequence.objects.select_for_update().get_or_create(
            name=MEMBERSHIP_NUMBER_SEQUENCE,
            defaults={"last_value": FIRST_MEMBERSHIP_NUMBER - 1},
        )
    )
    candidate = sequence.last_value + 1
    while Membership.objects.filter(membership_number=str(candidate)).exists():
        candidate += 1
    sequence.last_value = candidate
    sequence.save(update_fields=["last_value"])
    return str(candidate)


def membership_number_sequence_raise_to(*, at_least: int) -> None:
    """After numbers arrive from outside (an import), move the sequence past them."""
    with transaction.atomic():
        sequence, _created = (
            MembershipNumberSequence.objects.select_for_update().get_or_create(
                name=MEMBERSHIP_NUMBER_SEQUENCE,
                defaults={"last_value": FIRST_MEMBERSHIP_NUMBER - 1},
            )
        )
        if at_least > sequence.last_value:
            sequence.last_value = at_least
            sequence.save(update_fields=["last_value"])


@transaction.atomic
def membership_approve(
    *, membership: Membership, actor: User | None, on: datetime.date | None = None
) -> Membership:
    """Admit an applicant: allocate the next membership number and make them active."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _require_status(membership, [MembershipStatus.APPLICANT], "approve the application")
    on = on or _today()
    membership.membership_number = _allocate_membership_number()
    membership.joined_on = on
    membership.save(update_fields=["membership_number", "joined_on", "updated_at"])
    _set_status(
        membership=membership,
        status=MembershipStatus.ACTIVE,
        kind=MembershipEventKind.APPROVED,
        actor=actor,
        on=on,
        reason="",
        data={"membership_number": membership.membership_number},
    )
    if membership.person.email:
        # The welcome email carries the link to choose a password: approval of an
        # online application is one of the two ways a sign-in is linked.
        sign_in_invite(membership=membership, actor=actor, template="welcome")
    return membership


@transaction.atomic
def membership_decline(
    *, membership: Membership, actor: User | None, reason: str
) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _require_status(membership, [MembershipStatus.APPLICANT], "decline the application")
    if not reason.strip():
        raise ApplicationError(
            "Say why the application is declined; the applicant is told."
        )
    _set_status(
        membership=membership,
        status=MembershipStatus.DECLINED,
        kind=MembershipEventKind.DECLINED,
        actor=actor,
        on=_today(),
        reason=reason.strip(),
    )
    if membership.person.email:
        email_send(
            to=membership.person.email,
            template="members/email/declined",
            context={"person": membership.person, "reason": reason.strip()},
        )
    return membership


@transaction.atomic
def membership_readmit(
    *,
    membership: Membership,
    actor: User | None,
    on: datetime.date | None = None,
    reason: str = "",
) -> Membership:
    """Take a former member back, keeping their number and their history."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _require_status(
        membership,
        [MembershipStatus.LAPSED, MembershipStatus.RESIGNED, MembershipStatus.EXPELLED],
        "readmit",
    )
    on = on or _today()
    if membership.left_on and on < membership.left_on:
        raise ApplicationError(
            f"Readmission cannot be dated before they left on {membership.left_on:%d/%m/%Y}."
        )
    membership.joined_on = on
    membership.arrears = Decimal("0.00")
    membership.arrears_since = None
    membership.readmitted = True
    membership.save(
        update_fields=[
            "joined_on",
            "arrears",
            "arrears_since",
            "readmitted",
            "updated_at",
        ]
    )
    _set_status(
        membership=membership,
        status=MembershipStatus.ACTIVE,
        kind=MembershipEventKind.READMITTED,
        actor=actor,
        on=on,
        reason=reason,
    )
    return membership


# --- Details -----------------------------------------------------------------------

PERSON_FIELDS = (
    "title",
    "first_name",
    "last_name",
    "email",
    "phone",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "date_of_birth",
)
MEMBERSHIP_FIELDS = ("category", "branch", "payment_method")


@transaction.atomic
def membership_change_details(
    *,
    membership: Membership,
    actor: User | None,
    reason: str = "",
    **changes: Any,
) -> Membership:
    """Change a member's personal details, category, branch or payment method.

    Only the fields given are touched; the history records each old and new value.
    """
    unknown = set(changes) - set(PERSON_FIELDS) - set(MEMBERSHIP_FIELDS)
    if unknown:
        raise ApplicationError(
            f"These cannot be changed here: {', '.join(sorted(unknown))}."
        )
    for name in ("email", "phone", "postcode"):
        if changes.get(name):
            cleaned = _clean_contact(**{name: str(changes[name])})
            changes[name] = cleaned[("email", "phone", "postcode").index(name)]
    for name in ("first_name", "last_name"):
        if name in changes and not str(changes[name]).strip():
            raise ApplicationError("A name cannot be left empty.")
    membership = (
        Membership.objects.select_related("person")
        .select_for_update()
        .get(pk=membership.pk)
    )
    person = membership.person
    diff: dict[str, list[Any]] = {}
    for name, given in changes.items():
        target: Person | Membership = person if name in PERSON_FIELDS else membership
        old = getattr(target, name)
        value = given.strip() if isinstance(given, str) else given
        if old != value:
            diff[name] = [history_value(old), history_value(value)]
            setattr(target, name, value)
    if not diff:
        return membership
    person_changed = [name for name in diff if name in PERSON_FIELDS]
    membership_changed = [name for name in diff if name in MEMBERSHIP_FIELDS]
    if person_changed:
        person.save(update_fields=[*person_changed, "updated_at"])
    if membership_changed:
        membership.save(update_fields=[*membership_changed, "updated_at"])
    membership_event_record(
        membership=membership,
        kind=MembershipEventKind.DETAILS_CHANGED,
        actor=actor,
        reason=reason,
        data={"changed": diff},
    )
    return membership


def history_value(value: Any) -> Any:
    """A value as the history's JSON records it: dates in ISO form, decimals as
    text, rows by id and name."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return {"id": value.pk, "name": str(value)}
    return value


# --- Jobs --------------------------------------------------------------------------


def _employment_data(employment: Employment) -> dict[str, Any]:
    return {
        "employment": employment.pk,
        "employer": employment.employer.name,
        "workplace": employment.workplace.name if employment.workplace else "",
        "job_category": employment.job_category,
        "hours": history_value(employment.hours),
        "pay_band": employment.pay_band,
        "started_on": employment.started_on.isoformat(),
    }


@transaction.atomic
def employment_start(
    *,
    membership: Membership,
    employer: Employer,
    started_on: datetime.date,
    actor: User | None,
    workplace: Workplace | None = None,
    job_category: str = "",
    hours: Decimal | None = None,
    pay_band: str = "",
) -> Employment:
    """Record a new job. A member may hold more than one at once."""
    if workplace is not None and workplace.employer_id != employer.pk:
        raise ApplicationError(
            f"{workplace.name} is not a workplace of {employer.name}."
        )
    if hours is not None and not (0 < hours <= 168):
        raise ApplicationError("Hours a week must be above 0 and at most 168.")
    employment = Employment.objects.create(
        membership=membership,
        employer=employer,
        workplace=workplace,
        job_category=job_category.strip(),
        hours=hours,
        pay_band=pay_band.strip(),
        started_on=started_on,
    )
    membership_event_record(
        membership=membership,
        kind=MembershipEventKind.EMPLOYMENT_STARTED,
        actor=actor,
        effective_on=started_on,
        data=_employment_data(employment),
    )
    return employment


@transaction.atomic
def employment_end(
    *,
    employment: Employment,
    ended_on: datetime.date,
    actor: User | None,
    reason: str = "",
) -> Employment:
    """Record the last day of a job."""
    employment = Employment.objects.select_for_update().get(pk=employment.pk)
    if employment.ended_on is not None:
        raise ApplicationError(
            f"This job already ended on {employment.ended_on:%d/%m/%Y}."
        )
    if ended_on < employment.started_on:
        raise ApplicationError(
            f"A job cannot end before it started ({employment.started_on:%d/%m/%Y})."
        )
    employment.ended_on = ended_on
    employment.save(update_fields=["ended_on", "updated_at"])
    membership_event_record(
        membership=employment.membership,
        kind=MembershipEventKind.EMPLOYMENT_ENDED,
        actor=actor,
        effective_on=ended_on,
        reason=reason,
        data=_employment_data(employment),
    )
    return employment


EMPLOYMENT_FIELDS = ("employer", "workplace", "job_category", "hours", "pay_band")


@transaction.atomic
def employment_change(
    *,
    employment: Employment,
    effective_on: datetime.date,
    actor: User | None,
    reason: str = "",
    **changes: Any,
) -> Employment:
    """Change a job from a date: the old record ends the day before and a new one starts,
    so that "where did they work, on what terms, on date D" stays answerable.
    A change dated on the job's first day corrects the record in place."""
    unknown = set(changes) - set(EMPLOYMENT_FIELDS)
    if unknown:
        raise ApplicationError(
            f"These cannot be changed here: {', '.join(sorted(unknown))}."
        )
    employment = (
        Employment.objects.select_related("membership", "employer", "workplace")
        # Lock only the job: PostgreSQL refuses FOR UPDATE across the outer join
        # to an empty workplace.
        .select_for_update(of=("self",))
        .get(pk=employment.pk)
    )
    if employment.ended_on is not None and effective_on > employment.ended_on:
        raise ApplicationError("This job has ended; start a new job instead.")
    if effective_on < employment.started_on:
        raise ApplicationError(
            f"The change cannot be dated before the job started ({employment.started_on:%d/%m/%Y})."
        )
    new_values = {name: getattr(employment, name) for name in EMPLOYMENT_FIELDS}
    new_values.update(changes)
    if "employer" in changes and "workplace" not in changes:
        new_values["workplace"] = None
    workplace = new_values["workplace"]
    if workplace is not None and workplace.employer_id != new_values["employer"].pk:
        raise ApplicationError(
            f"{workplace.name} is not a workplace of {new_values['employer'].name}."
        )
    diff = {
        name: [
            history_value(getattr(employment, name)),
            history_value(new_values[name]),
        ]
        for name in EMPLOYMENT_FIELDS
        if getattr(employment, name) != new_values[name]
    }
    if not diff:
        return employment
    if effective_on == employment.started_on:
        for name, value in new_values.items():
            setattr(employment, name, value)
        employment.save(update_fields=[*EMPLOYMENT_FIELDS, "updated_at"])
        current = employment
    else:
        old_end = employment.ended_on
        employment.ended_on = effective_on - datetime.timedelta(days=1)
        employment.save(update_fields=["ended_on", "updated_at"])
        current = Employment.objects.create(
            membership=employment.membership,
            started_on=effective_on,
            ended_on=old_end,
            **new_values,
        )
    membership_event_record(
        membership=employment.membership,
        kind=MembershipEventKind.EMPLOYMENT_CHANGED,
        actor=actor,
        effective_on=effective_on,
        reason=reason,
        data={"changed": diff, "employment": current.pk, "previous": employment.pk},
    )
    return current


# --- Leaving -----------------------------------------------------------------------


@transaction.atomic
def membership_record_arrears(
    *,
    membership: Membership,
    amount: Decimal,
    since: datetime.date | None,
    actor: User | None,
) -> Membership:
    """Set what a member owes (0 clears the arrears)."""
    if amount < 0:
        raise ApplicationError("Arrears cannot be negative.")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    old = membership.arrears
    membership.arrears = amount
    membership.arrears_since = (since or _today()) if amount > 0 else None
    membership.save(update_fields=["arrears", "arrears_since", "updated_at"])
    membership_event_record(
        membership=membership,
        kind=MembershipEventKind.ARREARS_RECORDED,
        actor=actor,
        data={"from": str(old), "to": str(amount)},
    )
    return membership


@transaction.atomic
def membership_lapse(
    *,
    membership: Membership,
    actor: User | None,
    on: datetime.date | None = None,
    reason: str = "",
) -> Membership:
    """Lapse a member for arrears."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _require_status(membership, [MembershipStatus.ACTIVE], "lapse this member")
    if membership.arrears <= 0:
        raise ApplicationError(
            "This member has no arrears; a member lapses only for arrears."
        )
    _set_status(
        membership=membership,
        status=MembershipStatus.LAPSED,
        kind=MembershipEventKind.LAPSED,
        actor=actor,
        on=on or _today(),
        reason=reason or f"Arrears of £{membership.arrears}",
        data={"arrears": str(membership.arrears)},
    )
    return membership


@transaction.atomic
def membership_request_resignation(
    *,
    membership: Membership,
    actor: User | None,
    leaving_on: datetime.date | None = None,
    reason: str = "",
) -> MembershipEvent:
    """A member asks to resign; staff confirm it with ``membership_resign``."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _require_status(membership, [MembershipStatus.ACTIVE], "ask to resign")
    leaving_on = leaving_on or _today()
    if leaving_on < _today():
        raise ApplicationError("The date you leave cannot be in the past.")
    pending = membership_resignation_pending(membership=membership)
    if pending is not None:
        raise ApplicationError(
            f"You asked to resign on {pending.created_at:%d/%m/%Y}; the membership "
            f"team will confirm it."
        )
    return membership_event_record(
        membership=membership,
        kind=MembershipEventKind.RESIGNATION_REQUESTED,
        actor=actor,
        effective_on=leaving_on,
        reason=reason.strip(),
    )


def membership_resignation_pending(*, membership: Membership) -> MembershipEvent | None:
    """The request to resign not yet followed by a change of status, if any."""
    latest = (
        MembershipEvent.objects.filter(membership=membership)
        .filter(Q(kind=MembershipEventKind.RESIGNATION_REQUESTED) | ~Q(status_to=""))
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is not None and latest.kind == MembershipEventKind.RESIGNATION_REQUESTED:
        return latest
    return None


@transaction.atomic
def membership_resign(
    *,
    membership: Membership,
    actor: User | None,
    on: datetime.date | None = None,
    reason: str = "",
) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _require_status(membership, [MembershipStatus.ACTIVE], "record a resignation")
    _set_status(
        membership=membership,
        status=MembershipStatus.RESIGNED,
        kind=MembershipEventKind.RESIGNED,
        actor=actor,
        on=on or _today(),
        reason=reason,
    )
    return membership


@transaction.atomic
def membership_record_death(
    *, membership: Membership, actor: User | None, on: datetime.date
) -> Membership:
    """Record that a member has died: their jobs and positions end that day."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status == MembershipStatus.DECEASED:
        raise ApplicationError("This member's death is already recorded.")
    if membership.status in (MembershipStatus.APPLICANT, MembershipStatus.DECLINED):
        raise ApplicationError(
            "This person was never admitted, so there is no membership to end; "
            "decline an open application instead."
        )
    if on > _today():
        raise ApplicationError("The date of death cannot be in the future.")
    for held in (Employment, Position):
        if held.objects.filter(
            membership=membership, ended_on__isnull=True, started_on__gt=on
        ).exists():
            raise ApplicationError(
                f"A job or position starts after {on:%d/%m/%Y}; correct it first."
            )
    Employment.objects.filter(membership=membership, ended_on__isnull=True).update(
        ended_on=on, updated_at=timezone.now()
    )
    Position.objects.filter(membership=membership, ended_on__isnull=True).update(
        ended_on=on, updated_at=timezone.now()
    )
    _set_status(
        membership=membership,
        status=MembershipStatus.DECEASED,
        kind=MembershipEventKind.DIED,
        actor=actor,
        on=on,
        reason="",
    )
    return membership


# --- Positions ---------------------------------------------------------------------


@transaction.atomic
def position_start(
    *,
    membership: Membership,
    role: Role,
    started_on: datetime.date,
    actor: User | None,
    branch: Branch | None = None,
    workplace: Workplace | None = None,
    ended_on: datetime.date | None = None,
) -> Position:
    """A member takes up a role for a term. A branch role is held in a branch, a
    workplace role at a workplace, a national role in neither; nobody holds the same
    role in the same place twice over the same days."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != MembershipStatus.ACTIVE:
        raise ApplicationError("Only a member in good standing can hold a position.")
    if ended_on is not None and ended_on < started_on:
        raise ApplicationError("A term cannot end before it starts.")
    _check_position_place(role=role, branch=branch, workplace=workplace)
    overlapping = (
        Position.objects.filter(
            membership=membership, role=role, branch=branch, workplace=workplace
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=started_on))
        .order_by("started_on")
    )
    if ended_on is not None:
        overlapping = overlapping.filter(started_on__lte=ended_on)
    clash = overlapping.first()
    if clash is not None:
        until = (
            f" until {clash.ended_on:%d/%m/%Y}"
            if clash.ended_on
            else " with no end date"
        )
        raise ApplicationError(
            f"They already hold this role there, from {clash.started_on:%d/%m/%Y}"
            f"{until}. End that term first, or start this one after it."
        )
    position = Position.objects.create(
        membership=membership,
        role=role,
        branch=branch,
        workplace=workplace,
        started_on=started_on,
        ended_on=ended_on,
    )
    membership_event_record(
        membership=membership,
        kind=MembershipEventKind.POSITION_STARTED,
        actor=actor,
        effective_on=started_on,
        data={"position": position.pk, "role": role.name},
    )
    return position


# --- Bulk transfer ----------------------------------------------------------------


@dataclass(frozen=True)
class TransferMove:
    employment_id: int
    membership_id: int
    membership_number: str | None
    name: str
    from_workplace: str
    to_workplace: str
    job_category: str


@dataclass
class TransferResult:
    from_employer: str
    to_employer: str
    on: datetime.date
    dry_run: bool
    moves: list[TransferMove] = field(default_factory=list)
    created_workplaces: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.moves)


TRANSFER_BATCH = 2000


@transaction.atomic
def employer_bulk_transfer(  # noqa: PLR0912 - checks, then one pass over the jobs
    *,
    from_employer: Employer,
    to_employer: Employer,
    on: datetime.date,
    actor: User | None,
    workplaces: Sequence[Workplace] = (),
    job_categories: Sequence[str] = (),
    workplace_map: dict[int, Workplace] | None = None,
    dry_run: bool = False,
    reason: str = "",
) -> TransferResult:
    """Move everyone employed by ``from_employer`` on the day before ``on`` (optionally
    only at some workplaces, or in some job categories) to ``to_employer`` from ``on``.

    Each old job ends the day before; the new one keeps the job category, hours, pay
    band and any later end date already set. A workplace goes where ``workplace_map``
    says, else to the new employer's workplace of the same name, which is created
    (same address) if need be.
    The dry run answers who would move, writing nothing.
    """
    if from_employer.pk == to_employer.pk:
        raise ApplicationError("Choose a different employer to transfer to.")
    for workplace in workplaces:
        if workplace.employer_id != from_employer.pk:
            raise ApplicationError(
                f"{workplace.name} is not a workplace of {from_employer.name}."
            )
    workplace_map = dict(workplace_map or {})
    for mapped in workplace_map.values():
        if mapped.employer_id != to_employer.pk:
            raise ApplicationError(
                f"{mapped.name} is not a workplace of {to_employer.name}."
            )
    day_before = on - datetime.timedelta(days=1)
    employments = (
        Employment.objects.current_on(day_before)
        .filter(employer=from_employer)
        # A job due to end after the transfer moves too (keeping its end date); one
        # whose last day is the day before is ending anyway.
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .select_related("workplace", "membership__person")
        .order_by("id")
    )
    if workplaces:
        employments = employments.filter(workplace__in=list(workplaces))
    if job_categories:
        employments = employments.filter(job_category__in=list(job_categories))
    result = TransferResult(
        from_employer=from_employer.name,
        to_employer=to_employer.name,
        on=on,
        dry_run=dry_run,
    )
    existing = {w.name: w for w in Workplace.objects.filter(employer=to_employer)}
    rows = list(employments)
    for employment in rows:
        old_workplace = employment.workplace
        target_name = ""
        if old_workplace is not None:
            target = workplace_map.get(old_workplace.pk) or existing.get(
                old_workplace.name
            )
            target_name = target.name if target else old_workplace.name
            if target is None:
                result.created_workplaces.append(old_workplace.name)
                if not dry_run:
                    target = Workplace.objects.create(
                        employer=to_employer,
                        name=old_workplace.name,
                        address_line_1=old_workplace.address_line_1,
                        address_line_2=old_workplace.address_line_2,
                        town=old_workplace.town,
                        postcode=old_workplace.postcode,
                    )
                else:
                    target = old_workplace  # placeholder; nothing is written
                existing[old_workplace.name] = target
            workplace_map[old_workplace.pk] = target
        result.moves.append(
            TransferMove(
                employment_id=employment.pk,
                membership_id=employment.membership_id,
                membership_number=employment.membership.membership_number,
                name=str(employment.membership.person),
                from_workplace=old_workplace.name if old_workplace else "",
                to_workplace=target_name,
                job_category=employment.job_category,
            )
        )
    if dry_run or not rows:
        return result
    if any(e.started_on > day_before for e in rows):
        raise ApplicationError(
            "Some of these jobs start on or after the transfer date; move the date or those jobs."
        )
    now = timezone.now()
    ids = [e.pk for e in rows]
    for start in range(0, len(ids), TRANSFER_BATCH):
        Employment.objects.filter(pk__in=ids[start : start + TRANSFER_BATCH]).update(
            ended_on=day_before, updated_at=now
        )
    new_jobs = Employment.objects.bulk_create(
        [
            Employment(
                membership_id=e.membership_id,
                employer=to_employer,
                workplace=workplace_map.get(e.workplace_id) if e.workplace_id else None,
                job_category=e.job_category,
                hours=e.hours,
                pay_band=e.pay_band,
                started_on=on,
                ended_on=e.ended_on,
            )
            for e in rows
        ],
        batch_size=TRANSFER_BATCH,
    )
    MembershipEvent.objects.bulk_create(
        [
            MembershipEvent(
                membership_id=old.membership_id,
                kind=MembershipEventKind.TRANSFERRED,
                actor=actor,
                effective_on=on,
                reason=reason,
                data={
                    "from_employer": from_employer.name,
                    "to_employer": to_employer.name,
                    "previous": old.pk,
                    "employment": new.pk,
                    "from_workplace": old.workplace.name if old.workplace else "",
                    "to_workplace": move.to_workplace,
                },
            )
            for old, new, move in zip(rows, new_jobs, result.moves, strict=True)
        ],
        batch_size=TRANSFER_BATCH,
    )
    EmployerSuccession.objects.get_or_create(
        predecessor=from_employer,
        successor=to_employer,
        defaults={"on": on, "note": reason},
    )
    return result


# --- The access log --------------------------------------------------------------


@transaction.atomic
def personal_data_access_record(
    *,
    user: User,
    action: AccessAction,
    membership: Membership | None = None,
    detail: dict[str, Any] | None = None,
) -> PersonalDataAccess | None:
    """Record that ``user`` looked at ``membership``'s record (or exported a list,
    with no membership). A member looking at their own record is not recorded."""
    if membership is not None and (
        Person.objects.filter(pk=membership.person_id, user_id=user.pk).exists()
    ):
        return None
    return PersonalDataAccess.objects.create(
        user=user, membership=membership, action=action, detail=detail or {}
    )


def personal_data_list_record(
    *, user: User, list_name: str, page: int, filters: dict[str, str], rows: int
) -> PersonalDataAccess | None:
    """Record that ``user`` saw a page of a list of members (``rows`` of them, with
    the ``filters`` as typed): one entry for the page. A page showing nobody shows
    nobody's data, so it is not recorded."""
    if not rows:
        return None
    return personal_data_access_record(
        user=user,
        action=AccessAction.VIEWED,
        detail={"list": list_name, "page": page, "filters": filters, "rows": rows},
    )


# Sign-ins ----------------------------------------------------------------------

INVITABLE_STATUSES = (MembershipStatus.ACTIVE,)


def _username_for(email: str) -> str:
    """Sign-in is by email; Django still wants a unique username, so use the email."""
    base = email[:140]
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}~{n}"
    return candidate


def _set_password_url(user: User) -> str:
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return _site_url(path)


def _site_url(path: str) -> str:
    site: str = settings.TOLPUDDLE_SITE_URL
    return site.rstrip("/") + path


@transaction.atomic
def sign_in_invite(
    *, membership: Membership, actor: User | None, template: str = "invitation"
) -> User:
    """Link a sign-in to this member (making one if they have none) and email them a
    link to choose their password. The link works once, for the password-reset
    timeout (three days); after that "Forgotten your password?" sends another."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("person", "person__user")
        .get(pk=membership.pk)
    )
    person = membership.person
    if membership.status not in INVITABLE_STATUSES:
        raise ApplicationError(
            "Only members in membership can be invited to sign in; this one is "
            f"{membership.get_status_display().lower()}."
        )
    if not person.email:
        raise ApplicationError(
            "There is no email address for this member: add one, then invite them."
        )
    user = person.user
    if user is None:
        user = User.objects.filter(email__iexact=person.email).first()
        if user is not None and Person.objects.filter(user=user).exists():
            raise ApplicationError(
                f"{person.email} is already the sign-in of another person in the "
                "register. Correct one of the two email addresses first."
            )
        if user is None:
            user = User(
                username=_username_for(person.email),
                email=person.email,
                first_name=person.first_name[:150],
                last_name=person.last_name[:150],
            )
            user.set_unusable_password()
            user.save()
        person.user = user
        person.save(update_fields=["user", "updated_at"])
    EmailAddress.objects.get_or_create(
        user=user,
        email__iexact=user.email,
        defaults={"email": user.email, "primary": True, "verified": False},
    )
    membership_event_record(
        membership=membership,
        kind=MembershipEventKind.SIGN_IN_INVITED,
        actor=actor,
        data={"email": user.email},
    )
    email_send(
        to=user.email,
        template=f"members/email/{template}",
        context={
            "person": person,
            "membership": membership,
            "has_password": user.has_usable_password(),
            "set_password_url": _set_password_url(user),
            "sign_in_url": _site_url(reverse("login")),
        },
    )
    return user


@transaction.atomic
def sign_in_link_by_verified_email(*, user: User, email: str) -> Membership | None:
    """Someone proved they read ``email`` (allauth verified it). If exactly one
    person in membership has that address and no sign-in, their record is linked to
    this sign-in: the same proof an invitation email gives. Otherwise nothing."""
    if Person.objects.filter(user=user).exists():
        return None
    candidates = list(
        Membership.objects.select_for_update()
        .select_related("person")
        .filter(
            person__email=normalise_email(email),
            person__user__isnull=True,
            status__in=INVITABLE_STATUSES,
        )[:2]
    )
    if len(candidates) != 1:
        return None
    membership = candidates[0]
    membership.person.user = user
    membership.person.save(update_fields=["user", "updated_at"])
    membership_event_record(
        membership=membership,
        kind=MembershipEventKind.SIGN_IN_LINKED,
        actor=user,
        data={"email": normalise_email(email), "how": "verified email"},
    )
    return membership


# --- Positions: helpers and ending a term -------------------------------------------


def _check_position_place(
    *, role: Role, branch: Branch | None, workplace: Workplace | None
) -> None:
    """A role is held where its scope says: a branch, a workplace, or nationally."""
    if role.scope == RoleScope.BRANCH and (branch is None or workplace is not None):
        raise ApplicationError(
            f"{role.name} is a branch role: choose the branch it is held in, "
            "and no workplace."
        )
    if role.scope == RoleScope.WORKPLACE and (workplace is None or branch is not None):
        raise ApplicationError(
            f"{role.name} is a workplace role: choose the workplace it is held at, "
            "and no branch."
        )
    if role.scope == RoleScope.NATIONAL and (
        branch is not None or workplace is not None
    ):
        raise ApplicationError(
            f"{role.name} is a national role: it is held in no branch or workplace."
        )


@transaction.atomic
def position_end(
    *,
    position: Position,
    ended_on: datetime.date,
    actor: User | None,
    reason: str = "",
) -> Position:
    """Record the last day of a term. A term already over cannot be ended again; a
    term with an end date still to come can be ended earlier, not later."""
    position = (
        Position.objects.select_related("role")
        .select_for_update(of=("self",))
        .get(pk=position.pk)
    )
    if position.ended_on is not None and position.ended_on < _today():
        raise ApplicationError(
            f"This position already ended on {position.ended_on:%d/%m/%Y}."
        )
    if ended_on < position.started_on:
        raise ApplicationError(
            f"A term cannot end before it started ({position.started_on:%d/%m/%Y})."
        )
    if position.ended_on is not None and ended_on > position.ended_on:
        raise ApplicationError(
            f"This term already ends on {position.ended_on:%d/%m/%Y}; it can be "
            "ended earlier, not later."
        )
    position.ended_on = ended_on
    position.save(update_fields=["ended_on", "updated_at"])
    membership_event_record(
        membership=position.membership,
        kind=MembershipEventKind.POSITION_ENDED,
        actor=actor,
        effective_on=ended_on,
        reason=reason.strip(),
        data={"position": position.pk, "role": position.role.name},
    )
    return position
