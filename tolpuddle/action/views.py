"""The member's side of industrial action, in the portal: the periods of action that
call them out (their workplace or branch), the picket lines, and for each period
that has begun, "did you take part?" (once, and they may correct it). Plain forms:
no JavaScript needed. Each period links to its ballot's page (``disputes:my_ballot``),
which lists the same periods with a link back here to answer."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from tolpuddle.action import selectors, services
from tolpuddle.action.forms import TOOK_PART, ParticipationForm
from tolpuddle.action.models import ActionPeriod
from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.disputes import selectors as dispute_selectors
from tolpuddle.members.models import Membership
from tolpuddle.members.views import member_required

TEMPLATE = "action/my_action.html"


def _ids(period_id: int) -> str:
    """Each period's form on the page has ids of its own."""
    return f"period-{period_id}-%s"


def _page(
    request: HttpRequest,
    membership: Membership,
    *,
    failed: tuple[int, ParticipationForm] | None = None,
) -> HttpResponse:
    periods = selectors.periods_for_member(membership=membership)
    told = selectors.participations_of(membership=membership, periods=periods)
    now = timezone.now()
    # A period's ballot links to the ballot's page where the member may see it (in
    # its electorate); members called out who joined or moved since see its title.
    visible = set(
        dispute_selectors.ballots_for_member(membership=membership)
        .filter(pk__in={period.ballot_id for period in periods})
        .values_list("pk", flat=True)
    )
    rows = [
        {
            "period": period,
            "begun": period.starts_at <= now,
            "ballot_visible": period.ballot_id in visible,
            "participation": told.get(period.pk),
            "picket_lines": list(selectors.picket_lines_for(period=period)),
            "form": failed[1]
            if failed is not None and failed[0] == period.pk
            else ParticipationForm(auto_id=_ids(period.pk)),
        }
        for period in periods
    ]
    return TemplateResponse(
        request, TEMPLATE, {"rows": rows}, status=400 if failed else 200
    )


@member_required
def my_action(request: HttpRequest, membership: Membership) -> HttpResponse:
    return _page(request, membership)


@member_required
def my_participation(
    request: HttpRequest, membership: Membership, period_id: int
) -> HttpResponse:
    if request.method != "POST":
        return redirect("action:my_action")
    periods = {p.pk: p for p in selectors.periods_for_member(membership=membership)}
    period: ActionPeriod | None = periods.get(period_id)
    if period is None:
        return TemplateResponse(
            request,
            "action/not_found.html",
            {"message": "No period of action at this address calls you out."},
            status=404,
        )
    form = ParticipationForm(request.POST, auto_id=_ids(period.pk))
    if form.is_valid():
        took_part = form.cleaned_data["took_part"] == TOOK_PART
        try:
            services.participation_report(
                membership=membership,
                period=period,
                took_part=took_part,
                by=request.user if isinstance(request.user, User) else None,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "Thank you: we have recorded that you "
                + ("took part." if took_part else "did not take part."),
            )
            return redirect("action:my_action")
    return _page(request, membership, failed=(period_id, form))
