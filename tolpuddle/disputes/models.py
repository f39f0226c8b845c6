"""Trade disputes, the ballots held over them, the electorate frozen from the register
and the notices the law requires before a ballot (TULRCA 1992 s.226A, s.227, s.229).

Strike days, voting and results come later: ``Ballot.status`` and the electorate's
``ElectorateEntry`` rows are what they will hang from (papers issued to the entries
included; results per ballot, or per workplace where ``workplace_ballots`` is
separate).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tolpuddle.core.models import AppendOnlyModel, TimeStampedModel

# --- Disputes ---------------------------------------------------------------------


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SETTLED = "settled", _("Settled")
    CLOSED = "closed", _("Closed")


class Dispute(TimeStampedModel):
    """A trade dispute with one or more employers. The summary of the matters in
    issue is what the voting paper carries (s.229(2B), Trade Union Act 2016 regime),
    so it may never be empty."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("summary of the matters in issue"),
        help_text=_("Printed on the voting paper: write it for the members."),
    )
    began_on = models.DateField(_("began on"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DisputeStatus.choices,
        default=DisputeStatus.OPEN,
    )
    employers = models.ManyToManyField(
        "members.Employer",
        through="DisputeEmployer",
        related_name="disputes",
    )
    officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="disputes_responsible_for",
        verbose_name=_("responsible officials"),
    )

    class Meta:
        ordering = ["-began_on", "-id"]
        permissions = [
            ("view_all_disputes", "Can see every dispute and its ballots"),
            ("manage_disputes", "Can create and change disputes and ballots"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(summary=""), name="dispute_summary_not_empty"
            ),
            models.CheckConstraint(
                condition=~Q(title=""), name="dispute_title_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DisputeEmployer(models.Model):
    """An employer party to a dispute."""

    dispute = models.ForeignKey(
        Dispute, on_delete=models.PROTECT, related_name="dispute_employers"
    )
    employer = models.ForeignKey(
        "members.Employer", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dispute", "employer"], name="dispute_employer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dispute}: {self.employer}"


# --- Ballots ----------------------------------------------------------------------


class BallotKind(models.TextChoices):
    STATUTORY = "statutory", _("Statutory industrial action ballot")
    CONSULTATIVE = "consultative", _("Consultative ballot")


class BallotStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for voting")
    CLOSED = "closed", _("Closed")


class WorkplaceBallots(models.TextChoices):
    """s.228: a separate ballot for each workplace, unless s.228A allows one
    aggregated ballot across them."""

    AGGREGATED = "aggregated", _("One aggregated ballot (s.228A)")
    SEPARATE = "separate", _("A separate ballot at each workplace (s.228)")


class Ballot(TimeStampedModel):
    """A ballot over a dispute: statutory (strike and action short of strike, asked
    separately) or consultative (free questions).

    The constituency is a subset of the dispute's employers and, within them,
    optionally some job categories (``job_categories``, as the register records
    them) and some workplaces (``workplaces``); empty means all. The electorate is
    frozen from the register into ``ElectorateEntry`` rows; ``electorate_version``
    counts the freezes."""

    dispute = models.ForeignKey(
        Dispute, on_delete=models.PROTECT, related_name="ballots"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=BallotKind.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=BallotStatus.choices,
        default=BallotStatus.DRAFT,
    )
    opening_on = models.DateField(_("opening day"))
    closing_on = models.DateField(
        _("closing day"),
        help_text=_("The last day votes may be cast: the date of the ballot (s.246)."),
    )
    asks_strike = models.BooleanField(_("asks about strike action"), default=False)
    asks_action_short_of_strike = models.BooleanField(
        _("asks about action short of a strike"), default=False
    )
    action_short_of_strike_types = models.TextField(
        _("types of action short of a strike"),
        blank=True,
        help_text=_("s.229(2C), Trade Union Act 2016 regime."),
    )
    expected_action_period = models.TextField(
        _("when the action is expected to take place"),
        blank=True,
        help_text=_("s.229(2D), Trade Union Act 2016 regime."),
    )
    employers = models.ManyToManyField(
        "members.Employer", through="BallotEmployer", related_name="ballots"
    )
    workplaces = models.ManyToManyField(
        "members.Workplace",
        through="BallotWorkplace",
        blank=True,
        related_name="ballots",
        help_text=_("Empty: every workplace of the employers."),
    )
    job_categories = models.JSONField(
        _("job categories"),
        default=list,
        blank=True,
        help_text=_("As the register records them. Empty: every category."),
    )
    workplace_ballots = models.CharField(
        _("workplace ballots"),
        max_length=20,
        choices=WorkplaceBallots.choices,
        default=WorkplaceBallots.AGGREGATED,
    )
    exclude_arrears = models.BooleanField(
        _("exclude members in arrears"),
        default=True,
        help_text=_(
            "The union's rules decide whether a member in arrears may vote. Excluded: "
            "arrears above nothing since before the freeze date, less the grace days."
        ),
    )
    arrears_grace_days = models.PositiveIntegerField(
        _("days in arrears allowed"),
        default=0,
        help_text=_("A member in arrears for no more than this many days still votes."),
    )
    scrutineer_name = models.CharField(
        _("independent scrutineer"), max_length=200, blank=True
    )
    return_address = models.TextField(_("address for return of papers"), blank=True)
    authorised_to_call_action = models.CharField(
        _("person authorised to call action"),
        max_length=300,
        blank=True,
        help_text=_("s.229(3), s.233: the person or office named on the paper."),
    )
    electorate_on = models.DateField(_("electorate as at"), null=True, blank=True)
    electorate_version = models.PositiveIntegerField(
        _("times the electorate was frozen"), default=0
    )
    electorate_frozen_at = models.DateTimeField(null=True, blank=True)
    electorate_frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opening_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closing_on__gte=F("opening_on")),
                name="ballot_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(kind="consultative")
                | Q(asks_strike=True)
                | Q(asks_action_short_of_strike=True),
                name="ballot_statutory_asks_something",
            ),
            models.CheckConstraint(
                condition=Q(kind="statutory")
                | Q(asks_strike=False, asks_action_short_of_strike=False),
                name="ballot_consultative_asks_no_statutory_question",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_statutory(self) -> bool:
        return self.kind == BallotKind.STATUTORY


class BallotEmployer(models.Model):
    """An employer in a ballot's constituency (one of the dispute's)."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="ballot_employers"
    )
    employer = models.ForeignKey(
        "members.Employer", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "employer"], name="ballot_employer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ballot}: {self.employer}"


class BallotWorkplace(models.Model):
    """A workplace the constituency is limited to."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="ballot_workplaces"
    )
    workplace = models.ForeignKey(
        "members.Workplace", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "workplace"], name="ballot_workplace_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ballot}: {self.workplace}"


class QuestionKind(models.TextChoices):
    STRIKE = "strike", _("Strike action")
    ACTION_SHORT_OF_STRIKE = "action_short_of_strike", _("Action short of a strike")
    FREE = "free", _("Consultative question")


class BallotQuestion(models.Model):
    """A question on the voting paper, answered yes or no. A statutory ballot asks
    about strike action and action short of a strike separately (s.229(2))."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=30, choices=QuestionKind.choices)
    text = models.TextField(_("question"))

    class Meta:
        ordering = ["ballot", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "position"], name="ballot_question_position_unique"
            ),
            models.UniqueConstraint(
                fields=["ballot", "kind"],
                condition=~Q(kind="free"),
                name="ballot_question_statutory_once",
            ),
            models.CheckConstraint(
                condition=~Q(text=""), name="ballot_question_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.text


# --- The electorate -----------------------------------------------------------------


class ExclusionReason(models.TextChoices):
    """Why a member considered for a ballot is not in its electorate. One reason is
    recorded: the first that applies, in this order."""

    LEFT_EMPLOYER = "left_employer", _("Had left the employer by the freeze date")
    NOT_YET_STARTED = "not_yet_started", _("Starts with the employer after the date")
    LEFT_UNION = "left_union", _("Had left the union (lapsed, resigned...)")
    NOT_MEMBER_ON_DATE = "not_member_on_date", _("Not yet a member on the date")
    JOB_CATEGORY = "job_category", _("Not in a job category balloted")
    WORKPLACE = "workplace", _("Not at a workplace balloted")
    IN_ARREARS = "in_arrears", _("In arrears")


class EntrySource(models.TextChoices):
    FROZEN = "frozen", _("From the register when frozen")
    ADDED = "added", _("Added after the notice (joined or found late)")


class ElectorateEntry(models.Model):
    """One person considered for a ballot's electorate: included, or excluded with a
    reason. The job used (employer, workplace, job category) is the one the decision
    rests on: for someone with several, a job that qualifies, else the closest miss;
    among equals the one with the most hours.

    Written in bulk by ``ballot_electorate_freeze`` (one ``INSERT ... SELECT``), so
    it has no time stamps: the ballot records when and by whom it was frozen, and the
    dispute's log records changes after it (late joiners and leavers)."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="electorate", db_index=False
    )
    membership = models.ForeignKey(
        "members.Membership",
        on_delete=models.PROTECT,
        related_name="ballot_entries",
        db_index=False,  # memberships are never deleted; (membership, ballot) serves
    )
    employment = models.ForeignKey(
        "members.Employment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    employer = models.ForeignKey(
        "members.Employer", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    workplace = models.ForeignKey(
        "members.Workplace",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    job_category = models.CharField(_("job category"), max_length=100, blank=True)
    membership_status = models.CharField(_("membership status"), max_length=20)
    check_off = models.BooleanField(
        _("pays by check-off"),
        default=False,
        help_text=_("Subscriptions deducted from pay by the employer."),
    )
    included = models.BooleanField(_("in the electorate"))
    reason = models.CharField(
        _("why excluded"), max_length=30, choices=ExclusionReason.choices, blank=True
    )
    version = models.PositiveIntegerField(_("freeze"))
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=EntrySource.choices,
        default=EntrySource.FROZEN,
    )
    added_on = models.DateField(_("added on"), null=True, blank=True)
    added_reason = models.TextField(_("why added"), blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.TextField(_("why left"), blank=True)

    class Meta:
        verbose_name_plural = "electorate entries"
        ordering = ["ballot", "id"]
        indexes = [
            # The notice's figures: an employer's entries counted by category and
            # by workplace from the index alone.
            models.Index(
                fields=["ballot", "employer", "included", "job_category", "workplace"],
                name="electorate_employer_figures",
            ),
            models.Index(fields=["ballot", "reason"], name="electorate_reason"),
            # Late joiners and leavers: the few rows changed after the freeze.
            models.Index(
                fields=["ballot", "source"],
                condition=Q(source="added") | Q(left_on__isnull=False),
                name="electorate_changes",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "ballot"], name="electorate_member_once"
            ),
            models.CheckConstraint(
                condition=Q(included=True, reason="")
                | (Q(included=False) & ~Q(reason="")),
                name="electorate_reason_when_excluded",
            ),
        ]

    def __str__(self) -> str:
        state = "included" if self.included else f"excluded: {self.reason}"
        return f"{self.membership_id} in ballot {self.ballot_id} ({state})"


# --- Notices ------------------------------------------------------------------------


class BallotNotice(TimeStampedModel):
    """The notice of ballot to one employer (s.226A), and the sample voting paper
    sent to it. ``content`` holds what the notice says (figures, explanation,
    opening day) as it was prepared from the frozen electorate, and ``text`` the
    notice as plain text: both are kept as given, whatever later happens to the
    register."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="notices")
    employer = models.ForeignKey(
        "members.Employer", on_delete=models.PROTECT, related_name="+"
    )
    electorate_version = models.PositiveIntegerField(_("from freeze"))
    content = models.JSONField(_("content"))
    text = models.TextField(_("notice as text"))
    given_on = models.DateField(_("given to the employer on"), null=True, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sample_paper_given_on = models.DateField(
        _("sample voting paper given on"), null=True, blank=True
    )
    sample_paper_given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["ballot", "employer__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "employer"], name="ballot_notice_one_per_employer"
            )
        ]

    def __str__(self) -> str:
        return f"Notice of {self.ballot} to {self.employer}"


# --- The log ------------------------------------------------------------------------


class DisputeEventKind(models.TextChoices):
    DISPUTE_CREATED = "dispute_created", _("Dispute recorded")
    DISPUTE_UPDATED = "dispute_updated", _("Dispute changed")
    BALLOT_CREATED = "ballot_created", _("Ballot created")
    ELECTORATE_FROZEN = "electorate_frozen", _("Electorate frozen")
    NOTICES_PREPARED = "notices_prepared", _("Notices of ballot prepared")
    NOTICE_GIVEN = "notice_given", _("Notice of ballot given")
    SAMPLE_PAPER_GIVEN = "sample_paper_given", _("Sample voting paper given")
    BALLOT_OPENED = "ballot_opened", _("Ballot opened")
    ELECTOR_ADDED = "elector_added", _("Member added to the electorate")
    ELECTOR_LEFT = "elector_left", _("Member of the electorate left")


class DisputeEvent(AppendOnlyModel):
    """One entry in a dispute's log (and its ballots'). Never changed or deleted."""

    dispute = models.ForeignKey(
        Dispute, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    ballot = models.ForeignKey(
        Ballot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DisputeEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["dispute", "created_at", "id"]
        indexes = [
            models.Index(
                fields=["dispute", "created_at"], name="dispute_event_timeline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.created_at:%d/%m/%Y %H:%M}"
