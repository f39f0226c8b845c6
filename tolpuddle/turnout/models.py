"""Getting the vote out: who has said they voted in a ballot, and what reps have done
to reach those who have not (docs/turnout.md).

What is recorded is only *that* a member voted, as they tell us or a rep marks it,
never *how*: no table here has a column for an answer, a choice or an intention,
and a test inspects every field to keep it so. The voting itself is the
scrutineer's (or ``tolpuddle.voting``'s, where it runs the poll); nothing here can
be matched to a voting paper.

Since the Trade Union Act 2016 a ballot in which fewer than half of those entitled
vote gives no mandate whatever the result (TULRCA s.226(2)(a)(iia)), so turnout is
chased member by member; and where workplaces ballot separately (s.228) each
workplace must reach it on its own.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tolpuddle.core.models import AppendOnlyModel, TimeStampedModel


class SaidVotedVia(models.TextChoices):
    PORTAL = "portal", _("The member, signed in to the portal")
    LINK = "link", _("The member, from the link in an email")
    REP = "rep", _("A rep, who the member told")


class RepStatus(models.TextChoices):
    VOTED = "voted", _("Has voted (told the rep)")
    UNREACHABLE = "unreachable", _("Cannot be reached")
    EXCLUDE = "exclude", _("To be excluded from the electorate")


class ExcludeReason(models.TextChoices):
    """Why a rep thinks someone should no longer be in the electorate. Staff decide,
    and record a leaver in the disputes app (s.232B)."""

    LEFT_EMPLOYER = "left_employer", _("Has left the employer")
    LEFT_UNION = "left_union", _("Has left the union")
    LONG_TERM_LEAVE = "long_term_leave", _("On long-term leave")
    NOT_IN_CATEGORY = "not_in_category", _("Not in a job category balloted")
    OTHER = "other", _("Another reason (say in the note)")


class TurnoutReport(TimeStampedModel):
    """One elector of one ballot, as far as getting the vote out goes: whether they
    have said they voted (and who recorded it, when, how it reached us), whether
    they asked not to be contacted about this ballot, what their rep has marked,
    and whether they asked for a replacement voting paper.

    Written only when something happens: an elector with no row has said nothing
    and been marked as nothing. ``workplace`` is the workplace of the elector's
    entry in the frozen electorate, copied so that turnout is counted by workplace
    from this table and its index alone."""

    ballot = models.ForeignKey(
        "disputes.Ballot",
        on_delete=models.PROTECT,
        related_name="turnout_reports",
        db_index=False,  # (ballot, membership) and (ballot, workplace, ...) serve
    )
    membership = models.ForeignKey(
        "members.Membership", on_delete=models.PROTECT, related_name="turnout_reports"
    )
    workplace = models.ForeignKey(
        "members.Workplace",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    said_voted_at = models.DateTimeField(_("said they voted at"), null=True, blank=True)
    said_voted_via = models.CharField(
        _("said they voted through"),
        max_length=10,
        choices=SaidVotedVia.choices,
        blank=True,
    )
    said_voted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        help_text=_("The sign-in that recorded it; empty from an emailed link."),
    )
    do_not_contact = models.BooleanField(
        _("asked not to be contacted about this ballot"), default=False
    )
    do_not_contact_at = models.DateTimeField(null=True, blank=True)
    rep_status = models.CharField(
        _("marked by a rep as"), max_length=20, choices=RepStatus.choices, blank=True
    )
    rep_exclude_reason = models.CharField(
        _("why to exclude"), max_length=20, choices=ExcludeReason.choices, blank=True
    )
    rep_note = models.TextField(_("rep's note"), blank=True)
    rep_status_at = models.DateTimeField(null=True, blank=True)
    rep_status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    replacement_requested_at = models.DateTimeField(
        _("last asked for a replacement voting paper at"), null=True, blank=True
    )
    replacement_requests = models.PositiveSmallIntegerField(
        _("replacement papers asked for"), default=0
    )

    class Meta:
        ordering = ["ballot", "membership"]
        permissions = [
            (
                "manage_turnout",
                "Can send reminders to vote and record the scrutineer's figures",
            ),
        ]
        indexes = [
            # The dashboard: who said they voted, by workplace and day.
            models.Index(
                fields=["ballot", "workplace", "said_voted_at"],
                name="turnout_report_by_workplace",
            ),
            # The few asking for a replacement paper, for staff to pass on.
            models.Index(
                fields=["ballot", "replacement_requested_at"],
                condition=Q(replacement_requested_at__isnull=False),
                name="turnout_report_replacements",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "membership"], name="turnout_report_once"
            ),
            models.CheckConstraint(
                condition=Q(said_voted_at__isnull=True, said_voted_via="")
                | (Q(said_voted_at__isnull=False) & ~Q(said_voted_via="")),
                name="turnout_report_said_voted_how_recorded",
            ),
            models.CheckConstraint(
                condition=Q(rep_status="exclude", rep_exclude_reason__gt="")
                | (~Q(rep_status="exclude") & Q(rep_exclude_reason="")),
                name="turnout_report_exclusion_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Turnout of member {self.membership_id} in ballot {self.ballot_id}"

    @property
    def said_voted(self) -> bool:
        return self.said_voted_at is not None


class CallOutcome(models.TextChoices):
    SPOKE = "spoke", _("Spoke to them")
    NO_ANSWER = "no_answer", _("No answer")
    LEFT_MESSAGE = "left_message", _("Left a message")
    WRONG_NUMBER = "wrong_number", _("Wrong number or address")
    OTHER = "other", _("Other")


class TurnoutCall(AppendOnlyModel):
    """A rep's note of trying to reach an elector. Never changed or deleted: a
    correction is another note. A note never says how anyone voted or will vote."""

    ballot = models.ForeignKey(
        "disputes.Ballot",
        on_delete=models.PROTECT,
        related_name="turnout_calls",
        db_index=False,  # the (ballot, membership, created_at) index serves
    )
    membership = models.ForeignKey(
        "members.Membership",
        on_delete=models.PROTECT,
        related_name="turnout_calls",
        db_index=False,
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=CallOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("noted at"), auto_now_add=True)

    class Meta:
        ordering = ["ballot", "membership", "created_at", "id"]
        indexes = [
            models.Index(
                fields=["ballot", "membership", "created_at"],
                name="turnout_call_timeline",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} at {self.created_at:%d/%m/%Y %H:%M}"


class ScrutineerTurnout(TimeStampedModel):
    """The independent scrutineer's count of voting papers returned by the end of
    ``day``: for the whole ballot (no workplace) or for one workplace. A count, never
    what the papers say. Recording a day's figure again replaces it (the log keeps
    what it was)."""

    ballot = models.ForeignKey(
        "disputes.Ballot",
        on_delete=models.PROTECT,
        related_name="scrutineer_turnout",
        db_index=False,  # the unique constraints serve
    )
    day = models.DateField(_("returned by the end of"))
    workplace = models.ForeignKey(
        "members.Workplace",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: the figure for the whole ballot."),
    )
    returned = models.PositiveIntegerField(_("papers returned"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["ballot", "day", "workplace"]
        verbose_name_plural = "scrutineer turnout figures"
        constraints = [
            # A NULL workplace is never equal to another, so the whole-ballot figure
            # gets a constraint of its own (both databases treat NULLs alike here).
            models.UniqueConstraint(
                fields=["ballot", "day"],
                condition=Q(workplace__isnull=True),
                name="scrutineer_turnout_ballot_day_once",
            ),
            models.UniqueConstraint(
                fields=["ballot", "day", "workplace"],
                condition=Q(workplace__isnull=False),
                name="scrutineer_turnout_workplace_day_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.returned} returned by {self.day:%d/%m/%Y}"


class TurnoutEventKind(models.TextChoices):
    SAID_VOTED = "said_voted", _("Said they voted")
    DO_NOT_CONTACT = "do_not_contact", _("Asked not to be contacted about the ballot")
    REPLACEMENT_REQUESTED = (
        "replacement_requested",
        _("Asked for a replacement voting paper"),
    )
    REP_MARKED = "rep_marked", _("Marked by a rep")
    CALL_NOTED = "call_noted", _("Call noted")
    REMINDER_REQUESTED = "reminder_requested", _("Reminder to vote requested")
    REMINDER_SENT = "reminder_sent", _("Reminder to vote sent")
    SCRUTINEER_RECORDED = "scrutineer_recorded", _("Scrutineer's figure recorded")


class TurnoutEvent(AppendOnlyModel):
    """The log of getting the vote out: every service writes one row, with who did
    it and what changed. Never changed or deleted."""

    ballot = models.ForeignKey(
        "disputes.Ballot",
        on_delete=models.PROTECT,
        related_name="turnout_events",
        db_index=False,  # the (ballot, kind, created_at) index serves
    )
    membership = models.ForeignKey(
        "members.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="turnout_events",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=TurnoutEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        help_text=_("Empty for a member using an emailed link, or the system."),
    )
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["ballot", "created_at", "id"]
        indexes = [
            models.Index(
                fields=["ballot", "kind", "created_at"], name="turnout_event_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.created_at:%d/%m/%Y %H:%M}"
