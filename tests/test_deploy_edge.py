"""The production layout of docs/deployment.md (sections 8 and 9) run for real: Debian's
nginx as the shared HTTP cache in front of two gunicorn application servers, which share
the database (a copy of the seeded test network) and Redis.

- the edge serves an anonymous page without reaching Python, and Wagtail's purge on
  publication (the nginx cache-purge module, `FRONTEND_CACHE=http`) makes it fresh
  within a second;
- a request carrying a session or CSRF cookie is never answered from the edge, and an
  answer that sets a cookie is never stored;
- a publication through one application server is served fresh by the other within a
  second (versions shared through Redis, no in-process state left stale), and beacons
  sent through both are each stored once.

nginx, gunicorn and the shell that prepares the draft are separate processes, as in
production; nothing is mocked. `make test-deps` installs nginx and its purge module."""

import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

import pytest
import requests

from tests import seeded_db
from tests.redis_keys import PREFIX
from tests.test_deploy_server import ROOT, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")

# The site block of docs/deployment.md section 9, on the loopback without TLS: nginx
# says the request came over HTTPS, as the real one does after terminating TLS.
NGINX_CONF = """
daemon off;
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
load_module {module};
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{cache}
    upstream portal {{
        server 127.0.0.1:{first};
        server 127.0.0.1:{second};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://portal;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            include {tmp}/cache-location.conf;
        }}
        include {tmp}/purge-location.conf;
    }}
}}
"""


def edge_snippets() -> tuple[str, str, str]:
    """The three snippets docs/deployment.md gives, read from it: what the test runs is
    what operators copy."""
    text = (ROOT / "docs" / "deployment.md").read_text()
    blocks = text.split("```nginx")[1:]
    found = {}
    for block in blocks:
        body = block.split("```")[0]
        for name in NAMES:
            if name in body:
                found[name] = body
    return tuple(found[name] for name in NAMES)


NAMES = (
    "# http block: the edge cache",
    "# location / of the server block",
    "# purge location of the server block",
)


def shared_database(tmp_path: Path) -> str:
    """A copy of the run's seeded template that the servers share (the test's own
    database is a transaction they could not see)."""
    run = seeded_db.run_id()
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        import psycopg

        name = f"test_edge_{run}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
        params = {
            "host": database.get("HOST") or None,
            "port": database.get("PORT") or None,
            "user": database.get("USER") or None,
            "password": database.get("PASSWORD") or None,
        }
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{seeded_db.template_name(run)}"')
        auth = params["user"] + (f":{params['password']}" if params["password"] else "")
        host = f"{params['host'] or '127.0.0.1'}:{params['port'] or 5432}"
        return f"postgres://{auth}@{host}/{name}"
    copy = tmp_path / "shared.sqlite3"
    source = sqlite3.connect(seeded_db._template_file(run))
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return f"sqlite:///{copy}"


def drop_shared(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def count_page_views(url: str, page_id: int) -> tuple[int, int]:
    query = "SELECT count(*), count(DISTINCT visitor) FROM stats_event WHERE page_id = %s"
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
            return conn.execute(query, [page_id]).fetchone()
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        return conn.execute(query.replace("%s", "?"), [page_id]).fetchone()


def wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(
                f"http://127.0.0.1:{port}/health/", headers={"Host": "localhost"}, timeout=10
            )
            return
        except (requests.ConnectionError, requests.Timeout):
            if process.poll() is not None:
                pytest.fail(f"{what} stopped (its log is in the test's temporary folder)")
            time.sleep(0.2)
    pytest.fail(f"{what} did not start")


# The draft to publish, and an editor's account, prepared by the shell as an operator
# would (the production hashers, not the tests' fast one).
PREPARE = """
import json
from django.contrib.auth import get_user_model
from agenda.models import EventPage
page = EventPage.objects.live().filter(depth__gt=3).order_by("pk").first()
page.title = {title!r}
page.save_revision()
user = get_user_model().objects.filter(is_superuser=True, is_active=True).first()
user.set_password({password!r})
user.save()
print(json.dumps({{"id": page.pk, "url": page.full_url, "user": user.get_username()}}))
"""


@pytest.fixture(scope="module")
def layout(django_db_setup, tmp_path_factory):
    if not PURGE_MODULE.exists():
        pytest.fail("nginx's cache-purge module is missing: run `make test-deps`")
    tmp = tmp_path_factory.mktemp("edge")
    database_url = shared_database(tmp)
    ports = {"first": free_port(), "second": free_port(), "port": free_port()}
    password = secrets.token_urlsafe(16)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "REDIS_URL", "LOG_STREAM", "STATS_QUEUE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="localhost,.localhost",
        DATABASE_URL=database_url,
        REDIS_URL="redis://127.0.0.1:6379/0",
        REDIS_KEY_PREFIX=f"{PREFIX}-edge",
        STATIC_ROOT=str(tmp / "static"),
        TRUSTED_PROXIES="127.0.0.1",
        FRONTEND_CACHE="http",
        FRONTEND_CACHE_URL=f"http://127.0.0.1:{ports['port']}",
        FRONTEND_CACHE_TIMEOUT="2",
        STATS_FLUSH_SECONDS="0.2",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="4",
        LOG_STREAM="stderr",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )

    cache, location, purge = edge_snippets()
    (tmp / "cache-location.conf").write_text(location)
    (tmp / "purge-location.conf").write_text(purge)
    conf = tmp / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            # As root, nginx's workers would otherwise run as nobody, who cannot enter
            # the test's temporary folder.
            user="user root;" if os.geteuid() == 0 else "",
            tmp=tmp,
            module=PURGE_MODULE,
            cache=cache.replace("/var/cache/nginx", str(tmp)),
            **ports,
        )
    )
    processes = []
    try:
        for name in ("first", "second"):
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "portal/gunicorn.conf.py"],
                cwd=ROOT,
                env={**env, "GUNICORN_BIND": f"127.0.0.1:{ports[name]}"},
                stdout=subprocess.DEVNULL,
                stderr=(tmp / f"{name}.log").open("w"),
                text=True,
            )
            processes.append(server)
        edge = subprocess.Popen(
            [NGINX, "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(edge)
        for name, process in zip(("first", "second", "port"), processes, strict=True):
            wait_for_port(ports[name], process, name)
        yield {
            **ports,
            "env": env,
            "password": password,
            "database": database_url,
            "tmp": tmp,
        }
    finally:
        for process in processes:
            process.terminate()
        for name in ("first", "second"):  # the servers' errors, shown when a test fails
            log = tmp / f"{name}.log"
            if log.exists():
                print(f"--- {name} server ---", *log.read_text().splitlines()[-60:], sep="\n")
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        drop_shared(database_url)


def prepare_draft(layout, title: str) -> dict:
    prepared = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            PREPARE.format(title=title, password=layout["password"]),
        ],
        cwd=ROOT,
        env=layout["env"],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(prepared.stdout.strip().splitlines()[-1])


def page_address(url: str) -> tuple[str, str]:
    host, _, path = url.split("://", 1)[1].partition("/")
    return host.split(":")[0], "/" + path


def get(port, host, path, **headers):
    return requests.get(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": host, "X-Forwarded-Proto": "https", **headers},
        allow_redirects=False,
        timeout=10,
    )


def publish_through(port, layout, draft) -> None:
    """An editor signs in on one application server and publishes the draft (Wagtail's
    bulk "publish" action, the admin's own form), as a browser would over HTTPS."""
    origin = "https://localhost"
    session_cookies = {}

    def call(method, path, data=None):
        answer = requests.request(
            method,
            f"http://127.0.0.1:{port}{path}",
            data=data,
            headers={
                "Host": "localhost",
                "X-Forwarded-Proto": "https",
                "Referer": f"{origin}{path}",
                "Origin": origin,
                # Secure cookies, which a client speaking plain HTTP would not send back.
                "Cookie": "; ".join(f"{k}={v}" for k, v in session_cookies.items()),
            },
            allow_redirects=False,
            timeout=30,
        )
        session_cookies.update(answer.cookies.get_dict())
        return answer

    login = call("GET", "/admin/login/")
    token = session_cookies["csrftoken"]
    signed_in = call(
        "POST",
        "/admin/login/",
        {"csrfmiddlewaretoken": token, "username": draft["user"], "password": layout["password"]},
    )
    assert login.status_code == 200 and signed_in.status_code == 302, signed_in.text[:500]
    action = f"/admin/bulk/wagtailcore/page/publish/?id={draft['id']}"
    done = call("POST", action, {"csrfmiddlewaretoken": session_cookies["csrftoken"]})
    assert done.status_code == 302, done.text[:500]


def fresh_within(seconds, title, fetch) -> float:
    start = time.monotonic()
    while True:
        if title in fetch().text:
            return time.monotonic() - start
        if time.monotonic() - start > seconds:
            pytest.fail(f"still the old page {seconds} s after the publication")
        time.sleep(0.05)


def test_the_edge_serves_cached_pages_keeps_editors_out_and_purges_on_publication(layout):
    title = "Titre publié derrière le cache partagé"
    draft = prepare_draft(layout, title)
    host, path = page_address(draft["url"])
    edge = layout["port"]
    first = get(edge, host, path)
    second = get(edge, host, path)
    assert first.status_code == 200 and title not in first.text
    assert second.headers["X-Edge-Cache"] == "HIT"  # served by nginx, not by Python
    assert "Set-Cookie" not in first.headers

    # A visitor with a session or a CSRF cookie always reaches the application...
    for cookie in ("sessionid=abc", "csrftoken=abc"):
        assert get(edge, host, path, Cookie=cookie).headers["X-Edge-Cache"] == "BYPASS"
    # ...and an answer that sets a cookie is never kept for the next visitor.
    for _ in range(2):
        login = get(edge, "localhost", "/admin/login/")
        assert "csrftoken" in login.headers.get("Set-Cookie", "")
        assert login.headers.get("X-Edge-Cache") != "HIT"

    publish_through(layout["first"], layout, draft)
    took = fresh_within(1.0, title, lambda: get(edge, host, path))
    print(f"edge fresh {took * 1000:.0f} ms after the publication")


def test_the_second_server_serves_what_the_first_published_and_beacons_count_once(layout):
    title = "Titre publié par le premier serveur"
    draft = prepare_draft(layout, title)
    host, path = page_address(draft["url"])
    other = layout["second"]
    before = [get(other, host, path) for _ in range(2)]  # in the second server's cache
    assert title not in before[0].text and before[1].headers["X-Cache"] == "HIT"
    publish_through(layout["first"], layout, draft)
    took = fresh_within(1.0, title, lambda: get(other, host, path))
    print(f"second server fresh {took * 1000:.0f} ms after the publication")

    page_id = draft["id"]
    sent = 12
    for number in range(sent):
        port = layout["first"] if number % 2 else layout["second"]
        answer = requests.post(
            f"http://127.0.0.1:{port}/stats/event",
            data=json.dumps({"url": f"https://{host}{path}", "page": page_id}),
            headers={
                "Host": host,
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": f"10.0.0.{number + 1}",
                "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
                "Content-Type": "text/plain",
            },
            timeout=10,
        )
        assert answer.status_code == 204, answer.text
    deadline = time.monotonic() + 10
    while count_page_views(layout["database"], page_id) != (sent, sent):
        assert time.monotonic() < deadline, count_page_views(layout["database"], page_id)
        time.sleep(0.2)
    time.sleep(1)  # a second flush, from the other server, stores nothing twice
    assert count_page_views(layout["database"], page_id) == (sent, sent)
