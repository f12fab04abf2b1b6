"""Seed the benchmark's network: the demo network (20 sites), then hundreds of content
pages under each centre and the baseline bare page under the national site; then
(`add_bulk_events` and `add_bulk_publications`, called by bench/run.py in two steps)
thousands of agenda events and tens of thousands of library publications.

Runs inside a configured Django (portal.settings.bench), on a freshly migrated database.
Bulk pages are created live through treebeard's add_child, without revisions: serving a
page never reads its revisions, and one revision each would double the seeding time.
Bulk events and publications are inserted in bulk (see add_bulk_events): 5,000 events in
a few seconds, 30,000 publications in about ten."""

import time

from django.db import connection, transaction
from django.utils import timezone

BARE_SLUG = "bare"
BULK_SLUG_PREFIX = "bench-page-"
# Upper bound on --pages: keeps a typo from seeding for an hour.
MAX_PAGES_PER_CENTRE = 5000


def agreed(pages, plans):
    """The centres named on the bulk pages agreed (centres.consent), as the signals that
    bulk inserts skip would have recorded for an owner; the listings read only these."""
    from centres.models import CoOrganisation

    CoOrganisation.objects.bulk_create(
        [
            CoOrganisation(
                page_id=page.pk, centre_id=centre_id, status=CoOrganisation.Status.ACCEPTED
            )
            for page, plan in zip(pages, plans)
            for centre_id in plan[4]
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


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
    existing = set(
        home.get_children().filter(slug__startswith=BULK_SLUG_PREFIX).values_list("slug", flat=True)
    )
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
    page = BarePage(
        title="Bare page",
        slug=BARE_SLUG,
        live=True,
        first_published_at=timezone.now(),
        last_published_at=timezone.now(),
    )
    national_home.add_child(instance=page)
    return page


def seed(pages_per_centre: int, log=print) -> dict:
    """Seed everything; returns figures for the JSON's meta."""
    from django.core.management import call_command

    from wagtail.models import Locale, Page

    from centres.models import Centre
    from home.models import NationalHomePage

    if not 0 <= pages_per_centre <= MAX_PAGES_PER_CENTRE:
        raise ValueError(f"pages per centre must be within 0..{MAX_PAGES_PER_CENTRE}")
    started = time.perf_counter()
    # The demo network through its command: the bench builds on it, imports nothing of it.
    call_command("seed_network", without_users=True, verbosity=0)
    log(f"seed: network seeded in {time.perf_counter() - started:.1f}s")

    bulk = 0
    centres = list(Centre.objects.select_related("home_page").order_by("name"))
    for index, centre in enumerate(centres, 1):
        with transaction.atomic():
            home = Page.objects.get(pk=centre.home_page_id)
            bulk += add_bulk_pages(home, centre.name, pages_per_centre)
        log(
            f"seed: {index}/{len(centres)} centres, {bulk} bulk pages "
            f"({time.perf_counter() - started:.1f}s)"
        )
    with transaction.atomic():
        add_bare_page(NationalHomePage.objects.get(locale=Locale.get_default()))
    return {
        "pages_per_centre": pages_per_centre,
        "bulk_pages_created": bulk,
        "centres": len(centres),
        "pages_total": Page.objects.count(),
        "seed_seconds": round(time.perf_counter() - started, 1),
        "db_vendor": connection.vendor,
    }


def index_bulk(items, pages, themes, tag_ids, more=None):
    """Search index rows for bulk `items` (EventPage or PublicationPage rows built in
    memory, their Page rows in `pages`, theme names per item, `more[pk]` the objects
    of other indexed relations, e.g. speakers), in bulk: the bench then searches every
    bulk item, as a visitor would after publication (bench/search_index.py)."""
    from taggit.models import Tag

    from bench.search_index import add_index_entries

    if not items:
        return
    tags = Tag.objects.in_bulk(list(tag_ids.values()))
    for item, page in zip(items, pages):
        item.title = page.title  # the Page fields Wagtail indexes (title, boosted)
    related = {
        item.pk: {"tags": [tags[tag_ids[name]] for name in names], **(more or {}).get(item.pk, {})}
        for item, names in zip(items, themes)
    }
    add_index_entries(type(items[0]), items, related)


# --- agenda: bulk events ---------------------------------------------------------------

BULK_EVENT_SLUG_PREFIX = "bench-evenement-"
# The event measured by the `event_page` target: the first bulk event, always in IREV's
# agenda (see bench/targets.py), upcoming, hybrid, with three organisers, three themes,
# speakers, a registration link and a description.
REFERENCE_EVENT_CENTRE = "irev"
REFERENCE_EVENT_SLUG = f"{BULK_EVENT_SLUG_PREFIX}1"
MAX_EVENTS = 50000
# One bulk event in NATIONAL_SHARE goes to the national agenda, the others round-robin
# to the 19 centres' agendas (5,000 → 100 national, ≈258 per centre).
NATIONAL_SHARE = 50
# Dates are spread over the past two years and the next year.
DAYS_BACK, DAYS_AHEAD = 730, 365
# Overseas places for some national and metropolitan events (typed in local time).
OVERSEAS_TIME_ZONES = [
    ("Indian/Reunion", "Saint-Denis (La Réunion)"),
    ("America/Guadeloupe", "Pointe-à-Pitre"),
    ("America/Martinique", "Fort-de-France"),
    ("America/Cayenne", "Cayenne"),
    ("Indian/Mayotte", "Mamoudzou"),
]
EVENT_TIMES = [
    (9, 0, 12, 30),
    (9, 30, 16, 30),
    (14, 0, 15, 30),
    (10, 0, 12, 0),
    (18, 0, 20, 0),
    (13, 30, 17, 0),
]


def _event_plan(number: int, today, agendas, centres, formats, themes):
    """Everything about bulk event `number` (1-based), derived from the number alone, so
    that topping up from 1,000 to 5,000 events gives the same events as seeding 5,000 at
    once. Returns (agenda, page fields, event fields, organiser ids, theme names)."""
    import random
    from datetime import time, timedelta

    from agenda.models import Attendance

    rng = random.Random(number * 7919)
    if number == 1:
        centre = next(c for c in centres if c.slug == REFERENCE_EVENT_CENTRE)
        agenda = agendas[centre.pk]
    elif number % NATIONAL_SHARE == 0:
        centre, agenda = None, agendas[None]
    else:
        centre = centres[number % len(centres)]
        agenda = agendas[centre.pk]

    start_date = today + timedelta(days=rng.randint(-DAYS_BACK, DAYS_AHEAD))
    time_zone = centre.time_zone if centre else "Europe/Paris"
    city = (
        (centre.city or centre.territory)
        if centre
        else rng.choice(["Paris", "Lyon", "Marseille", "Lille", "Nantes", "Bordeaux"])
    )
    if rng.random() < 0.04:  # a metropolitan or national event held overseas
        time_zone, city = rng.choice(OVERSEAS_TIME_ZONES)
    kind = rng.random()
    if kind < 0.2:  # whole days, one to three
        start_time = end_time = None
        end_date = start_date + timedelta(days=rng.randint(1, 2)) if kind < 0.08 else None
    else:
        h1, m1, h2, m2 = rng.choice(EVENT_TIMES)
        start_time, end_time = time(h1, m1), time(h2, m2)
        end_date = start_date + timedelta(days=1) if kind > 0.96 else None
    attendance = rng.choices(
        [Attendance.IN_PERSON, Attendance.ONLINE, Attendance.HYBRID], weights=[6, 3, 1]
    )[0]
    fmt = rng.choice(formats)
    organiser_ids = [centre.pk] if centre else []
    others = [c.pk for c in centres if c.pk not in organiser_ids]
    wanted = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
    organiser_ids += rng.sample(others, wanted - len(organiser_ids))
    event_themes = rng.sample(themes, rng.choices([1, 2, 3], weights=[5, 3, 2])[0])
    if number == 1:
        start_date, end_date = today + timedelta(days=21), None
        start_time, end_time, time_zone = time(9, 30), time(16, 30), centre.time_zone
        attendance = Attendance.HYBRID
        organiser_ids = [centre.pk] + [c.pk for c in centres if c.pk != centre.pk][:2]
        event_themes = themes[:3]
    title = f"{fmt.name} : {event_themes[0]} ({number})"
    in_person = attendance in (Attendance.IN_PERSON, Attendance.HYBRID)
    online = attendance in (Attendance.ONLINE, Attendance.HYBRID)
    registration = number == 1 or rng.random() < 0.5
    fields = dict(
        start_date=start_date,
        start_time=start_time,
        end_date=end_date,
        end_time=end_time,
        time_zone=time_zone,
        event_format_id=fmt.pk,
        attendance=attendance,
        venue=f"Salle {rng.randint(1, 40)}, maison de quartier" if in_person else "",
        address=f"{rng.randint(1, 120)} rue de la République" if in_person else "",
        city=city if in_person else "",
        online_url=f"https://webinaire.example.org/{number}" if online else "",
        audience="Professionnels de la politique de la ville, élus, associations",
        open_to_public=rng.random() < 0.7,
        registration_url="https://inscription.example.org/" if registration else "",
        registration_deadline=(start_date - timedelta(days=5)) if registration else None,
        summary=(
            f"{fmt.name} consacré(e) à {event_themes[0]} : retours d'expérience, "
            "échanges entre professionnels et pistes d'action pour les quartiers."
        ),
        description=(
            "<p>Programme de la rencontre : accueil, table ronde, ateliers.</p>"
            "<p>Avec des acteurs de terrain, des élus et des chercheurs.</p>"
        ),
        participants_count=rng.randint(10, 150) if rng.random() < 0.3 else None,
    )
    return agenda, title, fields, organiser_ids, event_themes


def add_bulk_events(total: int, log=print) -> int:
    """Brings the bulk events up to `total` (numbered 1..total; existing ones are kept):
    live EventPages in the agendas, inserted in bulk (treebeard paths computed here, no
    revisions, search index rows in bulk), with starts_at/ends_at/all_day from
    agenda.timing.compute_span exactly as EventPage.save() sets them, and organisers
    and themes (tags) inserted in bulk. Returns the number created."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F, QuerySet

    from wagtail.models import Locale, Page

    from taggit.models import Tag

    from agenda.formats import EventFormat
    from agenda.models import AgendaPage, EventPage, EventSpeaker, EventTag
    from agenda.timing import compute_span
    from centres.models import Centre
    from home.models import NationalHomePage
    from network.facts import network

    if not 0 <= total <= MAX_EVENTS:
        raise ValueError(f"events must be within 0..{MAX_EVENTS}")
    started = time.perf_counter()
    centres = list(Centre.objects.select_related("home_page").order_by("name"))
    national = NationalHomePage.objects.get(locale=Locale.get_default())
    agendas = {None: AgendaPage.objects.child_of(national).get()}
    for centre in centres:
        agendas[centre.pk] = AgendaPage.objects.child_of(centre.home_page).get()
    formats = list(EventFormat.objects.order_by("name"))
    themes = list(network()["themes_seen"])
    tag_ids = {}
    for name in themes:
        tag = Tag.objects.filter(name=name).first() or Tag.objects.create(name=name)
        tag_ids[name] = tag.pk

    existing = set(
        EventPage.objects.filter(slug__startswith=BULK_EVENT_SLUG_PREFIX).values_list(
            "slug", flat=True
        )
    )
    missing = [n for n in range(1, total + 1) if f"{BULK_EVENT_SLUG_PREFIX}{n}" not in existing]
    if not missing:
        ensure_registration_event(log)
        return 0
    today = timezone.localdate()
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(EventPage)
    plans = [(n, *_event_plan(n, today, agendas, centres, formats, themes)) for n in missing]

    with transaction.atomic():
        # Tree positions: after each agenda's current last child.
        last_step = {}
        for agenda in agendas.values():
            last = (
                Page.objects.filter(path__startswith=agenda.path, depth=agenda.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            # UPGRADE CHECKPOINT django-treebeard==5.3.1: `MP_Node._str2int` reads an agenda's last child step (events) (tests/test_upgrade_internals.py::test_bulk_pages_are_children_where_treebeard_puts_them)
            last_step[agenda.pk] = Page._str2int(last[-Page.steplen :]) if last else 0
        pages, events, added = [], [], {}
        for number, agenda, title, _fields, _organisers, _themes in plans:
            last_step[agenda.pk] += 1
            added[agenda.pk] = added.get(agenda.pk, 0) + 1
            slug = f"{BULK_EVENT_SLUG_PREFIX}{number}"
            pages.append(
                Page(
                    # UPGRADE CHECKPOINT django-treebeard==5.3.1: `MP_Node._get_path` builds each bulk event's tree path (tests/test_upgrade_internals.py::test_bulk_pages_are_children_where_treebeard_puts_them)
                    path=Page._get_path(agenda.path, agenda.depth + 1, last_step[agenda.pk]),
                    depth=agenda.depth + 1,
                    numchild=0,
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=content_type,
                    url_path=f"{agenda.url_path}{slug}/",
                    locale_id=agenda.locale_id,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                    show_in_menus=False,
                )
            )
        Page.objects.bulk_create(pages, batch_size=500)
        if any(page.pk is None for page in pages):  # a backend that returns no ids
            ids = dict(
                Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "pk")
            )
            for page in pages:
                page.pk = page.id = ids[page.path]
        for page, (_number, _agenda, _title, fields, _o, _t) in zip(pages, plans):
            span = compute_span(
                fields["time_zone"],
                fields["start_date"],
                fields["start_time"],
                fields["end_date"],
                fields["end_time"],
            )
            events.append(
                EventPage(
                    page_ptr_id=page.pk,
                    **fields,
                    starts_at=span.starts_at,
                    ends_at=span.ends_at,
                    all_day=span.all_day,
                )
            )
        # Django's bulk_create refuses multi-table inheritance: insert the EventPage rows
        # (the child table only; the Page rows exist) through the batched insert that
        # bulk_create itself uses (a private QuerySet method: revisit on a Django upgrade).
        # UPGRADE CHECKPOINT Django==5.2.19: `QuerySet._batched_insert` and `Options.local_concrete_fields` insert the EventPage rows (tests/test_upgrade_internals.py::test_bulk_pages_are_children_where_treebeard_puts_them)
        local_fields = EventPage._meta.local_concrete_fields
        QuerySet(EventPage)._batched_insert(events, local_fields, batch_size=500)
        for agenda_pk, count in added.items():
            Page.objects.filter(pk=agenda_pk).update(numchild=F("numchild") + count)

        Through = EventPage.organisers.through
        Through.objects.bulk_create(
            [
                Through(eventpage_id=page.pk, centre_id=centre_id)
                for page, plan in zip(pages, plans)
                for centre_id in plan[4]
            ],
            batch_size=1000,
        )
        agreed(pages, plans)
        EventTag.objects.bulk_create(
            [
                EventTag(content_object_id=page.pk, tag_id=tag_ids[name])
                for page, plan in zip(pages, plans)
                for name in plan[5]
            ],
            batch_size=1000,
        )
        reference = next((page for page, plan in zip(pages, plans) if plan[0] == 1), None)
        speakers = {}
        if reference is not None:
            # Before indexing: the speakers are indexed (docs/search.md).
            speakers[reference.pk] = {
                "speakers": EventSpeaker.objects.bulk_create(
                    [
                        EventSpeaker(
                            page_id=reference.pk,
                            sort_order=0,
                            name="Camille Martin",
                            role="cheffe de projet politique de la ville",
                        ),
                        EventSpeaker(
                            page_id=reference.pk,
                            sort_order=1,
                            name="Karim Benali",
                            role="délégué du préfet",
                        ),
                    ]
                )
            }
        index_bulk(events, pages, [plan[5] for plan in plans], tag_ids, speakers)
    log(
        f"seed: {len(pages)} bulk events created ({len(existing) + len(pages)} in all) "
        f"in {time.perf_counter() - started:.1f}s"
    )
    ensure_registration_event(log)
    return len(pages)


# --- registrations: an event page with registration open (issue #20) -----------------

# The `event_page_registration` target: a copy of the reference event (same organisers,
# themes, speakers and description) beside it in IREV's agenda, with the portal's
# registrations open. Its slug does not start with BULK_EVENT_SLUG_PREFIX: it is not a
# bulk event (their numbering and counts stay as they were).
REGISTRATION_EVENT_SLUG = "bench-inscriptions-ouvertes"
# Places enough that the POSTs of bench/registration_post.py never fill the session
# (they are deleted afterwards anyway): the page shows "N places disponibles".
REGISTRATION_CAPACITY = 100_000


def ensure_registration_event(log=print):
    """The registration-open event page and its opening (every field asked, a free
    question), created once the reference event exists; idempotent. Returns the page,
    or None before the reference event is seeded."""
    from agenda.models import EventPage
    from centres.models import CoOrganisation
    from registrations.models import Opening

    page = EventPage.objects.filter(slug=REGISTRATION_EVENT_SLUG).first()
    if page is None:
        reference = EventPage.objects.filter(slug=REFERENCE_EVENT_SLUG).first()
        if reference is None:
            return None
        started = time.perf_counter()
        with transaction.atomic():
            page = reference.copy(
                to=reference.get_parent(),
                update_attrs={
                    "slug": REGISTRATION_EVENT_SLUG,
                    "title": f"{reference.title} (inscriptions ouvertes)",
                    # The portal's form, not an outside registration link.
                    "registration_url": "",
                    "registration_deadline": None,
                },
                keep_live=True,
                copy_revisions=False,
                log_action=None,
            ).specific
            for row in CoOrganisation.objects.filter(page_id=reference.pk):
                CoOrganisation.objects.update_or_create(
                    page_id=page.pk, centre_id=row.centre_id, defaults={"status": row.status}
                )
        log(f"seed: registration-open event copied in {time.perf_counter() - started:.1f}s")
    Opening.objects.get_or_create(
        page=page,
        defaults={
            "capacity": REGISTRATION_CAPACITY,
            "question": "Une question pour les intervenants ?",
        },
    )
    return page


# --- library: bulk publications --------------------------------------------------------

BULK_PUBLICATION_SLUG_PREFIX = "bench-publication-"
# The publication measured by the `publication_page` target: the first bulk publication,
# always in IREV's library (see bench/targets.py), with three author centres, three
# themes, a territory, a Cosoter link and a related event (the reference event).
REFERENCE_PUBLICATION_CENTRE = "irev"
REFERENCE_PUBLICATION_SLUG = f"{BULK_PUBLICATION_SLUG_PREFIX}1"
MAX_PUBLICATIONS = 100000
# One bulk publication in GROUP_SHARE goes to a working group's page (round-robin over the
# 12 groups, working_group set), the others round-robin to the 19 centres' libraries
# (30,000 → 1,500 in the groups, 125 each, and 1,500 per centre library).
GROUP_SHARE = 20
# Publication dates are spread over the last 15 years.
PUBLICATION_DAYS_BACK = 15 * 365


def _publication_plan(number: int, today, libraries, centres, groups, members, kinds, themes):
    """Everything about bulk publication `number` (1-based), derived from the number
    alone (as the events). Returns (parent, group pk or None, title, fields, author ids,
    theme names)."""
    import random
    from datetime import timedelta

    rng = random.Random(number * 104729)
    group = None
    if number == 1:
        centre = next(c for c in centres if c.slug == REFERENCE_PUBLICATION_CENTRE)
        parent = libraries[centre.pk]
    elif number % GROUP_SHARE == 0:
        centre, group = None, groups[(number // GROUP_SHARE) % len(groups)]
        parent = group
    else:
        centre = centres[number % len(centres)]
        parent = libraries[centre.pk]

    kind = rng.choice(kinds)
    wanted = rng.choices([1, 2, 3], weights=[6, 3, 1])[0]
    if centre is not None:
        author_ids = [centre.pk] + rng.sample(
            [c.pk for c in centres if c.pk != centre.pk], wanted - 1
        )
    else:  # a group's joint publication: signed by some of its member centres
        pool = members.get(group.pk) or [c.pk for c in centres]
        author_ids = rng.sample(pool, min(wanted, len(pool)))
    publication_themes = rng.sample(themes, rng.choices([1, 2, 3], weights=[5, 3, 2])[0])
    publication_date = today - timedelta(days=rng.randint(0, PUBLICATION_DAYS_BACK))
    if number == 1:
        kind = next((k for k in kinds if k.slug == "publication"), kinds[0])
        author_ids = [centre.pk] + [c.pk for c in centres if c.pk != centre.pk][:2]
        publication_themes = themes[:3]
        publication_date = today - timedelta(days=30)
    title = f"{kind.name} : {publication_themes[0]} ({number})"
    owner = centre.name if centre else f"groupe de travail {group.title}"
    fields = dict(
        kind_id=kind.pk,
        publication_date=publication_date,
        summary=(
            f"{kind.name} de {owner} sur {publication_themes[0]} : constats, "
            "retours d'expérience et pistes d'action pour les quartiers prioritaires."
        ),
        body=(
            "<p>Cette ressource rassemble les enseignements de rencontres entre "
            "professionnels, élus et habitants.</p><p>Sommaire : contexte, démarches, "
            "points de vigilance, contacts.</p>"
        ),
        working_group_id=group.pk if group else None,
        external_authors="Agence d'urbanisme" if rng.random() < 0.1 else "",
        territory=(centre.territory if centre and rng.random() < 0.5 else ""),
        cosoter_url=(
            f"https://cosoter.example.org/notice/{number}"
            if number == 1 or rng.random() < 0.3
            else ""
        ),
    )
    return parent, title, fields, author_ids, publication_themes


def add_bulk_publications(total: int, log=print) -> int:
    """Brings the bulk publications up to `total` (numbered 1..total; existing ones are
    kept): live PublicationPages in the centres' libraries and under the working groups'
    pages, inserted in bulk like the events (treebeard paths computed here, no revisions,
    search index rows in bulk), with their author centres and themes (tags). Returns the number
    created."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F, QuerySet

    from wagtail.models import Page

    from taggit.models import Tag

    from agenda.models import EventPage
    from centres.models import Centre
    from network.facts import network
    from publications.models import (
        LibraryPage,
        PublicationPage,
        PublicationTag,
        ResourceKind,
        WorkingGroupPage,
    )

    if not 0 <= total <= MAX_PUBLICATIONS:
        raise ValueError(f"publications must be within 0..{MAX_PUBLICATIONS}")
    started = time.perf_counter()
    centres = list(Centre.objects.select_related("home_page").order_by("name"))
    libraries = {
        centre.pk: LibraryPage.objects.child_of(centre.home_page).get() for centre in centres
    }
    groups = list(WorkingGroupPage.objects.order_by("path"))
    members = {}
    for group_id, centre_id in WorkingGroupPage.members.through.objects.order_by(
        "workinggrouppage_id", "centre_id"
    ).values_list("workinggrouppage_id", "centre_id"):
        members.setdefault(group_id, []).append(centre_id)
    kinds = list(ResourceKind.objects.order_by("slug"))
    themes = list(network()["themes_seen"])
    tag_ids = {}
    for name in themes:
        tag = Tag.objects.filter(name=name).first() or Tag.objects.create(name=name)
        tag_ids[name] = tag.pk

    existing = set(
        PublicationPage.objects.filter(slug__startswith=BULK_PUBLICATION_SLUG_PREFIX).values_list(
            "slug", flat=True
        )
    )
    missing = [
        n for n in range(1, total + 1) if f"{BULK_PUBLICATION_SLUG_PREFIX}{n}" not in existing
    ]
    if not missing:
        return 0
    today = timezone.localdate()
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(PublicationPage)
    plans = [
        (n, *_publication_plan(n, today, libraries, centres, groups, members, kinds, themes))
        for n in missing
    ]
    parents = {parent.pk: parent for _n, parent, *_rest in plans}

    with transaction.atomic():
        last_step = {}
        for parent in parents.values():
            last = (
                Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            # UPGRADE CHECKPOINT django-treebeard==5.3.1: `MP_Node._str2int` reads a library's last child step (publications) (tests/test_upgrade_internals.py::test_bulk_pages_are_children_where_treebeard_puts_them)
            last_step[parent.pk] = Page._str2int(last[-Page.steplen :]) if last else 0
        pages, added = [], {}
        for number, parent, title, _fields, _authors, _themes in plans:
            last_step[parent.pk] += 1
            added[parent.pk] = added.get(parent.pk, 0) + 1
            slug = f"{BULK_PUBLICATION_SLUG_PREFIX}{number}"
            pages.append(
                Page(
                    # UPGRADE CHECKPOINT django-treebeard==5.3.1: `MP_Node._get_path` builds each bulk publication's tree path (tests/test_upgrade_internals.py::test_bulk_pages_are_children_where_treebeard_puts_them)
                    path=Page._get_path(parent.path, parent.depth + 1, last_step[parent.pk]),
                    depth=parent.depth + 1,
                    numchild=0,
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=content_type,
                    url_path=f"{parent.url_path}{slug}/",
                    locale_id=parent.locale_id,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                    show_in_menus=False,
                )
            )
        Page.objects.bulk_create(pages, batch_size=500)
        if any(page.pk is None for page in pages):  # a backend that returns no ids
            ids = dict(
                Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "pk")
            )
            for page in pages:
                page.pk = page.id = ids[page.path]
        publications = [
            PublicationPage(page_ptr_id=page.pk, **plan[3]) for page, plan in zip(pages, plans)
        ]
        # As for the events: the child table's rows through bulk_create's batched insert.
        # UPGRADE CHECKPOINT Django==5.2.19: `QuerySet._batched_insert` and `Options.local_concrete_fields` insert the PublicationPage rows (tests/test_upgrade_internals.py::test_bulk_pages_are_children_where_treebeard_puts_them)
        local_fields = PublicationPage._meta.local_concrete_fields
        QuerySet(PublicationPage)._batched_insert(publications, local_fields, batch_size=500)
        for parent_pk, count in added.items():
            Page.objects.filter(pk=parent_pk).update(numchild=F("numchild") + count)

        Authors = PublicationPage.authors.through
        Authors.objects.bulk_create(
            [
                Authors(publicationpage_id=page.pk, centre_id=centre_id)
                for page, plan in zip(pages, plans)
                for centre_id in plan[4]
            ],
            batch_size=1000,
        )
        agreed(pages, plans)
        PublicationTag.objects.bulk_create(
            [
                PublicationTag(content_object_id=page.pk, tag_id=tag_ids[name])
                for page, plan in zip(pages, plans)
                for name in plan[5]
            ],
            batch_size=1000,
        )
        index_bulk(publications, pages, [plan[5] for plan in plans], tag_ids)
        reference = next((page for page, plan in zip(pages, plans) if plan[0] == 1), None)
        event = EventPage.objects.filter(slug=REFERENCE_EVENT_SLUG).first()
        if reference is not None and event is not None:
            Related = PublicationPage.related_events.through
            Related.objects.create(publicationpage_id=reference.pk, eventpage_id=event.pk)
    log(
        f"seed: {len(pages)} bulk publications created ({len(existing) + len(pages)} in all) "
        f"in {time.perf_counter() - started:.1f}s"
    )
    return len(pages)


# --- showcase: approved proposals on the national front page -------------------------

# One bulk event or publication in SHOWCASE_SHARE is approved for the national front
# page, one in five of those also featured: a couple of proposals at the small step,
# thousands at the large one, for the `national_home` target's query count.
SHOWCASE_SHARE = 10


def add_bulk_proposals(log=print) -> int:
    """Approved showcase proposals for the bulk events and publications that have none
    yet (idempotent), inserted in bulk. Returns the number created."""
    from datetime import timedelta

    from wagtail.models import Page

    from agenda.models import EventPage
    from centres.models import Centre
    from publications.models import PublicationPage
    from showcase.models import Proposal, Section, Status

    started = time.perf_counter()
    owners = {c.home_page.path: c.pk for c in Centre.objects.select_related("home_page")}
    taken = set(Proposal.objects.exclude(page=None).values_list("page_id", flat=True))
    now = timezone.now()
    proposals = []
    for model, prefix, section in (
        (EventPage, BULK_EVENT_SLUG_PREFIX, Section.AGENDA),
        (PublicationPage, BULK_PUBLICATION_SLUG_PREFIX, Section.RESOURCES),
    ):
        for pk, slug, title, path in model.objects.filter(slug__startswith=prefix).values_list(
            "pk", "slug", "title", "path"
        ):
            number = int(slug[len(prefix) :])
            if number % SHOWCASE_SHARE != 1 or pk in taken:
                continue
            featured = number % (SHOWCASE_SHARE * 5) == 1
            step = Page.steplen
            centre = next(
                (
                    owners[path[:end]]
                    for end in range(step, len(path), step)
                    if path[:end] in owners
                ),
                None,
            )
            proposals.append(
                Proposal(
                    page_id=pk,
                    centre_id=centre,
                    section=section,
                    title=title,
                    status=Status.APPROVED,
                    proposed_at=now,
                    decided_at=now,
                    approved_at=now,
                    featured_order=(number // SHOWCASE_SHARE) % 9 + 1 if featured else None,
                    featured_until=now + timedelta(days=30) if featured else None,
                )
            )
    Proposal.objects.bulk_create(proposals, batch_size=1000)
    log(
        f"seed: {len(proposals)} showcase proposals created in {time.perf_counter() - started:.1f}s"
    )
    return len(proposals)
