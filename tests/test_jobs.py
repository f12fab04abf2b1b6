"""Scheduled jobs: each command the timers run records its runs, `/health/` shows when
each last ran and flags the overdue ones, and the systemd timers committed under
deploy/systemd/ run every job at the cadence portal.jobs (and the docs) give it."""

import configparser
import subprocess
from datetime import timedelta
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

import pytest

from portal.jobs import JOBS
from portal.models import JobRun

ROOT = Path(__file__).resolve().parent.parent
SYSTEMD = ROOT / "deploy" / "systemd"


def health_jobs():
    response = Client().get("/health/")
    assert response.status_code == 200
    return response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(JOBS))
def test_running_a_job_records_its_run_and_health_shows_it(network, name):
    before = timezone.now()
    call_command(name, stdout=StringIO(), stderr=StringIO())
    run = JobRun.objects.get(name=name)
    assert run.ok is True and before <= run.started <= run.finished <= timezone.now()
    shown = health_jobs()["jobs"][name]
    assert shown["last_ok"] is True
    assert shown["last_success"] == run.finished.isoformat()
    assert shown["overdue"] is False


@pytest.mark.django_db
def test_a_dry_run_records_nothing(network):
    call_command("import_ical", "--dry-run", stdout=StringIO())
    call_command("publish_scheduled", "--dryrun", stdout=StringIO())
    assert not JobRun.objects.exists()


@pytest.mark.django_db
def test_a_failed_run_is_recorded_and_the_job_stays_overdue(network):
    from agenda.models import AgendaPage
    from interop.models import AgendaFeed

    agenda = AgendaPage.objects.child_of(network.centres["irev"].home_page).get()
    # Port 9 of the loopback: nothing listens, the feed fails at once.
    AgendaFeed.objects.create(agenda=agenda, url="http://127.0.0.1:9/agenda.ics")
    with pytest.raises(Exception, match="flux en échec"):
        call_command("import_ical", stdout=StringIO(), stderr=StringIO())
    run = JobRun.objects.get(name="import_ical")
    assert run.ok is False and "flux en échec" in run.error
    body = health_jobs()
    assert body["jobs"]["import_ical"]["last_ok"] is False
    assert body["jobs"]["import_ical"]["overdue"] is True  # never succeeded
    assert "import_ical" in body["jobs_overdue"]


@pytest.mark.django_db
def test_a_job_late_against_its_cadence_is_flagged(network):
    now = timezone.now()
    for name in JOBS:
        JobRun.objects.create(name=name, started=now, finished=now, ok=True)
    assert health_jobs()["jobs_overdue"] == []
    late = now - JOBS["stats_rollup"].overdue_after - timedelta(minutes=1)
    JobRun.objects.filter(name="stats_rollup").update(started=late, finished=late)
    body = health_jobs()
    assert body["jobs_overdue"] == ["stats_rollup"]
    assert body["jobs"]["stats_rollup"]["overdue"] is True
    assert body["status"] == "ok", "a late job alerts the monitor, not the load balancer"


@pytest.mark.django_db
def test_a_job_never_run_is_flagged(network):
    assert sorted(health_jobs()["jobs_overdue"]) == sorted(JOBS)


def unit(path):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(path)
    return parser


def test_every_job_has_a_timer_at_its_cadence():
    timers = {path.name: unit(path) for path in SYSTEMD.glob("*.timer")}
    assert sorted(timers) == sorted(f"rncrpv-{name.replace('_', '-')}.timer" for name in JOBS)
    for name, job in JOBS.items():
        timer = timers[f"rncrpv-{name.replace('_', '-')}.timer"]["Timer"]
        assert timer["Unit"] == f"rncrpv-job@{name}.service"
        assert timer["OnCalendar"] == f"{job.calendar} Europe/Paris"
        assert timer["Persistent"] == "true"  # a run missed while down runs at boot
        # systemd itself reads the expression (and says when it next elapses).
        checked = subprocess.run(
            ["systemd-analyze", "calendar", timer["OnCalendar"]], capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stderr
    service = unit(SYSTEMD / "rncrpv-job@.service")["Service"]
    assert service["ExecStart"].endswith("manage.py %i")
    assert service["Type"] == "oneshot"


def test_the_deployment_guide_shows_every_job_and_its_timer():
    guide = (ROOT / "docs" / "deployment.md").read_text()
    for name in JOBS:
        assert f"`{name}`" in guide
        assert f"rncrpv-{name.replace('_', '-')}.timer" in guide
    assert "deploy/systemd/" in guide
