"""Background work on polls, run by `tolpuddle worker`."""

from __future__ import annotations

from django_tasks import task

from tolpuddle.core.models import User
from tolpuddle.voting import services
from tolpuddle.voting.models import Poll


@task()
def poll_codes_send_task(
    *, poll_id: int, actor_id: int | None = None
) -> dict[str, int]:
    """Email each voter who has not voted a fresh code (``services.poll_codes_email``).
    The arguments name only the poll: no code is ever in the task queue."""
    poll = Poll.objects.get(pk=poll_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    sent = services.poll_codes_email(poll=poll, by=actor)
    return {"sent": sent.sent, "without_email": sent.without_email}


@task()
def poll_close_task(*, poll_id: int, actor_id: int | None = None) -> dict[str, int]:
    """``services.poll_close`` in the worker: on PostgreSQL it rewrites every vote of
    the poll, minutes for a million."""
    poll = Poll.objects.get(pk=poll_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    services.poll_close(poll=poll, by=actor)
    return {"poll": poll_id}
