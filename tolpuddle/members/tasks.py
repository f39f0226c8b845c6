"""Background work on the register, run by `tolpuddle worker`."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django_tasks import TaskContext, task

from tolpuddle.core.models import User
from tolpuddle.core.progress import progress_update
from tolpuddle.members import services
from tolpuddle.members.importer import members_import
from tolpuddle.members.models import Employer, Workplace

# How often an import records its progress (tolpuddle.core.progress), in rows.
PROGRESS_EVERY = 5000


class _ImportProgress:
    """Writes an import's progress every ``PROGRESS_EVERY`` rows, for the back office."""

    def __init__(self, task_id: str) -> None:
        self.task_id = task_id
        self.total: int | None = None
        self.written = 0
        progress_update(task_id=task_id, done=0, total=None, stage="reading")

    def start(self, total: int) -> None:
        self.total = total
        progress_update(task_id=self.task_id, done=0, total=total, stage="importing")

    def advance(self, done: int) -> None:
        if done - self.written >= PROGRESS_EVERY or done == self.total:
            self.written = done
            progress_update(
                task_id=self.task_id, done=done, total=self.total, stage="importing"
            )


@task(takes_context=True)
def import_members_task(
    context: TaskContext,
    *,
    path: str,
    actor_id: int | None = None,
    encoding: str = "utf-8",
    dry_run: bool = False,
    original_name: str = "",
    delete_after: bool = False,
) -> dict[str, Any]:
    """Import a file already on the server; the report is the task's result.

    Progress is recorded under the task's id (``tolpuddle.core.progress``). The back
    office passes the uploaded file's own name (for the report) and ``delete_after``,
    so that the copy of the register it saved is removed once the import has run.
    """
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    progress = _ImportProgress(str(context.task_result.id))
    try:
        report = members_import(
            path=Path(path),
            actor=actor,
            encoding=encoding,
            dry_run=dry_run,
            on_start=progress.start,
            on_progress=progress.advance,
        )
    finally:
        if delete_after:
            Path(path).unlink(missing_ok=True)
    result = report.as_dict()
    if original_name:
        result["file"] = original_name
    return result


@task(takes_context=True)
def employer_bulk_transfer_task(
    context: TaskContext,
    *,
    from_employer_id: int,
    to_employer_id: int,
    on: str,
    actor_id: int | None = None,
    workplace_ids: list[int] | None = None,
    job_categories: list[str] | None = None,
    reason: str = "",
) -> dict[str, Any]:
    """Run a confirmed bulk transfer; the result counts who moved.

    Progress is recorded under the task's id (``tolpuddle.core.progress``), always
    outside the transfer's transaction, which is all or nothing: "checking" while a
    dry run counts the jobs, "moving" (done 0 of that count) while the transfer runs,
    since nothing it writes can be seen until it commits, then "moved".
    """
    task_id = str(context.task_result.id)
    progress_update(task_id=task_id, done=0, total=None, stage="checking")
    kwargs: dict[str, Any] = {
        "from_employer": Employer.objects.get(pk=from_employer_id),
        "to_employer": Employer.objects.get(pk=to_employer_id),
        "on": datetime.date.fromisoformat(on),
        "actor": User.objects.filter(pk=actor_id).first() if actor_id else None,
        "workplaces": list(Workplace.objects.filter(pk__in=workplace_ids or [])),
        "job_categories": job_categories or [],
        "reason": reason,
    }
    expected = services.employer_bulk_transfer(**kwargs, dry_run=True).count
    progress_update(task_id=task_id, done=0, total=expected, stage="moving")
    result = services.employer_bulk_transfer(**kwargs)
    progress_update(
        task_id=task_id, done=result.count, total=result.count, stage="moved"
    )
    return {
        "moved": result.count,
        "from_employer": result.from_employer,
        "to_employer": result.to_employer,
        "on": on,
        "created_workplaces": result.created_workplaces,
    }
