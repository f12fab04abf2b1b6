"""Demo agendas (the bootstrap creates the formats and every site's agenda): the
network's 2023 events from the data file, and for each centre a few events around
today (so that "upcoming" and "past" both show), including a webinar series and
overseas events in local time."""

from datetime import date, time, timedelta

from django.utils import timezone
from django.utils.text import slugify

from agenda.models import AgendaPage, Attendance, EventDocument, EventPage, EventSeriesPage
from centres.models import Centre, CoOrganisation
from network.listings import ensure_agenda
from portal.wording import apostrophes, of

from .data import network
from .visuals import accent_of, picture, synthesis


def ensure_event(parent, report, *, title, organisers=(), invited=(), themes=(), **fields):
    """The event, created once and published; its `organisers` agreed to be named (as
    the network's real co-organisations did), the `invited` centres are still asked."""
    slug = fields.pop("slug", None) or slugify(title)[:80]
    if parent.get_children().filter(slug=slug).not_type(EventPage).exists():
        slug = f"{slug[:70]}-evenement"  # a publication of the same title holds the slug
    event = EventPage.objects.child_of(parent).filter(slug=slug).first()
    if event is not None:
        return event
    event = EventPage(title=title, slug=slug, **fields)
    # Named before the first save, so that their consent records exist before the
    # publication (which would otherwise mail the centres' editors).
    event.organisers.set([*organisers, *invited])
    parent.add_child(instance=event)
    agree(event, organisers, asked=invited)
    event.tags.set(list(themes))
    event.save_revision().publish()
    report.created.append(f"event {event.url_path}")
    return event


def agree(page, centres, asked=()):
    """The demo's co-organisations: `centres` accepted, `asked` pending (already told,
    so that publishing mails nobody)."""
    now = timezone.now()
    records = CoOrganisation.objects.filter(page=page)
    records.filter(centre__in=list(centres)).update(
        status=CoOrganisation.Status.ACCEPTED, decided_at=now
    )
    records.filter(centre__in=list(asked)).update(notified_at=now)


def ensure_series(agenda, title, report, introduction="", slug=None):
    slug = slug or slugify(title)
    series = EventSeriesPage.objects.child_of(agenda).filter(slug=slug).first()
    if series is None:
        series = EventSeriesPage(title=title, slug=slug, introduction=introduction)
        agenda.add_child(instance=series)
        series.save_revision().publish()
        report.created.append(f"series {series.url_path}")
    return series


def seed_network_events(national_home, groups, formats, report):
    """The network's 2023 events: a working group's in its space, the others in the
    national agenda (which lists them all)."""
    agenda = ensure_agenda(national_home, "Agenda du réseau", report)
    centres = list(Centre.objects.order_by("name")[:4])
    cycles = cycles_of(groups, report)
    for example in network()["events_2023_examples"]:
        if example.get("centre"):
            continue  # a centre's own event: seeded in its agenda below
        start = date.fromisoformat(example["date"])
        end = date.fromisoformat(example["end_date"]) if example.get("end_date") else None
        online = example["format"] == "webinaire"
        slug = example.get("path", "").rsplit("/", 1)[-1] or None
        space = groups.get(example.get("group"))
        # What the event left: its replay and its synthesis (the network's figures say
        # the transitions webinar was watched again 189 times).
        after = {}
        if example.get("replay_views"):
            after = {
                "replay_url": "https://video.example.org/rncrpv/replay",
                "documents": [
                    EventDocument(
                        document=synthesis(example["title"]), kind=EventDocument.Kind.SYNTHESIS
                    )
                ],
            }
        parent = space[0] if space else agenda
        if example.get("group") in cycles:
            parent = cycles[example["group"]]
            move_into(parent, slug or slugify(example["title"])[:80])
        ensure_event(
            parent,
            report,
            title=example["title"],
            slug=slug,
            start_date=start,
            end_date=end,
            start_time=None if end else time(10, 0),
            end_time=None if end else time(12, 0),
            event_format=formats.get(example["format"]),
            attendance=Attendance.ONLINE if online else Attendance.IN_PERSON,
            online_url="https://webinaire.example.org/rncrpv" if online else "",
            city=example.get("location", ""),
            venue=example.get("location", ""),
            audience="Professionnels de la politique de la ville",
            open_to_public=not online,
            summary=f"Groupe de travail {example['group']}." if example.get("group") else "",
            participants_count=example.get("participants"),
            organisers=list(space[0].members.all()[:3]) if space else centres,
            themes=[example["group"].lower()] if example.get("group") else [],
            **after,
        )
    today = timezone.localdate()
    ensure_event(
        agenda,
        report,
        title="9e rencontre des centres de ressources politique de la ville",
        start_date=today + timedelta(days=60),
        end_date=today + timedelta(days=62),
        event_format=formats.get("regroupement national"),
        attendance=Attendance.IN_PERSON,
        venue="Palais des congrès",
        city="Lyon",
        open_to_public=False,
        audience="Équipes des centres de ressources",
        organisers=centres,
        summary="Le rendez-vous annuel des équipes des 19 centres.",
    )
    return agenda


# A working group's cycle of webinars (its deliverables in the data file), shown as a
# series in the group's space.
CYCLES = {
    "Égalité femmes-hommes": (
        "Femmes des quartiers populaires\u00a0: cycle de webinaires 2023",
        "<p>Quatre webinaires du groupe de travail Égalité femmes-hommes\u00a0: vieillissement, "
        "santé, travail invisible et accès à l’emploi, approche intégrée de l’égalité.</p>",
    )
}


def cycles_of(groups, report):
    cycles = {}
    for group, (title, introduction) in CYCLES.items():
        if group in groups:
            cycles[group] = ensure_series(groups[group][0], title, report, introduction)
    return cycles


def move_into(series, slug):
    """An event seeded before the series existed (an older demo database) moves into it."""
    stray = EventPage.objects.child_of(series.get_parent()).filter(slug=slug).first()
    if stray is not None and not series.get_children().filter(slug=slug).exists():
        stray.move(series, "last-child")


def seed_centre_events(centre, formats, report, index):
    agenda = ensure_agenda(centre.home_page, "Agenda", report)
    themes = network()["themes_seen"]
    today = timezone.localdate()
    local_morning = time(9, 30)
    place = centre.city or centre.territory
    ensure_event(
        agenda,
        report,
        title=f"Journée d’échanges {apostrophes(centre.territory)}\u00a0: "
        f"{themes[index % len(themes)]}",
        start_date=today + timedelta(days=14 + index),
        start_time=local_morning,
        end_time=time(16, 30),
        event_format=formats.get("journée d’échanges"),
        attendance=Attendance.IN_PERSON,
        venue=f"Maison des associations {of(centre.city or centre.territory)}",
        city=centre.city or centre.territory,
        registration_url="https://inscription.example.org/",
        registration_deadline=today + timedelta(days=10 + index),
        audience="Professionnels, élus, associations",
        organisers=[centre],
        themes=[themes[index % len(themes)]],
        summary="Une journée pour partager les pratiques du territoire.",
        cover_image=picture(
            centre.collection,
            f"Journée d’échanges {centre.name}",
            accent_of(centre),
            centre.pk,
            f"Dessin des immeubles d’un quartier de {place}",
        ),
        cover_alt=f"Dessin des immeubles d’un quartier de {place}",
    )
    ensure_event(
        agenda,
        report,
        title=f"Webinaire\u00a0: {themes[(index + 3) % len(themes)]} dans les quartiers",
        start_date=today + timedelta(days=30 + index),
        start_time=time(14, 0),
        end_time=time(15, 30),
        event_format=formats.get("webinaire"),
        attendance=Attendance.ONLINE,
        online_url="https://webinaire.example.org/",
        organisers=[centre],
        themes=[themes[(index + 3) % len(themes)]],
        summary="Un webinaire d’une heure trente avec des acteurs de terrain.",
    )
    ensure_event(
        agenda,
        report,
        title=f"Cycle de qualification {centre.name}\u00a0: bilan",
        start_date=today - timedelta(days=40 + index),
        start_time=time(9, 0),
        end_time=time(17, 0),
        event_format=formats.get("cycle de qualification"),
        attendance=Attendance.IN_PERSON,
        city=centre.city or centre.territory,
        venue="Centre de ressources",
        organisers=[centre],
        participants_count=25 + index,
        themes=[themes[(index + 5) % len(themes)]],
        summary="Dernière séance du cycle de qualification de l’année.",
    )
    return agenda


def seed_irev_series(formats, report):
    irev = Centre.objects.filter(slug="irev").first()
    if irev is None:
        return
    agenda = AgendaPage.objects.child_of(irev.home_page).first()
    example = next(e for e in network()["events_2023_examples"] if e.get("centre") == "irev")
    series = ensure_series(
        agenda,
        example["series"],
        report,
        "<p>Un cycle de rencontres régionales sur les transitions dans les quartiers.</p>",
    )
    ensure_event(
        series,
        report,
        title=example["title"],
        start_date=date.fromisoformat(example["date"]),
        start_time=time(9, 30),
        end_time=time(16, 0),
        event_format=formats.get("journée régionale"),
        attendance=Attendance.IN_PERSON,
        venue=example["location"].split(",")[0],
        city=example["location"].split(", ")[-1],
        participants_count=example["participants"],
        # A co-organisation accepted (Labo Cités) and one waiting for ORIV's answer, so
        # that the demo's admin shows both (Co-organisations).
        organisers=[irev, *Centre.objects.filter(slug="labo-cites")],
        invited=list(Centre.objects.filter(slug="oriv")),
        themes=["mobilités", "transition écologique"],
        summary="Quatrième rencontre du cycle Quartiers en transition.",
    )


def seed_agendas(network, report):
    formats = network.formats
    seed_network_events(network.national_home, network.groups, formats, report)
    for index, centre in enumerate(network.centres):
        seed_centre_events(centre, formats, report, index)
    seed_irev_series(formats, report)
