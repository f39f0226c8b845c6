"""Progress of background tasks, kept in the database so that every web process sees
what a worker process is doing (the cache may be per process)."""

from __future__ import annotations

from tolpuddle.core.models import TaskProgress


def progress_update(*, task_id: str, done: int, total: int | None, stage: str) -> None:
    """Record that task ``task_id`` has done ``done`` of ``total`` (None: not yet
    known) and is at ``stage``. One small write, outside any other transaction's
    rows, so a caller can run it every few thousand rows."""
    TaskProgress.objects.update_or_create(
        task_id=task_id, defaults={"done": done, "total": total, "stage": stage}
    )


def progress_for(*, task_id: str) -> TaskProgress | None:
    """What task ``task_id`` last said of its progress, or None if nothing yet."""
    return TaskProgress.objects.filter(task_id=task_id).first()
