"""A real task worker for tests that need background work (docs/tasks.md): `manage.py
task_worker` in a process of its own, on this test process's database, so a test sees
what production's worker does (another process, another connection, committed rows
only, killed and restarted).

- `committed_db`: like `portal` (tests/conftest.py), the test writes for real and the
  seeded state is copied back afterwards; the worker only sees committed rows.
- `task_worker`: starts the worker (stopped at the end), sending mail where this test
  does (the `smtp` fixture's server when the test uses it); `.wait()` polls until every
  background task is done, `.kill()` is a SIGKILL (a crash), `.start()` starts it again
  under the same id.
- `run_tasks()`: runs what is queued in this process, for tests inside the rolled-back
  transaction of `db` that just need the queued work done."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.db import connection, connections

import pytest

from portal.tasks import pending, run_ready

from . import seeded_db

ROOT = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.02


def database_url() -> str:
    """This process's test database (the copy of the seeded template) as a URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def wait_for_tasks(timeout: float = 30, *, until=None) -> None:
    """Polls until no background task is ready or running, or, given `until`, until
    `until()` is true; fails with what is left after `timeout` seconds."""
    done = until or (lambda: not pending().exists())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():
            return
        time.sleep(POLL_SECONDS)
    left = list(pending().values_list("task_path", "status", "run_after"))
    pytest.fail(f"not done after {timeout} s; background tasks left: {left}")


def run_tasks(worker_id: str = "in-test") -> int:
    """Runs every ready background task here and now, in this process and transaction."""
    return run_ready(worker_id)


class Worker:
    def __init__(self):
        self.id = f"test-{uuid.uuid4().hex[:12]}"
        self.env = {}
        self.process = None

    def start(self):
        from django.conf import settings

        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": database_url(),
            # Where this test sends mail (tests/smtp_server.py sets these).
            "EMAIL_BACKEND": settings.EMAIL_BACKEND,
            "EMAIL_HOST": settings.EMAIL_HOST,
            "EMAIL_PORT": str(settings.EMAIL_PORT),
            **self.env,
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "task_worker",
                f"--worker-id={self.id}",
                "--interval=0.05",
                "--no-startup-delay",
            ],
            cwd=ROOT,
            env=environment,
        )
        return self

    def restart(self, **env):
        """Stopped, then started again with these variables added (e.g. a throttle)."""
        self.stop()
        self.env.update(env)
        return self.start()

    def kill(self):
        """A crash: no chance to finish the task at hand."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def wait(self, timeout: float = 30, *, until=None):
        if self.process.poll() is not None:
            pytest.fail(f"the task worker exited ({self.process.returncode})")
        wait_for_tasks(timeout, until=until)


@pytest.fixture
def committed_db(request, django_db_setup, django_db_blocker):
    if {"db", "transactional_db", "network"} & set(request.fixturenames):
        pytest.fail(
            "`committed_db` commits for real and restores the database afterwards: a test "
            "using it cannot also hold the rolled-back transaction of `db`/`network`.",
            pytrace=False,
        )
    with django_db_blocker.unblock():
        # Fresh connections: an earlier test's restore drops and recreates the database
        # (WITH FORCE), which a connection kept from before would only learn at its
        # first query (psycopg's AdminShutdown).
        connections.close_all()
        try:
            yield
        finally:
            seeded_db.restore(seeded_db.run_id(request.config))


@pytest.fixture
def task_worker(request, committed_db):
    if "smtp" in request.fixturenames:
        request.getfixturevalue("smtp")  # its settings first: the worker inherits them
    worker = Worker().start()
    yield worker
    worker.stop()
