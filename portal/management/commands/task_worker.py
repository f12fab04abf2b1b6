"""Runs the portal's background tasks (docs/tasks.md): django-tasks-db's `db_worker` on
the `background` backend, every queue, after putting back in the queue what this worker
id was running when its process last died (portal.tasks.reclaim).

Give each worker process a stable id of its own (`--worker-id`, the systemd unit uses
`<host>-<instance>`): the id is how a restarted worker recognises its unfinished work."""

import socket

from django.core.management import call_command
from django.core.management.base import BaseCommand

from portal.tasks import BACKGROUND, reclaim


class Command(BaseCommand):
    help = "Exécute les tâches de fond du portail (envois de lettres, courriels)."

    def add_arguments(self, parser):
        parser.add_argument("--worker-id", default=f"{socket.gethostname()}-1"[:64])
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="run what is ready, then exit")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--reload", action="store_true", help="restart on code changes")
        parser.add_argument("--no-startup-delay", action="store_true")

    def handle(self, *args, worker_id, interval, batch, max_tasks, reload, **options):
        reclaimed = reclaim(worker_id)
        if reclaimed and options["verbosity"]:
            self.stderr.write(f"{reclaimed} tâche(s) interrompue(s) remise(s) en file")
        arguments = [
            "db_worker",
            f"--backend={BACKGROUND}",
            "--queue-name=*",
            f"--worker-id={worker_id}",
            f"--interval={interval}",
            "--reload" if reload else "--no-reload",
        ]
        if batch:
            arguments.append("--batch")
        if max_tasks:
            arguments.append(f"--max-tasks={max_tasks}")
        if options["no_startup_delay"]:
            arguments.append("--no-startup-delay")
        call_command(*arguments, verbosity=options["verbosity"])
