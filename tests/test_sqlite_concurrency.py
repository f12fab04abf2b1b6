"""The embedded default (SQLite) takes concurrent admin writes: a publication, the
editor's autosave and the editing-session pings write at the same time in Wagtail 8's
admin. Run on a SQLite file of the test's own (the test database may be in memory, or
PostgreSQL), through Django's own connections, one per thread as the server has."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from django.db import connections, transaction
from django.db.utils import ConnectionHandler, OperationalError

from portal.settings.database import database_from_url

ROOT = Path(__file__).resolve().parent.parent


ALIAS = "sqlite_concurrency"


def add_database(path):
    """A database alias configured as the project configures its default database for
    this URL; each thread gets its own connection, as each request of a threaded server
    does, and `transaction.atomic(using=ALIAS)` begins transactions as the admin's do."""
    database = database_from_url(f"sqlite:///{path}")
    connections.settings[ALIAS] = ConnectionHandler({"default": database}).settings["default"]


def remove_database():
    connections[ALIAS].close()
    del connections.settings[ALIAS]
    if hasattr(connections._connections, ALIAS):
        delattr(connections._connections, ALIAS)


def test_a_write_waits_for_another_instead_of_failing_with_database_is_locked(
    tmp_path, django_db_blocker
):
    # Not the test database: pytest-django's guard is lifted for this file of our own.
    add_database(tmp_path / "portal.sqlite3")
    try:
        with django_db_blocker.unblock():
            concurrent_writes()
    finally:
        remove_database()


def concurrent_writes():
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("CREATE TABLE page (id INTEGER PRIMARY KEY, title TEXT, revision INT)")
        cursor.execute("INSERT INTO page VALUES (1, 'Rencontre', 0)")
    connections[ALIAS].close()

    publishing = threading.Event()
    failures = []

    def publish():
        """Reads the page, writes, works a while (search index, log, caches), writes."""
        connection = connections[ALIAS]
        try:
            with transaction.atomic(using=ALIAS), connection.cursor() as cursor:
                cursor.execute("SELECT revision FROM page WHERE id = 1")
                (revision,) = cursor.fetchone()
                cursor.execute("UPDATE page SET revision = %s WHERE id = 1", [revision + 1])
                publishing.set()
                threading.Event().wait(0.5)
                cursor.execute("UPDATE page SET title = 'Rencontre publiée' WHERE id = 1")
        except OperationalError as error:
            failures.append(("publish", str(error)))
        finally:
            publishing.set()
            connection.close()

    def autosave():
        """Meanwhile the autosave reads the page and saves a draft revision."""
        publishing.wait(5)
        connection = connections[ALIAS]
        try:
            with transaction.atomic(using=ALIAS), connection.cursor() as cursor:
                cursor.execute("SELECT revision FROM page WHERE id = 1")
                (revision,) = cursor.fetchone()
                cursor.execute("UPDATE page SET revision = %s WHERE id = 1", [revision + 1])
        except OperationalError as error:
            failures.append(("autosave", str(error)))
        finally:
            connection.close()

    threads = [threading.Thread(target=publish), threading.Thread(target=autosave)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert failures == []
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT title, revision FROM page WHERE id = 1")
        assert cursor.fetchone() == ("Rencontre publiée", 2)
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)
    connections[ALIAS].close()


def test_the_default_database_is_a_sqlite_file_set_up_for_concurrent_writes():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-v",
            "0",
            "-c",
            "import json; from django.conf import settings; "
            "print(json.dumps(settings.DATABASES['default']['OPTIONS']))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout)
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20
    assert "journal_mode=WAL" in options["init_command"]
