"""What the register does when allauth tells it something about a sign-in."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, password_reset
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tolpuddle.members import selectors, services
from tolpuddle.members.models import Branch, Employer, Region, Workplace


@receiver(email_confirmed)
def link_on_email_confirmed(
    sender: Any, request: Any, email_address: EmailAddress, **kwargs: Any
) -> None:
    services.sign_in_link_by_verified_email(
        user=email_address.user, email=email_address.email
    )


@receiver(password_reset)
def verify_on_password_reset(
    sender: Any, request: Any, user: Any, **kwargs: Any
) -> None:
    """A password set from the link emailed to the sign-in's address proves the
    address, as the invitation email intends."""
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(
        verified=True
    )


def _reference_changed(**kwargs: Any) -> None:
    selectors.reference_choices_forget()


for _model in (Branch, Region, Employer, Workplace):
    post_save.connect(
        _reference_changed, sender=_model, dispatch_uid=f"reference-{_model}"
    )
    post_delete.connect(
        _reference_changed, sender=_model, dispatch_uid=f"reference-d-{_model}"
    )
