"""Trade disputes, the ballots held over them, the electorate frozen from the register
and the notices the law requires before a ballot (TULRCA 1992 s.226A, s.227, s.229);
then the vote (a postal paper numbered for each elector, or an online ``voting.Poll``),
the result (s.231, s.231A), the mandate it gives (s.234) and the notices of
industrial action (s.234A).
"""

from __future__ import annotations

from fractions import Fraction

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


class ResultSource(models.TextChoices):
    SCRUTINEER = "scrutineer", _("The scrutineer's count of the postal ballot")
    ONLINE = "online", _("The count of the online vote")


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
    important_public_service = models.BooleanField(
        _("most of those entitled are in important public services"),
        default=False,
        help_text=_(
            "s.226(2B)-(2E): where the majority of those entitled to vote are normally "
            "engaged in important public services, the Trade Union Act 2016 regime "
            "also needs 40% of those entitled to vote Yes."
        ),
    )
    poll = models.OneToOneField(
        "voting.Poll",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ballot",
        help_text=_("The online vote, where the ballot is held online."),
    )
    papers_numbered_at = models.DateTimeField(
        _("voting papers numbered at"), null=True, blank=True
    )
    result_declared_on = models.DateField(
        _("result declared on"), null=True, blank=True
    )
    result_source = models.CharField(
        _("result from"), max_length=20, choices=ResultSource.choices, blank=True
    )
    result_recorded_at = models.DateTimeField(null=True, blank=True)
    result_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    scrutineer_report = models.FileField(
        _("scrutineer's report"),
        upload_to="disputes/scrutineer-reports/%Y/",
        blank=True,
        help_text=_("s.231B: the independent scrutineer's report on the ballot."),
    )
    members_informing_from = models.DateTimeField(
        _("result being sent to members since"), null=True, blank=True
    )
    members_informed_at = models.DateTimeField(
        _("result sent to every member with an email address at"),
        null=True,
        blank=True,
    )
    members_informing_lease = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("Held by the task sending the result, so that one runs at once."),
    )

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
            models.CheckConstraint(
                condition=Q(result_declared_on__isnull=True)
                | Q(result_declared_on__gte=F("closing_on")),
                name="ballot_result_declared_after_closing",
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
    dispute's log records changes after it (late joiners and leavers).

    Its references (and those of ``ElectorateJob``) are not foreign keys in the
    database (``db_constraint=False``): PostgreSQL checks a foreign key row by row,
    at commit, taking a lock on each row referred to, and a freeze of 500,000
    members made 2.5 million such checks (about 20 seconds: more than the freeze
    itself). Every reference is written by the SELECT that read the row it refers
    to, in the same transaction; the register never deletes memberships, jobs,
    employers or workplaces; and Django still refuses to delete a row an entry
    refers to (``on_delete=PROTECT`` is checked by the ORM, not the database)."""

    ballot = models.ForeignKey(
        Ballot,
        on_delete=models.PROTECT,
        related_name="electorate",
        db_index=False,
        db_constraint=False,
    )
    membership = models.ForeignKey(
        "members.Membership",
        on_delete=models.PROTECT,
        related_name="ballot_entries",
        db_index=False,  # memberships are never deleted; (membership, ballot) serves
        db_constraint=False,
    )
    employment = models.ForeignKey(
        "members.Employment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    employer = models.ForeignKey(
        "members.Employer",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    workplace = models.ForeignKey(
        "members.Workplace",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
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
    paper_number = models.PositiveIntegerField(
        _("voting paper number"),
        null=True,
        blank=True,
        help_text=_("s.229(1A)(c): one of a series of consecutive whole numbers."),
    )
    result_informed_at = models.DateTimeField(
        _("sent the result at"),
        null=True,
        blank=True,
        help_text=_("When the s.231 information was emailed to this member."),
    )

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
            # The members still to be sent the result (s.231), in order: shrinks as
            # the email task works through them, so a resumed task starts at once.
            models.Index(
                fields=["ballot", "id"],
                condition=Q(reason="", result_informed_at__isnull=True),
                name="electorate_to_inform",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "ballot"], name="electorate_member_once"
            ),
            # The papers in number order come from this index too.
            models.UniqueConstraint(
                fields=["ballot", "paper_number"],
                condition=Q(paper_number__isnull=False),
                name="electorate_paper_number_once",
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


class ElectorateJob(models.Model):
    """A qualifying job of a member of the electorate at another of the
    constituency's employers than their entry's: the member is one of that
    employer's "employees concerned" too (s.226A(2)(c), s.234A(3)), and is counted
    in its notices with this job's workplace and job category. Not another elector:
    the vote, the paper and the result stay the entry's.

    One a member and employer (the job with the most hours there, then the
    earliest), written with the entries by the freeze (one ``INSERT ... SELECT``)
    and for a late joiner by ``ballot_electorate_add``; only for entries in the
    electorate (entries never leave it: a leaver is marked on the entry, and the
    entry's ``left_on`` is this job's too). Deleted before the entries when the
    electorate is frozen again: ``entry`` does nothing on delete, so that deleting
    half a million entries stays one statement (a cascade would fetch them)."""

    ballot = models.ForeignKey(
        Ballot,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    entry = models.ForeignKey(
        ElectorateEntry,
        on_delete=models.DO_NOTHING,
        related_name="other_jobs",
        db_index=False,  # (entry, employer) serves
        db_constraint=False,
    )
    employment = models.ForeignKey(
        "members.Employment",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    employer = models.ForeignKey(
        "members.Employer",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    workplace = models.ForeignKey(
        "members.Workplace",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    job_category = models.CharField(_("job category"), max_length=100, blank=True)

    class Meta:
        ordering = ["ballot", "id"]
        indexes = [
            # The notice's figures, as for the entries.
            models.Index(
                fields=["ballot", "employer", "job_category", "workplace"],
                name="electorate_job_figures",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "employer"], name="electorate_job_employer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_category or 'Job'} at employer {self.employer_id} (entry {self.entry_id})"


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


# --- The result and the mandate ----------------------------------------------------


class BallotResult(TimeStampedModel):
    """The result of one question of a ballot: of the whole ballot, or, where the
    ballot is held as separate workplace ballots (s.228), of the ballot at one
    ``workplace``, which must give a mandate on its own.

    Every figure after the counts is what ``ballot_law.calculations.ballot_outcome``
    said of them under the regime of the ballot's opening day (``regime``), kept as
    declared. Shares (``turnout``, ``support``) are rounded down to six places; the
    thresholds were compared exactly."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="results")
    question = models.ForeignKey(
        BallotQuestion, on_delete=models.PROTECT, related_name="results"
    )
    workplace = models.ForeignKey(
        "members.Workplace",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Separate workplace ballots only; empty: the whole ballot."),
    )
    regime = models.CharField(_("rules"), max_length=40)
    entitled = models.PositiveIntegerField(_("entitled to vote"))
    votes_cast = models.PositiveIntegerField(_("votes cast"))
    yes = models.PositiveIntegerField(_("Yes"))
    no = models.PositiveIntegerField(_("No"))
    spoiled = models.PositiveIntegerField(_("spoiled or invalid papers"))
    important_public_service = models.BooleanField(default=False)
    turnout = models.DecimalField(max_digits=7, decimal_places=6)
    turnout_threshold = models.DecimalField(
        max_digits=7, decimal_places=6, null=True, blank=True
    )
    turnout_threshold_met = models.BooleanField(null=True, blank=True)
    support = models.DecimalField(
        _("Yes as a share of those entitled"), max_digits=7, decimal_places=6
    )
    support_threshold = models.DecimalField(
        max_digits=7, decimal_places=6, null=True, blank=True
    )
    support_threshold_met = models.BooleanField(null=True, blank=True)
    majority_yes = models.BooleanField(_("more Yes than No"))
    mandate = models.BooleanField(_("gives a mandate"))
    reasons = models.JSONField(_("why not"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    declared_on = models.DateField(_("declared on"))
    mandate_expires_on = models.DateField(
        _("mandate's last day"), null=True, blank=True
    )
    mandate_extendable_to = models.DateField(
        _("last day if extended by agreement"), null=True, blank=True
    )

    class Meta:
        ordering = ["ballot", "workplace__name", "question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "question"],
                condition=Q(workplace__isnull=True),
                name="ballot_result_once",
            ),
            models.UniqueConstraint(
                fields=["ballot", "question", "workplace"],
                condition=Q(workplace__isnull=False),
                name="ballot_result_once_per_workplace",
            ),
            models.CheckConstraint(
                condition=Q(votes_cast=F("yes") + F("no") + F("spoiled")),
                name="ballot_result_votes_add_up",
            ),
            models.CheckConstraint(
                condition=Q(votes_cast__lte=F("entitled")) & Q(entitled__gt=0),
                name="ballot_result_votes_within_entitled",
            ),
            models.CheckConstraint(
                condition=Q(mandate=False) | Q(majority_yes=True),
                name="ballot_result_mandate_needs_majority",
            ),
            models.CheckConstraint(
                condition=Q(mandate=False) | Q(mandate_expires_on__isnull=False),
                name="ballot_result_mandate_has_last_day",
            ),
        ]

    def __str__(self) -> str:
        where = f" at {self.workplace}" if self.workplace_id else ""
        return f"{self.question}{where}: Yes {self.yes}, No {self.no}"

    @property
    def turnout_exact(self) -> Fraction:
        return Fraction(self.votes_cast, self.entitled)

    @property
    def support_exact(self) -> Fraction:
        return Fraction(self.yes, self.entitled)


class ResultNotice(TimeStampedModel):
    """The result as given to one employer of those entitled to vote (s.231A): the
    same figures as go to the members (s.231), as prepared when the result was
    recorded (``content``, ``text``), and the day it was given."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="result_notices"
    )
    employer = models.ForeignKey(
        "members.Employer", on_delete=models.PROTECT, related_name="+"
    )
    content = models.JSONField(_("content"))
    text = models.TextField(_("as text"))
    given_on = models.DateField(_("given to the employer on"), null=True, blank=True)
    given_by = models.ForeignKey(
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
                fields=["ballot", "employer"], name="result_notice_one_per_employer"
            )
        ]

    def __str__(self) -> str:
        return f"Result of {self.ballot} to {self.employer}"


class MandateExtension(TimeStampedModel):
    """An employer's agreement to a longer mandate (s.234(1)(b), where the regime
    allows one): the action of its employees may then take place until
    ``expires_on``."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="mandate_extensions"
    )
    employer = models.ForeignKey(
        "members.Employer", on_delete=models.PROTECT, related_name="+"
    )
    agreed_on = models.DateField(_("agreed on"))
    expires_on = models.DateField(_("mandate's last day, as extended"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
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
                fields=["ballot", "employer"], name="mandate_extension_once"
            )
        ]

    def __str__(self) -> str:
        return f"Mandate of {self.ballot} for {self.employer} to {self.expires_on}"


class ActionNotice(TimeStampedModel):
    """A notice of industrial action to one employer (s.234A): which action (the
    ballot's question it rests on), continuous from ``start_on`` or discontinuous
    on ``days``, and the affected employees as counted from the frozen electorate.
    ``content`` and ``text`` are kept as prepared; ``given_on`` is the day the
    employer received it and ``notice_days`` the notice period that applied."""

    ballot = models.ForeignKey(
        Ballot, on_delete=models.PROTECT, related_name="action_notices"
    )
    employer = models.ForeignKey(
        "members.Employer", on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=30, choices=QuestionKind.choices)
    continuous = models.BooleanField(_("continuous"))
    start_on = models.DateField(_("intended start"), null=True, blank=True)
    days = models.JSONField(_("intended days"), default=list, blank=True)
    first_day = models.DateField(_("first day of action"))
    last_day = models.DateField(_("last day named"))
    shorter_notice_agreed = models.BooleanField(
        _("the employer agreed to shorter notice"), default=False
    )
    content = models.JSONField(_("content"))
    text = models.TextField(_("notice as text"))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    given_on = models.DateField(_("given to the employer on"), null=True, blank=True)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notice_days = models.PositiveSmallIntegerField(
        _("days of notice that applied"), null=True, blank=True
    )

    class Meta:
        ordering = ["ballot", "first_day", "employer__name", "id"]
        indexes = [
            models.Index(
                fields=["ballot", "employer", "given_on"], name="action_notice_given"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(continuous=False) | Q(start_on__isnull=False),
                name="action_notice_continuous_has_start",
            ),
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")),
                name="action_notice_days_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(action="free"), name="action_notice_statutory_action"
            ),
        ]

    def __str__(self) -> str:
        return f"Notice of action to {self.employer} from {self.first_day}"


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
    POLL_CREATED = "poll_created", _("Online vote set up")
    PAPERS_NUMBERED = "papers_numbered", _("Voting papers numbered")
    RESULT_RECORDED = "result_recorded", _("Result recorded")
    RESULT_NOTICE_GIVEN = "result_notice_given", _("Result given to the employer")
    RESULT_SENDING = "result_sending", _("Result being sent to members")
    RESULT_SENT = "result_sent", _("Result sent to members")
    MANDATE_EXTENDED = "mandate_extended", _("Mandate extended by agreement")
    ACTION_NOTICE_PREPARED = "action_notice_prepared", _("Notice of action prepared")
    ACTION_NOTICE_GIVEN = "action_notice_given", _("Notice of action given")


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
