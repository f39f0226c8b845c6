"""Background tasks on the register: what they record of their progress."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from tolpuddle.core.progress import progress_for
from tolpuddle.core.tests.worker import run_queued_tasks
from tolpuddle.members import tasks
from tolpuddle.members.models import Employment
from tolpuddle.members.tests.factories import (
    EmployerFactory,
    EmploymentFactory,
    WorkplaceFactory,
)


# Committing for real: inside a test's own transaction every write would look as if
# it were inside the transfer's, and that is the point of the test.
@pytest.mark.django_db(transaction=True)
def test_the_bulk_transfer_records_its_stages_outside_its_transaction(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old, new = EmployerFactory(name="Old Trust"), EmployerFactory(name="New Trust")
    ward = WorkplaceFactory(employer=old, name="Ward 1")
    for _ in range(3):
        EmploymentFactory(workplace=ward)
    written: list[tuple[str, int, int | None, bool, int]] = []
    real_update = tasks.progress_update

    def spy(*, task_id: str, done: int, total: int | None, stage: str) -> None:
        written.append(
            (
                stage,
                done,
                total,
                transaction.get_connection().in_atomic_block,
                Employment.objects.filter(employer=new).count(),
            )
        )
        real_update(task_id=task_id, done=done, total=total, stage=stage)

    monkeypatch.setattr(tasks, "progress_update", spy)

    queued = tasks.employer_bulk_transfer_task.enqueue(
        from_employer_id=old.pk, to_employer_id=new.pk, on="2027-04-01"
    )
    run_queued_tasks()

    # (stage, done, total, inside a transaction, jobs already at New Trust)
    assert written == [
        ("checking", 0, None, False, 0),
        ("moving", 0, 3, False, 0),
        ("moved", 3, 3, False, 3),
    ]
    progress = progress_for(task_id=str(queued.id))
    assert progress is not None
    assert (progress.stage, progress.done, progress.total) == ("moved", 3, 3)
    finished = tasks.employer_bulk_transfer_task.get_result(queued.id)
    assert finished.return_value == {
        "moved": 3,
        "from_employer": "Old Trust",
        "to_employer": "New Trust",
        "on": "2027-04-01",
        "created_workplaces": ["Ward 1"],
    }
