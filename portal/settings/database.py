"""The database from its URL, with what SQLite needs to serve an admin.

On SQLite (the embedded default) Wagtail's admin writes from several requests at once:
a publication, the editor's autosave and the editing-session pings. With SQLite's
defaults (rollback journal, deferred transactions, 5 s) a transaction that read first
and then writes fails at once with "database is locked" when another one writes, and
the publish answered 500. Here: write-ahead log (readers never wait for the writer),
transactions that take the write lock when they begin (a second writer then waits its
turn instead of failing), and a 20 s wait for that lock."""

import dj_database_url

SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def database_from_url(url: str, conn_max_age: int = 0) -> dict:
    database = dj_database_url.parse(url, conn_max_age=conn_max_age)
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["OPTIONS"] = {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}
    return database
