"""The portal's task queue (docs/tasks.md): work a request should not wait for (a
newsletter to 2,500 addresses, confirmation mails, later document text extraction) is
enqueued on the `background` backend and run by `manage.py task_worker`.

Two backends are configured (settings `TASKS`):
- `default`: Wagtail's own tasks (reference index, search index, focal points, CDN
  purges) stay immediate, run in the request as before, so a page is searchable as soon
  as it is published;
- `background` (BACKGROUND): the portal's tasks, in the database by default
  (django-tasks-db: the embedded SQLite and PostgreSQL alike, nothing else to run).

Delivery is at least once: a worker killed in the middle of a task (power cut, OOM,
SIGKILL) leaves its row RUNNING; the worker restarted under the same id puts it back in
the queue (`reclaim`). So every task must be idempotent: record what it did (e.g. one
delivery row per subscriber) and skip what is already done."""

from django.utils import timezone

from django_tasks import TaskResultStatus, task

BACKGROUND = "background"


def background_task(function=None, **options):
    """`@background_task` (or `@background_task(priority=…)`): a task on the portal's
    background backend."""
    options.setdefault("backend", BACKGROUND)
    if function is None:
        return task(**options)
    return task(**options)(function)


def reclaim(worker_id: str) -> int:
    """Tasks this worker id was running when its process died, back to READY (run again
    by the restarted worker). Only this id's: another worker's RUNNING task is running.
    Returns how many."""
    from django_tasks_db.models import DBTaskResult

    # RUNNING rows are few (one per worker): filtered here, the same on every database.
    # UPGRADE CHECKPOINT django-tasks-db==0.13.0: its result rows' `status` and `worker_ids` (the claiming worker last), set by `DBTaskResult.claim` (tests/test_tasks.py::test_a_task_left_running_by_a_dead_worker_is_run_again_by_its_successor)
    stale = DBTaskResult.objects.filter(backend_name=BACKGROUND, status=TaskResultStatus.RUNNING)
    count = 0
    for row in stale:
        # The last id is the one that claimed it (worker_ids grows at each claim).
        if row.worker_ids and row.worker_ids[-1] == worker_id:
            row.status = TaskResultStatus.READY
            row.started_at = None
            row.run_after = min(row.run_after, timezone.now())
            row.save(update_fields=["status", "started_at", "run_after"])
            count += 1
    return count


def pending(now=None):
    """The background tasks not finished yet (ready, scheduled later or running)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        backend_name=BACKGROUND,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    )


def delete_finished(task_path_prefix: str) -> int:
    """Deletes the finished results (successful or failed) of the background tasks whose
    path starts with the prefix (e.g. "registrations."): an app whose tasks' arguments,
    return values or tracebacks might name people forgets them. Returns how many."""
    from django_tasks_db.models import DBTaskResult

    finished = DBTaskResult.objects.filter(
        backend_name=BACKGROUND,
        task_path__startswith=task_path_prefix,
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
    )
    return finished.delete()[0]


def run_ready(worker_id: str = "here") -> int:
    """Runs every ready background task in this process, in the current transaction
    (tests, benchmarks): django-tasks-db's own claim and run, without its polling loop,
    which closes the database connection between tasks. Returns how many ran."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    # UPGRADE CHECKPOINT django-tasks-db==0.13.0: the `Worker` of its `db_worker` command, its constructor and `run_task` (tests/test_tasks.py::test_a_task_left_running_by_a_dead_worker_is_run_again_by_its_successor)
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=BACKGROUND,
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    ran = 0
    while row := DBTaskResult.objects.ready().filter(backend_name=BACKGROUND).first():
        row.claim(worker_id)
        worker.run_task(row)
        ran += 1
    return ran
