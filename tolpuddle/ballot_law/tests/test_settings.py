"""The two days an administrator fills in, read from the database."""

from __future__ import annotations

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import ValidationError
from django.urls import reverse

from tolpuddle.ballot_law import calculations, selectors
from tolpuddle.ballot_law.models import BallotLawSettings
from tolpuddle.members.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_with_nothing_set_stage_2_never_applies_and_voting_is_postal() -> None:
    regime = calculations.regime_for(opening=D(2035, 1, 1))

    assert regime.slug == "era-2025-stage-1"
    assert not regime.electronic_voting_permitted
    assert not BallotLawSettings.objects.exists()  # reading does not create the row


def test_stage_2_applies_once_an_administrator_sets_its_day() -> None:
    BallotLawSettings.objects.create(
        stage_2_from=D(2026, 12, 1), electronic_voting_from=D(2026, 9, 1)
    )

    assert calculations.regime_for(opening=D(2026, 11, 30)).slug == "era-2025-stage-1"
    regime = calculations.regime_for(opening=D(2026, 12, 1))
    assert (regime.slug, regime.starts_on, regime.electronic_voting_permitted) == (
        "era-2025-stage-2",
        D(2026, 12, 1),
        True,
    )
    assert selectors.commencements_current() == calculations.Commencements(
        stage_2_from=D(2026, 12, 1), electronic_voting_from=D(2026, 9, 1)
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"stage_2_from": D(2026, 2, 18)}, "stage_2_from", "must come after the first"),
        (
            {"electronic_voting_from": D(2025, 12, 17)},
            "electronic_voting_from",
            "not permitted before",
        ),
    ],
)
def test_days_that_cannot_be_right_are_refused(fields, field, message) -> None:
    with pytest.raises(ValidationError) as refused:
        BallotLawSettings(**fields).full_clean()

    assert message in " ".join(refused.value.message_dict[field])


def test_an_administrator_sets_the_stage_2_day_in_the_back_office(client) -> None:
    admin = UserFactory(is_staff=True, is_superuser=True)
    TOTP.activate(admin, generate_totp_secret())
    client.force_login(admin)
    url = reverse("wagtailsettings:edit", args=["ballot_law", "ballotlawsettings"])

    page = client.get(url, follow=True)
    assert page.status_code == 200
    assert "electronic voting permitted from" in page.text.lower()

    saved = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else url,
        {"stage_2_from": "2027-01-04", "electronic_voting_from": ""},
        follow=True,
    )

    assert saved.status_code == 200
    setting = BallotLawSettings.objects.get()
    assert (setting.stage_2_from, setting.electronic_voting_from) == (
        D(2027, 1, 4),
        None,
    )
    assert calculations.regime_for(opening=D(2027, 1, 4)).slug == "era-2025-stage-2"
