"""The member's side of getting the vote out, in the portal. The ballot's one page
is the disputes app's (``disputes:my_ballot``, /my/disputes/<ballot>/), which shows
the three buttons ("I've voted", "Don't contact me about this ballot", "I need a
replacement voting paper", ``turnout.portal``). Here:

- ``/my/ballots/`` and ``/my/ballots/<ballot>/``, the old addresses, send the member
  to those pages (a form posted to the old address is passed on with a 307, so it
  is posted again there); a ballot the member is not in is a 404;
- ``/my/ballots/<ballot>/link/<token>/``, the signed link in a reminder email,
  without signing in.

Plain forms (POST, then a redirect): no JavaScript needed. No page asks how anyone
voted, and nothing is stored about it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from tolpuddle.disputes import selectors as dispute_selectors
from tolpuddle.disputes.models import ElectorateEntry
from tolpuddle.members.models import Membership
from tolpuddle.members.views import member_required
from tolpuddle.turnout import links, portal, selectors
from tolpuddle.turnout.forms import MemberTurnoutForm
from tolpuddle.turnout.models import SaidVotedVia


@member_required
def my_ballots(request: HttpRequest, membership: Membership) -> HttpResponse:
    """The old list of ballots open for voting: the member's disputes and ballots
    are all on one page now."""
    return redirect("disputes:my_ballots")


@member_required
def my_ballot(
    request: HttpRequest, membership: Membership, ballot_id: int
) -> HttpResponse:
    """The old page of one ballot: the ballot's page in the disputes app, for the
    same ballots (any other is a 404). A POST (a page from before the move) goes on
    with a 307, so the browser posts the same button there."""
    ballot = get_object_or_404(
        dispute_selectors.ballots_for_member(membership=membership), pk=ballot_id
    )
    url = reverse("disputes:my_ballot", args=[ballot.pk])
    if request.method == "POST":
        return HttpResponseRedirect(url, status=307)
    return redirect(url)


def voted_link(request: HttpRequest, ballot_id: int, token: str) -> HttpResponse:
    """The page a reminder email links to, for one member and one ballot, without
    signing in. Opening it changes nothing (mail scanners open links): only its
    buttons do."""
    sign_in = reverse("disputes:my_ballots")
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
    ballot = entry.ballot
    form = MemberTurnoutForm()
    if request.method == "POST":
        failed = portal.member_turnout_submit(
            request,
            ballot=ballot,
            membership=entry.membership,
            via=SaidVotedVia.LINK,
            by=None,
        )
        if failed is None:
            return redirect(request.path)
        form = failed
    return TemplateResponse(
        request,
        "turnout/my_ballot.html",
        {
            "ballot": ballot,
            "report": selectors.turnout_report_for(
                ballot=ballot, membership_id=entry.membership_id
            ),
            "form": form,
            "action_url": request.path,
        },
        status=400 if request.method == "POST" else 200,
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
