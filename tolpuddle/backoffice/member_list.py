"""Back office: the members list (search, filters, pages) and its CSV export.

Everything is read through ``selectors.memberships_visible_to``, so a branch
secretary's list, filters and exports hold their own branch and nothing else: a
filter for another branch finds nobody. The list is built to stay quick at a
million members: one page of 50 in membership-number order (or name order for a
name search), a count that stops at ``COUNT_LIMIT`` (``SEARCH_COUNT_LIMIT`` for
a search), and no page beyond it (the
export is there for whole lists).
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BigAutoField,
    BooleanField,
    DateField,
    F,
    Func,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.lookups import GreaterThanOrEqual, In, LessThanOrEqual
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from tolpuddle.core.expressions import Unindexed
from tolpuddle.members import selectors, services
from tolpuddle.members.models import (
    AccessAction,
    Branch,
    Employer,
    Employment,
    Membership,
    MembershipCategory,
    MembershipQuerySet,
    MembershipStatus,
    Region,
    Workplace,
)
from tolpuddle.members.normalise import InvalidValueError, parse_date

PAGE_SIZE = 50
COUNT_LIMIT = 10_000  # counted exactly up to here; beyond, "more than 10,000"
# A search is counted, and paged, no further than this: beyond it the words typed
# are too few to find someone ("smi" in a big union), so the page asks for more.
SEARCH_COUNT_LIMIT = 1_000
# From this many matches, the page is found faster by reading members in number
# order and checking each than by fetching every match and sorting (SQLite): for
# the job filters from ROW_BY_ROW_FROM, for the date filters only beyond
# COUNT_LIMIT, since the day someone joined follows their membership number (a
# month's joiners sit together, perhaps at the far end of the walk).
ROW_BY_ROW_FROM = 2_000
EXPORT_CHUNK = 2000
TEMPLATE = "backoffice/member_list.html"


# --- The filters ---------------------------------------------------------------------


class UKDateField(forms.CharField):
    """A date as people in the UK type it (25/11/2026, 25 November 2026, 2026-11-25)."""

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_date(text)
        except InvalidValueError as error:
            raise ValidationError(str(error)) from None


def _choices(label: str, choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *choices]


def _model_choice(queryset: Any, label: str, what: str) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return forms.ModelChoiceField(
        queryset=queryset,
        required=False,
        empty_label=label,
        error_messages={"invalid_choice": f"Choose {what} from the list."},
    )


class MemberListFilters(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Name (start of the last name, or first and last: “jo smi”), "
        "membership number, email or postcode.",
    )
    status = forms.ChoiceField(
        required=False,
        choices=_choices("Any status", MembershipStatus.choices),
        error_messages={"invalid_choice": "Choose a status from the list."},
    )
    category = forms.ChoiceField(
        required=False,
        choices=_choices("Any category", MembershipCategory.choices),
        error_messages={"invalid_choice": "Choose a category from the list."},
    )
    branch = _model_choice(Branch.objects.all(), "Any branch", "a branch")
    region = _model_choice(Region.objects.all(), "Any region", "a region")
    employer = _model_choice(Employer.objects.all(), "Any employer", "an employer")
    workplace = forms.ModelChoiceField(
        queryset=Workplace.objects.none(),
        required=False,
        empty_label="Any workplace",
        help_text="Choose an employer and press Filter to list its workplaces.",
        error_messages={
            "invalid_choice": "Choose a workplace of the chosen employer: choose the "
            "employer first, press Filter, then choose the workplace."
        },
    )
    job_category = forms.CharField(
        label="Job category or grade",
        required=False,
        max_length=100,
        help_text="Exactly as recorded, for example “Probation Officer”.",
    )
    joined_from = UKDateField(label="Joined on or after", required=False)
    joined_to = UKDateField(label="Joined on or before", required=False)
    left_from = UKDateField(label="Left on or after", required=False)
    left_to = UKDateField(label="Left on or before", required=False)

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data)
        employer_id = data.get("employer", "")
        if employer_id.isdigit():
            self.fields["workplace"].queryset = Workplace.objects.filter(  # type: ignore[attr-defined]
                employer_id=int(employer_id)
            ).order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for start, end in (("joined_from", "joined_to"), ("left_from", "left_to")):
            first, last = cleaned.get(start), cleaned.get(end)
            if first and last and first > last:
                self.add_error(
                    end, "This date is before the first one: swap them round."
                )
        return cleaned

    @cached_property
    def options(self) -> dict[str, SafeString]:
        """The ``<option>`` elements of each list, by field name, with what was chosen
        selected. Written in one loop rather than by Django's widgets, which render
        a template per option (slow with hundreds of employers)."""
        employer_id = self.data.get("employer", "")
        lists: dict[str, list[tuple[Any, Any]]] = {
            "status": list(MembershipStatus.choices),
            "category": list(MembershipCategory.choices),
            "branch": selectors.branch_choices(),
            "region": selectors.region_choices(),
            "employer": selectors.employer_choices(),
            "workplace": (
                selectors.workplace_choices(employer_id=int(employer_id))
                if employer_id.isdigit()
                else []
            ),
        }
        return {
            name: _options(
                self.fields[name], choices, self[name].value() if self.is_bound else ""
            )
            for name, choices in lists.items()
        }

    @property
    def date_fields(self) -> list[forms.BoundField]:
        return [
            self[name] for name in ("joined_from", "joined_to", "left_from", "left_to")
        ]

    def used(self) -> dict[str, str]:
        """The filters given, as typed (for the access log)."""
        return {
            name: str(value)
            for name, value in self.data.items()
            if name in self.fields and value
        }


def _options(
    field: forms.Field, choices: list[tuple[Any, Any]], chosen: Any
) -> SafeString:
    empty = getattr(field, "empty_label", None) or dict(field.choices)[""]  # type: ignore[attr-defined]
    chosen = "" if chosen is None else str(chosen)
    # Escaped and joined directly: format_html per option costs more than the
    # queries behind the lists, with a hundred employers.
    options = [
        f'<option value=""{" selected" if not chosen else ""}>{escape(empty)}</option>'
    ]
    for value, label in choices:
        text = str(value)
        selected = " selected" if text == chosen else ""
        options.append(
            f'<option value="{escape(text)}"{selected}>{escape(label)}</option>'
        )
    return mark_safe("".join(options))  # noqa: S308 - every value is escaped above


# Filters on the membership row itself: the form's field, and the lookup it makes.
_MEMBERSHIP_LOOKUPS = {
    "status": "status",
    "category": "category",
    "branch": "branch",
    "region": "branch__region",
}
# Filters on dates: the form's field, the column, and the comparison.
_DATE_LOOKUPS = {
    "joined_from": ("joined_on", GreaterThanOrEqual),
    "joined_to": ("joined_on", LessThanOrEqual),
    "left_from": ("left_on", GreaterThanOrEqual),
    "left_to": ("left_on", LessThanOrEqual),
}


class _CheckedEachRow(Func):
    """A condition on a subquery (``pk IN (jobs)``) that PostgreSQL checks against
    each row it walks, from a hash of the subquery's rows built once: written as
    ``(condition) IS TRUE``, which its planner does not turn into a join. Turned
    into a join, it looks each walked member up in the jobs' index (a hundred
    thousand lookups, across parallel workers that run ahead, to show 50 members
    of one employer). Elsewhere, the condition as it is (SQLite builds the list
    once anyway, given ``Unindexed``)."""

    template = "(%(expressions)s) IS TRUE"
    output_field = BooleanField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        if connection.vendor != "postgresql":
            return compiler.compile(self.source_expressions[0])
        return super().as_sql(compiler, connection, **extra)


def _jobs_matching(filters: dict[str, Any]) -> QuerySet[Employment] | None:
    """The current jobs the employer, workplace and job category filters ask for, or
    None when none of them is given."""
    if not (filters.get("employer") or filters.get("job_category")):
        return None
    jobs = Employment.objects.current_on(timezone.localdate())
    if filters.get("employer"):
        jobs = jobs.filter(employer=filters["employer"])
    if filters.get("workplace"):
        jobs = jobs.filter(workplace=filters["workplace"])
    if filters.get("job_category"):
        jobs = jobs.filter(job_category=filters["job_category"])
    return jobs


def members_listed(
    *,
    user: Any,
    filters: dict[str, Any],
    walk_dates: bool = False,
    walk_jobs: bool = False,
) -> MembershipQuerySet:
    """The members ``user`` may see that match ``filters`` (a valid form's
    ``cleaned_data``), in the list's order: by name for a name search, else by
    membership number.

    ``walk_dates``, ``walk_jobs``: the filters are known to match so many members
    that the date or job filters are better checked row by row in the list's
    order than looked up in their indexes (on SQLite; see ``Unindexed`` and
    ``ROW_BY_ROW_FROM``)."""
    members = selectors.memberships_visible_to(user=user)
    if filters.get("q"):
        # Both are Membership querysets: their conditions are joined with AND and
        # the search's order is kept, so the scope still applies.
        members = members & selectors.memberships_search(query=filters["q"])
    else:
        members = members.order_by("membership_number", "pk")
    conditions = {
        lookup: filters[name]
        for name, lookup in _MEMBERSHIP_LOOKUPS.items()
        if filters.get(name)
    }
    members = members.filter(**conditions)
    for name, (column, compare) in _DATE_LOOKUPS.items():
        if filters.get(name):
            field = F(column)
            value = filters[name]
            members = members.filter(
                compare(Unindexed(field, output_field=DateField()), value)
                if walk_dates
                else compare(field, value)
            )
    jobs = _jobs_matching(filters)
    if jobs is not None:
        # Without the jobs' default order: an ``In`` built by hand keeps it, and
        # the subquery would then join and sort every matching job's member.
        ids = jobs.order_by().values("membership_id")
        members = members.filter(
            _CheckedEachRow(In(Unindexed(F("pk"), output_field=BigAutoField()), ids))
            if walk_jobs
            else Q(pk__in=ids)
        )
    return members


# The columns the list and the export show: read no others (parsing the rest,
# timestamps above all, costs more than the queries).
_LIST_COLUMNS = (
    "membership_number",
    "status",
    "category",
    "joined_on",
    "person__first_name",
    "person__last_name",
    "branch__name",
)
_EXPORT_COLUMNS = (
    *_LIST_COLUMNS,
    "left_on",
    "person__title",
    "person__email",
    "person__phone",
    "person__address_line_1",
    "person__address_line_2",
    "person__town",
    "person__postcode",
)
_JOB_COLUMNS = (
    "membership_id",
    "job_category",
    "started_on",
    "employer__name",
    "workplace__name",
)


def _for_display(
    members: MembershipQuerySet, columns: tuple[str, ...]
) -> MembershipQuerySet:
    """With each member's person, branch and current jobs (``columns`` of the first
    three, and the jobs' ``_JOB_COLUMNS``): four queries a page."""
    return (
        members.select_related("person", "branch")
        .only(*columns)
        .prefetch_related(
            Prefetch(
                "employments",
                queryset=Employment.objects.current_on(timezone.localdate())
                .select_related("employer", "workplace")
                .only(*_JOB_COLUMNS)
                .order_by("started_on", "pk"),
                to_attr="current_jobs",
            )
        )
    )


def _within_scope_first(
    members: MembershipQuerySet, *, user: Any, query: str
) -> MembershipQuerySet:
    """``members`` (a name search within the user's scope), with the scope applied
    to the names first: the people named, among the people in scope.

    Left to itself SQLite reads every member of the branch and then their person
    row to check the name (or every "smi" in the union and then their membership
    row to check the branch). Asked which people of that name are among the
    scope's people, it builds the list of the scope's people from the (branch,
    person) index once, walks the name index checking each against it, and reads
    only the rows of those found. The same members, in the same order. PostgreSQL
    joins by hash and is slower given the extra condition, so it is not given it."""
    named = selectors.people_named(query=query)
    if named is None or connection.vendor != "sqlite":
        return members
    in_scope = (
        selectors.memberships_visible_to(user=user).order_by().values("person_id")
    )
    return members.filter(
        person__in=named.filter(
            In(Unindexed(F("pk"), output_field=BigAutoField()), in_scope)
        )
    )


def _bounded_count(
    members: MembershipQuerySet, *, user: Any, filters: dict[str, Any], limit: int
) -> int:
    """How many, counting no further than one past ``limit``.

    When only the job filters narrow a list of everyone, the jobs alone answer:
    each job's member exists, so counting the members it names (from the jobs'
    index) spares a lookup of every matching member's row."""
    jobs = _jobs_matching(filters)
    others = any(
        filters.get(name) for name in ("q", *_MEMBERSHIP_LOOKUPS, *_DATE_LOOKUPS)
    )
    if (
        jobs is not None
        and not others
        and selectors.register_scope_for(user=user).see_all
    ):
        return jobs.order_by().values("membership_id").distinct()[: limit + 1].count()
    return members.order_by().values("pk")[: limit + 1].count()


def _page_ids(members: MembershipQuerySet, *, count: int, offset: int) -> list[int]:
    """The ids of the page from ``offset``, and one more to know if there is a
    next page: none when the count says the page is past the end."""
    if offset >= count:
        return []
    return list(members.values_list("pk", flat=True)[offset : offset + PAGE_SIZE + 1])


def _rows(ids: list[int]) -> list[Membership]:
    """The members with these ids, in this order, ready to show, each with its
    ``status_label`` and ``category_label``.

    The labels are looked up once a page: Django's ``get_status_display`` hashes
    every (translated) choice on each call, which for 50 rows cost more than the
    rows' queries."""
    if not ids:
        return []
    found = _for_display(Membership.objects.filter(pk__in=ids), _LIST_COLUMNS).in_bulk()
    statuses = {value: str(label) for value, label in MembershipStatus.choices}
    categories = {value: str(label) for value, label in MembershipCategory.choices}
    rows = [found[pk] for pk in ids if pk in found]
    for row in rows:
        row.status_label = statuses.get(row.status, row.status)  # type: ignore[attr-defined]
        row.category_label = categories.get(row.category, row.category)  # type: ignore[attr-defined]
    return rows


def _page_number(value: str, last_page: int) -> int:
    number = int(value) if value.isdigit() else 1
    return min(max(number, 1), last_page)


def _query_without_page(data: QueryDict) -> str:
    params = data.copy()
    params.pop("page", None)
    return params.urlencode()


# --- The views -----------------------------------------------------------------------


def member_list(request: HttpRequest) -> HttpResponse:
    form = MemberListFilters(request.GET)
    context: dict[str, Any] = {
        "form": form,
        "query": _query_without_page(request.GET),
        "filtered": any(form.used().values()),
    }
    if not form.is_valid():
        return TemplateResponse(request, TEMPLATE, context, status=400)
    filters = form.cleaned_data
    members = members_listed(user=request.user, filters=filters)
    limit = SEARCH_COUNT_LIMIT if filters.get("q") else COUNT_LIMIT
    last_page = max(1, limit // PAGE_SIZE)  # deeper: narrow the list or export it
    page = _page_number(request.GET.get("page", ""), last_page)
    offset = (page - 1) * PAGE_SIZE
    # The page is found as ids first (an index answers that without reading the
    # members' rows), then those 50 members are read with what the rows show.
    if filters.get("q") and not selectors.register_scope_for(user=request.user).see_all:
        # A search by someone who sees a branch or two: the matches are few among
        # those walked (every "smi" in the union, to find the branch's), so one
        # walk gives both the count and the page, rather than one walk for each.
        ids = list(
            _within_scope_first(
                members, user=request.user, query=filters["q"]
            ).values_list("pk", flat=True)[: limit + 1]
        )
        count = len(ids)
        wanted = ids[offset : offset + PAGE_SIZE + 1]
    else:
        # Counted first (an index answers most counts without reading the rows):
        # how many there are decides how the database is best asked for the page.
        count = _bounded_count(members, user=request.user, filters=filters, limit=limit)
        walk_dates = count > limit
        walk_jobs = count >= min(ROW_BY_ROW_FROM, limit + 1)
        if walk_dates or walk_jobs:
            members = members_listed(
                user=request.user,
                filters=filters,
                walk_dates=walk_dates,
                walk_jobs=walk_jobs,
            )
        wanted = _page_ids(members, count=count, offset=offset)
    rows = _rows(wanted)
    # Names, branches and jobs of the members shown: one entry for the page.
    services.personal_data_list_record(
        user=request.user,  # type: ignore[arg-type]
        list_name="members",
        page=page,
        filters=form.used(),
        rows=min(len(rows), PAGE_SIZE),
    )
    exact = count <= limit
    pages = max(1, -(-count // PAGE_SIZE)) if exact else None
    context.update(
        members=rows[:PAGE_SIZE],
        count_text=(
            f"{count:,} member{'' if count == 1 else 's'}"
            if exact
            else f"More than {limit:,} members"
        ),
        page=page,
        pages=f"{pages:,}" if pages else None,
        previous_page=page - 1 if page > 1 else None,
        next_page=page + 1 if len(rows) > PAGE_SIZE and page < last_page else None,
        at_last_allowed_page=page == last_page and len(rows) > PAGE_SIZE,
        searched=bool(filters.get("q")),
        first_shown=f"{offset + 1:,}",
        last_shown=f"{offset + min(len(rows), PAGE_SIZE):,}",
    )
    return TemplateResponse(request, TEMPLATE, context)


EXPORT_COLUMNS = [
    "membership_number",
    "title",
    "first_name",
    "last_name",
    "email",
    "phone",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "status",
    "category",
    "branch",
    "employer",
    "workplace",
    "job_title",
    "joined_on",
    "left_on",
]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object for csv.writer that hands each line straight back."""

    def write(self, value: str) -> str:
        return value


def _text(value: str) -> str:
    """Free text that a spreadsheet would run as a formula, made inert with a leading
    apostrophe (names and addresses typed by members come out as they were typed)."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _csv_row(member: Membership) -> list[str]:
    person = member.person
    jobs: list[Employment] = getattr(member, "current_jobs", [])
    return [
        member.membership_number or "",
        _text(person.title),
        _text(person.first_name),
        _text(person.last_name),
        person.email,
        person.phone,
        _text(person.address_line_1),
        _text(person.address_line_2),
        _text(person.town),
        person.postcode,
        member.status,
        member.category,
        member.branch.name if member.branch else "",
        "; ".join(job.employer.name for job in jobs),
        "; ".join(job.workplace.name if job.workplace else "" for job in jobs),
        "; ".join(_text(job.job_category) for job in jobs),
        member.joined_on.isoformat() if member.joined_on else "",
        member.left_on.isoformat() if member.left_on else "",
    ]


def _csv_lines(members: MembershipQuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)
    for member in members.iterator(chunk_size=EXPORT_CHUNK):
        yield writer.writerow(_csv_row(member))


def member_export(request: HttpRequest) -> HttpResponseBase:
    form = MemberListFilters(request.GET)
    if not form.is_valid():
        context = {"form": form, "query": _query_without_page(request.GET)}
        return TemplateResponse(request, TEMPLATE, context, status=400)
    members = members_listed(user=request.user, filters=form.cleaned_data)
    # Logged before the first row leaves, so that an export cut off half-way is
    # still on the record; the count is the rows the filters matched at that moment.
    services.personal_data_access_record(
        user=request.user,  # type: ignore[arg-type]
        action=AccessAction.EXPORTED,
        detail={
            "list": "members",
            "filters": form.used(),
            "rows": members.order_by().count(),
        },
    )
    response = StreamingHttpResponse(
        _csv_lines(_for_display(members, _EXPORT_COLUMNS)), content_type="text/csv"
    )
    filename = f"members-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Wagtail hooks ---------------------------------------------------------------------


@hooks.register("register_admin_urls")  # type: ignore[untyped-decorator]
def register_urls() -> list[URLPattern]:
    return [
        path("members/", member_list, name="backoffice_members"),
        path("members/export.csv", member_export, name="backoffice_members_export"),
    ]


@hooks.register("register_admin_menu_item")  # type: ignore[untyped-decorator]
def register_menu_item() -> MenuItem:
    return MenuItem(
        "Members", reverse("backoffice_members"), icon_name="group", order=200
    )
