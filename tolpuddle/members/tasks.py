"""Background work on the register, run by `tolpuddle worker`."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django_tasks import task

from tolpuddle.core.models import User
from tolpuddle.members import services
from tolpuddle.members.importer import members_import
from tolpuddle.members.models import Employer, Workplace


@task()
def import_members_task(
    *,
    path: str,
    actor_id: int | None = None,
    encoding: str = "utf-8",
    dry_run: bool = False,
) -> dict[str, Any]:
    """Import a file already on the server; the report is the task's result."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    report = members_import(
        path=Path(path), actor=actor, encoding=encoding, dry_run=dry_run
    )
    return report.as_dict()


@task()
def employer_bulk_transfer_task(
    *,
    from_employer_id: int,
    to_employer_id: int,
    on: str,
    actor_id: int | None = None,
    workplace_ids: list[int] | None = None,
    job_categories: list[str] | None = None,
    reason: str = "",
) -> dict[str, Any]:
    """Run a confirmed bulk transfer; the result counts who moved."""
    result = services.employer_bulk_transfer(
        from_employer=Employer.objects.get(pk=from_employer_id),
        to_employer=Employer.objects.get(pk=to_employer_id),
        on=datetime.date.fromisoformat(on),
        actor=User.objects.filter(pk=actor_id).first() if actor_id else None,
        workplaces=list(Workplace.objects.filter(pk__in=workplace_ids or [])),
        job_categories=job_categories or [],
        reason=reason,
    )
    return {
        "moved": result.count,
        "from_employer": result.from_employer,
        "to_employer": result.to_employer,
        "on": on,
        "created_workplaces": result.created_workplaces,
    }
