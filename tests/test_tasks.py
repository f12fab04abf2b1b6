"""The task queue (portal/tasks.py, docs/tasks.md): a task enqueued by a request runs in
the worker process; a worker killed in a task runs it again once restarted under its
id; the systemd unit and `make run` start the worker."""

import configparser
import os
import subprocess
from pathlib import Path

from django.test import Client

import pytest
from django_tasks import TaskResultStatus, task_backends

from portal.tasks import BACKGROUND, reclaim

from .task_worker import committed_db, run_tasks, task_worker  # noqa: F401
from .tasks_app import where_am_i

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.urls("tests.tasks_app")
def test_a_task_enqueued_in_a_request_runs_in_the_worker(task_worker):
    response = Client().get("/enqueue/", {"marker": "lettre"})
    assert response.status_code == 200
    task_worker.wait()
    result = task_backends[BACKGROUND].get_result(response.json()["id"])
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["marker"] == "lettre"
    # Run by the worker's process, not in the request.
    assert result.return_value["pid"] == task_worker.process.pid != os.getpid()
    assert result.worker_ids == [task_worker.id]


@pytest.mark.django_db
def test_a_task_left_running_by_a_dead_worker_is_run_again_by_its_successor():
    from django_tasks_db.models import DBTaskResult

    result = where_am_i.enqueue("interrompue")
    # What a worker killed in the task leaves behind: RUNNING, claimed by its id.
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["web-1"]
    )
    assert reclaim("web-2") == 0, "another worker's task is left alone"
    assert reclaim("web-1") == 1
    run_tasks()
    done = task_backends[BACKGROUND].get_result(result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.worker_ids == ["web-1", "in-test"]


def test_the_systemd_unit_runs_the_worker_and_restarts_it():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read(ROOT / "deploy" / "systemd" / "rncrpv-worker@.service")
    service = unit["Service"]
    assert service["ExecStart"].endswith("manage.py task_worker --worker-id %H-%i")
    assert service["Restart"] == "always"
    assert service["KillSignal"] == "SIGTERM"  # the task at hand finishes first
    checked = subprocess.run(
        [
            "systemd-analyze",
            "verify",
            "--man=no",
            str(ROOT / "deploy/systemd/rncrpv-worker@.service"),
        ],
        capture_output=True,
        text=True,
    )
    # verify complains about the missing user and paths of this machine, not the syntax.
    assert "Unknown" not in checked.stderr and "Invalid" not in checked.stderr, checked.stderr


def test_make_run_starts_the_worker_beside_the_server():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun: ", 1)[1].split("\n\n", 1)[0]
    assert "task_worker" in run and "runserver" in run
    assert "trap" in run  # stopped with the server (Ctrl-C or exit)
