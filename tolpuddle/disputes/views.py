"""The member portal's industrial action, in one place.

- ``/my/disputes/``: each dispute the member is balloted in, with its ballots, and
  for each ballot where it stands (voting opens, open: voted or not, closed,
  result declared) and whether action has been called that calls them out.
- ``/my/disputes/<ballot>/``: the one page of a ballot: what the dispute is about;
  how to vote (the paper posted to their home address, or the online vote, or that
  they have voted online); the turnout buttons ("I've voted", "I need a replacement
  voting paper", "Don't contact me about this ballot": ``turnout.portal``, posted
  to this page); the result as the union must tell it (s.231) and the mandate; the
  days of action that apply to them (the notices given to their employer, and the
  periods of action that call them out, each with "did you take part?").

``selectors.ballots_for_member`` decides which ballots a member sees: those they are
in the electorate of, once open. Any other (a near miss, a draft, someone else's) is
a 404, the same as one that does not exist; and the member's answers shown are only
their own (their turnout report, their poll's ``has_voted``, their participation).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from tolpuddle.action import selectors as action_selectors
from tolpuddle.action.models import ActionPeriod
from tolpuddle.core.models import User
from tolpuddle.disputes import documents, selectors
from tolpuddle.disputes.models import Ballot, BallotStatus, ElectorateEntry
from tolpuddle.members.models import Membership
from tolpuddle.members.views import member_required
from tolpuddle.turnout import portal as turnout_portal
from tolpuddle.turnout import selectors as turnout_selectors
from tolpuddle.turnout.forms import MemberTurnoutForm
from tolpuddle.turnout.models import SaidVotedVia, TurnoutReport
from tolpuddle.voting import selectors as voting_selectors
from tolpuddle.voting.models import Poll

DETAIL = "disputes/my_ballot_detail.html"


def _uk(day: datetime.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _ballot_state(
    ballot: Ballot,
    *,
    today: datetime.date,
    poll: Poll | None,
    report: TurnoutReport | None,
) -> str:
    """Where ``ballot`` stands for the member, in a few words for the list."""
    if ballot.result_declared_on is not None:
        return f"Result declared on {_uk(ballot.result_declared_on)}"
    if ballot.status == BallotStatus.OPEN and today < ballot.opening_on:
        return f"Voting opens on {_uk(ballot.opening_on)}"
    if ballot.status == BallotStatus.OPEN and today <= ballot.closing_on:
        if poll is not None and getattr(poll, "has_voted", False):
            said = ": you have voted online"
        elif report is not None and report.said_voted_at is not None:
            said = ": you told us you have voted"
        elif poll is not None:
            said = ": you have not voted yet"
        else:
            said = ""
        return f"Open for voting until {_uk(ballot.closing_on)}{said}"
    return (
        f"Voting closed on {_uk(ballot.closing_on)}; the result has not been "
        "declared yet"
    )


@member_required
def my_ballots(request: HttpRequest, membership: Membership) -> HttpResponse:
    ballots = list(selectors.ballots_for_member(membership=membership))
    today = timezone.localdate()
    polls = {
        poll.pk: poll
        for poll in voting_selectors.polls_for_member(membership=membership).filter(
            pk__in=[b.poll_id for b in ballots if b.poll_id is not None]
        )
    }
    reports = {
        report.ballot_id: report
        for report in TurnoutReport.objects.filter(
            membership=membership, ballot_id__in=[b.pk for b in ballots]
        )
    }
    with_action = {
        period.ballot_id
        for period in action_selectors.periods_for_member(membership=membership)
    }
    disputes: dict[int, dict[str, Any]] = {}
    for ballot in ballots:
        group = disputes.setdefault(
            ballot.dispute_id, {"dispute": ballot.dispute, "ballots": []}
        )
        group["ballots"].append(
            {
                "ballot": ballot,
                "state": _ballot_state(
                    ballot,
                    today=today,
                    poll=polls.get(ballot.poll_id) if ballot.poll_id else None,
                    report=reports.get(ballot.pk),
                ),
                "action": ballot.pk in with_action,
            }
        )
    return TemplateResponse(
        request, "disputes/my_ballot_list.html", {"disputes": list(disputes.values())}
    )


def _periods(
    membership: Membership, ballot: Ballot
) -> list[dict[str, ActionPeriod | Any]]:
    """The periods of action on ``ballot`` that call the member out, with what they
    told us of each."""
    periods = [
        period
        for period in action_selectors.periods_for_member(membership=membership)
        if period.ballot_id == ballot.pk
    ]
    told = action_selectors.participations_of(membership=membership, periods=periods)
    now = timezone.now()
    return [
        {
            "period": period,
            "begun": period.starts_at <= now,
            "participation": told.get(period.pk),
            "picket_lines": list(action_selectors.picket_lines_for(period=period)),
        }
        for period in periods
    ]


def _result(ballot: Ballot, entry: ElectorateEntry) -> dict[str, Any]:
    if ballot.result_declared_on is None:
        return {"sections": [], "mandate": None}
    content = documents.result_content(ballot=ballot)
    content["counts"] = [
        count
        for count in content["counts"]
        if count["workplace_id"] in (None, entry.workplace_id)
    ]
    return {
        "sections": documents.result_sections(content),
        "mandate": selectors.ballot_mandate(ballot=ballot, employer=entry.employer)
        if ballot.is_statutory
        else None,
    }


def _notices(ballot: Ballot, entry: ElectorateEntry) -> list[dict[str, Any]]:
    return [
        {
            "notice": notice,
            "action": documents.ACTION_NAMES[notice.action],
            **documents.action_notice_parts(notice.content),
            "start_on": datetime.date.fromisoformat(notice.content["start_on"])
            if notice.continuous
            else None,
        }
        for notice in selectors.action_notices_for_member(ballot=ballot, entry=entry)
    ]


@member_required
def my_ballot(
    request: HttpRequest, membership: Membership, ballot_id: int
) -> HttpResponse:
    """The ballot's page; a POST is one of the turnout buttons, then back here."""
    ballot = get_object_or_404(
        selectors.ballots_for_member(membership=membership).select_related("poll"),
        pk=ballot_id,
    )
    entry = selectors.member_entry(ballot=ballot, membership=membership)
    assert entry is not None  # noqa: S101 - ballots_for_member: the member is in it
    form = MemberTurnoutForm()
    if request.method == "POST":
        failed = turnout_portal.member_turnout_submit(
            request,
            ballot=ballot,
            membership=membership,
            via=SaidVotedVia.PORTAL,
            by=request.user if isinstance(request.user, User) else None,
        )
        if failed is None:
            return redirect("disputes:my_ballot", ballot_id=ballot.pk)
        form = failed
    poll: Poll | None = None
    if ballot.poll_id is not None:
        # Only the member's own Voter row says whether they have voted.
        poll = (
            voting_selectors.polls_for_member(membership=membership)
            .filter(pk=ballot.poll_id)
            .first()
        )
    context: dict[str, Any] = {
        "ballot": ballot,
        "dispute": ballot.dispute,
        "entry": entry,
        "person": membership.person,
        "online": ballot.poll_id is not None,
        "poll": poll,
        "poll_accepting": poll is not None
        and voting_selectors.poll_not_accepting_because(poll=poll) is None,
        "poll_not_yet_open": poll is not None
        and poll.status == "open"
        and timezone.now() < poll.opens_at,
        # The buttons while voting is open, for those still in the electorate.
        "accepting": turnout_selectors.ballot_accepting_votes(ballot)
        and entry.left_on is None,
        "report": turnout_selectors.turnout_report_for(
            ballot=ballot, membership_id=membership.pk
        ),
        "form": form,
        "turnout_forms": turnout_portal.FORMS_TEMPLATE,
        "action_url": reverse("disputes:my_ballot", args=[ballot.pk]),
        "today": timezone.localdate(),
        "actions": _notices(ballot, entry),
        "periods": _periods(membership, ballot),
        **_result(ballot, entry),
    }
    return TemplateResponse(
        request,
        DETAIL,
        context,
        status=400 if request.method == "POST" else 200,
    )
