"""Voting pages: the member portal's list of polls and vote page, the public "vote
with your code" page, and the receipts."""

from __future__ import annotations

from typing import Any

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.members.models import Membership
from tolpuddle.members.views import member_required
from tolpuddle.voting import selectors, services
from tolpuddle.voting.forms import ReceiptCheckForm, VoteForm
from tolpuddle.voting.models import Poll

# Wrong codes tried from one address (settings.TOLPUDDLE_VOTING_CODE_RATE_LIMIT,
# allauth's rate format): a code has 80 random bits, so this is against a nuisance
# more than a guesser. Only failures count: a busy workplace behind one address can
# vote as fast as it likes.
CODE_FAILED = "vote_code_failed"
CODE_FAILURES = {"bad_code", "unknown_code", "other_poll"}
RECEIPTS_A_PAGE = 500


def _rate_config() -> dict[str, str]:
    return {
        CODE_FAILED: getattr(settings, "TOLPUDDLE_VOTING_CODE_RATE_LIMIT", "20/h/ip")
    }


def _code_failure(request: HttpRequest, *, dry_run: bool) -> bool:
    """Record a failed code (or, with ``dry_run``, only look); False once over the
    limit."""
    return (
        ratelimit.consume(
            request,
            app="tolpuddle.voting",
            action=CODE_FAILED,
            config=_rate_config(),
            dry_run=dry_run,
        )
        is not None
    )


@member_required
@never_cache
def my_polls(request: HttpRequest, membership: Membership) -> HttpResponse:
    now = timezone.now()
    # A ballot's poll links back to the ballot's page (the disputes app's, through
    # the one-to-one it holds): the one page for everything about that ballot.
    polls = list(
        selectors.polls_for_member(membership=membership).select_related("ballot")
    )
    context = {
        "open_polls": [p for p in polls if p.accepts_votes_at(now)],
        "coming_polls": [p for p in polls if p.status == "open" and now < p.opens_at],
        "past_polls": [
            p for p in polls if not p.accepts_votes_at(now) and not now < p.opens_at
        ],
    }
    return TemplateResponse(request, "voting/poll_list.html", context)


@member_required
@never_cache
def my_vote(request: HttpRequest, membership: Membership, poll_id: int) -> HttpResponse:
    """Vote as the signed-in member: the portal has authenticated them, so no code."""
    poll = get_object_or_404(
        selectors.polls_for_member(membership=membership), pk=poll_id
    )
    return _vote_page(request, poll, membership=membership)


@never_cache
def vote_with_code(request: HttpRequest, poll_id: int) -> HttpResponse:
    """Vote with the code from the email, signed in or not."""
    poll = get_object_or_404(Poll.objects.published(), pk=poll_id)
    return _vote_page(request, poll, membership=None)


def _vote_page(
    request: HttpRequest, poll: Poll, *, membership: Membership | None
) -> HttpResponse:
    questions = list(poll.questions.prefetch_related("choices"))
    with_code = membership is None
    form = VoteForm(request.POST or None, questions=questions, with_code=with_code)
    status = 200
    refusal = selectors.poll_not_accepting_because(poll=poll)
    refused = ""
    if request.method == "POST" and refusal is not None:
        # Too late (or too early): say so, whatever was filled in.
        refused = refusal[1]
        status = 400
    elif request.method == "POST":
        status = 400
        if with_code and not _code_failure(request, dry_run=True):
            form.is_valid()
            form.add_error(
                None,
                "Too many wrong codes have been tried from here. Wait an hour and try "
                "again, or sign in and vote from your membership page.",
            )
            status = 429
        elif form.is_valid():
            try:
                receipt = services.vote_cast(
                    poll=poll,
                    answers=form.answers(),
                    code=form.cleaned_data["code"] if with_code else None,
                    membership=membership,
                )
            except ApplicationError as error:
                if with_code and error.extra.get("reason") in CODE_FAILURES:
                    _code_failure(request, dry_run=False)
                form.refusal_add(error.message, error.extra)
            else:
                return _receipt_page(request, poll, receipt)
        elif with_code and "code" in form.errors:
            _code_failure(request, dry_run=False)
    context: dict[str, Any] = {
        "poll": poll,
        "form": form,
        "with_code": with_code,
        "accepting": refusal is None,
        "refused": refused,
        "not_yet_open": poll.status == "open" and timezone.now() < poll.opens_at,
        "has_voted": bool(getattr(poll, "has_voted", False)),
    }
    return TemplateResponse(request, "voting/poll_vote.html", context, status=status)


def _receipt_page(request: HttpRequest, poll: Poll, receipt: str) -> HttpResponse:
    """The receipt, shown in the response to the vote itself, once. Not a redirect
    to a page that shows it (the usual post/redirect/get): that page would need the
    receipt kept on the server (the session) or put in its address (the web
    server's logs), and either would tie it, and so the vote, to the voter."""
    response = TemplateResponse(
        request, "voting/vote_receipt.html", {"poll": poll, "receipt": receipt}
    )
    add_never_cache_headers(response)
    return response


def poll_receipts(request: HttpRequest, poll_id: int) -> HttpResponse:
    """The receipts of the votes counted, published when voting closes, and a form
    to look one up (by POST, so that a receipt is never in a logged address)."""
    poll = get_object_or_404(Poll.objects.published(), pk=poll_id)
    form = ReceiptCheckForm(request.POST or None)
    found: bool | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            found = selectors.poll_receipt_counted(
                poll=poll, receipt=form.cleaned_data["receipt"]
            )
        else:
            status = 400
    page = None
    if poll.receipts_published:
        page = Paginator(selectors.poll_receipts(poll=poll), RECEIPTS_A_PAGE).get_page(
            request.GET.get("page")
        )
    return TemplateResponse(
        request,
        "voting/poll_receipts.html",
        {"poll": poll, "form": form, "found": found, "page": page},
        status=status,
    )
