"""Background work on ballots, run by `tolpuddle worker`."""

from __future__ import annotations

from django_tasks import TaskContext, task

from tolpuddle.core.models import User
from tolpuddle.disputes import services
from tolpuddle.disputes.models import Ballot


@task(takes_context=True)
def ballot_result_email_task(
    context: TaskContext, *, ballot_id: int, actor_id: int | None = None
) -> dict[str, int | bool]:
    """Email the result (s.231) to every member of the electorate not yet sent it
    (``services.ballot_result_email``), recording progress under the task's id."""
    ballot = Ballot.objects.get(pk=ballot_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    emailed = services.ballot_result_email(
        ballot=ballot, by=actor, task_id=str(context.task_result.id)
    )
    return {
        "sent": emailed.sent,
        "without_email": emailed.without_email,
        "already_running": emailed.already_running,
    }
