"""A registration POST's cost (issue #20), in process with Django's test client on the
bench's database: `--posts` valid registrations (every field the opening asks, a new
address each, a client address each so that the rate limit per client never answers
429) to the `event_page_registration` event, each beside a GET of that page for
reference, interleaved. Wall time, SQL queries, CPU time of this process and, on
PostgreSQL, of its database backend (Linux schedstat). The registrants and the
confirmation mails they queued (portal.tasks rows, never sent: no worker runs) are
deleted afterwards: the page the load measures is the one seeded."""

import statistics
import time

POST_EMAIL_DOMAIN = "bench-post.example.org"


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _cpu_ns(pids):
    try:
        return sum(int(open(f"/proc/{pid}/schedstat").read().split()[0]) for pid in pids)
    except (OSError, ValueError, IndexError):
        return None


def _backend_pid(connection):
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _summary(samples):
    wall = [s["wall_ms"] for s in samples]
    result = {
        "p50_ms": round(statistics.median(wall), 2),
        "p95_ms": round(_percentile(wall, 0.95), 2),
        "queries": statistics.median(s["queries"] for s in samples),
        "cpu_p50_ms": round(statistics.median(s["cpu_ms"] for s in samples), 2),
    }
    db = [s["db_cpu_ms"] for s in samples if s["db_cpu_ms"] is not None]
    result["db_cpu_p50_ms"] = round(statistics.median(db), 2) if db else None
    return result


def measure(posts: int = 30, host: str = "irev.localhost") -> dict:
    import os

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from django_tasks_db.models import DBTaskResult

    from bench.seed import REGISTRATION_EVENT_SLUG
    from newsletter.models import Profile
    from registrations.models import Opening, Registrant

    opening = Opening.objects.select_related("page").get(page__slug=REGISTRATION_EVENT_SLUG)
    url = reverse("registrations:register", args=[opening.pk])
    page_path = opening.page.specific.get_url_parts()[2]
    profile = Profile.objects.order_by("pk").values_list("pk", flat=True).first()
    tasks_before = set(DBTaskResult.objects.values_list("pk", flat=True))
    client = Client(HTTP_HOST=host)
    stamp = time.strftime("%H%M%S")

    def data(number):
        fields = {"email": f"p{stamp}-{number}@{POST_EMAIL_DOMAIN}", "website": ""}
        if opening.ask_name:
            fields["name"] = f"Participante {number}"
        if opening.ask_organisation:
            fields["organisation"] = "Ville de Roubaix"
        if opening.ask_profile and profile:
            fields["profile"] = str(profile)
        if opening.ask_territory:
            fields["territory"] = "Nord"
        if opening.ask_accessibility:
            fields["accessibility"] = ""
        if opening.question:
            fields["answer"] = "Comment associer les habitants ?"
        return fields

    def timed(call):
        pids = [os.getpid()] + ([backend] if backend else [])
        db_before = _cpu_ns(pids[1:]) if backend else None
        cpu_before = time.process_time()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = call()
            wall = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - cpu_before) * 1000
        db_after = _cpu_ns(pids[1:]) if backend else None
        return response, {
            "wall_ms": wall,
            "queries": len(captured.captured_queries),
            "cpu_ms": cpu,
            "db_cpu_ms": (db_after - db_before) / 1e6 if db_before is not None else None,
        }

    before = Registrant.objects.filter(opening=opening).count()
    posted, pages = [], []
    try:
        # Warm-up (not counted): the process's first request, the form's first render.
        client.get(page_path)
        client.post(url, data("warm"), REMOTE_ADDR="10.255.255.254")
        backend = _backend_pid(connection)
        for number in range(posts):
            response, sample = timed(lambda: client.get(page_path))
            if response.status_code != 200:
                raise RuntimeError(f"{page_path} answered {response.status_code}")
            pages.append(sample)
            address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
            response, sample = timed(
                lambda: client.post(url, data(number), REMOTE_ADDR=address)  # noqa: B023
            )
            if response.status_code != 200:
                raise RuntimeError(f"registration POST answered {response.status_code}")
            posted.append(sample)
        registered = Registrant.objects.filter(opening=opening).count() - before
    finally:
        Registrant.objects.filter(opening=opening, email__endswith=f"@{POST_EMAIL_DOMAIN}").delete()
        DBTaskResult.objects.exclude(pk__in=tasks_before).filter(
            task_path__startswith="registrations."
        ).delete()
    if registered != posts + 1:
        raise RuntimeError(f"{posts + 1} registrations posted, {registered} stored")
    post, page = _summary(posted), _summary(pages)
    return {
        "posts": posts,
        "vendor": connection.vendor,
        "post": post,
        "page_get": page,
        "post_ratio_to_page_get": round(post["p50_ms"] / page["p50_ms"], 2),
        "method": "Django test client in the bench process, on the bench database; "
        "each valid POST (a new address, every field asked) beside a GET of the same "
        "event page, interleaved; medians; cpu: this process; db_cpu: its PostgreSQL "
        "backend (schedstat). Registrants and queued mails deleted afterwards.",
    }
