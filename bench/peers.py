"""The bench's peers (bench/README.md, "Peers"), measured in the same run as the portal
and served the same way (gunicorn, same workers, same database server):

- **A**, `bench/peer_a.py`: one Django view returning a constant 10 KB page: the ceiling
  of Python and Django here (a cached portal page is compared with it);
- **B**, the home page of a bare `wagtail start` project, generated at each run by the
  installed Wagtail into bench-results/peers/peerb, migrated on a database of its own
  (SQLite file, or `<bench database>_peerb` on PostgreSQL) and its static files collected:
  the Wagtail floor (an uncached portal page is compared with it).

Generated, not committed: B is always the project template of the Wagtail being measured."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench.targets import Target

PEERS_DIR = Path(__file__).resolve().parent.parent / "bench-results" / "peers"
PEER_B_DIR = PEERS_DIR / "peerb"

PEER_A = Target("peer_a_constant_view", "localhost", "/")
PEER_B = Target("peer_b_bare_wagtail", "localhost", "/")

B_SETTINGS = '''"""Written by bench/peers.py: the bare project served like the portal's bench."""

import os
import sys

# The portal is installed in editable mode in this virtualenv: its finder would resolve
# this project's own `home` and `search` apps to the portal's. Settings are imported
# before any app, so the bare project sees only its own.
sys.meta_path[:] = [
    finder
    for finder in sys.meta_path
    if not getattr(finder, "__module__", "").startswith("__editable__")
]

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "bench-peer-b-not-secret"
ALLOWED_HOSTS = ["*"]
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["PEER_DATABASE_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
'''


def peer_b_database_url(portal_db: dict) -> str:
    """B's database beside the portal's bench database: same server, its own name."""
    if portal_db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{PEER_B_DIR / 'peerb.sqlite3'}"
    user = portal_db.get("USER") or "postgres"
    password = f":{portal_db['PASSWORD']}" if portal_db.get("PASSWORD") else ""
    host, port = portal_db.get("HOST") or "127.0.0.1", portal_db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{portal_db['NAME']}_peerb"


def build_peer_b(portal_db: dict, reset_database, log) -> dict:
    """Generates, migrates and collects B; returns the environment its server needs."""
    shutil.rmtree(PEER_B_DIR, ignore_errors=True)
    PEER_B_DIR.mkdir(parents=True)
    wagtail = Path(sys.executable).with_name("wagtail")
    run([str(wagtail), "start", "peerb", str(PEER_B_DIR)], cwd=PEERS_DIR)
    (PEER_B_DIR / "peerb" / "settings" / "bench.py").write_text(B_SETTINGS)
    url = peer_b_database_url(portal_db)
    if portal_db["ENGINE"] != "django.db.backends.sqlite3":
        reset_database({**portal_db, "NAME": f"{portal_db['NAME']}_peerb"})
    env = {
        "DJANGO_SETTINGS_MODULE": "peerb.settings.bench",
        "PEER_DATABASE_URL": url,
        "PYTHONPATH": str(PEER_B_DIR),
    }
    manage = [sys.executable, "manage.py"]
    run([*manage, "migrate", "--noinput", "-v", "0"], cwd=PEER_B_DIR, env=env)
    run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=PEER_B_DIR, env=env)
    log(f"peer B: `wagtail start` project migrated in {PEER_B_DIR}")
    return env


def run(command, cwd, env=None):
    done = subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
