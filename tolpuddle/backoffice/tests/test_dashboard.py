"""The dashboard on the back office's home page: who sees which figures."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import dateformat, timezone

from tolpuddle.members.tests.factories import (
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    RegionFactory,
    WorkplaceFactory,
)

pytestmark = pytest.mark.django_db

HOME = "/admin/"


def months_ago(count: int) -> datetime.date:
    """The 1st of the month ``count`` months before this one."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - count
    return datetime.date(index // 12, index % 12 + 1, 1)


def label(day: datetime.date) -> str:
    return dateformat.format(day, "M Y")


def table(html: str, table_id: str) -> dict[str, list[str]]:
    """{row heading: [cells]} of the table with ``table_id``."""
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert match, f"no table {table_id}"
    rows = re.findall(
        r'<tr><th scope="row">(.*?)</th>((?:<td>.*?</td>)+)</tr>', match.group(0)
    )
    return {head: re.findall(r"<td>(.*?)</td>", cells) for head, cells in rows}


@pytest.fixture
def register(branches: tuple[Any, Any]) -> dict[str, Any]:
    """3 members in good standing in North (one joined two months ago), 2 in South,
    and one lapsed North member who joined 5 months ago and left last month."""
    north, south = branches
    region = RegionFactory(name="Wessex")
    south.region = region
    south.save()
    north_members = [MembershipFactory(branch=north) for _ in range(2)]
    north_members.append(MembershipFactory(branch=north, joined_on=months_ago(2)))
    south_members = [MembershipFactory(branch=south) for _ in range(2)]
    MembershipFactory(
        branch=north, lapsed=True, joined_on=months_ago(5), left_on=months_ago(1)
    )
    acme = WorkplaceFactory(employer=EmployerFactory(name="Acme Care"))
    for membership in north_members[:2]:
        EmploymentFactory(membership=membership, workplace=acme)
    council = WorkplaceFactory(employer=EmployerFactory(name="Borough Council"))
    EmploymentFactory(membership=south_members[0], workplace=council)
    return {"north": north, "south": south}


def test_hq_sees_the_whole_union_by_branch_region_and_employer(
    sign_in, hq_staff, register
) -> None:
    html = sign_in(hq_staff).get(HOME).content.decode()

    assert "<strong>5</strong> members in good standing" in html
    assert table(html, "by-branch") == {"North": ["3"], "South": ["2"]}
    assert table(html, "by-region")["Wessex"] == ["2"]
    assert sum(int(c[0]) for c in table(html, "by-region").values()) == 5
    assert table(html, "by-employer") == {"Acme Care": ["2"], "Borough Council": ["1"]}


def test_the_chart_has_24_months_and_a_table_with_the_same_figures(
    sign_in, hq_staff, register
) -> None:
    html = sign_in(hq_staff).get(HOME).content.decode()

    months = table(html, "joiners-leavers-table")
    assert len(months) == 24
    assert next(iter(months)) == label(months_ago(23))
    assert list(months)[-1] == label(months_ago(0))
    assert months[label(months_ago(2))] == ["1", "0"]
    assert months[label(months_ago(5))] == ["1", "0"]
    assert months[label(months_ago(1))] == ["0", "1"]
    assert html.count('<rect class="joiners"') == 24
    assert html.count('<rect class="leavers"') == 24
    # Each bar names its figure, and the legend does not rely on colour alone.
    assert f"{label(months_ago(1))}: 1 leavers" in html
    assert "Leavers (hatched)" in html
    assert 'role="img"' in html


def test_a_branch_secretary_sees_only_their_branch(
    sign_in, branch_secretary, register
) -> None:
    html = sign_in(branch_secretary).get(HOME).content.decode()

    # North's three, and the secretary, who is a North member too.
    assert table(html, "by-branch") == {"North": ["4"]}
    assert "South" not in html
    assert "Borough Council" not in html
    assert "Your branches (North)" in html


def test_a_rep_sees_their_own_branch(sign_in, workplace_rep, register) -> None:
    html = sign_in(workplace_rep).get(HOME).content.decode()

    assert table(html, "by-branch") == {"North": ["4"]}


def test_figures_are_cached_per_scope(
    sign_in, hq_staff, branch_secretary, register
) -> None:
    client = sign_in(hq_staff)
    client.get(HOME)
    MembershipFactory(branch=register["south"])

    html = client.get(HOME).content.decode()
    assert table(html, "by-branch")["South"] == ["2"]  # still the cached count

    cache.clear()
    html = client.get(HOME).content.decode()
    assert table(html, "by-branch")["South"] == ["3"]


def test_wagtails_page_panels_are_not_shown(sign_in, hq_staff) -> None:
    html = sign_in(hq_staff).get(HOME).content.decode()

    assert "Your most recent edits" not in html
    assert 'id="membership-figures-heading"' in html
