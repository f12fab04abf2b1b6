"""Demo registrations (docs/registrations.md), so that `make run` shows the whole
journey: on IREV's site a webinar nearly full and a study day full with a waiting list;
on Villes au carré's an upcoming cycle of three webinars open session by session, its
first session nearly full, and its last qualification day, held and checked in (the
figures and the page's participant count). Registrants are written directly (no mail
is queued: the demo's addresses, on example.org, are nobody's)."""

from datetime import time, timedelta

from django.utils import timezone

from agenda.models import AgendaPage, Attendance, EventPage
from centres.models import Centre
from newsletter.models import Profile
from registrations.models import Opening, Registrant, Seat

from .agenda import ensure_event, ensure_series

TERRITORIES = ["Nord", "Pas-de-Calais", "Métropole européenne de Lille", "Somme", "Aisne"]
ORGANISATIONS = ["Ville de Roubaix", "Centre social", "Bailleur social", "Préfecture", ""]


def registrants(opening, events, count, prefix, report, waiting=0):
    """`count` confirmed people (then `waiting` on the waiting list) in `events`."""
    if opening.registrants.exists():
        return
    profiles = list(Profile.objects.all()) or [None]
    now = timezone.now()
    for n in range(count + waiting):
        person = Registrant.objects.create(
            opening=opening,
            email=f"{prefix}{n + 1}@example.org",
            name=f"Participant {prefix} {n + 1}",
            organisation=ORGANISATIONS[n % len(ORGANISATIONS)],
            profile=profiles[n % len(profiles)],
            territory=TERRITORIES[n % len(TERRITORIES)],
        )
        status = Seat.CONFIRMED if n < count else Seat.WAITING
        Seat.objects.bulk_create(
            Seat(registrant=person, event=e, status=status, queued_at=now + timedelta(seconds=n))
            for e in events
        )
    report.created.append(f"inscriptions {opening.page.url_path} ({count} + {waiting})")


def seed_registrations(report) -> None:
    irev = Centre.objects.filter(slug="irev").select_related("home_page").first()
    if irev is None:
        return
    agenda = AgendaPage.objects.child_of(irev.home_page).first()
    events = {e.title: e for e in EventPage.objects.child_of(agenda)}
    webinar = next((e for t, e in events.items() if t.startswith("Webinaire")), None)
    day = next((e for t, e in events.items() if t.startswith("Journée d’échanges")), None)
    if webinar is not None:
        opening, _ = Opening.objects.get_or_create(
            page=webinar,
            defaults={"capacity": 40, "question": "Une question pour les intervenants\u00a0?"},
        )
        registrants(opening, [webinar], 37, "webinaire", report)
    if day is not None:
        # The study day was seeded with an outside form's link: registrations are taken
        # here now, so the link goes (its deadline stays: the opening closes then).
        if day.registration_url:
            day.registration_url = ""
            day.save_revision().publish()
        opening, _ = Opening.objects.get_or_create(
            page=day, defaults={"capacity": 12, "ask_accessibility": True}
        )
        registrants(opening, [day], 12, "journee", report, waiting=3)

    # The cycle at another centre: IREV's tree is kept small (its editor's explorer lists
    # it whole in tests/test_admin_isolation.py).
    other = Centre.objects.filter(slug="villes-au-carre").select_related("home_page").first()
    other_agenda = AgendaPage.objects.child_of(other.home_page).first() if other else None
    if other_agenda is None:
        return
    today = timezone.localdate()
    series = ensure_series(
        other_agenda,
        "Cycle de webinaires\u00a0: animer un conseil citoyen",
        report,
        "<p>Trois webinaires d’une heure trente pour animer les conseils citoyens.</p>",
    )
    sessions = [
        ensure_event(
            series,
            report,
            title=f"Animer un conseil citoyen, séance {n} : {subject}",
            start_date=today + timedelta(days=21 + 14 * n),
            start_time=time(10, 0),
            end_time=time(11, 30),
            attendance=Attendance.ONLINE,
            online_url="https://webinaire.example.org/conseil-citoyen",
            organisers=[other],
            summary="Un webinaire du cycle sur l’animation des conseils citoyens.",
        )
        for n, subject in enumerate(("préparer", "faciliter", "restituer"), start=1)
    ]
    opening, _ = Opening.objects.get_or_create(
        page=series, defaults={"capacity": 30, "mode": Opening.EACH}
    )
    registrants(opening, sessions[:1], 28, "cycle", report)
    held = EventPage.objects.child_of(other_agenda).filter(title__startswith="Cycle de qual")
    if (event := held.first()) is not None:
        checked_in(event, report)


def checked_in(event, report) -> None:
    """A session held and checked in, so that the figures (the admin's, the yearly
    report's) and the page's participant count show what check-in gives: as many people
    ticked present as the count its editor had typed, three marked absent and two left
    unticked (no-shows too: the organisers ticked who came), two never off the waiting
    list."""
    opening, created = Opening.objects.get_or_create(
        page=event, defaults={"capacity": 40, "is_open": False}
    )
    if not created:
        return
    present = event.participants_count or 25
    registrants(opening, [event], present + 5, "bilan", report, waiting=2)
    confirmed = list(
        Seat.objects.filter(event=event, status=Seat.CONFIRMED).values_list("pk", flat=True)
    )
    Seat.objects.filter(pk__in=confirmed[:present]).update(attended=True)
    Seat.objects.filter(pk__in=confirmed[present : present + 3]).update(attended=False)
