"""Back office: moving everyone at one employer to another (a TUPE transfer, a
reorganisation), for HQ membership staff.

Three steps, none needing JavaScript: choose the employer members are leaving
(which lists its workplaces and job categories), fill in the rest and preview
(``services.employer_bulk_transfer`` with ``dry_run=True``: who would move, writing
nothing), then confirm, which queues ``employer_bulk_transfer_task`` for the worker
and shows its progress at ``/admin/transfers/<task result id>/``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.core.models import TaskProgress, User
from tolpuddle.core.progress import progress_for
from tolpuddle.members import selectors, services, tasks
from tolpuddle.members.models import Employer, Employment, Workplace
from tolpuddle.members.normalise import InvalidValueError, parse_date

FORM_TEMPLATE = "backoffice/transfers/transfer_form.html"
RESULT_TEMPLATE = "backoffice/transfers/transfer_result.html"
SAMPLE_SIZE = 20
JOB_CATEGORIES_SHOWN = 200
# Backends that cannot look a result up later (the immediate one, in tests and
# development) have finished by the time ``enqueue`` returns: the outcome is kept
# in the session under this prefix for the result page.
SESSION_PREFIX = "backoffice:transfer:"


def _hq_user(request: HttpRequest) -> User:
    """Bulk transfers are HQ's: everyone else gets the same 404 as for a missing page."""
    user = request.user
    if (
        not isinstance(user, User)
        or not selectors.register_scope_for(user=user).change_all
    ):
        raise Http404
    return user


class SourceForm(forms.Form):
    from_employer = forms.ModelChoiceField(
        label="Employer the members are leaving",
        queryset=Employer.objects.order_by("name"),
        empty_label="Choose an employer",
        error_messages={
            "required": "Choose the employer the members are leaving.",
            "invalid_choice": "Choose an employer from the list.",
        },
    )


class TransferForm(forms.Form):
    """Everything the transfer needs; the source employer decides which workplaces
    and job categories there are to choose from."""

    from_employer = forms.ModelChoiceField(
        queryset=Employer.objects.all(), widget=forms.HiddenInput
    )
    workplaces = forms.ModelMultipleChoiceField(
        label="Only these workplaces (optional)",
        queryset=Workplace.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave them all unticked to move members at every workplace.",
    )
    job_categories = forms.MultipleChoiceField(
        label="Only these job categories (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave them all unticked to move members in every job category.",
    )
    to_employer = forms.ModelChoiceField(
        label="Employer they move to",
        queryset=Employer.objects.order_by("name"),
        empty_label="Choose an employer",
        error_messages={
            "required": "Choose the employer the members move to.",
            "invalid_choice": "Choose an employer from the list.",
        },
    )
    on = forms.CharField(
        label="Date of the transfer",
        max_length=40,
        help_text=(
            "The first day with the new employer, for example 01/04/2027. Jobs with "
            "the old employer end the day before."
        ),
        error_messages={"required": "Give the date of the transfer."},
    )
    reason = forms.CharField(
        label="Note for each member's history (optional)",
        required=False,
        max_length=300,
        help_text="For example: TUPE transfer of the probation service.",
    )

    def __init__(self, *args: Any, source: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["from_employer"].initial = source.pk
        workplaces = self.fields["workplaces"]
        assert isinstance(workplaces, forms.ModelMultipleChoiceField)  # noqa: S101 - narrows the type
        workplaces.queryset = Workplace.objects.filter(employer=source).order_by("name")
        categories = (
            Employment.objects.current_on(timezone.localdate())
            .filter(employer=source)
            .exclude(job_category="")
            .values_list("job_category", flat=True)
            .distinct()
            .order_by("job_category")[:JOB_CATEGORIES_SHOWN]
        )
        self.fields["job_categories"].choices = [(c, c) for c in categories]  # type: ignore[attr-defined]

    def clean_from_employer(self) -> Employer:
        employer: Employer = self.cleaned_data["from_employer"]
        if employer.pk != self.source.pk:
            raise forms.ValidationError("The employer changed; start again.")
        return employer

    def clean_on(self) -> datetime.date:
        try:
            return parse_date(str(self.cleaned_data["on"]))
        except InvalidValueError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        to_employer = cleaned.get("to_employer")
        if to_employer is not None and to_employer.pk == self.source.pk:
            self.add_error(
                "to_employer",
                "Choose a different employer: this is the one they are leaving.",
            )
        return cleaned

    def hidden_values(self) -> list[tuple[str, str]]:
        """The cleaned values as (name, value) pairs for the confirm form."""
        data = self.cleaned_data
        pairs = [
            ("from_employer", str(data["from_employer"].pk)),
            ("to_employer", str(data["to_employer"].pk)),
            ("on", data["on"].isoformat()),
            ("reason", data["reason"]),
        ]
        pairs += [("workplaces", str(w.pk)) for w in data["workplaces"]]
        pairs += [("job_categories", c) for c in data["job_categories"]]
        return pairs


def _source(request: HttpRequest) -> Employer | None:
    source_id = request.POST.get("from_employer") or request.GET.get("from_employer")
    if not source_id or not str(source_id).isdigit():
        return None
    return Employer.objects.filter(pk=int(source_id)).first()


def _dry_run(form: TransferForm, user: User) -> services.TransferResult | None:
    """Who would move; None (with the reason on the form) if nobody or if the
    service refuses."""
    data = form.cleaned_data
    try:
        result = services.employer_bulk_transfer(
            from_employer=data["from_employer"],
            to_employer=data["to_employer"],
            on=data["on"],
            actor=user,
            workplaces=list(data["workplaces"]),
            job_categories=list(data["job_categories"]),
            reason=data["reason"],
            dry_run=True,
        )
    except ApplicationError as error:
        form.add_error(None, error.message)
        return None
    if not result.count:
        day_before = data["on"] - datetime.timedelta(days=1)
        narrowed = (
            " at those workplaces or in those job categories"
            if data["workplaces"] or data["job_categories"]
            else ""
        )
        form.add_error(
            None,
            f"Nobody was employed by {result.from_employer}{narrowed} on "
            f"{day_before.day} {day_before:%B %Y}, so there is nobody to move. Check the employer "
            "and the date.",
        )
        return None
    return result


def transfer_form(request: HttpRequest) -> HttpResponse:
    user = _hq_user(request)
    source = _source(request)
    if source is None:
        chosen = SourceForm(request.GET if "from_employer" in request.GET else None)
        if chosen.is_bound:
            chosen.is_valid()  # shows why the choice was refused
        return TemplateResponse(request, FORM_TEMPLATE, {"source_form": chosen})
    if request.method != "POST":
        return TemplateResponse(
            request,
            FORM_TEMPLATE,
            {"form": TransferForm(source=source), "source": source},
        )
    form = TransferForm(request.POST, source=source)
    context: dict[str, Any] = {"form": form, "source": source}
    if not form.is_valid():
        return TemplateResponse(request, FORM_TEMPLATE, context)
    preview = _dry_run(form, user)
    if preview is None:
        return TemplateResponse(request, FORM_TEMPLATE, context)
    if request.POST.get("action") != "confirm":
        context.update(
            preview=preview,
            sample=preview.moves[:SAMPLE_SIZE],
            created_workplaces=sorted(set(preview.created_workplaces)),
            hidden_values=form.hidden_values(),
        )
        return TemplateResponse(request, FORM_TEMPLATE, context)
    data = form.cleaned_data
    result = tasks.employer_bulk_transfer_task.enqueue(
        from_employer_id=data["from_employer"].pk,
        to_employer_id=data["to_employer"].pk,
        on=data["on"].isoformat(),
        actor_id=user.pk,
        workplace_ids=[w.pk for w in data["workplaces"]],
        job_categories=list(data["job_categories"]),
        reason=data["reason"],
    )
    if not tasks.employer_bulk_transfer_task.get_backend().supports_get_result:
        request.session[SESSION_PREFIX + result.id] = _outcome(result).as_dict()
    return HttpResponseRedirect(reverse("backoffice_transfer_result", args=[result.id]))


@dataclass(frozen=True)
class Outcome:
    status: str
    moved: int | None = None
    details: dict[str, Any] | None = None
    error: str = ""
    # While queued or running: the employer the jobs move to, for the progress text.
    to_employer: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "moved": self.moved,
            "details": self.details,
            "error": self.error,
            "to_employer": self.to_employer,
        }


STATUS_LABELS = {
    TaskResultStatus.READY: "Queued: waiting for the worker to start it",
    TaskResultStatus.RUNNING: "Running",
    TaskResultStatus.SUCCESSFUL: "Succeeded",
    TaskResultStatus.FAILED: "Failed: nothing was changed",
}


def _outcome(result: TaskResult[Any]) -> Outcome:
    if result.status == TaskResultStatus.SUCCESSFUL:
        details = dict(result.return_value or {})
        return Outcome(
            status=result.status, moved=int(details.get("moved", 0)), details=details
        )
    if result.status == TaskResultStatus.FAILED:
        return Outcome(status=result.status, error=_error_message(result))
    to_employer_id = result.kwargs.get("to_employer_id")
    to_employer = (
        Employer.objects.filter(pk=int(to_employer_id)).first()
        if to_employer_id
        else None
    )
    return Outcome(
        status=result.status, to_employer=to_employer.name if to_employer else ""
    )


def _jobs(count: int) -> str:
    return f"{count:,} job{'' if count == 1 else 's'}"


def _progress_text(progress: TaskProgress | None, to_employer: str) -> str:
    """What a running transfer is doing, from what its task last recorded."""
    if progress is None:
        return "Starting…"
    to = f" to {to_employer}" if to_employer else ""
    if progress.stage == "moving" and progress.total is not None:
        return f"Moving {_jobs(progress.total)}{to}…"
    if progress.stage == "moved" and progress.total is not None:
        return f"{_jobs(progress.total)} moved{to}; finishing…"
    return "Checking who moves…"


def _error_message(result: TaskResult[Any]) -> str:
    """A refusal by the service is written for people; anything else is not."""
    for error in reversed(result.errors):
        if error.exception_class_path.endswith("ApplicationError"):
            lines = [line for line in error.traceback.splitlines() if line.strip()]
            if lines and ": " in lines[-1]:
                return lines[-1].split(": ", 1)[1]
    return (
        "Something went wrong in the worker; the details are in its log. Nothing was "
        "changed."
    )


def _find(request: HttpRequest, result_id: str) -> Outcome:
    try:
        return _outcome(tasks.employer_bulk_transfer_task.get_result(result_id))
    except (TaskResultDoesNotExist, TaskResultMismatch):
        raise Http404 from None
    except NotImplementedError:
        kept = request.session.get(SESSION_PREFIX + result_id)
        if kept is None:
            raise Http404 from None
        return Outcome(**kept)


def transfer_result(request: HttpRequest, result_id: str) -> HttpResponse:
    _hq_user(request)
    outcome = _find(request, result_id)
    moved_on = (outcome.details or {}).get("on")
    finished = outcome.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED)
    progress = None if finished else progress_for(task_id=result_id)
    return TemplateResponse(
        request,
        RESULT_TEMPLATE,
        {
            "outcome": outcome,
            "status_label": STATUS_LABELS.get(outcome.status, outcome.status),  # type: ignore[call-overload]
            "moved_on": datetime.date.fromisoformat(moved_on) if moved_on else None,
            "finished": finished,
            "progress": progress,
            "progress_text": _progress_text(progress, outcome.to_employer),
            # Only once the transaction has committed are the jobs moved; until
            # then the bar cannot honestly say how far it has gone.
            "progress_known": progress is not None
            and progress.stage == "moved"
            and bool(progress.total),
            "moving": progress is not None and progress.stage == "moving",
        },
    )


class HqMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return selectors.register_scope_for(user=request.user).change_all


@hooks.register("register_admin_urls")  # type: ignore[untyped-decorator]
def register_urls() -> list[Any]:
    return [
        path("transfers/", transfer_form, name="backoffice_transfer"),
        path(
            "transfers/<str:result_id>/",
            transfer_result,
            name="backoffice_transfer_result",
        ),
    ]


@hooks.register("register_admin_menu_item")  # type: ignore[untyped-decorator]
def register_menu_item() -> MenuItem:
    return HqMenuItem(
        "Bulk transfer",
        reverse("backoffice_transfer"),
        name="bulk-transfer",
        icon_name="arrow-right-full",
        order=700,
    )
