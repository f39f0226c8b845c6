"""Background work for getting the vote out, run by `tolpuddle worker`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django_tasks import TaskContext, task

from tolpuddle.core.email import email_render
from tolpuddle.core.progress import progress_update
from tolpuddle.disputes.models import Ballot
from tolpuddle.turnout import links, selectors, services

# Emails rendered and handed to the mail server at a time, over one connection.
BATCH = 500


@task(takes_context=True)
def turnout_reminder_task(
    context: TaskContext, *, ballot_id: int, requested_event_id: int
) -> dict[str, Any]:
    """Send the reminder to vote, each with the member's own "I've voted" link, to
    whoever ``selectors.reminder_recipients`` names now (someone who said they voted
    since the reminder was asked for is left out), in batches, recording progress
    under the task's id (``tolpuddle.core.progress``); then log how many."""
    ballot = Ballot.objects.get(pk=ballot_id)
    task_id = str(context.task_result.id)
    sent = 0
    if selectors.ballot_accepting_votes(ballot):
        portal_url = settings.TOLPUDDLE_SITE_URL.rstrip("/") + reverse(
            "disputes:my_ballot", args=[ballot.pk]
        )
        recipients = selectors.reminder_recipients(ballot=ballot).values_list(
            "pk",
            "membership_id",
            "membership__person__first_name",
            "membership__person__email",
        )
        total = recipients.count()
        progress_update(task_id=task_id, done=0, total=total, stage="sending")
        last_pk = 0
        connection = get_connection()
        while True:
            batch = list(recipients.filter(pk__gt=last_pk)[:BATCH])
            if not batch:
                break
            last_pk = batch[-1][0]
            messages = []
            for _pk, membership_id, first_name, email in batch:
                subject, body = email_render(
                    template="turnout/email/reminder",
                    context={
                        "first_name": first_name,
                        "ballot": ballot,
                        "voted_url": links.voted_link_url(
                            ballot_id=ballot.pk, membership_id=membership_id
                        ),
                        "portal_url": portal_url,
                    },
                )
                messages.append(
                    EmailMessage(
                        subject=subject,
                        body=body,
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[email],
                        connection=connection,
                    )
                )
            sent += connection.send_messages(messages) or 0
            progress_update(task_id=task_id, done=sent, total=total, stage="sending")
    progress_update(task_id=task_id, done=sent, total=sent, stage="sent")
    services.turnout_reminder_sent_record(
        ballot=ballot, requested_event_id=requested_event_id, sent=sent
    )
    return {"ballot": ballot_id, "sent": sent}
