"""Calendar files met in the wild (manage.py import_ical): each unreadable event refused
with its UID and reason while the rest of the feed is imported, recurring events as
their occurrences, unknown and vendor time zones reported, several VCALENDARs in one
file, and one feed's failure never stopping the others."""

import io
from datetime import date, time, timedelta

from django.core.management import CommandError, call_command

import pytest

from agenda.models import AgendaPage, EventPage
from interop.models import AgendaFeed, ImportedItem

from .interop_http import http_files  # noqa: F401
from .test_interop_ical import VTIMEZONE, WEBINAR, imported

pytestmark = pytest.mark.django_db

GOOD = WEBINAR.format(stamp="20260101T000000Z")


def vevent(uid, *lines, summary="Rencontre"):
    return "\n".join(
        ["BEGIN:VEVENT", f"UID:{uid}", "DTSTAMP:20260101T000000Z", f"SUMMARY:{summary}"]
        + list(lines)
        + ["END:VEVENT"]
    )


def vcalendar(*events, timezones=VTIMEZONE):
    return "\n".join(
        ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Essai//FR", timezones, *events]
        + ["END:VCALENDAR"]
    )


def encoded(text):
    return text.replace("\n", "\r\n").encode("utf-8")


def add_feed(http_files, network, body, slug="irev", path="/agenda.ics"):
    agenda = AgendaPage.objects.child_of(network.centres[slug].home_page).get()
    http_files[path] = (body, "text/calendar")
    return AgendaFeed.objects.create(agenda=agenda, url=http_files.url(path))


def run_import():
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_ical", stdout=out, stderr=err)
    except CommandError:
        pass
    return out.getvalue() + err.getvalue()


WILD = [
    (
        vevent("deux-debuts", "DTSTART:20270601T100000", "DTSTART:20270602T100000"),
        "DTSTART présent 2 fois",
    ),
    (vevent("duree", "DTSTART:20270601T100000", "DURATION:PXYZ"), "DURATION illisible"),
    (vevent("debut-texte", "DTSTART:demain"), "DTSTART n'est pas une date"),
    (vevent("fin-texte", "DTSTART:20270601T100000", "DTEND:bientot"), "DTEND n'est pas une date"),
    (
        vevent("an-9999", "DTSTART;VALUE=DATE:99991231", "DURATION:P2D"),
        "DTSTART hors des années 1970–2200 (9999)",
    ),
    (
        vevent("types-melanges", "DTSTART;VALUE=DATE:20270601", "DTEND:20270602T100000"),
        "début et fin de types différents",
    ),
    (vevent("sans-titre", "DTSTART:20270601T100000", summary=""), "sans titre"),
    (vevent("sans-debut", "LOCATION:Lille"), "sans date de début"),
    (
        vevent("chaque-seconde", "DTSTART:20270601T100000", "RRULE:FREQ=SECONDLY"),
        "récurrence « SECONDLY » non importée",
    ),
    (
        vevent(
            "deplacee",
            "RECURRENCE-ID:20270601T100000",
            "DTSTART:20270602T100000",
        ),
        "occurrence modifiée sans son événement récurrent",
    ),
]


def test_each_unreadable_event_is_refused_with_its_uid_and_reason(http_files, network):
    feed = add_feed(http_files, network, encoded(vcalendar(*[e for e, _ in WILD], GOOD)))
    output = run_import()
    for event, reason in WILD:
        uid = event.split("UID:")[1].split("\n")[0]
        assert f"{uid} — {reason}" in output, (uid, output)
    # The rest of the feed is imported, and the feed's record tells the same.
    assert imported("webinaire-2027@ancien-site.example").live
    report = AgendaFeed.objects.get(pk=feed.pk).last_report
    assert report.startswith(f"1 créé(s), 0 mis à jour, 0 inchangé(s), 0 retiré(s), {len(WILD)}")
    assert "deux-debuts — DTSTART présent 2 fois" in report


def test_control_characters_are_dropped_and_a_bom_and_lone_cr_are_read(http_files, network):
    event = vevent(
        "nul@essai",
        "DTSTART;TZID=Europe/Paris:20270601T100000",
        "LOCATION:Salle\x01 des fêtes",
        summary="Rencontre\x00 santé",
    )
    body = b"\xef\xbb\xbf" + vcalendar(event).replace("\n", "\r").encode("utf-8")
    add_feed(http_files, network, body)
    run_import()
    page = imported("nul@essai")
    assert (page.title, page.venue, page.start_time) == (
        "Rencontre santé",
        "Salle des fêtes",
        time(10, 0),
    )


def test_several_calendars_in_one_file_are_read_together(http_files, network):
    first = vcalendar(vevent("a@essai", "DTSTART;VALUE=DATE:20270601"))
    second = vcalendar(vevent("b@essai", "DTSTART;VALUE=DATE:20270602"), timezones="")
    add_feed(http_files, network, encoded(first + "\n" + second))
    run_import()
    assert imported("a@essai").start_date == date(2027, 6, 1)
    assert imported("b@essai").start_date == date(2027, 6, 2)


def test_unknown_and_vendor_time_zones_are_reported(http_files, network):
    add_feed(
        http_files,
        network,
        encoded(
            vcalendar(
                vevent("mars@essai", "DTSTART;TZID=Mars/Olympus:20270601T100000"),
                vevent(
                    "mozilla@essai",
                    "DTSTART;TZID=/mozilla.org/20050126_1/America/New_York:20270601T100000",
                ),
            )
        ),
    )
    with pytest.warns(UserWarning):  # icalendar warns that it guessed the vendor's zone
        output = run_import()
    assert "mars@essai — fuseau « Mars/Olympus » inconnu : heure lue dans celui du centre" in (
        output
    )
    assert "lu comme America/New_York" in output
    # A known zone is the event's own (shown in New York's time, as the feed gave it).
    mozilla = imported("mozilla@essai")
    assert (mozilla.time_zone, mozilla.start_time) == ("America/New_York", time(10, 0))
    mars = imported("mars@essai")
    assert (mars.time_zone, mars.start_time) == ("Europe/Paris", time(10, 0))


def test_a_recurring_event_becomes_its_occurrences(http_files, network):
    monday = date.today() + timedelta(days=30 - date.today().weekday())

    def at(day, hour="100000"):
        return f"{day:%Y%m%d}T{hour}"

    weekly = vevent(
        "permanence@essai",
        f"DTSTART;TZID=Europe/Paris:{at(monday)}",
        f"DTEND;TZID=Europe/Paris:{at(monday, '120000')}",
        "RRULE:FREQ=WEEKLY;COUNT=5",
        f"EXDATE;TZID=Europe/Paris:{at(monday + timedelta(days=7))}",
        f"RDATE;TZID=Europe/Paris:{at(monday + timedelta(days=60), '140000')}",
        summary="Permanence",
    )
    moved = vevent(
        "permanence@essai",
        f"RECURRENCE-ID;TZID=Europe/Paris:{at(monday + timedelta(days=14))}",
        f"DTSTART;TZID=Europe/Paris:{at(monday + timedelta(days=15))}",
        f"DTEND;TZID=Europe/Paris:{at(monday + timedelta(days=15), '120000')}",
        summary="Permanence (déplacée au mardi)",
    )
    feed = add_feed(http_files, network, encoded(vcalendar(weekly, moved)))
    run_import()
    pages = EventPage.objects.filter(
        pk__in=ImportedItem.objects.filter(key__startswith="permanence@essai#").values("page")
    ).order_by("start_date")
    assert [(p.start_date, p.start_time, p.title) for p in pages] == [
        (monday, time(10, 0), "Permanence"),
        (monday + timedelta(days=15), time(10, 0), "Permanence (déplacée au mardi)"),
        (monday + timedelta(days=21), time(10, 0), "Permanence"),
        (monday + timedelta(days=28), time(10, 0), "Permanence"),
        (monday + timedelta(days=60), time(14, 0), "Permanence"),
    ]
    assert all(page.live for page in pages)
    # Imported again, nothing changes; a cancelled occurrence then leaves the agenda.
    assert run_import().splitlines()[1].strip().startswith("0 créé(s), 0 mis à jour, 5 inchangé")
    cancelled = moved.replace("END:VEVENT", "STATUS:CANCELLED\nEND:VEVENT")
    http_files["/agenda.ics"] = (encoded(vcalendar(weekly, cancelled)), "text/calendar")
    run_import()
    assert pages.filter(live=True).count() == 4
    assert "1 retiré(s)" in AgendaFeed.objects.get(pk=feed.pk).last_report


def test_a_daily_rule_without_end_imports_a_bounded_window(http_files, network):
    start = date.today() - timedelta(days=400)
    add_feed(
        http_files,
        network,
        encoded(
            vcalendar(
                vevent(
                    "tous-les-jours@essai", f"DTSTART;VALUE=DATE:{start:%Y%m%d}", "RRULE:FREQ=DAILY"
                )
            )
        ),
    )
    output = run_import()
    keys = ImportedItem.objects.filter(key__startswith="tous-les-jours@essai#")
    assert keys.count() == 100
    assert "les 100 premières occurrences seulement sont importées" in output


def test_one_feed_failing_never_stops_the_others(http_files, network, monkeypatch):
    broken = add_feed(http_files, network, b"pas un calendrier", path="/casse.ics")
    gone = add_feed(http_files, network, b"", slug="oriv", path="/absent.ics")
    del http_files["/absent.ics"]
    good = add_feed(http_files, network, encoded(vcalendar(GOOD)), slug="crcsur", path="/bon.ics")
    output = run_import()
    assert "pas un flux iCalendar" in output and "réponse HTTP 404" in output
    assert imported("webinaire-2027@ancien-site.example").live
    assert AgendaFeed.objects.get(pk=good.pk).last_report.startswith("1 créé(s)")
    for feed in (broken, gone):
        assert AgendaFeed.objects.get(pk=feed.pk).last_report.startswith("échec")


def test_an_unexpected_fault_on_one_feed_is_recorded_and_the_next_feed_imported(
    http_files, network, monkeypatch
):
    # A fault injected on purpose (a mock): no real input is known to raise outside the
    # import's own error handling any more, and the command must survive one that does.
    from interop.management.commands import import_ical

    first = add_feed(http_files, network, encoded(vcalendar(GOOD)), path="/un.ics")
    second = add_feed(
        http_files,
        network,
        encoded(vcalendar(vevent("b@essai", "DTSTART;VALUE=DATE:20270602"))),
        slug="oriv",
        path="/deux.ics",
    )
    real = import_ical.import_feed

    def faulty(feed, **options):
        if feed.pk == first.pk:
            raise RuntimeError("bug")
        return real(feed, **options)

    monkeypatch.setattr(import_ical, "import_feed", faulty)
    output = run_import()
    assert "échec inattendu, rien n'a été modifié : RuntimeError" in output
    assert AgendaFeed.objects.get(pk=first.pk).last_report.startswith("échec inattendu")
    assert AgendaFeed.objects.get(pk=second.pk).last_report.startswith("1 créé(s)")
    assert imported("b@essai").live
