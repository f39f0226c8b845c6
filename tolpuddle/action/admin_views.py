"""The back office's industrial action pages (Wagtail admin, under /admin/action/),
for the staff of a dispute: its ballots and their periods of action; calling a
period; a period's picket lines, literature and participation counted by branch
and by workplace.

Pages read through ``selectors.ballots_for_action`` (the disputes a user sees) and
write only on ballots of ``selectors.ballots_action_managed_by``; anything else is a
404. The participation figures are counts, naming nobody.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from tolpuddle.action import law, selectors, services
from tolpuddle.action.forms import ActionPeriodForm, LiteratureForm, PicketLineForm
from tolpuddle.action.models import ActionKind, ActionPeriod, Literature
from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import User
from tolpuddle.disputes.models import Ballot, ElectorateEntry
from tolpuddle.members import services as member_services
from tolpuddle.members.models import Workplace

TEMPLATES = "action/admin"


def urls() -> list[URLPattern]:
    return [
        path("action/", ballot_list, name="action_ballots"),
        path(
            "action/ballots/<int:ballot_id>/periods/new/",
            period_new,
            name="action_period_new",
        ),
        path("action/periods/<int:pk>/", period_detail, name="action_period"),
        path(
            "action/periods/<int:pk>/picket-lines/new/",
            picket_line_new,
            name="action_picket_line_new",
        ),
        path(
            "action/periods/<int:pk>/literature/new/",
            literature_new,
            name="action_literature_new",
        ),
        path(
            "action/literature/<int:pk>/file/",
            literature_file,
            name="action_literature_file",
        ),
    ]


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # pragma: no cover - the admin requires a sign-in
        raise Http404
    return user


def _managed_period(request: HttpRequest, pk: int) -> ActionPeriod:
    return get_object_or_404(
        ActionPeriod.objects.filter(
            ballot__in=selectors.ballots_action_managed_by(user=_user(request))
        ).select_related("ballot"),
        pk=pk,
    )


def ballot_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    ballots = list(
        selectors.ballots_for_action(user=user)
        .select_related("dispute")
        .prefetch_related("action_periods")
        .order_by("-closing_on", "-pk")[:100]
    )
    if not ballots and not user.has_perm("action.manage_action"):
        raise Http404
    managed = set(
        selectors.ballots_action_managed_by(user=user)
        .filter(pk__in=[b.pk for b in ballots])
        .values_list("pk", flat=True)
    )
    rows = [
        {
            "ballot": ballot,
            "managed": ballot.pk in managed,
            "mandate": law.ballot_mandate(ballot=ballot),
            "periods": list(ballot.action_periods.all()),
        }
        for ballot in ballots
    ]
    return TemplateResponse(request, f"{TEMPLATES}/ballot_list.html", {"rows": rows})


def period_new(request: HttpRequest, ballot_id: int) -> HttpResponse:
    ballot: Ballot = get_object_or_404(
        selectors.ballots_action_managed_by(user=_user(request)), pk=ballot_id
    )
    form = ActionPeriodForm(
        request.POST or None,
        branches=selectors.called_out_branches(ballot=ballot),
        workplaces=selectors.called_out_workplaces(ballot=ballot),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = services.action_period_create(
                ballot=ballot,
                kind=ActionKind(data["kind"]),
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                branches=list(data["branches"]),
                workplaces=list(data["workplaces"]),
                description=data["description"],
                by=_user(request),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{period} is called.")
            return redirect("action_period", pk=period.pk)
    return TemplateResponse(
        request,
        f"{TEMPLATES}/period_form.html",
        {"ballot": ballot, "form": form, "mandate": law.ballot_mandate(ballot=ballot)},
        status=400 if request.method == "POST" else 200,
    )


def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    period = get_object_or_404(
        selectors.periods_visible_to(user=user).prefetch_related(
            "branches", "workplaces__employer"
        ),
        pk=pk,
    )
    picket_lines = list(selectors.picket_lines_for(period=period))
    # The picket supervisors' names and phones: one entry for the page.
    member_services.personal_data_list_record(
        user=user,
        list_name="picket supervisors",
        page=1,
        filters={"period": str(period.pk)},
        rows=len(picket_lines),
    )
    return TemplateResponse(
        request,
        f"{TEMPLATES}/period_detail.html",
        {
            "period": period,
            "ballot": period.ballot,
            "counts": selectors.participation_counts(period=period),
            "picket_lines": picket_lines,
            "literature": period.literature.prefetch_related("branches"),
            "managed": selectors.ballots_action_managed_by(user=user)
            .filter(pk=period.ballot_id)
            .exists(),
        },
    )


def _picket_workplaces(period: ActionPeriod) -> QuerySet[Workplace]:
    """The workplaces whose members the period calls out."""
    return (
        Workplace.objects.filter(
            Q(pk__in=period.called_workplaces.values("workplace_id"))
            | Q(
                pk__in=ElectorateEntry.objects.filter(
                    ballot_id=period.ballot_id,
                    reason="",
                    membership__branch_id__in=period.called_branches.values(
                        "branch_id"
                    ),
                ).values("workplace_id")
            )
        )
        .select_related("employer")
        .order_by("name", "pk")
    )


def picket_line_new(request: HttpRequest, pk: int) -> HttpResponse:
    period = _managed_period(request, pk)
    form = PicketLineForm(
        request.POST or None,
        workplaces=_picket_workplaces(period),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.picket_line_add(
                period=period,
                workplace=data["workplace"],
                place=data["place"],
                supervisor=data["supervisor"],
                supervisor_contact=data["supervisor_contact"],
                by=_user(request),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The picket line is added.")
            return redirect("action_period", pk=period.pk)
    return TemplateResponse(
        request,
        f"{TEMPLATES}/form.html",
        {
            "period": period,
            "form": form,
            "title": "Add a picket line",
            "multipart": False,
        },
        status=400 if request.method == "POST" else 200,
    )


def literature_new(request: HttpRequest, pk: int) -> HttpResponse:
    period = _managed_period(request, pk)
    form = LiteratureForm(
        request.POST or None,
        request.FILES or None,
        branches=selectors.called_out_branches(ballot=period.ballot),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.literature_send(
                period=period,
                title=data["title"],
                text=data["text"],
                file=data["file"],
                branches=list(data["branches"]),
                by=_user(request),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The literature is sent to the branches.")
            return redirect("action_period", pk=period.pk)
    return TemplateResponse(
        request,
        f"{TEMPLATES}/form.html",
        {"period": period, "form": form, "title": "Send literature", "multipart": True},
        status=400 if request.method == "POST" else 200,
    )


def literature_file(request: HttpRequest, pk: int) -> FileResponse:
    literature: Literature = get_object_or_404(
        selectors.literature_visible_to(user=_user(request)), pk=pk
    )
    if not literature.file:
        raise Http404
    return FileResponse(
        literature.file.open("rb"),
        as_attachment=True,
        filename=(literature.file.name or "literature").rsplit("/", 1)[-1],
    )
