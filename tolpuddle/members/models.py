"""The membership register: people, memberships, where they work, how the union organises."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tolpuddle.core.models import AppendOnlyModel, TimeStampedModel


class BytewiseCharField(models.CharField):  # type: ignore[type-arg]
    """Text compared byte by byte on every database (PostgreSQL's "C" collation, which
    SQLite does anyway), so that a prefix search is an index range and the index
    also gives the order. For keys already folded to lower case: the order of
    accented letters is not the dictionary's."""

    def db_parameters(self, connection: BaseDatabaseWrapper) -> dict[str, Any]:
        parameters = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            parameters["collation"] = "C"
        return parameters


def search_key(value: str) -> str:
    """The form of a name that search compares: lower case, single spaces."""
    return " ".join(value.lower().split())


# --- How the union organises ------------------------------------------------------


class Nation(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(_("code"), max_length=3, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Region(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="regions")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Branch(TimeStampedModel):
    name = models.CharField(_("name"), max_length=150, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="branches", null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "branches"

    def __str__(self) -> str:
        return self.name


# --- Who employs members, and where -----------------------------------------------


class EmployerType(models.TextChoices):
    PUBLIC = "public", _("Public body")
    CIVIL_SERVICE = "civil_service", _("Civil service")
    PRIVATE = "private", _("Private company")
    VOLUNTARY = "voluntary", _("Voluntary or charitable body")
    OTHER = "other", _("Other")


class Employer(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    type = models.CharField(
        _("type"),
        max_length=20,
        choices=EmployerType.choices,
        default=EmployerType.OTHER,
    )
    nation = models.ForeignKey(
        Nation,
        on_delete=models.PROTECT,
        related_name="employers",
        null=True,
        blank=True,
    )
    existed_from = models.DateField(_("existed from"), null=True, blank=True)
    existed_until = models.DateField(_("existed until"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        through="EmployerSuccession",
        through_fields=("predecessor", "successor"),
        symmetrical=False,
        related_name="predecessors",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EmployerSuccession(TimeStampedModel):
    """``predecessor``'s work (some or all of it) passed to ``successor`` on ``on``."""

    predecessor = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="succeeded_by"
    )
    successor = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="succeeded_from"
    )
    on = models.DateField(_("on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["on", "predecessor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="employer_succession_unique"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")),
                name="employer_succession_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.on:%d/%m/%Y})"


class Workplace(TimeStampedModel):
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="workplaces"
    )
    name = models.CharField(_("name"), max_length=200)
    address_line_1 = models.CharField(_("address line 1"), max_length=200, blank=True)
    address_line_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)

    class Meta:
        ordering = ["employer__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "name"], name="workplace_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.employer})"


# --- People and their membership ---------------------------------------------------


class Person(TimeStampedModel):
    """A human being, member or not. Names, contact details and address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    title = models.CharField(_("title"), max_length=30, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(
        _("email"), blank=True, help_text=_("Stored in lower case.")
    )
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, help_text=_("E.164 form")
    )
    address_line_1 = models.CharField(_("address line 1"), max_length=200, blank=True)
    address_line_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    postcode = BytewiseCharField(_("postcode"), max_length=10, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # Lower-cased copies for indexed prefix search on any database.
    first_name_key = BytewiseCharField(max_length=100, editable=False, default="")
    last_name_key = BytewiseCharField(max_length=100, editable=False, default="")

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        indexes = [
            # Byte-wise keys (BytewiseCharField): a prefix is a range on this index,
            # which also gives the order, on SQLite and PostgreSQL alike.
            models.Index(
                fields=["last_name_key", "first_name_key"],
                name="person_name_key",
                # PostgreSQL: the id too, so a name search joins to memberships from
                # the index alone (SQLite's indexes carry the row id anyway).
                include=["id"],
            ),
            models.Index(fields=["email"], name="person_email"),
            models.Index(fields=["postcode"], name="person_postcode"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.set_search_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(
            update_fields
        ):
            kwargs["update_fields"] = {
                *update_fields,
                "first_name_key",
                "last_name_key",
            }
        super().save(*args, **kwargs)

    def set_search_keys(self) -> None:
        self.first_name_key = search_key(self.first_name)
        self.last_name_key = search_key(self.last_name)


class MembershipCategory(models.TextChoices):
    FULL = "full", _("Full")
    STUDENT = "student", _("Student")
    RETIRED = "retired", _("Retired")
    ASSOCIATE = "associate", _("Associate")
    HONORARY = "honorary", _("Honorary")


class MembershipStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVE = "active", _("Active")
    LAPSED = "lapsed", _("Lapsed")
    RESIGNED = "resigned", _("Resigned")
    DECEASED = "deceased", _("Deceased")
    EXPELLED = "expelled", _("Expelled")
    DECLINED = "declined", _("Application declined")


# Statuses in which a person has left (or never became) a member.
ENDED_STATUSES = frozenset(
    {
        MembershipStatus.LAPSED,
        MembershipStatus.RESIGNED,
        MembershipStatus.DECEASED,
        MembershipStatus.EXPELLED,
    }
)


class PaymentMethod(models.TextChoices):
    DIRECT_DEBIT = "direct_debit", _("Direct Debit")
    PAYROLL = "payroll", _("Payroll deduction")
    CARD = "card", _("Card")
    CHEQUE = "cheque", _("Cheque")
    NONE = "none", _("None")


class MembershipQuerySet(models.QuerySet["Membership"]):
    def in_good_standing(self) -> MembershipQuerySet:
        """Active members, whatever their arrears: the rules lapse members, not this."""
        return self.filter(status=MembershipStatus.ACTIVE)

    def in_branch(self, branch_id: int) -> MembershipQuerySet:
        return self.filter(branch_id=branch_id)


class Membership(TimeStampedModel):
    """A person's membership of the union: number, category, status, branch."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="membership"
    )
    membership_number = models.CharField(
        _("membership number"), max_length=20, unique=True, null=True, blank=True
    )
    category = models.CharField(
        _("category"),
        max_length=20,
        choices=MembershipCategory.choices,
        default=MembershipCategory.FULL,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.APPLICANT,
    )
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="memberships",
        null=True,
        blank=True,
        db_index=False,  # the (branch, status) index serves
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    payment_method = models.CharField(
        _("payment method"),
        max_length=20,
        choices=PaymentMethod.choices,
        default=PaymentMethod.NONE,
    )
    arrears = models.DecimalField(
        _("arrears"), max_digits=8, decimal_places=2, default=Decimal("0.00")
    )
    arrears_since = models.DateField(_("in arrears since"), null=True, blank=True)
    # joined_on and left_on bound the current (or last) spell of membership. A member
    # readmitted after leaving has had more than one, which only the history holds.
    readmitted = models.BooleanField(
        _("readmitted"),
        default=False,
        help_text=_("Has left and come back: earlier spells are in the history."),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["membership_number"]
        permissions = [
            ("view_all_memberships", "Can see every member's record"),
            ("change_all_memberships", "Can change every member's record"),
        ]
        indexes = [
            models.Index(fields=["branch", "status"], name="membership_branch_status"),
            # A branch's members in membership-number order (a branch officer's list,
            # a branch filter): read in order, never sorted.
            models.Index(
                fields=["branch", "membership_number"], name="membership_branch_number"
            ),
            # Only the few readmitted members are in it.
            models.Index(
                fields=["readmitted"],
                condition=Q(readmitted=True),
                name="membership_readmitted",
            ),
            # The applications queue: the few waiting, oldest first.
            models.Index(
                fields=["applied_on", "id"],
                condition=Q(status=MembershipStatus.APPLICANT),
                name="membership_applicants",
            ),
            # The back office's "joined between" and "left between" filters; only
            # former members have a left_on. "Joined between" is answered from the
            # index alone, the list's order and id included: a month's joiners sit
            # together in the register, and reading their rows cold from disk cost
            # up to 200 ms a page at a million members (PostgreSQL; SQLite's index
            # holds the rowid anyway).
            models.Index(
                fields=["joined_on", "membership_number"],
                include=["id"],
                name="membership_joined_on",
            ),
            models.Index(
                fields=["left_on"],
                condition=Q(left_on__isnull=False),
                name="membership_left_on",
            ),
            # A name search within a branch: walk the names (person_name_key) and
            # check the branch from this index alone, without reading the rows.
            models.Index(
                fields=["branch", "person"],
                name="membership_branch_person",
                include=["id"],
            ),
            # Status and category filters, the rare statuses above all, counted and
            # listed in number order from the index.
            models.Index(
                fields=["status", "category", "membership_number"],
                name="membership_status_category",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(membership_number__isnull=False)
                | Q(status__in=[MembershipStatus.APPLICANT, MembershipStatus.DECLINED]),
                name="membership_number_once_admitted",
            ),
            models.CheckConstraint(
                condition=Q(arrears__gte=0), name="membership_arrears_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_number or 'applicant'}: {self.person}"


class MembershipEventKind(models.TextChoices):
    APPLIED = "applied", _("Applied to join")
    APPROVED = "approved", _("Application approved")
    DECLINED = "declined", _("Application declined")
    IMPORTED = "imported", _("Imported")
    IMPORT_UPDATED = "import_updated", _("Updated by import")
    READMITTED = "readmitted", _("Readmitted")
    DETAILS_CHANGED = "details_changed", _("Details changed")
    EMPLOYMENT_STARTED = "employment_started", _("Job started")
    EMPLOYMENT_CHANGED = "employment_changed", _("Job changed")
    EMPLOYMENT_ENDED = "employment_ended", _("Job ended")
    TRANSFERRED = "transferred", _("Transferred to a new employer")
    ARREARS_RECORDED = "arrears_recorded", _("Arrears recorded")
    LAPSED = "lapsed", _("Lapsed for arrears")
    RESIGNATION_REQUESTED = "resignation_requested", _("Asked to resign")
    RESIGNED = "resigned", _("Resigned")
    DIED = "died", _("Death recorded")
    POSITION_STARTED = "position_started", _("Took up a position")
    POSITION_ENDED = "position_ended", _("Left a position")
    SIGN_IN_INVITED = "sign_in_invited", _("Invited to sign in")
    SIGN_IN_LINKED = "sign_in_linked", _("Sign-in linked")


class MembershipEvent(AppendOnlyModel):
    """One entry in a member's history. Never changed or deleted once written."""

    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,  # the timeline index (membership, effective_on, id) serves
    )
    kind = models.CharField(
        _("kind"), max_length=30, choices=MembershipEventKind.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who made the change; empty for the system itself."),
        # Not indexed: every import row would pay for it, and "what did this person
        # change" is an occasional audit question that a scan answers.
        db_index=False,
    )
    effective_on = models.DateField(_("effective on"))
    status_from = models.CharField(
        max_length=20, choices=MembershipStatus.choices, blank=True
    )
    status_to = models.CharField(
        max_length=20, choices=MembershipStatus.choices, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["membership", "created_at", "id"]
        indexes = [
            models.Index(
                fields=["membership", "effective_on", "id"],
                name="membership_event_timeline",
            ),
            models.Index(
                fields=["effective_on", "status_to"], name="membership_event_status_on"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.effective_on:%d/%m/%Y}"


class MembershipNumberSequence(models.Model):
    """The last membership number handed out; a row lock makes allocation safe."""

    name = models.CharField(max_length=30, primary_key=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_value}"


# --- Jobs ------------------------------------------------------------------------


class EmploymentQuerySet(models.QuerySet["Employment"]):
    def current_on(self, day: datetime.date) -> EmploymentQuerySet:
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )


class Employment(TimeStampedModel):
    """A member's job at an employer (and workplace) over a period. ``ended_on`` is the
    last day worked there; empty while the job goes on."""

    # Each foreign key leads one of the composite indexes below, which serves it too.
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="employments", db_index=False
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="employments", db_index=False
    )
    workplace = models.ForeignKey(
        Workplace,
        on_delete=models.PROTECT,
        related_name="employments",
        null=True,
        blank=True,
        db_index=False,
    )
    job_category = models.CharField(
        _("job category or grade"), max_length=100, blank=True
    )
    hours = models.DecimalField(
        _("hours a week"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    pay_band = models.CharField(_("pay band"), max_length=30, blank=True)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        ordering = ["membership", "started_on"]
        indexes = [
            # Covers "who worked for X on D" without reading the table.
            models.Index(
                fields=["employer", "started_on", "ended_on", "membership"],
                name="employment_employer_start",
            ),
            models.Index(
                fields=["workplace", "started_on"], name="employment_workplace_start"
            ),
            models.Index(
                fields=["membership", "ended_on"], name="employment_membership_end"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="employment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | (Q(hours__gt=0) & Q(hours__lte=168)),
                name="employment_hours_in_a_week",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_category or 'Job'} at {self.employer}"


# --- Positions --------------------------------------------------------------------


class RoleScope(models.TextChoices):
    WORKPLACE = "workplace", _("Workplace")
    BRANCH = "branch", _("Branch")
    NATIONAL = "national", _("National")


class Role(TimeStampedModel):
    """A role a member may hold: workplace rep, branch secretary, and so on."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    scope = models.CharField(_("scope"), max_length=20, choices=RoleScope.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Position(TimeStampedModel):
    """A member holding a role for a term."""

    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="positions"
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="positions")
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="positions",
        null=True,
        blank=True,
    )
    workplace = models.ForeignKey(
        Workplace,
        on_delete=models.PROTECT,
        related_name="positions",
        null=True,
        blank=True,
    )
    started_on = models.DateField(_("term starts"))
    ended_on = models.DateField(_("term ends"), null=True, blank=True)

    class Meta:
        ordering = ["role__name", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="position_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} ({self.membership.person})"


# --- Subscriptions ------------------------------------------------------------------


class SubscriptionRate(TimeStampedModel):
    """What a member in ``category`` on ``pay_band`` pays a month, from a date."""

    category = models.CharField(
        _("category"), max_length=20, choices=MembershipCategory.choices
    )
    pay_band = models.CharField(
        _("pay band"), max_length=30, blank=True, help_text=_("Empty: any pay band.")
    )
    monthly_amount = models.DecimalField(
        _("monthly amount"), max_digits=7, decimal_places=2
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["category", "pay_band", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "pay_band", "valid_from"],
                name="subscription_rate_unique",
            ),
            models.CheckConstraint(
                condition=Q(monthly_amount__gte=0),
                name="subscription_rate_not_negative",
            ),
        ]

    def __str__(self) -> str:
        band = self.pay_band or "any band"
        return f"{self.get_category_display()}, {band}: £{self.monthly_amount}"


# --- Who looked at whom ----------------------------------------------------------


class AccessAction(models.TextChoices):
    VIEWED = "viewed", _("Viewed the record")
    EXPORTED = "exported", _("Exported a list")


class PersonalDataAccess(AppendOnlyModel):
    """Someone other than the member looked at their record, or exported a list of
    members. Trade union membership is special category data: every look is kept.
    Never changed or deleted once written."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        related_name="accesses",
        null=True,
        blank=True,
        help_text=_("Empty for an export of a list."),
    )
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "personal data accesses"
        indexes = [
            models.Index(fields=["membership", "at"], name="access_by_member"),
            models.Index(fields=["user", "at"], name="access_by_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display().lower()} at {self.at:%d/%m/%Y %H:%M}"
