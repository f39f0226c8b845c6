"""The member's side of getting the vote out, in the portal: the ballots they are in,
and for each "I've voted", "Don't contact me about this ballot" and "I need a
replacement voting paper". Signed in, or from the signed link in a reminder email
without signing in. Plain forms (POST, then a redirect): no JavaScript needed.

No page asks how anyone voted, and nothing is stored about it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.disputes.models import Ballot, ElectorateEntry
from tolpuddle.members.models import Membership
from tolpuddle.members.views import member_required
from tolpuddle.turnout import links, selectors, services
from tolpuddle.turnout.forms import (
    DO_NOT_CONTACT,
    REPLACEMENT,
    VOTED,
    MemberTurnoutForm,
)
from tolpuddle.turnout.models import SaidVotedVia, TurnoutReport

DONE = {
    VOTED: "Thank you for voting, and for telling us. We will not remind you again "
    "about this ballot.",
    DO_NOT_CONTACT: "We will not contact you again about this ballot.",
    REPLACEMENT: "We have asked the independent scrutineer to send you a replacement "
    "voting paper. Please allow a few days for it to arrive.",
}


@member_required
def my_ballots(request: HttpRequest, membership: Membership) -> HttpResponse:
    entries = list(selectors.member_entries(membership_id=membership.pk))
    reports = {
        report.ballot_id: report
        for report in TurnoutReport.objects.filter(
            membership=membership, ballot_id__in=[e.ballot_id for e in entries]
        )
    }
    rows = [(entry.ballot, reports.get(entry.ballot_id)) for entry in entries]
    return TemplateResponse(request, "turnout/my_ballots.html", {"rows": rows})


def _act(
    request: HttpRequest,
    *,
    ballot: Ballot,
    membership: Membership,
    action: str,
    via: SaidVotedVia,
    by: User | None,
) -> None:
    """Call the one service the button asks for."""
    if action == VOTED:
        services.turnout_voted_record(
            ballot=ballot, membership=membership, via=via, by=by
        )
    elif action == DO_NOT_CONTACT:
        services.turnout_do_not_contact_set(ballot=ballot, membership=membership, by=by)
    else:
        services.replacement_paper_request(ballot=ballot, membership=membership, by=by)
    messages.success(request, DONE[action])


def _ballot_page(
    request: HttpRequest,
    *,
    entry: ElectorateEntry,
    membership: Membership,
    via: SaidVotedVia,
    by: User | None,
    action_url: str,
) -> HttpResponse:
    ballot = entry.ballot
    form = MemberTurnoutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _act(
                request,
                ballot=ballot,
                membership=membership,
                action=form.cleaned_data["action"],
                via=via,
                by=by,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            return redirect(action_url)
    report = selectors.turnout_report_for(ballot=ballot, membership_id=membership.pk)
    return TemplateResponse(
        request,
        "turnout/my_ballot.html",
        {
            "ballot": ballot,
            "report": report,
            "form": form,
            "action_url": action_url,
            "signed_in": by is not None,
        },
        status=400 if request.method == "POST" else 200,
    )


@member_required
def my_ballot(
    request: HttpRequest, membership: Membership, ballot_id: int
) -> HttpResponse:
    entry = selectors.member_entry(membership_id=membership.pk, ballot_id=ballot_id)
    if entry is None:
        return _problem(
            request,
            title="Ballot not found",
            message="You are not in the electorate of a ballot open for voting at "
            "this address. Your ballots are listed on the previous page.",
            status=404,
        )
    return _ballot_page(
        request,
        entry=entry,
        membership=membership,
        via=SaidVotedVia.PORTAL,
        by=request.user if isinstance(request.user, User) else None,
        action_url=reverse("turnout:my_ballot", kwargs={"ballot_id": ballot_id}),
    )


def voted_link(request: HttpRequest, ballot_id: int, token: str) -> HttpResponse:
    """The page a reminder email links to, for one member and one ballot, without
    signing in. Opening it changes nothing (mail scanners open links): only its
    buttons do."""
    sign_in = reverse("turnout:my_ballots")
    try:
        target = links.voted_link_read(token=token, ballot_id=ballot_id)
    except links.LinkExpiredError:
        return _problem(
            request,
            title="This link has expired",
            message="Links in our emails work for a few weeks only. Sign in to tell "
            "us you have voted.",
            status=410,
            sign_in_url=sign_in,
        )
    except links.LinkInvalidError:
        return _problem(
            request,
            title="This link does not work",
            message="The address may have been cut short or changed when it was "
            "copied. Try the link in the email again, or sign in to tell us you "
            "have voted.",
            status=404,
            sign_in_url=sign_in,
        )
    entry = (
        ElectorateEntry.objects.filter(
            ballot_id=target.ballot_id,
            membership_id=target.membership_id,
            reason="",
            left_on__isnull=True,
        )
        .select_related("ballot", "membership")
        .first()
    )
    if entry is None:
        return _problem(
            request,
            title="This link does not work",
            message="We cannot find you in this ballot's electorate. Sign in to see "
            "the ballots you are in.",
            status=404,
            sign_in_url=sign_in,
        )
    if not selectors.ballot_accepting_votes(entry.ballot):
        ballot = entry.ballot
        when = (
            f"opens on {ballot.opening_on:%d/%m/%Y}"
            if timezone.localdate() < ballot.opening_on
            else f"closed on {ballot.closing_on:%d/%m/%Y}"
        )
        return _problem(
            request,
            title="This ballot is not open for voting",
            message=f"{ballot} {when}: there is nothing to tell us now.",
            status=410,
        )
    return _ballot_page(
        request,
        entry=entry,
        membership=entry.membership,
        via=SaidVotedVia.LINK,
        by=None,
        action_url=request.path,
    )


def _problem(
    request: HttpRequest,
    *,
    title: str,
    message: str,
    status: int,
    sign_in_url: str = "",
) -> HttpResponse:
    return TemplateResponse(
        request,
        "turnout/link_problem.html",
        {"title": title, "message": message, "sign_in_url": sign_in_url},
        status=status,
    )
