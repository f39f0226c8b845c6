"""Running queued tasks in a test, as `tolpuddle worker --once` does."""

from __future__ import annotations


def run_queued_tasks() -> None:
    """Run every task waiting in the database backend's queue, on this test's
    database connection."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    for waiting in DBTaskResult.objects.ready():
        waiting.claim(worker.worker_id)
        worker.run_task(waiting)
