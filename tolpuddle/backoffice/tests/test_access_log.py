"""The union-wide access log in the back office: HQ staff read every look at a
member's record and every export or list; nobody else sees it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tolpuddle.members import selectors, services
from tolpuddle.members.models import AccessAction, PersonalDataAccess
from tolpuddle.members.tests.factories import (
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LOG = reverse("backoffice_access_log")


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def logged(user, *, membership=None, action=AccessAction.VIEWED, detail=None, on=None):
    """An entry of the log, written through the service at ``on`` (if given)."""
    with time_machine.travel(on or timezone.now(), tick=False):
        access = services.personal_data_access_record(
            user=user, action=action, membership=membership, detail=detail
        )
    assert access is not None
    return access


@pytest.fixture
def member():
    return MembershipFactory(
        person=PersonFactory(first_name="Ada", last_name="Lovelace"),
    )


@pytest.fixture
def secretary_user():
    return UserFactory(
        email="sam.secretary@example.org", first_name="Sam", last_name="Secretary"
    )


# --- Who sees it ----------------------------------------------------------------------


def test_hq_staff_read_the_log_and_see_the_menu_item(sign_in, hq_staff):
    client = sign_in(hq_staff)

    assert client.get(LOG).status_code == 200
    assert LOG in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("who", ["branch_secretary", "workplace_rep"])
def test_officers_and_reps_get_a_404_and_no_menu_item(request, sign_in, who):
    client = sign_in(request.getfixturevalue(who))

    assert client.get(LOG).status_code == 404
    assert LOG not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_each_members_access_log_links_to_the_union_wide_log(sign_in, hq_staff, member):
    page = (
        sign_in(hq_staff)
        .get(reverse("backoffice_member_access_log", args=[member.pk]))
        .content.decode()
    )

    assert "Exports and lists are in the" in page
    assert f'href="{LOG}"' in page


# --- What it shows --------------------------------------------------------------------


def test_views_and_exports_are_listed_newest_first_with_who_and_what(
    sign_in, hq_staff, member, secretary_user
):
    logged(
        secretary_user,
        membership=member,
        detail={"page": "member page"},
        on=at(datetime.date(2026, 11, 24)),
    )
    logged(
        hq_staff,
        action=AccessAction.EXPORTED,
        detail={
            "list": "members",
            "filters": {"branch": "3", "joined_from": "01/01/2020"},
            "rows": 120,
        },
        on=at(datetime.date(2026, 11, 25)),
    )

    response = sign_in(hq_staff).get(LOG)

    assert response.status_code == 200
    page = response.content.decode()
    table = page[page.index("<tbody>") :]
    # The export, newest, comes first.
    assert table.index("Exported a list") < table.index("Viewed the record")
    assert "25 November 2026" in page and "24 November 2026" in page
    assert "sam.secretary@example.org" in page and "Sam Secretary" in page
    assert "Jo Whitfield" in page
    # The member, linked to their page, and which page was seen.
    assert reverse("backoffice_member", args=[member.pk]) in page
    assert "Ada Lovelace" in page and "(member page)" in page
    # The export: its list, its filters as typed, and how many rows.
    assert "The members list: 120 rows." in page
    assert "Branch: 3; Joined from: 01/01/2020" in page


def test_a_list_view_reads_as_a_list(sign_in, hq_staff):
    logged(
        hq_staff,
        detail={"list": "applications", "page": 2, "filters": {}, "rows": 1},
    )

    page = sign_in(hq_staff).get(LOG).content.decode()

    assert "Viewed a list" in page
    assert "The applications queue, page 2: 1 row." in page
    assert "No filters." in page


def test_the_log_is_shown_50_entries_a_page(sign_in, hq_staff, member):
    for _ in range(51):
        logged(hq_staff, membership=member, detail={"page": "member page"})
    oldest = PersonalDataAccess.objects.order_by("id").first()
    client = sign_in(hq_staff)

    first = client.get(LOG)
    second = client.get(LOG, {"action": "viewed", "page": "2"})

    assert len(first.context["rows"]) == 50
    assert "Page 1 of 2." in first.content.decode()
    assert "Older entries" in first.content.decode()
    assert [row.access for row in second.context["rows"]] == [oldest]
    # The filters are carried to the other pages.
    assert "?action=viewed&amp;page=1" in second.content.decode()


# --- Filters ----------------------------------------------------------------------------


@pytest.fixture
def three_entries(hq_staff, member, secretary_user):
    return {
        "viewed": logged(
            secretary_user,
            membership=member,
            detail={"page": "member page"},
            on=at(datetime.date(2026, 11, 20)),
        ),
        "exported": logged(
            hq_staff,
            action=AccessAction.EXPORTED,
            detail={"list": "members", "filters": {}, "rows": 3},
            on=at(datetime.date(2026, 11, 25), hour=0),
        ),
        "late": logged(
            secretary_user,
            membership=member,
            detail={"page": "contact details form"},
            on=at(datetime.date(2026, 11, 25), hour=23),
        ),
    }


def shown(response):
    return {row.access.pk for row in response.context["rows"]}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"viewed", "exported", "late"}),
        ({"action": "exported"}, {"exported"}),
        ({"action": "viewed"}, {"viewed", "late"}),
        ({"who": "Sam.Secretary@Example.org"}, {"viewed", "late"}),
        ({"who": "nobody@example.org"}, set()),
        # UK dates; both days are included, whatever the hour (UK time).
        ({"on_or_after": "25/11/2026"}, {"exported", "late"}),
        ({"on_or_before": "24 November 2026"}, {"viewed"}),
        (
            {"on_or_after": "2026-11-25", "on_or_before": "25/11/2026"},
            {"exported", "late"},
        ),
        ({"who": "sam.secretary@example.org", "on_or_after": "21/11/2026"}, {"late"}),
    ],
)
def test_the_filters_narrow_the_log(
    sign_in, hq_staff, three_entries, filters, expected
):
    response = sign_in(hq_staff).get(LOG, filters)

    assert response.status_code == 200
    assert shown(response) == {three_entries[name].pk for name in expected}


def test_the_selector_takes_the_same_filters(three_entries, hq_staff):
    assert list(selectors.accesses_all()) == [
        three_entries["late"],
        three_entries["exported"],
        three_entries["viewed"],
    ]
    assert list(
        selectors.accesses_all(
            action=AccessAction.EXPORTED,
            user_email=hq_staff.email.upper(),
            on_or_before=datetime.date(2026, 11, 25),
        )
    ) == [three_entries["exported"]]


@pytest.mark.parametrize(
    ("filters", "field", "message"),
    [
        ({"on_or_after": "31/02/2026"}, "on_or_after", "is not a real date"),
        ({"on_or_before": "next tuesday"}, "on_or_before", "is not a date"),
        (
            {"on_or_after": "25/11/2026", "on_or_before": "01/11/2026"},
            "on_or_before",
            "swap them round",
        ),
        ({"action": "deleted"}, "action", "Choose what was done from the list."),
        ({"who": "sam.secretary@"}, "who", "Write a whole email address"),
    ],
)
@pytest.mark.usefixtures("three_entries")
def test_a_filter_that_cannot_be_used_says_why_and_lists_nothing(
    sign_in, hq_staff, filters, field, message
):
    response = sign_in(hq_staff).get(LOG, filters)

    assert response.status_code == 400
    page = response.content.decode()
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    # Beside the field (its error message, which the input points at) and in the
    # summary at the top.
    assert f'id="id_{field}_error"' in page
    assert f'aria-describedby="id_{field}_error' in page
    assert "There is a problem" in page
    assert page.count(message) >= 2
    # What was typed is kept, and nothing is listed.
    for value in filters.values():
        if field != "action":
            assert f'value="{value}"' in page
    assert "rows" not in response.context
    assert "Sam Secretary" not in page
