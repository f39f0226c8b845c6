"""Register settings: HQ staff manage employers, workplaces, branches and the rest."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.permissions import policy_registry

from tolpuddle.members.models import Branch, Employer, Role, Workplace
from tolpuddle.members.tests.factories import (
    EmployerFactory,
    EmploymentFactory,
    MembershipFactory,
    NationFactory,
    UserFactory,
    WorkplaceFactory,
)

pytestmark = pytest.mark.django_db


def test_hq_staff_list_and_search_employers(sign_in, hq_staff):
    EmployerFactory(name="City Hospital Trust")
    EmployerFactory(name="County Council")
    client = sign_in(hq_staff)

    listing = client.get(reverse("employers:index"))
    found = client.get(reverse("employers:index"), {"q": "hospital"})

    assert listing.status_code == 200
    assert "City Hospital Trust" in listing.content.decode()
    assert "County Council" in listing.content.decode()
    assert "City Hospital Trust" in found.content.decode()
    assert "County Council" not in found.content.decode()


def test_hq_staff_create_and_edit_an_employer(sign_in, hq_staff):
    client = sign_in(hq_staff)
    england = NationFactory()

    created = client.post(
        reverse("employers:add"),
        {
            "name": "Northern Probation Service",
            "type": "public",
            "nation": england.pk,
            "existed_from": "2014-06-01",
            "existed_until": "",
        },
    )

    assert created.status_code == 302
    employer = Employer.objects.get(name="Northern Probation Service")
    assert str(employer.existed_from) == "2014-06-01"

    edited = client.post(
        reverse("employers:edit", args=[employer.pk]),
        {
            "name": "Northern Probation",
            "type": "public",
            "nation": england.pk,
            "existed_from": "01/06/2014",
        },
    )

    assert edited.status_code == 302
    employer.refresh_from_db()
    assert employer.name == "Northern Probation"
    listing = client.get(reverse("employers:index")).content.decode()
    assert "1 June 2014" in listing


def test_an_employer_needs_a_name(sign_in, hq_staff):
    response = sign_in(hq_staff).post(
        reverse("employers:add"), {"name": "", "type": "public"}
    )

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Employer.objects.exists()


def test_hq_staff_create_and_edit_a_workplace(sign_in, hq_staff):
    employer = EmployerFactory(name="City Hospital Trust")
    client = sign_in(hq_staff)

    created = client.post(
        reverse("workplaces:add"),
        {"employer": employer.pk, "name": "Ward 10", "town": "Leeds", "postcode": ""},
    )

    assert created.status_code == 302
    workplace = Workplace.objects.get(name="Ward 10")
    assert workplace.employer == employer
    edited = client.post(
        reverse("workplaces:edit", args=[workplace.pk]),
        {"employer": employer.pk, "name": "Ward 11", "town": "Leeds"},
    )
    assert edited.status_code == 302
    workplace.refresh_from_db()
    assert workplace.name == "Ward 11"
    listing = client.get(reverse("workplaces:index")).content.decode()
    assert "Ward 11" in listing
    assert "City Hospital Trust" in listing


def test_a_workplace_needs_a_name_and_keeps_what_was_typed(sign_in, hq_staff):
    employer = EmployerFactory()

    response = sign_in(hq_staff).post(
        reverse("workplaces:add"),
        {"employer": employer.pk, "name": "", "town": "Wakefield"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page
    assert 'value="Wakefield"' in page
    assert not Workplace.objects.exists()


def test_a_branch_with_members_cannot_be_deleted(sign_in, hq_staff, branches):
    north, _south = branches
    MembershipFactory(branch=north)
    client = sign_in(hq_staff)

    page = client.get(reverse("branches:delete", args=[north.pk]), follow=True)
    response = client.post(reverse("branches:delete", args=[north.pk]), follow=True)

    for shown in (page, response):
        assert shown.status_code == 200
        assert "cannot be deleted: memberships still refer to it" in (
            shown.content.decode()
        )
    assert Branch.objects.filter(pk=north.pk).exists()


def test_a_workplace_where_members_work_cannot_be_deleted(sign_in, hq_staff):
    job = EmploymentFactory()

    response = sign_in(hq_staff).post(
        reverse("workplaces:delete", args=[job.workplace.pk]), follow=True
    )

    assert "cannot be deleted: employments still refer to it" in (
        response.content.decode()
    )
    assert Workplace.objects.filter(pk=job.workplace.pk).exists()


def test_a_branch_nobody_uses_can_be_deleted(sign_in, hq_staff, branches):
    _north, south = branches

    response = sign_in(hq_staff).post(reverse("branches:delete", args=[south.pk]))

    assert response.status_code == 302
    assert not Branch.objects.filter(pk=south.pk).exists()


def test_roles_are_listed_but_not_editable(sign_in, hq_staff):
    role = Role.objects.get(slug="branch-secretary")
    client = sign_in(hq_staff)

    assert role.name in client.get(reverse("roles:index")).content.decode()
    edit = client.post(
        f"/admin/roles/edit/{role.pk}/",
        {"name": "Renamed", "slug": role.slug, "scope": role.scope},
    )

    assert edit.status_code == 404
    role.refresh_from_db()
    assert role.name != "Renamed"


def test_not_even_a_superuser_can_add_edit_or_delete_a_role(sign_in):
    """The access rules name roles by slug: changing one would silently change who
    may do what, so the screens are list and inspect only, for everyone."""
    role = Role.objects.get(slug="branch-secretary")
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client = sign_in(superuser)

    for url in (
        "/admin/roles/new/",
        f"/admin/roles/edit/{role.pk}/",
        f"/admin/roles/delete/{role.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            f"/admin/roles/edit/{role.pk}/",
            {"name": "Renamed", "slug": "renamed", "scope": role.scope},
        ).status_code
        == 404
    )
    assert client.post(f"/admin/roles/delete/{role.pk}/").status_code == 404
    role.refresh_from_db()
    assert (role.name, role.slug) != ("Renamed", "renamed")
    assert Role.objects.filter(pk=role.pk).exists()

    policy = policy_registry.get_by_type(Role)
    for action in ("add", "change", "delete"):
        assert not policy.user_has_permission(superuser, action)
        assert not policy.user_has_permission_for_instance(superuser, action, role)
        assert superuser not in policy.users_with_permission(action)
    assert policy.user_has_permission(superuser, "view")

    listing = client.get(reverse("roles:index"))
    inspect = client.get(reverse("roles:inspect", args=[role.pk]))
    assert listing.status_code == inspect.status_code == 200
    assert role.name in listing.content.decode()
    assert role.slug in inspect.content.decode()
    # Wagtail's history screen needs add, change or delete: there is none to show.
    history = client.get(reverse("roles:history", args=[role.pk]))
    assert history.status_code == 302
    assert history.url == reverse("wagtailadmin_home")
    for page in (listing, inspect):
        content = page.content.decode()
        assert "/admin/roles/new/" not in content
        assert "/admin/roles/edit/" not in content
        assert "/admin/roles/delete/" not in content
        assert "Add role" not in content


def test_the_groups_screen_offers_only_the_view_permission_on_roles(sign_in):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    group = Group.objects.get(name="Membership staff")
    content = (
        sign_in(superuser)
        .get(reverse("wagtailusers_groups:edit", args=[group.pk]))
        .content.decode()
    )
    role_permissions = {
        p.codename: p.pk for p in Permission.objects.filter(content_type__model="role")
    }
    assert f'value="{role_permissions["view_role"]}"' in content
    for codename in ("add_role", "change_role", "delete_role"):
        assert f'value="{role_permissions[codename]}"' not in content


@pytest.mark.parametrize("who", ["branch_secretary", "workplace_rep"])
def test_officers_and_reps_are_turned_away_without_seeing_the_menu(
    request, sign_in, who
):
    """Wagtail's permission check: a redirect to the dashboard with "Sorry, you do
    not have permission to access this area", not a 404."""
    workplace = WorkplaceFactory()
    client = sign_in(request.getfixturevalue(who))

    for url in (
        reverse("employers:index"),
        reverse("workplaces:edit", args=[workplace.pk]),
        reverse("branches:add"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
    deleted = client.post(reverse("workplaces:delete", args=[workplace.pk]))
    assert deleted.status_code == 302
    assert Workplace.objects.filter(pk=workplace.pk).exists()
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Register settings" not in home
    assert reverse("employers:index") not in home


def test_hq_staff_see_the_register_settings_menu(sign_in, hq_staff):
    home = sign_in(hq_staff).get(reverse("wagtailadmin_home")).content.decode()

    assert "Register settings" in home
    assert reverse("employers:index") in home
