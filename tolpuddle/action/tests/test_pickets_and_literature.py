"""Picket lines (with their supervisors) and literature sent to branches."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tolpuddle.action import services
from tolpuddle.action.models import ActionEvent, Literature, PicketLine
from tolpuddle.action.tests.factories import (
    TODAY,
    at,
    ballot_closed,
    elector,
    period_called,
)
from tolpuddle.core.exceptions import ApplicationError
from tolpuddle.members.models import MembershipStatus
from tolpuddle.members.tests.factories import (
    BranchFactory,
    MembershipFactory,
    WorkplaceFactory,
)
from tolpuddle.members.tests.test_access import hold, member_with_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def strike():
    """A strike tomorrow at North."""
    ballot = ballot_closed()
    north = WorkplaceFactory(employer=ballot.employers.get(), name="North")
    branch = BranchFactory(name="East")
    elector(ballot, workplace=north, branch=branch)
    period = period_called(
        ballot, starts_at=at(TODAY + datetime.timedelta(days=1)), workplaces=[north]
    )
    return period, north, branch


def test_a_picket_line_has_a_supervisor_who_can_be_reached(strike):
    period, north, _branch = strike
    supervisor = MembershipFactory()

    line = services.picket_line_add(
        period=period,
        workplace=north,
        place="Main gate",
        supervisor=supervisor,
        supervisor_contact="07911 123456",
        by=None,
    )

    assert (line.supervisor, line.supervisor_contact) == (supervisor, "+447911123456")
    assert (
        ActionEvent.objects.filter(kind="picket_line_added").get().membership
        == supervisor
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"workplace": None, "place": "  "}, "Say where the picket line is"),
        ({"workplace": "elsewhere"}, r"Nobody at .* is called out"),
        ({"supervisor_contact": "not a number"}, "supervisor's phone"),
        ({"supervisor": "lapsed"}, "member in good standing"),
    ],
)
def test_a_picket_line_that_cannot_be_is_refused(strike, change, message):
    period, north, _branch = strike
    values = {
        "workplace": north,
        "place": "",
        "supervisor": MembershipFactory(),
        "supervisor_contact": "07911 123456",
        **change,
    }
    if values["workplace"] == "elsewhere":
        values["workplace"] = WorkplaceFactory()
    if values["supervisor"] == "lapsed":
        values["supervisor"] = MembershipFactory(lapsed=True)
        assert values["supervisor"].status == MembershipStatus.LAPSED

    with pytest.raises(ApplicationError, match=message):
        services.picket_line_add(period=period, by=None, **values)

    assert not PicketLine.objects.exists()


def test_literature_is_sent_to_the_officers_of_the_branches_chosen(
    strike, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    period, _north, branch = strike
    _user, secretary = member_with_sign_in(branch, person__email="sec@example.org")
    hold(secretary, "branch-secretary", branch=branch)
    _user, elsewhere = member_with_sign_in(BranchFactory())
    hold(elsewhere, "branch-secretary", branch=elsewhere.branch)

    with django_capture_on_commit_callbacks(execute=True):
        literature = services.literature_send(
            period=period,
            title="Strike leaflet",
            text="Join the picket at 7am.",
            file=SimpleUploadedFile("leaflet.pdf", b"%PDF-1.4 leaflet"),
            branches=[branch],
            by=None,
        )

    assert [m.to for m in mail.outbox] == [[secretary.person.email]]
    assert "Join the picket at 7am." in mail.outbox[0].body
    assert f"/admin/action/literature/{literature.pk}/file/" in mail.outbox[0].body
    assert literature.sent_at is not None
    assert literature.file.read() == b"%PDF-1.4 leaflet"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": " "}, "Give the literature a title"),
        ({"text": "", "file": None}, "Give the text, attach a file"),
        ({"branches": []}, "Choose the branches"),
    ],
)
def test_literature_without_what_it_needs_is_refused(strike, change, message):
    period, _north, branch = strike
    values = {
        "title": "Leaflet",
        "text": "Text",
        "file": None,
        "branches": [branch],
        **change,
    }

    with pytest.raises(ApplicationError, match=message):
        services.literature_send(period=period, by=None, **values)

    assert not Literature.objects.exists()
    assert not mail.outbox
