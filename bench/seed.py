"""Seed the benchmark's network: the demo network (20 sites), then hundreds of content
pages under each centre and the baseline bare page under the national site.

Runs inside a configured Django (portal.settings.bench), on a freshly migrated database.
Bulk pages are created live through treebeard's add_child, without revisions: serving a
page never reads its revisions, and one revision each would double the seeding time."""

import time

from django.db import connection, transaction
from django.utils import timezone

BARE_SLUG = "bare"
BULK_SLUG_PREFIX = "bench-page-"
# Upper bound on --pages: keeps a typo from seeding for an hour.
MAX_PAGES_PER_CENTRE = 5000


def bulk_body(centre_name: str, number: int) -> list[dict]:
    """A realistic-looking body: a heading and three paragraphs of rich text."""
    text = (
        f"Fiche n° {number} du centre {centre_name} : retour d'expérience sur un projet "
        "de quartier, ses partenaires, son financement et ses résultats. "
    )
    return [
        {"type": "heading", "value": {"text": f"Section {number}", "level": "h2"}},
        {"type": "paragraph", "value": f"<p>{text * 3}</p>"},
        {"type": "paragraph", "value": f"<p><b>À retenir :</b> {text}</p>"},
        {"type": "paragraph", "value": f"<ul><li>{text}</li><li>{text}</li></ul>"},
    ]


def add_bulk_pages(home, centre_name: str, count: int) -> int:
    """`count` live ContentPage children of a centre's home page, not in menus."""
    from home.models import ContentPage

    now = timezone.now()
    existing = set(home.get_children().filter(slug__startswith=BULK_SLUG_PREFIX)
                   .values_list("slug", flat=True))
    created = 0
    for number in range(1, count + 1):
        slug = f"{BULK_SLUG_PREFIX}{number}"
        if slug in existing:
            continue
        page = ContentPage(
            title=f"Fiche {number} · {centre_name}",
            slug=slug,
            introduction=f"Chapeau de la fiche {number}, publiée par {centre_name}.",
            body=bulk_body(centre_name, number),
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            show_in_menus=False,
        )
        home.add_child(instance=page)
        # add_child updates numchild in the database, not on this instance.
        home.numchild += 1
        created += 1
    return created


def add_bare_page(national_home):
    from bench.models import BarePage

    page = national_home.get_children().filter(slug=BARE_SLUG).first()
    if page is not None:
        return page
    page = BarePage(title="Bare page", slug=BARE_SLUG, live=True,
                    first_published_at=timezone.now(), last_published_at=timezone.now())
    national_home.add_child(instance=page)
    return page


def seed(pages_per_centre: int, log=print) -> dict:
    """Seed everything; returns figures for the JSON's meta."""
    from wagtail.models import Page

    from centres.models import Centre
    from demo.seed.network import seed_network
    from home.models import NationalHomePage

    if not 0 <= pages_per_centre <= MAX_PAGES_PER_CENTRE:
        raise ValueError(f"pages per centre must be within 0..{MAX_PAGES_PER_CENTRE}")
    started = time.perf_counter()
    seed_network(with_users=False)
    log(f"seed: network seeded in {time.perf_counter() - started:.1f}s")

    bulk = 0
    centres = list(Centre.objects.select_related("home_page").order_by("name"))
    for index, centre in enumerate(centres, 1):
        with transaction.atomic():
            home = Page.objects.get(pk=centre.home_page_id)
            bulk += add_bulk_pages(home, centre.name, pages_per_centre)
        log(f"seed: {index}/{len(centres)} centres, {bulk} bulk pages "
            f"({time.perf_counter() - started:.1f}s)")
    with transaction.atomic():
        add_bare_page(NationalHomePage.objects.get())
    return {
        "pages_per_centre": pages_per_centre,
        "bulk_pages_created": bulk,
        "centres": len(centres),
        "pages_total": Page.objects.count(),
        "seed_seconds": round(time.perf_counter() - started, 1),
        "db_vendor": connection.vendor,
    }
