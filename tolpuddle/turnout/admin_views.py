"""The back office's side of getting the vote out (Wagtail admin, under /admin/turnout/).

- Reps and branch officers: the electors in their own scope
  (``selectors.electors_visible_to``: a workplace rep their workplaces, a branch
  officer their branches, HQ everyone), who has and has not said they voted, and
  for each: mark voted / cannot be reached / to exclude, and call notes. Members
  who asked not to be contacted are shown as such and are not in the list to call.
- Staff: the dashboard (reported turnout and the scrutineer's figures against the
  threshold, by workplace and day by day), reminders to vote, the scrutineer's
  figures, and the requests for replacement papers.

Every page fetches its ballot and elector through the selectors, so anything out of
scope is a 404; every page that names members writes the access log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.disputes.models import Ballot, ElectorateEntry
from tolpuddle.members import services as member_services
from tolpuddle.members.models import AccessAction, Workplace
from tolpuddle.members.normalise import format_phone
from tolpuddle.turnout import selectors, services
from tolpuddle.turnout.forms import CallNoteForm, RepMarkForm, ScrutineerFigureForm
from tolpuddle.turnout.models import CallOutcome, ExcludeReason, RepStatus

TEMPLATES = "turnout/admin"
PAGE_SIZE = 50

SHOW_CHOICES = [
    (selectors.ELECTORS_TO_CALL, "To call"),
    (selectors.ELECTORS_NOT_VOTED, "Not said they voted"),
    (selectors.ELECTORS_VOTED, "Said they voted"),
    (selectors.ELECTORS_ALL, "Everyone"),
]


def urls() -> list[URLPattern]:
    return [
        path("turnout/", ballot_list, name="turnout_ballots"),
        path(
            "turnout/<int:ballot_id>/electors/", elector_list, name="turnout_electors"
        ),
        path(
            "turnout/<int:ballot_id>/electors/<int:membership_id>/",
            elector_detail,
            name="turnout_elector",
        ),
        path(
            "turnout/<int:ballot_id>/electors/<int:membership_id>/mark/",
            elector_mark,
            name="turnout_elector_mark",
        ),
        path(
            "turnout/<int:ballot_id>/electors/<int:membership_id>/calls/",
            elector_call,
            name="turnout_elector_call",
        ),
        path("turnout/<int:ballot_id>/dashboard/", dashboard, name="turnout_dashboard"),
        path("turnout/<int:ballot_id>/reminders/", reminders, name="turnout_reminders"),
        path(
            "turnout/<int:ballot_id>/scrutineer/",
            scrutineer,
            name="turnout_scrutineer",
        ),
        path(
            "turnout/<int:ballot_id>/replacements/",
            replacements,
            name="turnout_replacements",
        ),
    ]


# --- Fetching ---------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # pragma: no cover - the admin requires a sign-in
        raise Http404
    return user


def _ballot(request: HttpRequest, ballot_id: int) -> Ballot:
    return get_object_or_404(
        selectors.ballots_for_turnout(user=_user(request)), pk=ballot_id
    )


def _managed(request: HttpRequest, ballot_id: int) -> Ballot:
    return get_object_or_404(
        selectors.ballots_managed_by(user=_user(request)), pk=ballot_id
    )


def _elector(
    request: HttpRequest, ballot: Ballot, membership_id: int
) -> ElectorateEntry:
    return get_object_or_404(
        selectors.electors_visible_to(
            user=_user(request), ballot=ballot
        ).select_related(
            "membership__person", "membership__branch", "workplace__employer"
        ),
        membership_id=membership_id,
    )


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


# --- The list of ballots --------------------------------------------------------------


def ballot_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    ballots = list(
        selectors.ballots_for_turnout(user=user)
        .select_related("dispute")
        .order_by("-closing_on", "-pk")[:100]
    )
    managed = set(
        selectors.ballots_managed_by(user=user)
        .filter(pk__in=[b.pk for b in ballots])
        .values_list("pk", flat=True)
    )
    dashboards = set(
        selectors.ballots_on_dashboard(user=user)
        .filter(pk__in=[b.pk for b in ballots])
        .values_list("pk", flat=True)
    )
    rows = [
        {
            "ballot": ballot,
            "managed": ballot.pk in managed,
            "dashboard": ballot.pk in dashboards,
            "accepting": selectors.ballot_accepting_votes(ballot),
        }
        for ballot in ballots
    ]
    if not rows and not selectors.turnout_scope_for(user=user).sees_anyone:
        raise Http404
    return TemplateResponse(request, f"{TEMPLATES}/ballot_list.html", {"rows": rows})


# --- A rep's electors -----------------------------------------------------------------


def elector_list(request: HttpRequest, ballot_id: int) -> HttpResponse:
    user = _user(request)
    ballot = _ballot(request, ballot_id)
    show = request.GET.get("show") or selectors.ELECTORS_TO_CALL
    if show not in selectors.ELECTOR_FILTERS:
        return TemplateResponse(
            request,
            f"{TEMPLATES}/elector_list.html",
            {
                "ballot": ballot,
                "show": show,
                "show_choices": SHOW_CHOICES,
                "error": "Choose who to show from the list.",
            },
            status=400,
        )
    visible = selectors.electors_visible_to(user=user, ballot=ballot)
    counts = selectors.scope_counts(user=user, ballot=ballot)
    page = Paginator(
        selectors.electors_filtered(visible, show=show), PAGE_SIZE
    ).get_page(_page_number(request))
    rows = [
        {"entry": entry, "phone": format_phone(entry.membership.person.phone)}
        for entry in page.object_list
    ]
    member_services.personal_data_list_record(
        user=user,
        list_name="turnout electors",
        page=page.number,
        filters={"ballot": str(ballot.pk), "show": show},
        rows=len(rows),
    )
    return TemplateResponse(
        request,
        f"{TEMPLATES}/elector_list.html",
        {
            "ballot": ballot,
            "show": show,
            "show_choices": SHOW_CHOICES,
            "counts": counts,
            "page": page,
            "rows": rows,
            "accepting": selectors.ballot_accepting_votes(ballot),
        },
    )


def _elector_page(
    request: HttpRequest,
    *,
    ballot: Ballot,
    entry: ElectorateEntry,
    mark_form: RepMarkForm | None = None,
    call_form: CallNoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return TemplateResponse(
        request,
        f"{TEMPLATES}/elector_detail.html",
        {
            "ballot": ballot,
            "entry": entry,
            "person": entry.membership.person,
            "phone": format_phone(entry.membership.person.phone),
            "report": selectors.turnout_report_for(
                ballot=ballot, membership_id=entry.membership_id
            ),
            "calls": selectors.elector_calls(
                ballot=ballot, membership_id=entry.membership_id
            )[:100],
            "mark_form": mark_form or RepMarkForm(),
            "call_form": call_form or CallNoteForm(),
            "accepting": selectors.ballot_accepting_votes(ballot),
        },
        status=status,
    )


def elector_detail(
    request: HttpRequest, ballot_id: int, membership_id: int
) -> HttpResponse:
    ballot = _ballot(request, ballot_id)
    entry = _elector(request, ballot, membership_id)
    member_services.personal_data_access_record(
        user=_user(request),
        action=AccessAction.VIEWED,
        membership=entry.membership,
        detail={"page": "turnout elector", "ballot": ballot.pk},
    )
    return _elector_page(request, ballot=ballot, entry=entry)


def _elector_url(ballot: Ballot, entry: ElectorateEntry) -> str:
    return reverse("turnout_elector", args=[ballot.pk, entry.membership_id])


@require_POST
def elector_mark(
    request: HttpRequest, ballot_id: int, membership_id: int
) -> HttpResponse:
    ballot = _ballot(request, ballot_id)
    entry = _elector(request, ballot, membership_id)
    form = RepMarkForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.turnout_rep_mark(
                ballot=ballot,
                membership=entry.membership,
                status=RepStatus(data["status"]),
                reason=ExcludeReason(data["reason"]) if data["reason"] else None,
                note=data["note"],
                by=_user(request),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"{entry.membership.person} is marked as "
                f"{RepStatus(data['status']).label.lower()}.",
            )
            return redirect(_elector_url(ballot, entry))
    return _elector_page(
        request, ballot=ballot, entry=entry, mark_form=form, status=400
    )


@require_POST
def elector_call(
    request: HttpRequest, ballot_id: int, membership_id: int
) -> HttpResponse:
    ballot = _ballot(request, ballot_id)
    entry = _elector(request, ballot, membership_id)
    form = CallNoteForm(request.POST)
    if form.is_valid():
        try:
            services.turnout_call_add(
                ballot=ballot,
                membership=entry.membership,
                outcome=CallOutcome(form.cleaned_data["outcome"]),
                note=form.cleaned_data["note"],
                by=_user(request),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The call is noted.")
            return redirect(_elector_url(ballot, entry))
    return _elector_page(
        request, ballot=ballot, entry=entry, call_form=form, status=400
    )


# --- Staff ------------------------------------------------------------------------------


def dashboard(request: HttpRequest, ballot_id: int) -> HttpResponse:
    ballot = get_object_or_404(
        selectors.ballots_on_dashboard(user=_user(request)), pk=ballot_id
    )
    raw = request.GET.get("workplace", "")
    status = 200
    error = ""
    workplace_id: int | None = None
    if raw:
        if raw.isdigit():
            workplace_id = int(raw)
        else:
            error, status = "Choose a workplace from the list.", 400
    board = selectors.turnout_dashboard(ballot=ballot, workplace_id=workplace_id)
    if workplace_id is not None and board.selected is None:
        error, status = "Nobody at that workplace is in this ballot's electorate.", 400
    return TemplateResponse(
        request,
        f"{TEMPLATES}/dashboard.html",
        {
            "ballot": ballot,
            "board": board,
            "error": error,
            "workplace": raw,
            "managed": selectors.ballots_managed_by(user=_user(request))
            .filter(pk=ballot.pk)
            .exists(),
        },
        status=status,
    )


def reminders(request: HttpRequest, ballot_id: int) -> HttpResponse:
    ballot = _managed(request, ballot_id)
    error = ""
    if request.method == "POST":
        try:
            event = services.turnout_reminder_send(ballot=ballot, by=_user(request))
        except ApplicationError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                f"The reminder is being sent to {event.data['recipients']:,} "
                "members who have not said they voted.",
            )
            return redirect("turnout_reminders", ballot_id=ballot.pk)
    return TemplateResponse(
        request,
        f"{TEMPLATES}/reminders.html",
        {
            "ballot": ballot,
            "preview": selectors.reminder_preview(ballot=ballot),
            "error": error,
            "accepting": selectors.ballot_accepting_votes(ballot),
        },
        status=400 if error else 200,
    )


def scrutineer(request: HttpRequest, ballot_id: int) -> HttpResponse:
    ballot = _managed(request, ballot_id)
    workplaces = (
        Workplace.objects.filter(
            pk__in=ElectorateEntry.objects.filter(ballot=ballot, reason="")
            .exclude(workplace__isnull=True)
            .values("workplace_id")
        )
        .select_related("employer")
        .order_by("name", "pk")
    )
    form = ScrutineerFigureForm(request.POST or None, workplaces=workplaces)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.scrutineer_turnout_record(
                ballot=ballot,
                day=data["day"],
                workplace=data["workplace"],
                returned=data["returned"],
                by=_user(request),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The scrutineer's figure is recorded.")
            return redirect("turnout_dashboard", ballot_id=ballot.pk)
    return TemplateResponse(
        request,
        f"{TEMPLATES}/scrutineer.html",
        {"ballot": ballot, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def replacements(request: HttpRequest, ballot_id: int) -> HttpResponse:
    user = _user(request)
    ballot = _managed(request, ballot_id)
    page = Paginator(selectors.replacement_requests(ballot=ballot), PAGE_SIZE).get_page(
        _page_number(request)
    )
    rows: list[Any] = list(page.object_list)
    member_services.personal_data_list_record(
        user=user,
        list_name="replacement voting papers",
        page=page.number,
        filters={"ballot": str(ballot.pk)},
        rows=len(rows),
    )
    return TemplateResponse(
        request,
        f"{TEMPLATES}/replacements.html",
        {"ballot": ballot, "page": page, "rows": rows},
    )
