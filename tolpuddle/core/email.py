"""Email to people, rendered from templates and sent by the worker over SMTP.

``email_send`` is what services call: it renders now (so a mistake in a template
fails the service, not the worker) and sends after the transaction commits, so
nobody is told of a change that was rolled back.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task


def email_render(*, template: str, context: dict[str, Any]) -> tuple[str, str]:
    """``<template>_subject.txt`` and ``<template>.txt``: subject and plain body."""
    context = {"union_name": settings.TOLPUDDLE_UNION_NAME, **context}
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}.txt", context)
    return " ".join(subject.split()), body


def email_send(*, to: str, template: str, context: dict[str, Any]) -> None:
    subject, body = email_render(template=template, context=context)
    transaction.on_commit(
        lambda: send_email_task.enqueue(to=[to], subject=subject, body=body)
    )


@task()
def send_email_task(*, to: list[str], subject: str, body: str) -> None:
    EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    ).send()
