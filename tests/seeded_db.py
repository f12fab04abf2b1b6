"""The seeded test database, built once per run and copied, never reseeded.

Migrating and seeding the 20 sites takes about two minutes; a copy takes a second. The
first pytest process of a run (one per xdist worker) builds a template, the others copy
it, and a test that needs the seeded state back after writing to it outside a
transaction (a browser test against the live server) restores it from that template:

- PostgreSQL: a template database, `CREATE DATABASE <worker> TEMPLATE <template>`;
- SQLite: Django's in-memory test database, filled from a file with SQLite's backup API.

The template is named after the run (`RNCRPV_TEST_RUN`, set by the controller, inherited
by xdist's workers), so concurrent runs on one server do not share it; the run's
controller drops it when the session ends."""

import fcntl
import os
import sqlite3
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

LOCK_DIR = Path(tempfile.gettempdir())


RUN_VARIABLE = "RNCRPV_TEST_RUN"


def start_run() -> None:
    """Names this run, in the controller before xdist starts its workers, which inherit
    the environment: every process of the run then names the same template."""
    os.environ.setdefault(RUN_VARIABLE, os.urandom(6).hex())


def run_id(config=None) -> str:
    return os.environ[RUN_VARIABLE]


@contextmanager
def _locked(name: str):
    with open(LOCK_DIR / f"rncrpv-tests-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


# The configured database's name, read before any test database replaces it.
_BASE_NAME = Path(str(settings.DATABASES["default"]["NAME"])).stem


def template_name(run: str) -> str:
    return f"test_{_BASE_NAME}_tpl_{run}"


def _template_file(run: str) -> Path:
    return LOCK_DIR / f"rncrpv-tests-{run}.sqlite3"


def setup(run: str, seed) -> None:
    """Gives this process its test database with the network seeded: built by `seed`
    for the run's first process, copied for the others."""
    worker_db = connection.creation._get_test_db_name()
    with _locked(run):
        if _is_postgres():
            _build_postgres_template(run, seed)
        else:
            _build_sqlite_template(run, seed)
    _use(worker_db)
    restore(run)


def _use(name: str) -> None:
    connection.close()
    settings.DATABASES["default"]["NAME"] = name
    connection.settings_dict["NAME"] = name


def _build_postgres_template(run: str, seed) -> None:
    template = template_name(run)
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        if cursor.fetchone():
            return
    # Django's own creation (migrations included) under the template's name.
    test_settings = connection.settings_dict["TEST"]
    connection.settings_dict["TEST"] = {**test_settings, "NAME": template}
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        seed()
    finally:
        connection.settings_dict["TEST"] = test_settings
        connection.close()


def _build_sqlite_template(run: str, seed) -> None:
    path = _template_file(run)
    if path.exists():
        return
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    seed()
    partial = path.with_suffix(".partial")
    target = sqlite3.connect(partial)
    try:
        connection.ensure_connection()
        connection.connection.backup(target)
    finally:
        target.close()
    partial.rename(path)


def restore(run: str) -> None:
    """This process's database back to the seeded template: every change since, gone."""
    if _is_postgres():
        name = connection.settings_dict["NAME"]
        connections.close_all()
        with connection._nodb_cursor() as cursor:
            # FORCE: the live server's threads may still hold a connection.
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_name(run)}"')
    else:
        connection.ensure_connection()
        source = sqlite3.connect(_template_file(run))
        try:
            source.backup(connection.connection)
        finally:
            source.close()


def teardown_worker() -> None:
    name = connection.settings_dict["NAME"]
    if _is_postgres():
        connections.close_all()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    elif not connection.is_in_memory_db():
        connections.close_all()
        Path(name).unlink(missing_ok=True)


def drop_template(run: str) -> None:
    """Called once by the run's controller when every worker is done."""
    path = _template_file(run)
    path.unlink(missing_ok=True)
    (LOCK_DIR / f"rncrpv-tests-{run}.lock").unlink(missing_ok=True)
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return
    import psycopg

    with psycopg.connect(
        dbname="postgres",
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{template_name(run)}" WITH (FORCE)')
