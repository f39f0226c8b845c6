"""Factories for disputes and ballots. Defaults are valid; a test sets only what it
is about. A ballot is made through ``ballot_create`` (its constituency and questions
are the service's to decide), a dispute through the model."""

from __future__ import annotations

import datetime
from typing import Any

import factory

from tolpuddle.disputes import services
from tolpuddle.disputes.models import Ballot, BallotKind, Dispute, DisputeEmployer
from tolpuddle.members.tests.factories import EmployerFactory

BEGAN_ON = datetime.date(2026, 9, 1)


class DisputeFactory(factory.django.DjangoModelFactory):
    """A dispute with one employer (``employers=[...]`` for others)."""

    class Meta:
        model = Dispute
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Pay claim {n}")
    summary = "The employer's refusal to pay the 2026 pay award in full."
    began_on = BEGAN_ON

    @factory.post_generation
    def employers(obj: Dispute, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805 - factory_boy passes the object first
        if not create:
            return
        for employer in extracted if extracted is not None else [EmployerFactory()]:
            DisputeEmployer.objects.create(dispute=obj, employer=employer)


def statutory_ballot(
    *,
    dispute: Dispute | None = None,
    opening_on: datetime.date = datetime.date(2026, 12, 14),
    closing_on: datetime.date = datetime.date(2027, 1, 11),
    **options: Any,
) -> Ballot:
    """A statutory strike ballot over every employer of the dispute, with a
    complete voting paper."""
    dispute = dispute or DisputeFactory()
    values: dict[str, Any] = {
        "kind": BallotKind.STATUTORY,
        "title": "Ballot for strike action",
        "strike": True,
        "employers": list(dispute.employers.all()),
        "scrutineer_name": "Civica Election Services",
        "return_address": "Freepost RTKA-XYZA, Civica, London SE1 1AA",
        "authorised_to_call_action": "The General Secretary",
        **options,
    }
    return services.ballot_create(
        dispute=dispute,
        opening_on=opening_on,
        closing_on=closing_on,
        by=None,
        **values,
    )
