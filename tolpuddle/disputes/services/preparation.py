"""Disputes and ballots up to the opening of the ballot: the dispute, the ballot,
its electorate frozen from the register (with late joiners and leavers), the
notices of ballot (s.226A) and opening."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.disputes import documents, law, selectors
from tolpuddle.disputes.electorate import electorate_insert, electorate_jobs_insert
from tolpuddle.disputes.models import (
    Ballot,
    BallotEmployer,
    BallotKind,
    BallotNotice,
    BallotQuestion,
    BallotStatus,
    BallotWorkplace,
    Dispute,
    DisputeEmployer,
    DisputeEventKind,
    DisputeStatus,
    ElectorateEntry,
    ElectorateJob,
    EntrySource,
    QuestionKind,
    WorkplaceBallots,
)
from tolpuddle.disputes.services import polls
from tolpuddle.disputes.services.common import (
    clean_text,
    dispute_event_record,
    first_notice_given,
    short_date,
    today,
)
from tolpuddle.disputes.statements import (
    ACTION_SHORT_OF_STRIKE_QUESTION,
    STRIKE_QUESTION,
)
from tolpuddle.members.models import (
    Employer,
    Employment,
    Membership,
    MembershipStatus,
    PaymentMethod,
    Workplace,
)
from tolpuddle.voting import services as voting_services
from tolpuddle.voting.models import PollStatus

# --- Disputes -----------------------------------------------------------------------


def _clean_officials(officials: Sequence[User]) -> list[User]:
    inactive = [str(user) for user in officials if not user.is_active]
    if inactive:
        raise ApplicationError(
            f"These sign-ins are deactivated and cannot be responsible for a dispute: "
            f"{', '.join(inactive)}."
        )
    return list({user.pk: user for user in officials}.values())


SUMMARY_REQUIRED = (
    "Give a summary of the matters in issue: the voting paper must carry it."
)


@transaction.atomic
def dispute_create(
    *,
    title: str,
    summary: str,
    employers: Sequence[Employer],
    began_on: datetime.date,
    by: User | None,
    officials: Sequence[User] = (),
) -> Dispute:
    """Record a trade dispute with one or more employers."""
    title = clean_text(title, "Give the dispute a title.")
    summary = clean_text(summary, SUMMARY_REQUIRED)
    if not employers:
        raise ApplicationError("A dispute is with at least one employer.")
    if began_on > today():
        raise ApplicationError("A dispute cannot begin after today.")
    officials = _clean_officials(officials)
    dispute = Dispute.objects.create(title=title, summary=summary, began_on=began_on)
    unique = {employer.pk: employer for employer in employers}
    DisputeEmployer.objects.bulk_create(
        [DisputeEmployer(dispute=dispute, employer=e) for e in unique.values()]
    )
    dispute.officials.set(officials)
    dispute_event_record(
        dispute=dispute,
        kind=DisputeEventKind.DISPUTE_CREATED,
        actor=by,
        data={
            "title": title,
            "began_on": began_on.isoformat(),
            "employers": sorted(unique),
            "officials": sorted(user.pk for user in officials),
        },
    )
    return dispute


@transaction.atomic
def dispute_update(
    *,
    dispute: Dispute,
    by: User | None,
    title: str | None = None,
    summary: str | None = None,
    began_on: datetime.date | None = None,
    status: DisputeStatus | None = None,
    employers: Sequence[Employer] | None = None,
    officials: Sequence[User] | None = None,
) -> Dispute:
    """Change a dispute; what is not given stays as it is. The log records the old
    and new values.

    An employer in a ballot's constituency stays in the dispute, and the summary
    cannot change once a sample voting paper carrying it has gone to an employer
    for a ballot not yet closed."""
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    changed: dict[str, Any] = {}
    if title is not None:
        title = clean_text(title, "Give the dispute a title.")
        if title != dispute.title:
            changed["title"] = [dispute.title, title]
            dispute.title = title
    if summary is not None:
        summary = clean_text(summary, SUMMARY_REQUIRED)
        if summary != dispute.summary:
            sent = BallotNotice.objects.filter(
                ballot__dispute=dispute, sample_paper_given_on__isnull=False
            ).exclude(ballot__status=BallotStatus.CLOSED)
            if sent.exists():
                raise ApplicationError(
                    "The summary of the matters in issue is on the sample voting paper "
                    "already given to the employer; it cannot change for this ballot."
                )
            changed["summary"] = [dispute.summary, summary]
            dispute.summary = summary
    if began_on is not None and began_on != dispute.began_on:
        if began_on > today():
            raise ApplicationError("A dispute cannot begin after today.")
        changed["began_on"] = [dispute.began_on.isoformat(), began_on.isoformat()]
        dispute.began_on = began_on
    if status is not None and status != dispute.status:
        changed["status"] = [dispute.status, status]
        dispute.status = status
    if employers is not None:
        _dispute_set_employers(dispute, employers, changed)
    if officials is not None:
        officials = _clean_officials(officials)
        old = sorted(dispute.officials.values_list("pk", flat=True))
        new = sorted(user.pk for user in officials)
        if old != new:
            dispute.officials.set(officials)
            changed["officials"] = [old, new]
    if not changed:
        return dispute
    dispute.save()
    dispute_event_record(
        dispute=dispute,
        kind=DisputeEventKind.DISPUTE_UPDATED,
        actor=by,
        data={"changed": changed},
    )
    return dispute


def _dispute_set_employers(
    dispute: Dispute, employers: Sequence[Employer], changed: dict[str, Any]
) -> None:
    if not employers:
        raise ApplicationError("A dispute is with at least one employer.")
    old = set(
        DisputeEmployer.objects.filter(dispute=dispute).values_list(
            "employer_id", flat=True
        )
    )
    new = {employer.pk for employer in employers}
    removed = old - new
    balloted = Employer.objects.filter(
        pk__in=BallotEmployer.objects.filter(
            ballot__dispute=dispute, employer_id__in=removed
        ).values("employer_id")
    ).order_by("name")
    if balloted:
        raise ApplicationError(
            "These employers are in a ballot over this dispute and stay in it: "
            f"{', '.join(e.name for e in balloted)}."
        )
    if old == new:
        return
    DisputeEmployer.objects.filter(dispute=dispute, employer_id__in=removed).delete()
    DisputeEmployer.objects.bulk_create(
        [DisputeEmployer(dispute=dispute, employer_id=pk) for pk in sorted(new - old)]
    )
    changed["employers"] = [sorted(old), sorted(new)]


# --- Ballots --------------------------------------------------------------------------


@transaction.atomic
def ballot_create(
    *,
    dispute: Dispute,
    title: str,
    kind: BallotKind,
    opening_on: datetime.date,
    closing_on: datetime.date,
    employers: Sequence[Employer],
    by: User | None,
    strike: bool = False,
    action_short_of_strike: bool = False,
    questions: Sequence[str] = (),
    job_categories: Sequence[str] = (),
    workplaces: Sequence[Workplace] = (),
    workplace_ballots: WorkplaceBallots = WorkplaceBallots.AGGREGATED,
    exclude_arrears: bool = True,
    arrears_grace_days: int = 0,
    scrutineer_name: str = "",
    return_address: str = "",
    authorised_to_call_action: str = "",
    action_short_of_strike_types: str = "",
    expected_action_period: str = "",
    important_public_service: bool = False,
) -> Ballot:
    """A ballot over ``dispute`` of the members employed by ``employers`` (some or all
    of the dispute's), optionally only in some job categories or at some workplaces.

    A statutory ballot asks about strike action, action short of a strike, or both,
    as separate questions (s.229(2)); a consultative ballot asks ``questions``.
    ``important_public_service``: the majority of those to be balloted are normally
    engaged in important public services (s.226(2B)-(2E)), which under the Trade
    Union Act 2016 regime adds the 40% support test to the result."""
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if not dispute.summary.strip():
        raise ApplicationError(
            "The dispute has no summary of the matters in issue: the voting paper "
            "must carry one. Add it to the dispute first."
        )
    if dispute.status != DisputeStatus.OPEN:
        raise ApplicationError(
            f"This dispute is {dispute.get_status_display().lower()}: no new ballot."
        )
    title = clean_text(title, "Give the ballot a title.")
    if closing_on < opening_on:
        raise ApplicationError(
            f"The ballot cannot close ({short_date(closing_on)}) before it opens "
            f"({short_date(opening_on)})."
        )
    if opening_on < dispute.began_on:
        raise ApplicationError(
            f"The ballot cannot open before the dispute began ({short_date(dispute.began_on)})."
        )
    texts = _ballot_questions(
        kind=kind,
        strike=strike,
        action_short_of_strike=action_short_of_strike,
        questions=questions,
    )
    employer_ids = _constituency_employers(dispute, employers)
    workplace_list = list({w.pk: w for w in workplaces}.values())
    outside = [w for w in workplace_list if w.employer_id not in employer_ids]
    if outside:
        raise ApplicationError(
            "These workplaces are not of an employer in the ballot: "
            f"{', '.join(w.name for w in outside)}."
        )
    categories = _clean_categories(job_categories, employer_ids)
    if arrears_grace_days < 0:
        raise ApplicationError("The days in arrears allowed cannot be negative.")
    ballot = Ballot.objects.create(
        dispute=dispute,
        title=title,
        kind=kind,
        opening_on=opening_on,
        closing_on=closing_on,
        asks_strike=kind == BallotKind.STATUTORY and strike,
        asks_action_short_of_strike=kind == BallotKind.STATUTORY
        and action_short_of_strike,
        job_categories=categories,
        workplace_ballots=workplace_ballots,
        exclude_arrears=exclude_arrears,
        arrears_grace_days=arrears_grace_days,
        scrutineer_name=scrutineer_name.strip(),
        return_address=return_address.strip(),
        authorised_to_call_action=authorised_to_call_action.strip(),
        action_short_of_strike_types=action_short_of_strike_types.strip(),
        expected_action_period=expected_action_period.strip(),
        important_public_service=important_public_service,
    )
    BallotEmployer.objects.bulk_create(
        [BallotEmployer(ballot=ballot, employer_id=pk) for pk in sorted(employer_ids)]
    )
    BallotWorkplace.objects.bulk_create(
        [BallotWorkplace(ballot=ballot, workplace=w) for w in workplace_list]
    )
    BallotQuestion.objects.bulk_create(
        [
            BallotQuestion(ballot=ballot, position=position, kind=q_kind, text=text)
            for position, (q_kind, text) in enumerate(texts, start=1)
        ]
    )
    dispute_event_record(
        dispute=dispute,
        ballot=ballot,
        kind=DisputeEventKind.BALLOT_CREATED,
        actor=by,
        data={
            "title": title,
            "kind": kind,
            "opening_on": opening_on.isoformat(),
            "closing_on": closing_on.isoformat(),
            "employers": sorted(employer_ids),
            "workplaces": sorted(w.pk for w in workplace_list),
            "job_categories": categories,
            "workplace_ballots": workplace_ballots,
            "exclude_arrears": exclude_arrears,
            "arrears_grace_days": arrears_grace_days,
            "important_public_service": important_public_service,
            "questions": [text for _, text in texts],
        },
    )
    return ballot


def _ballot_questions(
    *,
    kind: BallotKind,
    strike: bool,
    action_short_of_strike: bool,
    questions: Sequence[str],
) -> list[tuple[QuestionKind, str]]:
    free = [q.strip() for q in questions if q.strip()]
    if kind == BallotKind.STATUTORY:
        if free:
            raise ApplicationError(
                "A statutory ballot asks only about strike action and action short of "
                "a strike; ask other questions in a consultative ballot."
            )
        if not (strike or action_short_of_strike):
            raise ApplicationError(
                "A statutory ballot asks about strike action, action short of a "
                "strike, or both."
            )
        texts: list[tuple[QuestionKind, str]] = []
        if strike:
            texts.append((QuestionKind.STRIKE, STRIKE_QUESTION))
        if action_short_of_strike:
            texts.append(
                (QuestionKind.ACTION_SHORT_OF_STRIKE, ACTION_SHORT_OF_STRIKE_QUESTION)
            )
        return texts
    if strike or action_short_of_strike:
        raise ApplicationError(
            "A consultative ballot cannot ask the statutory questions on industrial "
            "action; hold a statutory ballot."
        )
    if not free:
        raise ApplicationError("A consultative ballot asks at least one question.")
    return [(QuestionKind.FREE, text) for text in free]


def _constituency_employers(
    dispute: Dispute, employers: Sequence[Employer]
) -> set[int]:
    if not employers:
        raise ApplicationError("Choose at least one employer to ballot.")
    in_dispute = set(
        DisputeEmployer.objects.filter(dispute=dispute).values_list(
            "employer_id", flat=True
        )
    )
    outside = sorted({e.name for e in employers if e.pk not in in_dispute})
    if outside:
        raise ApplicationError(
            "These employers are not party to the dispute: "
            f"{', '.join(outside)}. Add them to the dispute first."
        )
    return {employer.pk for employer in employers}


def _clean_categories(categories: Sequence[str], employer_ids: set[int]) -> list[str]:
    """The job categories as the register records them: each one must be a category
    someone at the employers is recorded in (a typing mistake would exclude all)."""
    cleaned = sorted({c.strip() for c in categories if c.strip()})
    if not cleaned:
        return []
    known = set(
        Employment.objects.filter(
            employer_id__in=sorted(employer_ids), job_category__in=cleaned
        )
        .values_list("job_category", flat=True)
        .distinct()
    )
    unknown = [c for c in cleaned if c not in known]
    if unknown:
        raise ApplicationError(
            "No one at these employers is recorded in the job categories "
            f"{', '.join(unknown)}; use the categories as the register records them."
        )
    return cleaned


# --- The electorate -----------------------------------------------------------------


@transaction.atomic
def ballot_electorate_freeze(
    *, ballot: Ballot, on: datetime.date, by: User | None
) -> selectors.ElectorateSummary:
    """Freeze the ballot's electorate from the register as at ``on``: every member in
    good standing employed on that day by an employer in the constituency (in a job
    category and at a workplace balloted, when the ballot names some), and not in
    arrears if the ballot excludes arrears; and, for staff, the near misses with the
    reason each is excluded (``tolpuddle.disputes.electorate``).

    Freezing again replaces the previous freeze whole and counts one more version;
    the notices prepared from it go (they counted the old figures). Refused once a
    notice of ballot has been given: its figures are what the employer was told."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.status != BallotStatus.DRAFT:
        raise ApplicationError(
            f"This ballot is {ballot.get_status_display().lower()}: its electorate "
            "can no longer be frozen. Add late joiners or mark leavers instead."
        )
    if ballot.poll_id is not None or ballot.papers_numbered_at is not None:
        raise ApplicationError(
            "The voters of this ballot have been set up (its online vote, or its "
            "numbered voting papers): the electorate cannot be frozen again. Add late "
            "joiners or mark leavers instead."
        )
    given = first_notice_given(ballot)
    if given is not None:
        assert given.given_on is not None  # noqa: S101 - first_notice_given finds given notices
        raise ApplicationError(
            f"The notice of ballot was given to {given.employer.name} on "
            f"{short_date(given.given_on)} with the figures of this electorate: it cannot "
            "be frozen again. Add late joiners or mark leavers instead."
        )
    if on > today():
        raise ApplicationError(
            "The register cannot say who will be a member on a day still to come: "
            "freeze as at today or an earlier day."
        )
    dispute = ballot.dispute
    if on < dispute.began_on:
        raise ApplicationError(
            f"Freeze as at a day since the dispute began ({short_date(dispute.began_on)})."
        )
    dropped = BallotNotice.objects.filter(ballot=ballot).delete()[0]
    ElectorateJob.objects.filter(ballot=ballot).delete()  # before their entries
    ElectorateEntry.objects.filter(ballot=ballot).delete()
    version = ballot.electorate_version + 1
    written = electorate_insert(
        ballot=ballot,
        on=on,
        version=version,
        employer_ids=sorted(
            BallotEmployer.objects.filter(ballot=ballot).values_list(
                "employer_id", flat=True
            )
        ),
        workplace_ids=sorted(
            BallotWorkplace.objects.filter(ballot=ballot).values_list(
                "workplace_id", flat=True
            )
        ),
        job_categories=list(ballot.job_categories),
    )
    ballot.electorate_on = on
    ballot.electorate_version = version
    ballot.electorate_frozen_at = timezone.now()
    ballot.electorate_frozen_by = by
    ballot.save(
        update_fields=[
            "electorate_on",
            "electorate_version",
            "electorate_frozen_at",
            "electorate_frozen_by",
            "updated_at",
        ]
    )
    summary = selectors.electorate_summary(ballot=ballot)
    dispute_event_record(
        dispute=dispute,
        ballot=ballot,
        kind=DisputeEventKind.ELECTORATE_FROZEN,
        actor=by,
        data={
            "on": on.isoformat(),
            "version": version,
            "considered": written,
            "included": summary.included,
            "excluded": summary.excluded,
            "notices_dropped": dropped,
        },
    )
    return summary


def _membership_in_good_standing_now(membership: Membership) -> None:
    if membership.status != MembershipStatus.ACTIVE:
        raise ApplicationError(
            f"{membership} is {membership.get_status_display().lower()}, not a member "
            "in good standing."
        )


def _frozen_and_settled(ballot: Ballot, action: str) -> None:
    """Late joiners and leavers are recorded against an electorate that stands: one
    the notice has counted, or of a ballot already open."""
    if ballot.status == BallotStatus.CLOSED:
        raise ApplicationError(f"This ballot has closed: cannot {action}.")
    if ballot.electorate_version == 0:
        raise ApplicationError(
            f"The electorate has not been frozen yet: cannot {action}."
        )
    if ballot.status == BallotStatus.DRAFT and first_notice_given(ballot) is None:
        raise ApplicationError(
            "No notice of ballot has been given yet: freeze the electorate again "
            f"instead (cannot {action})."
        )


@transaction.atomic
def ballot_electorate_add(
    *,
    ballot: Ballot,
    membership: Membership,
    employment: Employment,
    reason: str,
    by: User | None,
    on: datetime.date | None = None,
) -> ElectorateEntry:
    """Add to the electorate a member who joined (or was found) after the notice: in
    good standing, and employed on ``on`` (today) in the constituency in the job
    ``employment``. Recorded with the reason, and shown among the electorate's
    changes (s.232B)."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    action = "add a member"
    _frozen_and_settled(ballot, action)
    reason = clean_text(reason, "Say why this member is added to the electorate.")
    day = on or today()
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _membership_in_good_standing_now(membership)
    if ballot.exclude_arrears and membership.arrears > 0:
        raise ApplicationError(
            f"{membership} is in arrears (£{membership.arrears}); this ballot excludes "
            "members in arrears."
        )
    _employment_in_constituency(ballot, membership, employment, day)
    if (
        ballot.is_statutory
        and not BallotNotice.objects.filter(
            ballot=ballot, employer_id=employment.employer_id, given_on__isnull=False
        ).exists()
    ):
        raise ApplicationError(
            f"No notice of this ballot was given to {employment.employer.name}: its "
            "employees cannot be added (s.226A)."
        )
    entry = (
        ElectorateEntry.objects.select_for_update()
        .filter(ballot=ballot, membership=membership)
        .first()
    )
    previous = ""
    if entry is not None and entry.included:
        if entry.left_on is not None:
            raise ApplicationError(
                f"{membership} was marked as having left on {short_date(entry.left_on)}."
            )
        raise ApplicationError(f"{membership} is already in the electorate.")
    if entry is None:
        entry = ElectorateEntry(
            ballot=ballot, membership=membership, version=ballot.electorate_version
        )
    else:
        previous = entry.reason
    entry.employment = employment
    entry.employer_id = employment.employer_id
    entry.workplace_id = employment.workplace_id
    entry.job_category = employment.job_category
    entry.membership_status = membership.status
    entry.check_off = membership.payment_method == PaymentMethod.PAYROLL
    entry.included = True
    entry.reason = ""
    entry.source = EntrySource.ADDED
    entry.added_on = day
    entry.added_reason = reason
    if ballot.papers_numbered_at is not None and entry.paper_number is None:
        entry.paper_number = polls.next_paper_number(ballot)
    entry.save()
    other_jobs = _other_jobs_add(ballot, entry, day)
    voter_added = _poll_voter_add(ballot, membership, by)
    dispute_event_record(
        dispute=ballot.dispute,
        ballot=ballot,
        kind=DisputeEventKind.ELECTOR_ADDED,
        actor=by,
        data={
            "membership": membership.pk,
            "employment": employment.pk,
            "on": day.isoformat(),
            "reason": reason,
            "previously_excluded_for": previous,
            "paper_number": entry.paper_number,
            "poll_voter": voter_added,
            "other_jobs": other_jobs,
        },
    )
    return entry


def _other_jobs_add(ballot: Ballot, entry: ElectorateEntry, day: datetime.date) -> int:
    """A late joiner's qualifying jobs on ``day`` at the constituency's other
    employers, counted in those employers' figures as the freeze counts them; for a
    statutory ballot only at employers that were given the notice (the others were
    told of no one). How many."""
    employer_ids = BallotEmployer.objects.filter(ballot=ballot).values_list(
        "employer_id", flat=True
    )
    if ballot.is_statutory:
        employer_ids = employer_ids.filter(
            employer_id__in=BallotNotice.objects.filter(
                ballot=ballot, given_on__isnull=False
            ).values("employer_id")
        )
    ElectorateJob.objects.filter(entry=entry).delete()
    return electorate_jobs_insert(
        ballot=ballot,
        on=day,
        employer_ids=sorted(employer_ids),
        workplace_ids=sorted(
            BallotWorkplace.objects.filter(ballot=ballot).values_list(
                "workplace_id", flat=True
            )
        ),
        job_categories=list(ballot.job_categories),
        membership_id=entry.membership_id,
    )


def _poll_voter_add(ballot: Ballot, membership: Membership, by: User | None) -> bool:
    """A member added to the electorate of a ballot held online becomes a voter in
    its poll (they vote in the portal, or with a code sent by
    ``voting.services.poll_codes_send``). Whether they were added."""
    if ballot.poll is None or ballot.poll.status not in (
        PollStatus.DRAFT,
        PollStatus.OPEN,
    ):
        return False
    added = voting_services.poll_voters_add(
        poll=ballot.poll, memberships=[membership], by=by, codes_to=polls.discard_codes
    )
    return added.added == 1


def _employment_in_constituency(
    ballot: Ballot, membership: Membership, employment: Employment, day: datetime.date
) -> None:
    if employment.membership_id != membership.pk:
        raise ApplicationError("That job is another member's.")
    if not BallotEmployer.objects.filter(
        ballot=ballot, employer_id=employment.employer_id
    ).exists():
        raise ApplicationError(
            f"{employment.employer.name} is not an employer in this ballot."
        )
    if employment.started_on > day or (
        employment.ended_on is not None and employment.ended_on < day
    ):
        raise ApplicationError(f"That job is not held on {short_date(day)}.")
    if ballot.job_categories and employment.job_category not in ballot.job_categories:
        raise ApplicationError(
            f"The job category {employment.job_category or '(none)'} is not balloted."
        )
    workplaces = BallotWorkplace.objects.filter(ballot=ballot)
    if workplaces.exists() and (
        employment.workplace_id is None
        or not workplaces.filter(workplace_id=employment.workplace_id).exists()
    ):
        raise ApplicationError("That job is not at a workplace balloted.")


@transaction.atomic
def ballot_electorate_mark_leaver(
    *,
    ballot: Ballot,
    membership: Membership,
    left_on: datetime.date,
    reason: str,
    by: User | None,
) -> ElectorateEntry:
    """Record that a member of the electorate left (the union, or the employer)
    while the ballot runs. The entry stays, marked, among the electorate's changes
    (s.232B); the freeze's figures are not changed."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    action = "mark a leaver"
    _frozen_and_settled(ballot, action)
    reason = clean_text(reason, "Say why this member left the electorate.")
    entry = (
        ElectorateEntry.objects.select_for_update()
        .filter(ballot=ballot, membership=membership, included=True)
        .first()
    )
    if entry is None:
        raise ApplicationError(f"{membership} is not in this ballot's electorate.")
    if entry.left_on is not None:
        raise ApplicationError(
            f"{membership} was already marked as having left on {short_date(entry.left_on)}."
        )
    assert ballot.electorate_on is not None  # noqa: S101 - frozen, checked above
    if left_on < ballot.electorate_on:
        raise ApplicationError(
            f"The electorate was frozen as at {short_date(ballot.electorate_on)}: a member "
            "who left before then is not in it; freeze again if that is still possible."
        )
    if left_on > today():
        raise ApplicationError("A member cannot be marked as leaving after today.")
    entry.left_on = left_on
    entry.left_reason = reason
    entry.save(update_fields=["left_on", "left_reason"])
    dispute_event_record(
        dispute=ballot.dispute,
        ballot=ballot,
        kind=DisputeEventKind.ELECTOR_LEFT,
        actor=by,
        data={
            "membership": membership.pk,
            "left_on": left_on.isoformat(),
            "reason": reason,
        },
    )
    return entry


# --- Notices ------------------------------------------------------------------------


@transaction.atomic
def ballot_notices_prepare(*, ballot: Ballot, by: User | None) -> list[BallotNotice]:
    """Prepare the notice of ballot (s.226A) to each employer that employs someone in
    the frozen electorate, with the figures of the freeze. Preparing again replaces
    the notices, until one is given."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if not ballot.is_statutory:
        raise ApplicationError(
            "A consultative ballot needs no notice to employers under s.226A."
        )
    if ballot.status != BallotStatus.DRAFT:
        raise ApplicationError("Notices are prepared before the ballot opens.")
    if ballot.electorate_version == 0:
        raise ApplicationError("Freeze the electorate first: the notice counts it.")
    given = first_notice_given(ballot)
    if given is not None:
        raise ApplicationError(
            f"The notice to {given.employer.name} has been given: the notices stand."
        )
    employers = list(selectors.employers_with_electors(ballot=ballot))
    if not employers:
        raise ApplicationError(
            "No one is in the electorate: there is nobody to give notice about."
        )
    BallotNotice.objects.filter(ballot=ballot).delete()
    figures = selectors.notice_figures_by_employer(ballot=ballot)
    workplaces = documents.balloted_workplaces(ballot=ballot)
    regime = law.regime_for(opening_on=ballot.opening_on)
    notices = []
    for employer in employers:
        content = documents.notice_content(
            ballot=ballot,
            employer=employer,
            figures=figures[employer.pk],
            workplaces=workplaces,
        )
        lacking = documents.notice_problems(content=content, regime=regime)
        if lacking:
            raise ApplicationError(
                f"The notice to {employer.name} is not complete: " + " ".join(lacking)
            )
        notices.append(
            BallotNotice(
                ballot=ballot,
                employer=employer,
                electorate_version=ballot.electorate_version,
                content=content,
                text=documents.notice_text(content),
            )
        )
    notices = BallotNotice.objects.bulk_create(notices)
    dispute_event_record(
        dispute=ballot.dispute,
        ballot=ballot,
        kind=DisputeEventKind.NOTICES_PREPARED,
        actor=by,
        data={
            "version": ballot.electorate_version,
            "notices": {str(n.employer_id): n.content["total"] for n in notices},
        },
    )
    return notices


def _notice_for_recording(
    notice: BallotNotice, given_on: datetime.date
) -> BallotNotice:
    notice = (
        BallotNotice.objects.select_for_update()
        .select_related("ballot", "employer")
        .get(pk=notice.pk)
    )
    if notice.ballot.status != BallotStatus.DRAFT:
        raise ApplicationError("The ballot has opened: its notices are as recorded.")
    if notice.electorate_version != notice.ballot.electorate_version:
        raise ApplicationError(
            "This notice counted an earlier freeze of the electorate: prepare it again."
        )
    if given_on > today():
        raise ApplicationError("Record the day it was given, not a day to come.")
    return notice


@transaction.atomic
def ballot_notice_record_given(
    *, notice: BallotNotice, given_on: datetime.date, by: User | None
) -> BallotNotice:
    """Record the day the employer received the notice of ballot. From then on the
    electorate stands. A notice received after the deadline is recorded as it was:
    ``ballot_open`` refuses the ballot."""
    notice = _notice_for_recording(notice, given_on)
    if notice.given_on is not None:
        raise ApplicationError(
            f"This notice was recorded as given on {short_date(notice.given_on)}."
        )
    notice.given_on = given_on
    notice.given_by = by
    notice.save(update_fields=["given_on", "given_by", "updated_at"])
    deadlines = selectors.ballot_deadlines(ballot=notice.ballot)
    dispute_event_record(
        dispute=notice.ballot.dispute,
        ballot=notice.ballot,
        kind=DisputeEventKind.NOTICE_GIVEN,
        actor=by,
        data={
            "employer": notice.employer_id,
            "given_on": given_on.isoformat(),
            "deadline": deadlines.notice_by.isoformat(),
            "in_time": given_on <= deadlines.notice_by,
        },
    )
    return notice


@transaction.atomic
def ballot_sample_paper_record_given(
    *, notice: BallotNotice, given_on: datetime.date, by: User | None
) -> BallotNotice:
    """Record the day the employer received the sample voting paper (s.226A(1)(b)).
    The paper must be complete for the ballot's regime."""
    notice = _notice_for_recording(notice, given_on)
    if notice.sample_paper_given_on is not None:
        raise ApplicationError(
            "The sample voting paper was recorded as given on "
            f"{short_date(notice.sample_paper_given_on)}."
        )
    problems = documents.voting_paper_problems(ballot=notice.ballot)
    if problems:
        raise ApplicationError(
            "The voting paper is not complete: " + " ".join(problems)
        )
    notice.sample_paper_given_on = given_on
    notice.sample_paper_given_by = by
    notice.save(
        update_fields=["sample_paper_given_on", "sample_paper_given_by", "updated_at"]
    )
    deadlines = selectors.ballot_deadlines(ballot=notice.ballot)
    dispute_event_record(
        dispute=notice.ballot.dispute,
        ballot=notice.ballot,
        kind=DisputeEventKind.SAMPLE_PAPER_GIVEN,
        actor=by,
        data={
            "employer": notice.employer_id,
            "given_on": given_on.isoformat(),
            "deadline": deadlines.sample_paper_by.isoformat(),
            "in_time": given_on <= deadlines.sample_paper_by,
        },
    )
    return notice


# --- Opening --------------------------------------------------------------------------


@transaction.atomic
def ballot_open(
    *, ballot: Ballot, by: User | None, on: datetime.date | None = None
) -> Ballot:
    """Open the ballot for voting, on its opening day or later (until it closes).

    Refused for an electorate of nobody, and for a statutory ballot unless every
    employer of someone in the electorate received the notice of ballot by the
    seventh day before the opening day and the sample voting paper by the third
    (s.226A(1)), and the voting paper is complete (s.229); and, for separate
    workplace ballots (s.228), unless every member's workplace is recorded. A
    ballot held online opens its poll."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    day = on or today()
    if ballot.status != BallotStatus.DRAFT:
        raise ApplicationError(
            f"This ballot is already {ballot.get_status_display().lower()}."
        )
    if day < ballot.opening_on:
        raise ApplicationError(
            f"The ballot opens on {short_date(ballot.opening_on)}, as the notices say: not "
            "before."
        )
    if day > ballot.closing_on:
        raise ApplicationError(
            f"The ballot was to close on {short_date(ballot.closing_on)}: too late to open."
        )
    if ballot.electorate_version == 0:
        raise ApplicationError("Freeze the electorate before opening the ballot.")
    size = selectors.electorate_size(ballot=ballot)
    if size == 0:
        raise ApplicationError(
            "No one is in the electorate: a ballot of an electorate of nobody cannot "
            "open."
        )
    if ballot.is_statutory:
        problems = _notice_problems(ballot)
        problems += documents.voting_paper_problems(ballot=ballot)
        if selectors.separate_workplace_ballots(ballot):
            nowhere = selectors.electorate_by_workplace(ballot=ballot).get(None, 0)
            if nowhere:
                problems.append(
                    f"{nowhere} members of the electorate have no workplace recorded: "
                    "in separate workplace ballots (s.228) each member votes in the "
                    "ballot at their workplace."
                )
        if problems:
            raise ApplicationError(
                "The ballot cannot open: " + " ".join(problems),
                extra={"problems": problems},
            )
    if ballot.poll is not None and ballot.poll.status == PollStatus.DRAFT:
        voting_services.poll_open(poll=ballot.poll, by=by)
    ballot.status = BallotStatus.OPEN
    ballot.opened_at = timezone.now()
    ballot.save(update_fields=["status", "opened_at", "updated_at"])
    dispute_event_record(
        dispute=ballot.dispute,
        ballot=ballot,
        kind=DisputeEventKind.BALLOT_OPENED,
        actor=by,
        data={"on": day.isoformat(), "electorate": size},
    )
    return ballot


def _notice_problems(ballot: Ballot) -> list[str]:
    deadlines = selectors.ballot_deadlines(ballot=ballot)
    notices = {n.employer_id: n for n in selectors.ballot_notices(ballot=ballot)}
    problems = []
    for employer in selectors.employers_with_electors(ballot=ballot):
        notice = notices.get(employer.pk)
        if notice is None or notice.given_on is None:
            problems.append(f"No notice of ballot was given to {employer.name}.")
        elif notice.given_on > deadlines.notice_by:
            problems.append(
                f"The notice to {employer.name} was given on "
                f"{short_date(notice.given_on)}, after the last day for it "
                f"({short_date(deadlines.notice_by)}, the seventh day before the opening "
                "day)."
            )
        if notice is None or notice.sample_paper_given_on is None:
            problems.append(f"No sample voting paper was given to {employer.name}.")
        elif notice.sample_paper_given_on > deadlines.sample_paper_by:
            problems.append(
                f"The sample voting paper to {employer.name} was given on "
                f"{short_date(notice.sample_paper_given_on)}, after the last day for it "
                f"({short_date(deadlines.sample_paper_by)}, the third day before the "
                "opening day)."
            )
    return problems
