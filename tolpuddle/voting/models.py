"""A secret ballot: polls, their questions and choices, who may vote, and the votes.

The secrecy rests on the shape of these tables (docs/voting.md):

- ``Voter`` says who may vote and whether they have; it has no time of voting.
- ``Vote`` and ``Answer`` say what was chosen; they have no column that names, or
  can be matched to, a voter, a membership or a sign-in, no time, and a random
  primary key, so neither their keys nor their order says who cast them.
- ``PollEvent`` records what was done to the poll (opened, codes issued, closed,
  counted), never a vote.

A disputes ``Ballot`` (and later an election or a motion) links to its ``Poll`` with a
one-to-one field; nothing here knows about them.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tolpuddle.core.models import AppendOnlyModel, TimeStampedModel

YES = "Yes"
NO = "No"


class PollKind(models.TextChoices):
    STATUTORY = "statutory", _("Statutory industrial-action ballot")
    CONSULTATIVE = "consultative", _("Consultative ballot")


class PollStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    COUNTED = "counted", _("Counted")


class PollQuerySet(models.QuerySet["Poll"]):
    def published(self) -> PollQuerySet:
        """Polls members may see: opened at some point (not drafts)."""
        return self.exclude(status=PollStatus.DRAFT)


class Poll(TimeStampedModel):
    """A secret ballot: questions, each with its own choices, answered between
    ``opens_at`` and ``closes_at``. A statutory industrial-action ballot's questions
    are answered Yes or No only (TULRCA s.229(2))."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PollKind.choices)
    description = models.TextField(
        _("what the voting paper says"),
        blank=True,
        help_text=_(
            "Shown above the questions (for a statutory ballot, the s.229 text)."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PollStatus.choices,
        default=PollStatus.DRAFT,
    )
    opens_at = models.DateTimeField(_("voting opens at"))
    closes_at = models.DateTimeField(
        _("voting closes at"), help_text=_("Votes are accepted until this moment.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PollQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="poll_closes_after_opening",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="poll_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def accepts_votes_at(self, moment: datetime.datetime | None = None) -> bool:
        moment = moment or timezone.now()
        return (
            self.status == PollStatus.OPEN and self.opens_at <= moment < self.closes_at
        )

    @property
    def receipts_published(self) -> bool:
        return self.status in (PollStatus.CLOSED, PollStatus.COUNTED)


class Question(models.Model):
    """A question on the poll. ``key`` lets the body that owns the poll find it again
    (a disputes ballot's "strike" and "action_short_of_strike")."""

    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    key = models.SlugField(_("key"), max_length=50, blank=True)
    text = models.TextField(_("question"))

    class Meta:
        ordering = ["poll", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "position"], name="voting_question_position_unique"
            ),
            models.UniqueConstraint(
                fields=["poll", "key"],
                condition=~Q(key=""),
                name="voting_question_key_unique",
            ),
            models.CheckConstraint(
                condition=~Q(text=""), name="voting_question_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="choices"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("choice"), max_length=200)

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "position"], name="voting_choice_position_unique"
            ),
            models.UniqueConstraint(
                fields=["question", "text"], name="voting_choice_text_unique"
            ),
            models.CheckConstraint(
                condition=~Q(text=""), name="voting_choice_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Voter(models.Model):
    """A member entitled to vote in a poll, and whether they have.

    ``code_hash`` is the keyed hash (HMAC-SHA256) of the member's one-time voting
    code; the code itself is never stored. There is deliberately no time stamp (not
    even ``updated_at``): a time of voting here and the order of the votes would
    together say who cast which."""

    poll = models.ForeignKey(
        Poll,
        on_delete=models.PROTECT,
        related_name="voters",
        db_index=False,  # the (poll, has_voted) index serves
    )
    membership = models.ForeignKey(
        "members.Membership",
        on_delete=models.PROTECT,
        related_name="poll_voters",
        db_index=False,  # the unique (membership, poll) serves
    )
    code_hash = models.CharField(
        _("hash of the voting code"), max_length=64, unique=True
    )
    has_voted = models.BooleanField(_("has voted"), default=False)

    class Meta:
        ordering = ["poll", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "poll"], name="voting_voter_once_per_poll"
            ),
        ]
        indexes = [
            # Turnout: counted from the index alone.
            models.Index(fields=["poll", "has_voted"], name="voting_voter_turnout"),
        ]

    def __str__(self) -> str:
        return f"Voter {self.pk} in poll {self.poll_id}"


class Vote(AppendOnlyModel):
    """One voting paper as cast. Nothing here identifies who cast it: no voter, no
    membership, no sign-in, no time; the key is random (a sequence would give the
    order of voting). ``receipt`` is a random code shown once to the voter, who can
    find it in the list published when the poll closes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(
        Poll,
        on_delete=models.PROTECT,
        related_name="votes",
        db_index=False,  # the unique (poll, receipt) serves
    )
    receipt = models.CharField(_("receipt"), max_length=16)

    class Meta:
        ordering = ["poll", "receipt"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "receipt"], name="voting_vote_receipt_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Vote {self.receipt}"


class Answer(AppendOnlyModel):
    """The choice a voting paper made for one question. Keyed by (vote, question):
    no sequence of its own."""

    pk = models.CompositePrimaryKey("vote", "question")
    vote = models.ForeignKey(
        Vote,
        on_delete=models.PROTECT,
        related_name="answers",
        db_index=False,  # the primary key (vote, question) serves
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # the (question, choice) index serves
    )
    choice = models.ForeignKey(
        Choice, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        indexes = [
            # The count: GROUP BY choice over a question's answers, from the index.
            models.Index(fields=["question", "choice"], name="voting_answer_tally"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.choice_id}"


class PollEventKind(models.TextChoices):
    CREATED = "created", _("Poll created")
    VOTERS_ADDED = "voters_added", _("Voters added and codes issued")
    CODES_SENT = "codes_sent", _("Voting codes emailed")
    OPENED = "opened", _("Opened")
    CLOSED = "closed", _("Closed")
    COUNTED = "counted", _("Counted")


class PollEvent(AppendOnlyModel):
    """What was done to a poll, by whom and when. Never changed or deleted, and never
    about a vote: it records neither who voted nor how."""

    poll = models.ForeignKey(
        Poll, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    kind = models.CharField(_("kind"), max_length=30, choices=PollEventKind.choices)
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
        ordering = ["poll", "created_at", "id"]
        indexes = [
            models.Index(fields=["poll", "created_at"], name="voting_poll_event_log")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.created_at:%d/%m/%Y %H:%M}"
