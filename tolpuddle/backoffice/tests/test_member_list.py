"""The members list in the back office: search, filters, scope, pages and the CSV export."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail import hooks

from tolpuddle.backoffice import member_list
from tolpuddle.members import selectors
from tolpuddle.members.models import (
    AccessAction,
    MembershipCategory,
    MembershipStatus,
    PersonalDataAccess,
)
from tolpuddle.members.tests.factories import (
    BranchFactory,
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    PersonFactory,
    RegionFactory,
    WorkplaceFactory,
)
from tolpuddle.members.tests.test_access import hold, member_with_sign_in

pytestmark = pytest.mark.django_db

LIST = "/admin/members/"
EXPORT = "/admin/members/export.csv"


def numbers(response: Any) -> set[str]:
    """The membership numbers listed on the page."""
    return {m.membership_number for m in response.context["members"]}


def member(branch: Any, number: str, **person: Any) -> Any:
    return MembershipFactory(
        branch=branch, membership_number=number, person=PersonFactory(**person)
    )


def exported(response: Any) -> list[dict[str, str]]:
    content = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(content)))


@pytest.fixture
def register(branches: tuple[Any, Any]) -> dict[str, Any]:
    north, south = branches
    return {
        "ada": member(
            north,
            "200001",
            first_name="Ada",
            last_name="Lovelace",
            email="ada@example.org",
            postcode="SE1 7TP",
        ),
        "bob": member(
            north,
            "200002",
            first_name="Bob",
            last_name="Crow",
            email="bob@example.org",
            postcode="M1 1AE",
        ),
        "cat": member(
            south,
            "200003",
            first_name="Cat",
            last_name="Lovell",
            email="cat@example.org",
            postcode="B3 2PP",
        ),
    }


# --- The URLs and the menu --------------------------------------------------------------


def test_the_list_and_export_have_their_names() -> None:
    assert reverse("backoffice_members") == LIST
    assert reverse("backoffice_members_export") == EXPORT


def test_hq_staff_see_everyone_with_the_menu_item(
    sign_in: Any, hq_staff: Any, register: dict[str, Any]
) -> None:
    response = sign_in(hq_staff).get(LIST)

    assert response.status_code == 200
    assert numbers(response) >= {"200001", "200002", "200003"}
    assert response.context["count_text"].endswith("members")
    assert b'"url": "/admin/members/"' in response.content  # the sidebar menu
    assert "Ada Lovelace" in response.content.decode()


# --- Search ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("200002", {"200002"}),
        ("lov", {"200001", "200003"}),
        ("ada lov", {"200001"}),
        ("BOB@example.org", {"200002"}),
        ("se17tp", {"200001"}),
        ("B3", {"200003"}),
    ],
)
def test_hq_search_finds_by_number_name_email_and_postcode(
    sign_in: Any, hq_staff: Any, register: dict[str, Any], query: str, found: set[str]
) -> None:
    response = sign_in(hq_staff).get(LIST, {"q": query})

    assert response.status_code == 200
    assert numbers(response) == found


# --- Filters -----------------------------------------------------------------------------


def test_each_filter_narrows_the_list(sign_in: Any, hq_staff: Any) -> None:
    region = RegionFactory(name="Wessex")
    home, away = BranchFactory(region=region), BranchFactory()
    employer, other_employer = EmployerFactory(), EmployerFactory()
    office, depot = (
        WorkplaceFactory(employer=employer),
        WorkplaceFactory(employer=employer),
    )
    target = MembershipFactory(
        branch=home,
        membership_number="300001",
        status=MembershipStatus.LAPSED,
        category=MembershipCategory.STUDENT,
        joined_on=datetime.date(2019, 3, 1),
        left_on=datetime.date(2024, 6, 30),
    )
    EmploymentFactory(
        membership=target,
        employer=employer,
        workplace=office,
        job_category="Probation Officer",
    )
    other = MembershipFactory(
        branch=away, membership_number="300002", joined_on=datetime.date(2010, 1, 1)
    )
    EmploymentFactory(
        membership=other,
        employer=other_employer,
        workplace=WorkplaceFactory(employer=other_employer),
        job_category="Administrator",
    )
    same_employer = MembershipFactory(branch=away, membership_number="300003")
    EmploymentFactory(
        membership=same_employer,
        employer=employer,
        workplace=depot,
        job_category="Administrator",
    )
    client = sign_in(hq_staff)

    for filters in [
        {"status": "lapsed"},
        {"category": "student"},
        {"branch": home.pk},
        {"region": region.pk},
        {"employer": employer.pk, "workplace": office.pk},
        {"job_category": "Probation Officer"},
        {"joined_from": "01/01/2019", "joined_to": "31/12/2019"},
        {"left_from": "1 June 2024", "left_to": "2024-07-01"},
    ]:
        response = client.get(LIST, filters)
        assert response.status_code == 200, filters
        assert numbers(response) == {"300001"}, filters

    by_employer = client.get(LIST, {"employer": employer.pk})
    assert numbers(by_employer) == {"300001", "300003"}


def test_filters_and_search_combine(
    sign_in: Any, hq_staff: Any, register: dict[str, Any], branches: tuple[Any, Any]
) -> None:
    north, _south = branches
    response = sign_in(hq_staff).get(LIST, {"q": "lov", "branch": north.pk})

    assert numbers(response) == {"200001"}


@pytest.mark.parametrize(
    ("filters", "field", "message"),
    [
        ({"branch": "abc"}, "branch", "Choose a branch from the list."),
        ({"branch": "999999"}, "branch", "Choose a branch from the list."),
        ({"status": "asleep"}, "status", "Choose a status from the list."),
        ({"joined_from": "31/02/2024"}, "joined_from", "not a real date"),
        ({"left_to": "yesterday"}, "left_to", "is not a date"),
        (
            {"joined_from": "01/02/2024", "joined_to": "01/01/2024"},
            "joined_to",
            "before the first one",
        ),
        ({"workplace": "1"}, "workplace", "choose the employer first"),
    ],
)
@pytest.mark.usefixtures("register")
def test_a_bad_filter_gets_a_message_beside_it_and_keeps_what_was_typed(
    sign_in: Any,
    hq_staff: Any,
    filters: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = sign_in(hq_staff).get(LIST, filters)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert "Check the filters" in page
    assert "members" not in response.context  # nothing listed on a bad filter
    typed = {k: v for k, v in filters.items() if k.startswith(("joined", "left"))}
    for value in typed.values():
        assert f'value="{value}"' in page  # kept as typed


def test_a_bad_page_number_shows_the_first_page(
    sign_in: Any, hq_staff: Any, register: dict[str, Any]
) -> None:
    response = sign_in(hq_staff).get(LIST, {"page": "abc"})

    assert response.status_code == 200
    assert response.context["page"] == 1


# --- Who sees whom -------------------------------------------------------------------------


def test_a_branch_secretary_sees_only_their_branch(
    sign_in: Any,
    branch_secretary: Any,
    register: dict[str, Any],
    branches: tuple[Any, Any],
) -> None:
    north, south = branches
    client = sign_in(branch_secretary)

    everyone = client.get(LIST)
    assert numbers(everyone) >= {"200001", "200002"}
    assert "200003" not in numbers(everyone)
    assert {m.branch_id for m in everyone.context["members"]} == {north.pk}

    other_branch = client.get(LIST, {"branch": south.pk})
    assert other_branch.status_code == 200
    assert numbers(other_branch) == set()
    assert other_branch.context["count_text"] == "0 members"

    searched = client.get(LIST, {"q": "200003"})
    assert numbers(searched) == set()


def test_a_workplace_rep_sees_only_their_branch(
    sign_in: Any,
    workplace_rep: Any,
    register: dict[str, Any],
    branches: tuple[Any, Any],
) -> None:
    _north, south = branches
    client = sign_in(workplace_rep)

    assert "200003" not in numbers(client.get(LIST))
    assert numbers(client.get(LIST, {"branch": south.pk})) == set()
    assert numbers(client.get(LIST, {"q": "lov"})) == {"200001"}


def test_a_member_holding_no_position_is_turned_away(
    sign_in: Any, branches: tuple[Any, Any]
) -> None:
    user, _membership = member_with_sign_in(branches[0])
    client = sign_in(user)

    for url in (LIST, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert not response["Location"].startswith("/admin/members")
    assert not PersonalDataAccess.objects.exists()


def test_hq_staff_without_a_second_factor_are_sent_to_set_one_up(
    sign_in: Any, hq_staff: Any
) -> None:
    response = sign_in(hq_staff, second_factor=False).get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_index"))


def test_signed_out_visitors_are_sent_to_sign_in(client: Any) -> None:
    response = client.get(LIST)

    assert response.status_code == 302
    assert "/admin/members/" in response["Location"]  # to come back after


# --- Pages ---------------------------------------------------------------------------------


def test_pages_keep_the_search_and_filters(
    sign_in: Any, hq_staff: Any, branches: tuple[Any, Any]
) -> None:
    north, _south = branches
    for i in range(member_list.PAGE_SIZE + 5):
        member(north, f"4{i:05d}", last_name="Tolpuddle")
    client = sign_in(hq_staff)

    first = client.get(LIST, {"q": "tolp", "branch": north.pk})
    assert len(first.context["members"]) == member_list.PAGE_SIZE
    next_link = f"?q=tolp&amp;branch={north.pk}&amp;page=2"
    assert next_link in first.content.decode()
    assert "55 members" in first.content.decode()

    second = client.get(LIST, {"q": "tolp", "branch": north.pk, "page": 2})
    assert len(second.context["members"]) == 5
    assert numbers(first).isdisjoint(numbers(second))
    assert "page=3" not in second.content.decode()
    assert f"?q=tolp&amp;branch={north.pk}&amp;page=1" in second.content.decode()


def test_a_long_list_says_more_than_the_count_limit(
    sign_in: Any, hq_staff: Any, register: dict[str, Any], monkeypatch: Any
) -> None:
    monkeypatch.setattr(member_list, "COUNT_LIMIT", 2)

    response = sign_in(hq_staff).get(LIST)

    assert response.context["count_text"] == "More than 2 members"


def test_a_page_shows_its_members_in_a_fixed_number_of_queries(
    sign_in: Any,
    hq_staff: Any,
    branches: tuple[Any, Any],
    django_assert_max_num_queries: Any,
) -> None:
    north, _south = branches
    for i in range(20):
        EmploymentFactory(membership=member(north, f"5{i:05d}"))
    client = sign_in(hq_staff)
    client.get(LIST)  # warm the session and permission caches

    with django_assert_max_num_queries(25) as captured:
        client.get(LIST)
    few = len(captured.captured_queries)

    for i in range(20, 40):
        EmploymentFactory(membership=member(north, f"5{i:05d}"))
    with django_assert_max_num_queries(few):
        client.get(LIST)


def test_a_pages_queries_do_not_grow_with_the_menu_items_that_check_the_scope(
    sign_in: Any, branch_secretary: Any
) -> None:
    """Menu items, the page and the permission checks all ask for the user's scope;
    it is read from the database once a request however often it is asked."""
    client = sign_in(branch_secretary)
    client.get(LIST)  # warm the session
    cache.clear()  # the sidebar is kept in the cache: build it both times
    with CaptureQueriesContext(connection) as plain:
        client.get(LIST)

    def ten_more_menu_checks(request: Any, items: list[Any]) -> None:
        for _ in range(10):
            selectors.register_scope_for(user=request.user)
            selectors.memberships_visible_to(user=request.user)

    cache.clear()
    built: list[int] = []
    with (
        hooks.register_temporarily("construct_main_menu", ten_more_menu_checks),
        hooks.register_temporarily(
            "construct_main_menu", lambda request, items: built.append(1)
        ),
        CaptureQueriesContext(connection) as checked,
    ):
        response = client.get(LIST)

    assert response.status_code == 200
    assert built  # the menu was built, with its checks
    assert len(checked.captured_queries) == len(plain.captured_queries)


def test_a_new_branch_or_workplace_shows_in_the_filter_lists_at_once(
    sign_in: Any,
    hq_staff: Any,
    branches: tuple[Any, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The lists are kept in the cache; a change to them starts them afresh."""
    employer = EmployerFactory(name="Acme")
    client = sign_in(hq_staff)
    before = client.get(LIST, {"employer": employer.pk}).content.decode()
    assert "Western" not in before

    with django_capture_on_commit_callbacks(execute=True):
        BranchFactory(name="Western")
        WorkplaceFactory(employer=employer, name="Riverside")
        employer.name = "Acme Rehabilitation"
        employer.save()
    html = client.get(LIST, {"employer": employer.pk}).content.decode()

    assert ">Western</option>" in html
    assert "Riverside (Acme Rehabilitation)</option>" in html
    assert ">Acme Rehabilitation</option>" in html


def test_the_filter_lists_show_every_choice_and_keep_the_one_chosen(
    sign_in: Any, hq_staff: Any, branches: tuple[Any, Any]
) -> None:
    north, south = branches
    employer = EmployerFactory(name="Acme & Sons")
    WorkplaceFactory(employer=employer, name="Depot")

    response = sign_in(hq_staff).get(
        LIST, {"branch": south.pk, "status": "lapsed", "employer": employer.pk}
    )

    html = response.content.decode()
    assert f'<option value="{south.pk}" selected>South</option>' in html
    assert f'<option value="{north.pk}">North</option>' in html
    assert '<option value="lapsed" selected>Lapsed</option>' in html
    assert '<option value="" selected>Any category</option>' in html
    assert "Acme &amp; Sons</option>" in html
    assert "Depot (Acme &amp; Sons)</option>" in html
    assert 'aria-describedby="id_workplace_helptext"' in html


def test_many_matches_by_date_or_job_are_listed_in_number_order(
    sign_in: Any,
    hq_staff: Any,
    branches: tuple[Any, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Beyond the count limit the list is read in membership-number order with the
    date and job filters checked row by row: the same members, the same order."""
    north, _south = branches
    employer = EmployerFactory()
    for i in range(6):
        joined = datetime.date(2020, 1, 1) if i % 2 else datetime.date(2010, 1, 1)
        membership = member(north, f"3{5 - i:05d}")
        membership.joined_on = joined
        membership.save(update_fields=["joined_on"])
        if i < 4:
            EmploymentFactory(membership=membership, employer=employer, workplace=None)
    monkeypatch.setattr(member_list, "COUNT_LIMIT", 1)
    monkeypatch.setattr(member_list, "ROW_BY_ROW_FROM", 1)
    client = sign_in(hq_staff)

    response = client.get(LIST, {"joined_from": "01/01/2015", "employer": employer.pk})

    listed = [m.membership_number for m in response.context["members"]]
    assert listed == ["300002", "300004"]
    assert response.context["count_text"] == "More than 1 members"


# --- The export ----------------------------------------------------------------------------


def test_export_streams_the_filtered_list_and_logs_it_once(
    sign_in: Any, hq_staff: Any, register: dict[str, Any], branches: tuple[Any, Any]
) -> None:
    north, _south = branches
    ada = register["ada"]
    ada.joined_on = datetime.date(2015, 4, 1)
    ada.save()
    EmploymentFactory(
        membership=ada,
        employer=(kent := EmployerFactory(name="Kent Probation")),
        workplace=WorkplaceFactory(name="Maidstone", employer=kent),
        job_category="Probation Officer",
    )
    client = sign_in(hq_staff)

    response = client.get(EXPORT, {"branch": north.pk, "q": "lov"})

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    rows = exported(response)
    assert list(rows[0]) == member_list.EXPORT_COLUMNS
    assert [r["membership_number"] for r in rows] == ["200001"]
    assert rows[0]["first_name"] == "Ada"
    assert rows[0]["email"] == "ada@example.org"
    assert rows[0]["branch"] == "North"
    assert rows[0]["employer"] == "Kent Probation"
    assert rows[0]["workplace"] == "Maidstone"
    assert rows[0]["job_title"] == "Probation Officer"
    assert rows[0]["joined_on"] == "2015-04-01"
    assert rows[0]["status"] == "active"
    log = PersonalDataAccess.objects.get()
    assert log.user == hq_staff
    assert log.action == AccessAction.EXPORTED
    assert log.membership is None
    assert log.detail["rows"] == 1
    assert log.detail["filters"] == {"branch": str(north.pk), "q": "lov"}


def test_the_list_links_to_the_export_with_its_query(
    sign_in: Any, hq_staff: Any, register: dict[str, Any]
) -> None:
    response = sign_in(hq_staff).get(LIST, {"status": "active", "q": "lov"})

    assert f'href="{EXPORT}?status=active&amp;q=lov"' in response.content.decode()


def test_a_secretarys_export_holds_only_their_branch(
    sign_in: Any,
    branch_secretary: Any,
    register: dict[str, Any],
    branches: tuple[Any, Any],
) -> None:
    _north, south = branches
    client = sign_in(branch_secretary)

    everyone = exported(client.get(EXPORT))
    assert {r["branch"] for r in everyone} == {"North"}
    assert "200003" not in {r["membership_number"] for r in everyone}

    other_branch = exported(client.get(EXPORT, {"branch": south.pk}))
    assert other_branch == []
    assert [a.detail["rows"] for a in PersonalDataAccess.objects.order_by("id")] == [
        len(everyone),
        0,
    ]


def test_an_export_with_a_bad_filter_exports_and_logs_nothing(
    sign_in: Any, hq_staff: Any, register: dict[str, Any]
) -> None:
    response = sign_in(hq_staff).get(EXPORT, {"joined_from": "31/02/2024"})

    assert response.status_code == 400
    assert not response.streaming
    assert not PersonalDataAccess.objects.exists()


def test_export_makes_spreadsheet_formulas_inert(sign_in: Any, hq_staff: Any) -> None:
    member(BranchFactory(), "600001", first_name="=HYPERLINK(1)", last_name="Evil")

    rows = exported(sign_in(hq_staff).get(EXPORT, {"q": "600001"}))

    assert rows[0]["first_name"] == "'=HYPERLINK(1)"


def test_a_counted_list_read_row_by_row_gives_the_same_members_and_count(
    sign_in, hq_staff, branches, monkeypatch
):
    north, _south = branches
    employer = EmployerFactory()
    for i in range(5):
        membership = member(north, f"4{5 - i:05d}")
        if i % 2:
            EmploymentFactory(membership=membership, employer=employer, workplace=None)
    client = sign_in(hq_staff)
    fetched = client.get(LIST, {"employer": employer.pk}).context

    monkeypatch.setattr(member_list, "ROW_BY_ROW_FROM", 1)
    row_by_row = client.get(LIST, {"employer": employer.pk}).context

    numbers = [m.membership_number for m in fetched["members"]]
    assert numbers == ["400002", "400004"]
    assert [m.membership_number for m in row_by_row["members"]] == numbers
    assert fetched["count_text"] == row_by_row["count_text"] == "2 members"


# --- Counting by job, and the access log of the list ----------------------------------


def test_an_employer_filter_counts_each_member_once_and_only_current_jobs(
    sign_in: Any, hq_staff: Any
) -> None:
    employer = EmployerFactory()
    twice = member(BranchFactory(), "700001")
    EmploymentFactory(membership=twice, employer=employer, workplace=None)
    EmploymentFactory(
        membership=twice, employer=employer, workplace=None
    )  # two jobs, one member
    once = member(BranchFactory(), "700002")
    EmploymentFactory(membership=once, employer=employer, workplace=None)
    former = member(BranchFactory(), "700003")
    EmploymentFactory(
        membership=former,
        employer=employer,
        workplace=None,
        started_on=datetime.date(2010, 1, 1),
        ended_on=datetime.date(2012, 1, 1),
    )
    client = sign_in(hq_staff)

    response = client.get(LIST, {"employer": employer.pk})

    assert numbers(response) == {"700001", "700002"}
    assert response.context["count_text"] == "2 members"
    narrowed = client.get(LIST, {"employer": employer.pk, "q": "700002"})
    assert narrowed.context["count_text"] == "1 member"


def test_a_secretarys_employer_filter_counts_only_their_branch(
    sign_in: Any, branch_secretary: Any, branches: tuple[Any, Any]
) -> None:
    north, south = branches
    employer = EmployerFactory()
    for branch, number in ((north, "710001"), (south, "710002"), (south, "710003")):
        EmploymentFactory(
            membership=member(branch, number), employer=employer, workplace=None
        )

    response = sign_in(branch_secretary).get(LIST, {"employer": employer.pk})

    assert numbers(response) == {"710001"}
    assert response.context["count_text"] == "1 member"


def test_viewing_the_list_is_logged_once_a_page_with_its_filters(
    sign_in: Any, hq_staff: Any, register: dict[str, Any], branches: tuple[Any, Any]
) -> None:
    north, _south = branches
    client = sign_in(hq_staff)

    client.get(LIST, {"branch": north.pk, "q": "lov"})

    log = PersonalDataAccess.objects.get()
    assert (log.user, log.action, log.membership) == (
        hq_staff,
        AccessAction.VIEWED,
        None,
    )
    assert log.detail == {
        "list": "members",
        "page": 1,
        "filters": {"branch": str(north.pk), "q": "lov"},
        "rows": 1,
    }


def test_a_list_showing_nobody_or_refused_is_not_logged(
    sign_in: Any, hq_staff: Any, register: dict[str, Any]
) -> None:
    client = sign_in(hq_staff)

    assert numbers(client.get(LIST, {"q": "nobody-by-this-name"})) == set()
    assert client.get(LIST, {"joined_from": "31/02/2024"}).status_code == 400
    assert client.get(LIST, {"page": "150"}).context["members"] == []

    assert not PersonalDataAccess.objects.exists()


# --- A name search within a branch -------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("lov", ["200001"]),
        ("ada lov", ["200001"]),
        ("de la", ["200005", "200004"]),
        ("de la cruz", ["200005", "200004"]),
        ("zed", []),
    ],
)
@pytest.mark.usefixtures("register")
def test_a_secretarys_name_search_finds_their_branch_by_name_in_name_order(
    sign_in: Any,
    branch_secretary: Any,
    branches: tuple[Any, Any],
    query: str,
    found: list[str],
) -> None:
    north, south = branches
    member(north, "200004", first_name="Zoe", last_name="de la Cruz")
    member(north, "200005", first_name="Ana", last_name="de la Cruz")
    member(south, "200006", first_name="Ana", last_name="de la Cruz")

    response = sign_in(branch_secretary).get(LIST, {"q": query})

    assert [m.membership_number for m in response.context["members"]] == found


def test_an_officer_of_another_branch_finds_their_own_record_by_name(
    sign_in: Any, branches: tuple[Any, Any], register: dict[str, Any]
) -> None:
    north, south = branches
    user, own = member_with_sign_in(south)
    own.person.first_name, own.person.last_name = "Rosa", "Lovett"
    own.person.save()
    hold(own, "branch-secretary", branch=north)

    response = sign_in(user).get(LIST, {"q": "lov"})

    listed = [m.membership_number for m in response.context["members"]]
    assert listed == ["200001", own.membership_number]
    assert "200003" not in listed  # Cat Lovell, of South, is not theirs to see


@pytest.mark.parametrize("who", ["hq_staff", "branch_secretary"])
def test_a_search_counts_and_pages_no_further_than_its_own_limit(
    sign_in: Any,
    request: pytest.FixtureRequest,
    branches: tuple[Any, Any],
    monkeypatch: pytest.MonkeyPatch,
    who: str,
) -> None:
    north, _south = branches
    for i in range(5):
        member(north, f"80000{i}", first_name="Sam", last_name=f"Qzyx{i}")
    monkeypatch.setattr(member_list, "PAGE_SIZE", 2)
    monkeypatch.setattr(member_list, "SEARCH_COUNT_LIMIT", 4)
    client = sign_in(request.getfixturevalue(who))

    first = client.get(LIST, {"q": "qzy"})
    assert first.context["count_text"] == "More than 4 members"
    last = client.get(LIST, {"q": "qzy", "page": "9"})  # beyond the limit's pages
    assert last.context["page"] == 2
    assert [m.membership_number for m in last.context["members"]] == [
        "800002",
        "800003",
    ]
    assert last.context["next_page"] is None
    assert "A search lists no more than the first 4 members" in last.content.decode()
    # Without a search, the list's own limit applies: every member is counted.
    assert "More than" not in client.get(LIST).context["count_text"]
