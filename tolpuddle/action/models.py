"""Industrial action: the periods of action called on a ballot's mandate, who is
called out (branches and workplaces), the picket lines with their supervisors, the
literature sent to branches, and who took part (docs/action.md).

A period is a span of time (a strike from noon one day to noon the next), not a day:
``starts_at`` and ``ends_at`` are aware datetimes. It must fall within the mandate
the ballot gave (TULRCA s.234), after the result; ``services.action_period_create``
refuses anything else. ``Participation`` is what a member tells the union, once per
period (they may correct it): it is what strike pay, hardship funds and checking the
employer's pay deductions rest on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tolpuddle.core.models import AppendOnlyModel, TimeStampedModel


class ActionKind(models.TextChoices):
    # The same values as the ballot's questions (disputes.QuestionKind), which the
    # mandate names.
    STRIKE = "strike", _("Strike action")
    ACTION_SHORT_OF_STRIKE = "action_short_of_strike", _("Action short of a strike")


class ActionPeriod(TimeStampedModel):
    """A period of action called on ``ballot``'s mandate: when, which kind, and who
    is called out (``branches`` and ``workplaces``; a member is called out when
    balloted, or employed by the ballot's employers, at a workplace called out or
    in a branch called out)."""

    ballot = models.ForeignKey(
        "disputes.Ballot",
        on_delete=models.PROTECT,
        related_name="action_periods",
        db_index=False,  # the (ballot, starts_at) index serves
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ActionKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What members are asked to do (or not do), for the portal."),
    )
    branches = models.ManyToManyField(
        "members.Branch",
        through="ActionPeriodBranch",
        blank=True,
        related_name="action_periods",
    )
    workplaces = models.ManyToManyField(
        "members.Workplace",
        through="ActionPeriodWorkplace",
        blank=True,
        related_name="action_periods",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["starts_at", "id"]
        permissions = [
            (
                "manage_action",
                "Can call periods of action, add picket lines and send literature",
            ),
        ]
        indexes = [
            models.Index(fields=["ballot", "starts_at"], name="action_period_ballot")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="action_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.starts_at:%d/%m/%Y %H:%M}"


class ActionPeriodBranch(models.Model):
    period = models.ForeignKey(
        ActionPeriod, on_delete=models.PROTECT, related_name="called_branches"
    )
    branch = models.ForeignKey(
        "members.Branch", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "branch"], name="action_period_branch_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.branch}"


class ActionPeriodWorkplace(models.Model):
    period = models.ForeignKey(
        ActionPeriod, on_delete=models.PROTECT, related_name="called_workplaces"
    )
    workplace = models.ForeignKey(
        "members.Workplace", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "workplace"], name="action_period_workplace_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.workplace}"


class PicketLine(TimeStampedModel):
    """A picket line during a period of action, at a workplace or a place near it
    (TULRCA s.220), with its picket supervisor: a member, and how to reach them
    (s.220A; the Code of Practice on Picketing)."""

    period = models.ForeignKey(
        ActionPeriod, on_delete=models.PROTECT, related_name="picket_lines"
    )
    workplace = models.ForeignKey(
        "members.Workplace",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    place = models.CharField(
        _("place"),
        max_length=300,
        blank=True,
        help_text=_("Where exactly (the main gate, the car park entrance...)."),
    )
    supervisor = models.ForeignKey(
        "members.Membership",
        on_delete=models.PROTECT,
        related_name="picket_lines_supervised",
    )
    supervisor_contact = models.CharField(
        _("supervisor's phone"), max_length=20, help_text=_("E.164 form")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["period", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(workplace__isnull=False) | ~Q(place=""),
                name="picket_line_has_a_place",
            ),
        ]

    def __str__(self) -> str:
        return self.place or str(self.workplace)


class Literature(TimeStampedModel):
    """Leaflets, letters and briefings for a period of action, sent to branches: a
    text, a file, or both, and when they were sent."""

    period = models.ForeignKey(
        ActionPeriod, on_delete=models.PROTECT, related_name="literature"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(
        _("file"), upload_to="action/literature/%Y/", blank=True, max_length=300
    )
    branches = models.ManyToManyField(
        "members.Branch", through="LiteratureBranch", related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["period", "-sent_at", "-id"]
        verbose_name_plural = "literature"
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(file=""), name="literature_text_or_file"
            ),
            models.CheckConstraint(
                condition=~Q(title=""), name="literature_title_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class LiteratureBranch(models.Model):
    literature = models.ForeignKey(
        Literature, on_delete=models.PROTECT, related_name="sent_to"
    )
    branch = models.ForeignKey(
        "members.Branch", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["literature", "branch"], name="literature_branch_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.literature}: {self.branch}"


class Participation(TimeStampedModel):
    """Whether a member took part in a period of action, as they told the union:
    once per period, corrected in place (the log keeps what it was). ``branch`` and
    ``workplace`` are where they were called out from when they told us, so that
    the counts by branch and workplace stay as reported."""

    period = models.ForeignKey(
        ActionPeriod,
        on_delete=models.PROTECT,
        related_name="participations",
        db_index=False,  # the unique constraint (period, membership) serves
    )
    membership = models.ForeignKey(
        "members.Membership",
        on_delete=models.PROTECT,
        related_name="action_participations",
    )
    took_part = models.BooleanField(_("took part"))
    reported_at = models.DateTimeField(_("told us at"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    branch = models.ForeignKey(
        "members.Branch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    workplace = models.ForeignKey(
        "members.Workplace",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["period", "membership"]
        indexes = [
            # The counts by branch and by workplace, from the index alone.
            models.Index(
                fields=["period", "branch", "took_part"],
                name="participation_by_branch",
            ),
            models.Index(
                fields=["period", "workplace", "took_part"],
                name="participation_by_workplace",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "membership"], name="participation_once"
            )
        ]

    def __str__(self) -> str:
        took = "took part" if self.took_part else "did not take part"
        return f"Member {self.membership_id} {took} in period {self.period_id}"


class ActionEventKind(models.TextChoices):
    PERIOD_CALLED = "period_called", _("Period of action called")
    PICKET_LINE_ADDED = "picket_line_added", _("Picket line added")
    LITERATURE_SENT = "literature_sent", _("Literature sent")
    PARTICIPATION_REPORTED = "participation_reported", _("Participation reported")
    PARTICIPATION_CORRECTED = "participation_corrected", _("Participation corrected")


class ActionEvent(AppendOnlyModel):
    """The log of industrial action: every service writes one row. Never changed or
    deleted."""

    ballot = models.ForeignKey(
        "disputes.Ballot",
        on_delete=models.PROTECT,
        related_name="action_events",
        db_index=False,  # the (ballot, created_at) index serves
    )
    period = models.ForeignKey(
        ActionPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    membership = models.ForeignKey(
        "members.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_events",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ActionEventKind.choices)
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
        ordering = ["ballot", "created_at", "id"]
        indexes = [
            models.Index(fields=["ballot", "created_at"], name="action_event_timeline")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.created_at:%d/%m/%Y %H:%M}"
