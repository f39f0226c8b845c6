"""Back office: a ballot's vote and its result, at
``/admin/disputes/ballots/<id>/voting/`` and ``.../result/``.

After the notices of ballot (``backoffice/disputes.py``): the postal voting papers
(numbered, printed in batches, the scrutineer's mail merge), the online vote where
the law allows one, the result (the scrutineer's count, or the online vote's), what
it means under the ballot's rules and the mandate it gives, the result to every
member entitled to vote (s.231) and to each employer (s.231A).

Who: as for the other ballot pages (``disputes_support.ballots_for``, which asks
``selectors.ballots_visible_to``): anyone else gets a 404. Every change is for
those who may run the dispute's ballots (``disputes_support.may_change``), and is
one disputes service; a refusal is shown in the service's own words and nothing
is written.
"""

from __future__ import annotations

import datetime
import io
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST
from wagtail import hooks

from tolpuddle.backoffice import disputes_support as support
from tolpuddle.backoffice.disputes import GivenForm
from tolpuddle.backoffice.disputes_support import ballot_for_request as _ballot
from tolpuddle.backoffice.disputes_support import request_user as _user
from tolpuddle.backoffice.disputes_support import uk_day as _uk
from tolpuddle.backoffice.forms import DescribedFields, UkDateField
from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.disputes import documents, law, selectors, services
from tolpuddle.disputes.models import (
    Ballot,
    BallotQuestion,
    BallotResult,
    BallotStatus,
    ElectorateEntry,
    ResultNotice,
)
from tolpuddle.disputes.services.results import CountFigures, QuestionFigures
from tolpuddle.members import services as member_services
from tolpuddle.members.models import AccessAction, Workplace
from tolpuddle.voting import services as voting_services
from tolpuddle.voting.models import PollEventKind, PollStatus

TEMPLATES = "backoffice/disputes"
PAPERS_PER_BATCH = 500
RESULT_NOTICES_PER_PAGE = 20
WITHOUT_ADDRESS_SHOWN = 20
REPORT_MAX_MB = 20
# A count no scrutineer returns; it keeps typing slips out of the database's integers.
COUNT_MAX = 9_999_999


# --- Who may see what -----------------------------------------------------------------


def _result_notice(ballot: Ballot, notice_pk: int) -> ResultNotice:
    return get_object_or_404(selectors.result_notices(ballot=ballot), pk=notice_pk)


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


# --- Forms ----------------------------------------------------------------------------


class DeclaredForm(DescribedFields):
    """The day the result was declared, and the scrutineer's report (s.231B)."""

    declared_on = UkDateField(
        label="Day the result was declared",
        error_messages={"required": "Enter the day the result was declared."},
    )
    scrutineer_report = forms.FileField(
        label="The scrutineer's report (optional)",
        required=False,
        help_text="s.231B: the independent scrutineer's report on the ballot, for "
        f"example as a PDF, up to {REPORT_MAX_MB} MB. It can be attached later, when "
        "the result is recorded again, until the result has been given to anyone.",
        error_messages={
            "invalid": "Choose the report's file again: it could not be read.",
            "empty": "The chosen file is empty: choose the report's file.",
        },
    )

    def __init__(self, *args: Any, ballot: Ballot, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"declared_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.ballot = ballot
        self.fields["declared_on"].help_text = (
            f"On or after the closing day ({_uk(ballot.closing_on)}), and not a day "
            "to come. For example "
            f"{max(ballot.closing_on, timezone.localdate()):%d/%m/%Y}."
        )

    def clean_declared_on(self) -> datetime.date:
        declared_on: datetime.date = self.cleaned_data["declared_on"]
        if declared_on > timezone.localdate():
            raise forms.ValidationError(
                "Enter the day the result was declared, not a day to come."
            )
        if declared_on < self.ballot.closing_on:
            raise forms.ValidationError(
                "The result cannot be declared before the ballot closes "
                f"({_uk(self.ballot.closing_on)})."
            )
        return declared_on

    def clean_scrutineer_report(self) -> UploadedFile[Any] | None:
        report: UploadedFile[Any] | None = self.cleaned_data.get("scrutineer_report")
        if report is not None and (report.size or 0) > REPORT_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"The report is larger than {REPORT_MAX_MB} MB: save it as a smaller "
                "PDF and choose it again."
            )
        return report


@dataclass(frozen=True)
class QuestionFields:
    question: BallotQuestion
    yes: forms.BoundField
    no: forms.BoundField
    spoiled: forms.BoundField


@dataclass(frozen=True)
class CountGroup:
    """One count: of the whole ballot, or of one workplace's ballot (s.228)."""

    heading: str
    workplace: Workplace | None
    entitled: forms.BoundField
    questions: list[QuestionFields]


def _count(label: str, *, minimum: int = 0, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label[:1].upper() + label[1:],  # "Entitled to vote", "Leeds: ..."
        min_value=minimum,
        max_value=COUNT_MAX,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": minimum}),
        error_messages={
            "required": f"Enter the number {label.lower()} (0 if none)."
            if minimum == 0
            else f"Enter the number {label.lower()}.",
            "invalid": "Enter a whole number, for example 391.",
            "min_value": "The number cannot be negative."
            if minimum == 0
            else "At least one member must be entitled to vote.",
            "max_value": f"Enter a number no larger than {COUNT_MAX:,}.",
        },
    )


class ResultForm(DeclaredForm):
    """The scrutineer's count: how many were entitled to vote and, for each
    question, the numbers answering Yes and No and of spoiled papers; for separate
    workplace ballots (s.228), the same for each workplace's ballot."""

    def __init__(
        self,
        *args: Any,
        ballot: Ballot,
        questions: list[BallotQuestion],
        workplaces: list[Workplace] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, ballot=ballot, **kwargs)
        self.questions = questions
        self.workplaces = workplaces
        places: list[Workplace | None] = list(workplaces) if workplaces else [None]
        for place in places:
            prefix = self._prefix(place)
            where = f"{place.name}: " if place else ""
            self.fields[f"{prefix}entitled"] = _count(
                f"{where}entitled to vote",
                minimum=1,
                help_text="As the scrutineer returned it.",
            )
            for question in questions:
                about = f"{where}question {question.position}"
                for answer, label in (
                    ("yes", "answering Yes"),
                    ("no", "answering No"),
                    ("spoiled", "of spoiled or invalid papers"),
                ):
                    self.fields[f"{prefix}q{question.position}_{answer}"] = _count(
                        f"{about}, {label}"
                    )

    @staticmethod
    def _prefix(place: Workplace | None) -> str:
        return f"w{place.pk}_" if place else ""

    def groups(self) -> list[CountGroup]:
        """The fields arranged for the page: a fieldset for each count, one within
        it for each question."""
        places: list[Workplace | None] = (
            list(self.workplaces) if self.workplaces else [None]
        )
        groups = []
        for place in places:
            prefix = self._prefix(place)
            groups.append(
                CountGroup(
                    heading=f"The ballot at {place.name}" if place else "The count",
                    workplace=place,
                    entitled=self[f"{prefix}entitled"],
                    questions=[
                        QuestionFields(
                            question=q,
                            yes=self[f"{prefix}q{q.position}_yes"],
                            no=self[f"{prefix}q{q.position}_no"],
                            spoiled=self[f"{prefix}q{q.position}_spoiled"],
                        )
                        for q in self.questions
                    ],
                )
            )
        return groups

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        places: list[Workplace | None] = (
            list(self.workplaces) if self.workplaces else [None]
        )
        for place in places:
            prefix = self._prefix(place)
            entitled = data.get(f"{prefix}entitled")
            if entitled is None:
                continue
            for question in self.questions:
                names = [
                    f"{prefix}q{question.position}_{answer}"
                    for answer in ("yes", "no", "spoiled")
                ]
                values = [data.get(name) for name in names]
                if any(value is None for value in values):
                    continue
                total = sum(value for value in values if value is not None)
                if total > entitled:
                    self.add_error(
                        names[0],
                        f"Yes, No and spoiled papers add up to {total:,}, more than "
                        f"the {entitled:,} entitled to vote: check the figures with "
                        "the scrutineer.",
                    )
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data

        def figures(prefix: str) -> dict[int, QuestionFigures]:
            return {
                q.position: QuestionFigures(
                    yes=data[f"{prefix}q{q.position}_yes"],
                    no=data[f"{prefix}q{q.position}_no"],
                    spoiled=data[f"{prefix}q{q.position}_spoiled"],
                )
                for q in self.questions
            }

        if self.workplaces:
            return {
                "workplaces": {
                    place.pk: CountFigures(
                        entitled=data[f"{self._prefix(place)}entitled"],
                        questions=figures(self._prefix(place)),
                    )
                    for place in self.workplaces
                }
            }
        return {"entitled": data["entitled"], "questions": figures("")}


# --- What the pages show --------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    """One question's result (of one workplace's ballot, where separate), in
    words."""

    result: BallotResult
    turnout: str
    turnout_threshold: str
    support: str
    support_threshold: str


def _share(value: Any) -> str:
    return "" if value is None else law.format_percent(Fraction(value))


def _result_rows(ballot: Ballot) -> list[ResultRow]:
    return [
        ResultRow(
            result=result,
            turnout=_share(result.turnout_exact),
            turnout_threshold=_share(result.turnout_threshold),
            support=_share(result.support_exact),
            support_threshold=_share(result.support_threshold),
        )
        for result in selectors.ballot_results(ballot=ballot).order_by(
            "workplace__name", "workplace_id", "question__position"
        )
    ]


@dataclass(frozen=True)
class Informing:
    """How far the result's sending to members (s.231) has gone."""

    entitled: int
    sent: int
    started: datetime.datetime | None
    finished: datetime.datetime | None

    @property
    def still_to_send(self) -> int:
        return self.entitled - self.sent


def _informing(ballot: Ballot) -> Informing:
    entitled = selectors.electorate_size(ballot=ballot)
    # Those not yet sent it are in a partial index; counting them is quick.
    pending = ElectorateEntry.objects.filter(
        ballot=ballot, reason="", result_informed_at__isnull=True
    ).count()
    return Informing(
        entitled=entitled,
        sent=entitled - pending,
        started=ballot.members_informing_from,
        finished=ballot.members_informed_at,
    )


def _online_allowed(ballot: Ballot) -> tuple[bool, str]:
    """Whether the ballot may be voted online, and if not, why (as the service
    would say it)."""
    if not ballot.is_statutory:
        return True, ""
    regime = law.regime_for(opening_on=ballot.opening_on)
    if not regime.electronic_voting_permitted:
        return False, (
            "A statutory ballot is held by post until the order permitting "
            "electronic voting applies to ballots opening on "
            f"{_uk(ballot.opening_on)} (TULRCA s.230(2)); an administrator sets the "
            "day it applies from in Settings > Ballot law."
        )
    if selectors.separate_workplace_ballots(ballot):
        return False, (
            "Separate workplace ballots (s.228) are counted workplace by workplace, "
            "which one online vote cannot do: this ballot is held by post."
        )
    return True, ""


def _electorate_stands(ballot: Ballot) -> bool:
    """Whether papers or an online vote may be made from the electorate now (as the
    services decide it): frozen, and no longer to be frozen again."""
    if ballot.status == BallotStatus.CLOSED or not ballot.electorate_version:
        return False
    if ballot.status == BallotStatus.OPEN or not ballot.is_statutory:
        return True
    return (
        selectors.ballot_notices(ballot=ballot).filter(given_on__isnull=False).exists()
    )


def _voting_page(
    request: HttpRequest,
    ballot: Ballot,
    *,
    problems: list[str] | None = None,
    problems_heading: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    can_change = support.may_change(user=user, dispute=ballot.dispute)
    numbered = ballot.papers_numbered_at is not None
    count, first, last = (
        selectors.voting_paper_numbers(ballot=ballot) if numbered else (0, 0, 0)
    )
    batches = (
        selectors.voting_paper_batches(ballot=ballot, size=PAPERS_PER_BATCH)
        if numbered
        else []
    )
    without_address = selectors.electors_without_address(ballot=ballot)
    without_count = without_address.count() if ballot.electorate_version else 0
    without_shown = list(without_address[:WITHOUT_ADDRESS_SHOWN]) if numbered else []
    if without_shown:
        # Names of members: one entry for what the page lists, as for the electorate.
        member_services.personal_data_list_record(
            user=user,
            list_name="ballot electors without a home address",
            page=1,
            filters={"ballot": str(ballot.pk)},
            rows=len(without_shown),
        )
    online_allowed, online_refused = _online_allowed(ballot)
    stands = _electorate_stands(ballot)
    poll = ballot.poll
    has_result = ballot.result_declared_on is not None
    notices = selectors.result_notices(ballot=ballot)
    return TemplateResponse(
        request,
        f"{TEMPLATES}/ballot_voting.html",
        {
            "ballot": ballot,
            "dispute": ballot.dispute,
            "can_change": can_change,
            "problems": problems or [],
            "problems_heading": problems_heading or "There is a problem",
            "papers": {
                "numbered": numbered,
                "count": count,
                "first": first,
                "last": last,
                "width": documents.number_width(ballot=ballot) if numbered else 6,
                "batches": list(enumerate(batches, start=1)),
                "size": PAPERS_PER_BATCH,
                "without_address": without_count,
                "without_shown": without_shown,
                "can_number": can_change and stands and not numbered and poll is None,
            },
            "online": {
                "allowed": online_allowed,
                "refused": online_refused,
                "poll": poll,
                "voters": poll.voters.count() if poll else 0,
                "voted": poll.voters.filter(has_voted=True).count() if poll else 0,
                "codes_sent": poll.events.filter(kind=PollEventKind.CODES_SENT)
                .order_by("-created_at", "-id")
                .first()
                if poll
                else None,
                "can_send_codes": can_change
                and poll is not None
                and poll.status in (PollStatus.DRAFT, PollStatus.OPEN),
                "can_create": can_change
                and online_allowed
                and stands
                and poll is None
                and not numbered,
            },
            "has_result": has_result,
            "rows": _result_rows(ballot) if has_result else [],
            "mandate": selectors.ballot_mandate(ballot=ballot) if has_result else None,
            "can_record": can_change and ballot.status != BallotStatus.DRAFT,
            "informing": _informing(ballot) if has_result else None,
            "notices_total": notices.count(),
            "notices_given": notices.filter(given_on__isnull=False).count(),
        },
        status=status,
    )


def ballot_voting(request: HttpRequest, pk: int) -> HttpResponse:
    return _voting_page(request, _ballot(request, pk))


# --- Voting papers ---------------------------------------------------------------------


@require_POST
def ballot_papers_number(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk, change=True)
    try:
        papers = services.ballot_papers_number(ballot=ballot, by=_user(request))
    except ApplicationError as error:
        return _voting_page(
            request,
            ballot,
            problems=[error.message],
            problems_heading="The voting papers cannot be numbered",
            status=400,
        )
    messages.success(
        request, f"{papers:,} voting papers are numbered, from 1 to {papers:,}."
    )
    return redirect("backoffice_ballot_voting", ballot.pk)


def _numbered(request: HttpRequest, pk: int) -> Ballot:
    ballot = _ballot(request, pk)
    if ballot.papers_numbered_at is None:
        raise Http404
    return ballot


def _log_export(
    request: HttpRequest, ballot: Ballot, what: str, rows: int, **detail: Any
) -> None:
    """Names and home addresses of members leave the back office: logged before
    the first byte does, as for the members export."""
    member_services.personal_data_access_record(
        user=_user(request),
        action=AccessAction.EXPORTED,
        detail={"list": what, "ballot": ballot.pk, "rows": rows, **detail},
    )


def ballot_papers_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    ballot = _numbered(request, pk)
    batches = selectors.voting_paper_batches(ballot=ballot, size=PAPERS_PER_BATCH)
    if not 1 <= number <= len(batches):
        raise Http404
    batch = batches[number - 1]
    _log_export(
        request,
        ballot,
        "ballot voting papers",
        batch.count,
        batch=number,
        first=batch.first,
        last=batch.last,
    )
    response = HttpResponse(
        documents.voting_papers_pdf(ballot=ballot, batch=batch),
        content_type="application/pdf",
    )
    name = documents.batch_file_name(ballot=ballot, batch=batch)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def ballot_papers_csv(request: HttpRequest, pk: int) -> FileResponse:
    """The scrutineer's mail merge, written to a temporary file as the database
    streams it (in memory while small, then on disk) and sent from there in
    chunks: no size of electorate is held in memory."""
    ballot = _numbered(request, pk)
    count, _first, _last = selectors.voting_paper_numbers(ballot=ballot)
    _log_export(request, ballot, "ballot voting papers mail merge", count)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
    documents.voting_papers_csv(ballot=ballot, out=text)
    text.flush()
    text.detach()
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"papers-{ballot.pk}-mail-merge.csv",
        content_type="text/csv; charset=utf-8",
    )


# --- The online vote ---------------------------------------------------------------------


@require_POST
def ballot_poll_create(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk, change=True)
    try:
        poll = services.ballot_poll_create(ballot=ballot, by=_user(request))
    except ApplicationError as error:
        return _voting_page(
            request,
            ballot,
            problems=[error.message],
            problems_heading="The online vote cannot be set up",
            status=400,
        )
    messages.success(
        request,
        f"The online vote is set up for {poll.voters.count():,} members; it opens "
        "when the ballot opens.",
    )
    return redirect("backoffice_ballot_voting", ballot.pk)


@require_POST
def ballot_poll_codes_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Email every voter who has not voted a fresh one-time code (in the background)."""
    ballot = _ballot(request, pk, change=True)
    poll = getattr(ballot, "poll", None)
    try:
        if poll is None:
            raise ApplicationError("Set up the online vote first: it has no voters.")
        voting_services.poll_codes_send(poll=poll, by=_user(request))
    except ApplicationError as error:
        return _voting_page(
            request,
            ballot,
            problems=[error.message],
            problems_heading="The voting codes cannot be sent",
            status=400,
        )
    messages.success(
        request,
        "The voting codes are being emailed to every member who has not voted yet. "
        "Each email replaces any code the member was sent before.",
    )
    return redirect("backoffice_ballot_voting", ballot.pk)


# --- The result --------------------------------------------------------------------------


def _count_form(request: HttpRequest | None, ballot: Ballot) -> ResultForm:
    questions = list(ballot.questions.order_by("position"))
    workplaces = None
    if selectors.separate_workplace_ballots(ballot):
        ids = [
            pk
            for pk in selectors.electorate_by_workplace(ballot=ballot)
            if pk is not None
        ]
        workplaces = list(Workplace.objects.filter(pk__in=ids).order_by("name", "pk"))
    return ResultForm(
        request.POST if request is not None else None,
        request.FILES if request is not None else None,
        ballot=ballot,
        questions=questions,
        workplaces=workplaces,
    )


def _result_page(
    request: HttpRequest,
    ballot: Ballot,
    *,
    form: ResultForm | None = None,
    poll_form: DeclaredForm | None = None,
    status: int = 200,
) -> HttpResponse:
    nowhere = (
        selectors.electorate_by_workplace(ballot=ballot).get(None, 0)
        if selectors.separate_workplace_ballots(ballot)
        else 0
    )
    return TemplateResponse(
        request,
        f"{TEMPLATES}/ballot_result_form.html",
        {
            "ballot": ballot,
            "dispute": ballot.dispute,
            "form": form or _count_form(None, ballot),
            "poll_form": poll_form
            or (DeclaredForm(ballot=ballot, prefix="poll") if ballot.poll else None),
            "has_result": ballot.result_declared_on is not None,
            "draft": ballot.status == BallotStatus.DRAFT,
            "separate": selectors.separate_workplace_ballots(ballot),
            "no_workplace": nowhere,
            "electorate": selectors.electorate_size(ballot=ballot),
        },
        status=status,
    )


def _recorded(
    request: HttpRequest, ballot: Ballot, results: list[BallotResult]
) -> None:
    passed = [r for r in results if r.mandate]
    if not ballot.is_statutory:
        outcome = "a consultative ballot gives no mandate for industrial action"
    elif passed:
        outcome = "it gives a mandate for industrial action"
    else:
        outcome = "it gives no mandate for industrial action"
    messages.success(request, f"The result of “{ballot}” is recorded: {outcome}.")


def ballot_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The scrutineer's count, typed in (GET shows the form)."""
    ballot = _ballot(request, pk, change=True)
    if request.method != "POST":
        return _result_page(request, ballot)
    form = _count_form(request, ballot)
    if form.is_valid():
        try:
            results = services.ballot_result_record(
                ballot=ballot,
                declared_on=form.cleaned_data["declared_on"],
                by=_user(request),
                scrutineer_report=form.cleaned_data["scrutineer_report"],
                **form.service_arguments(),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            _recorded(request, ballot, results)
            return redirect("backoffice_ballot_voting", ballot.pk)
    return _result_page(request, ballot, form=form, status=400)


@require_POST
def ballot_result_from_poll(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk, change=True)
    form = DeclaredForm(request.POST, request.FILES, ballot=ballot, prefix="poll")
    if form.is_valid():
        try:
            results = services.ballot_result_from_poll(
                ballot=ballot,
                declared_on=form.cleaned_data["declared_on"],
                by=_user(request),
                scrutineer_report=form.cleaned_data["scrutineer_report"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            _recorded(request, ballot, results)
            return redirect("backoffice_ballot_voting", ballot.pk)
    return _result_page(request, ballot, poll_form=form, status=400)


def ballot_scrutineer_report(request: HttpRequest, pk: int) -> FileResponse:
    ballot = _ballot(request, pk)
    report = ballot.scrutineer_report
    if not report:
        raise Http404
    name = (report.name or "").rsplit("/", 1)[-1] or f"ballot-{ballot.pk}-report"
    return FileResponse(report.open("rb"), as_attachment=True, filename=name)


@require_POST
def ballot_result_inform(request: HttpRequest, pk: int) -> HttpResponse:
    ballot = _ballot(request, pk, change=True)
    try:
        services.ballot_result_inform_members(ballot=ballot, by=_user(request))
    except ApplicationError as error:
        return _voting_page(
            request,
            ballot,
            problems=[error.message],
            problems_heading="The result cannot be sent to the members",
            status=400,
        )
    messages.success(
        request,
        "The result is being sent to every member entitled to vote, in the "
        "background. This page shows how many it has gone to.",
    )
    return redirect("backoffice_ballot_voting", ballot.pk)


# --- The result to each employer (s.231A) -------------------------------------------------


def _result_notices_page(
    request: HttpRequest,
    ballot: Ballot,
    *,
    bound: tuple[ResultNotice, GivenForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The results as given to employers, a page of employers at a time; a form
    sent back with a mistake is shown on the page of its notice."""
    user = _user(request)
    can_change = support.may_change(user=user, dispute=ballot.dispute)
    notices = selectors.result_notices(ballot=ballot).order_by("employer__name", "pk")
    if bound is not None:
        before = notices.filter(employer__name__lt=bound[0].employer.name).count()
        number = before // RESULT_NOTICES_PER_PAGE + 1
    else:
        number = _page_number(request)
    page = Paginator(notices, RESULT_NOTICES_PER_PAGE).get_page(number)
    today = timezone.localdate()
    rows = []
    for notice in page.object_list:
        form = None
        if bound is not None and bound[0] == notice:
            form = bound[1]
        elif notice.given_on is None and can_change:
            form = GivenForm(
                prefix=f"result-{notice.pk}",
                initial={"given_on": today},
            )
        rows.append({"notice": notice, "form": form})
    return TemplateResponse(
        request,
        f"{TEMPLATES}/ballot_result_notices.html",
        {
            "ballot": ballot,
            "dispute": ballot.dispute,
            "page": page,
            "rows": rows,
            "can_change": can_change,
            "has_result": ballot.result_declared_on is not None,
        },
        status=status,
    )


def ballot_result_notices(request: HttpRequest, pk: int) -> HttpResponse:
    return _result_notices_page(request, _ballot(request, pk))


@require_POST
def ballot_result_notice_given(
    request: HttpRequest, pk: int, notice_pk: int
) -> HttpResponse:
    ballot = _ballot(request, pk, change=True)
    notice = _result_notice(ballot, notice_pk)
    form = GivenForm(request.POST, prefix=f"result-{notice.pk}")
    if form.is_valid():
        try:
            services.result_notice_record_given(
                notice=notice,
                given_on=form.cleaned_data["given_on"],
                by=_user(request),
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"The result is recorded as given to {notice.employer.name} on "
                f"{_uk(form.cleaned_data['given_on'])}.",
            )
            return redirect("backoffice_ballot_result_notices", ballot.pk)
    return _result_notices_page(request, ballot, bound=(notice, form), status=400)


def _file_stem(ballot: Ballot, notice: ResultNotice) -> str:
    return (
        f"result-of-ballot-{ballot.pk}-"
        f"{slugify(notice.employer.name) or notice.employer_id}"
    )


def ballot_result_notice_pdf(
    request: HttpRequest, pk: int, notice_pk: int
) -> HttpResponse:
    ballot = _ballot(request, pk)
    notice = _result_notice(ballot, notice_pk)
    response = HttpResponse(
        documents.result_notice_pdf(notice=notice), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_file_stem(ballot, notice)}.pdf"'
    )
    return response


def ballot_result_notice_text(
    request: HttpRequest, pk: int, notice_pk: int
) -> HttpResponse:
    ballot = _ballot(request, pk)
    notice = _result_notice(ballot, notice_pk)
    response = HttpResponse(notice.text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_file_stem(ballot, notice)}.txt"'
    )
    return response


# --- Hooks ---------------------------------------------------------------------------------


@hooks.register("register_admin_urls")  # type: ignore[untyped-decorator]
def register_urls() -> list[URLPattern]:
    ballot = "disputes/ballots/<int:pk>/"
    notice = ballot + "result/notices/<int:notice_pk>/"
    return [
        path(ballot + "voting/", ballot_voting, name="backoffice_ballot_voting"),
        path(
            ballot + "voting/papers/number/",
            ballot_papers_number,
            name="backoffice_ballot_papers_number",
        ),
        path(
            ballot + "voting/papers/<int:number>.pdf",
            ballot_papers_pdf,
            name="backoffice_ballot_papers_pdf",
        ),
        path(
            ballot + "voting/papers/mail-merge.csv",
            ballot_papers_csv,
            name="backoffice_ballot_papers_csv",
        ),
        path(
            ballot + "voting/online/",
            ballot_poll_create,
            name="backoffice_ballot_poll_create",
        ),
        path(
            ballot + "voting/online/codes/",
            ballot_poll_codes_send,
            name="backoffice_ballot_poll_codes_send",
        ),
        path(ballot + "result/", ballot_result, name="backoffice_ballot_result"),
        path(
            ballot + "result/from-online-vote/",
            ballot_result_from_poll,
            name="backoffice_ballot_result_from_poll",
        ),
        path(
            ballot + "result/scrutineer-report/",
            ballot_scrutineer_report,
            name="backoffice_ballot_scrutineer_report",
        ),
        path(
            ballot + "result/send-to-members/",
            ballot_result_inform,
            name="backoffice_ballot_result_inform",
        ),
        path(
            ballot + "result/notices/",
            ballot_result_notices,
            name="backoffice_ballot_result_notices",
        ),
        path(
            notice + "given/",
            ballot_result_notice_given,
            name="backoffice_ballot_result_notice_given",
        ),
        path(
            notice + "result.pdf",
            ballot_result_notice_pdf,
            name="backoffice_ballot_result_notice_pdf",
        ),
        path(
            notice + "result.txt",
            ballot_result_notice_text,
            name="backoffice_ballot_result_notice_text",
        ),
    ]
