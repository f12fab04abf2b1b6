"""The portal's scheduled jobs: which commands, how often (the systemd timers of
deploy/systemd/ run them, docs/deployment.md "Scheduled jobs"), and the record of each
run that `/health/` reads to say when each last ran and which is overdue.

A command records its runs by taking `RecordedJob` as its first base: however it is
started (timer, cron, by hand, call_command), each run leaves a JobRun row, ok or not.
Dry runs record nothing: they did not do the job."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import DatabaseError
from django.utils import timezone

# Rows kept per job (a five-minute job makes 288 a day): the health view needs the last.
KEEP_RUNS = 200


@dataclass(frozen=True)
class Job:
    name: str
    # systemd's OnCalendar expression of its timer (deploy/systemd/), Europe/Paris time.
    calendar: str
    every: timedelta
    # Flagged overdue when its last success is older than this (the cadence plus the
    # time a run may take, and a missed run or two for the frequent ones).
    overdue_after: timedelta
    why: str


JOBS = {
    job.name: job
    for job in (
        Job(
            "publish_scheduled",
            "*:0/5",
            timedelta(minutes=5),
            timedelta(minutes=20),
            "publishes pages scheduled to go live, unpublishes expired ones",
        ),
        Job(
            "flush_search_figures",
            "*:0/5",
            timedelta(minutes=5),
            timedelta(minutes=20),
            "stores the searches counted in Redis in the search figures",
        ),
        Job(
            "import_ical",
            "*:0/30",
            timedelta(minutes=30),
            timedelta(hours=2),
            "imports the centres' iCalendar feeds",
        ),
        Job(
            "fetch_external_feeds",
            "*:15",
            timedelta(hours=1),
            timedelta(hours=3),
            "fetches the outside feeds shown on the sites (press panorama)",
        ),
        Job(
            "stats_rollup",
            "*-*-* 00:05:00",
            timedelta(days=1),
            timedelta(hours=26),
            "rolls up yesterday's statistics, deletes salts older than 48 h",
        ),
        Job(
            "stats_purge",
            "*-*-* 03:30:00",
            timedelta(days=1),
            timedelta(hours=26),
            "deletes raw statistics events older than 13 months",
        ),
        Job(
            "registrations_daily",
            "*-*-* 09:00:00",
            timedelta(days=1),
            timedelta(hours=26),
            "reminds registrants of tomorrow's events, erases past registrants' details",
        ),
        Job(
            "purge_form_submissions",
            "*-*-* 03:45:00",
            timedelta(days=1),
            timedelta(hours=26),
            "deletes the forms' answers older than each form's retention",
        ),
    )
}


class RecordedJob:
    """Mixin for a scheduled command (first base): its runs are recorded (JobRun)."""

    def job_name(self) -> str:
        return type(self).__module__.rsplit(".", 1)[-1]

    def execute(self, *args, **options):
        if options.get("dry_run") or options.get("dryrun"):
            return super().execute(*args, **options)
        run = start(self.job_name())
        try:
            result = super().execute(*args, **options)
        except BaseException as error:
            finish(run, ok=False, error=f"{type(error).__name__}: {error}")
            raise
        finish(run, ok=True)
        return result


def start(name):
    from .models import JobRun

    return JobRun.objects.create(name=name, started=timezone.now())


def finish(run, *, ok, error=""):
    from .models import JobRun

    try:
        JobRun.objects.filter(pk=run.pk).update(finished=timezone.now(), ok=ok, error=error[:500])
        old = JobRun.objects.filter(name=run.name).order_by("-started")[KEEP_RUNS:]
        JobRun.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()
    except DatabaseError:
        pass  # the job's own failure (a database gone) is the one to report


def status(now=None) -> dict:
    """Per job: its cadence, last run (start, end, ok), last success, and whether it is
    overdue (no success within `overdue_after`, or never run)."""
    from .models import JobRun

    now = now or timezone.now()
    report = {}
    for job in JOBS.values():
        runs = JobRun.objects.filter(name=job.name).order_by("-started")
        last = runs.first()
        success = runs.filter(ok=True).first()
        report[job.name] = {
            "every": int(job.every.total_seconds()),
            "last_started": last.started.isoformat() if last else None,
            "last_finished": last.finished.isoformat() if last and last.finished else None,
            "last_ok": last.ok if last else None,
            "last_success": success.finished.isoformat() if success else None,
            "overdue": success is None or now - success.finished > job.overdue_after,
        }
    return report
