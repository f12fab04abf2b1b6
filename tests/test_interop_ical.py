"""Importing a centre's iCalendar feed into its agenda (manage.py import_ical) from a feed
served over HTTP on the loopback: events keyed by UID, updated in place, hand edits left
alone, cancelled and vanished events unpublished; bad feeds refused with nothing written."""

from datetime import date, time

from django.core.management import CommandError, call_command

from wagtail.models import Revision

import pytest

from agenda.models import AgendaPage, Attendance, EventPage
from interop.models import AgendaFeed, ImportedItem

from .interop_http import http_files  # noqa: F401

pytestmark = pytest.mark.django_db

VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:STANDARD
DTSTART:19701025T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:19700329T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
END:VTIMEZONE"""

SEMINAR = """BEGIN:VEVENT
UID:seminaire-2027@ancien-site.example
DTSTAMP:{stamp}
SUMMARY:{title}
DTSTART;TZID=Europe/Paris:20270316T093000
DTEND;TZID=Europe/Paris:20270316T170000
LOCATION:Maison des associations\\, Lille
DESCRIPTION:Une journée d'étude sur l'égalité.\\nInscription obligatoire.
CATEGORIES:Égalité femmes-hommes,Participation
URL:https://ancien-site.example/agenda/seminaire/
END:VEVENT"""

CYCLE = """BEGIN:VEVENT
UID:cycle-2027@ancien-site.example
DTSTAMP:{stamp}
SUMMARY:Cycle de qualification
DTSTART;VALUE=DATE:20270405
DTEND;VALUE=DATE:20270407
LOCATION:Lille
{status}END:VEVENT"""

WEBINAR = """BEGIN:VEVENT
UID:webinaire-2027@ancien-site.example
DTSTAMP:{stamp}
SUMMARY:Webinaire santé
DTSTART:20270510T120000Z
DURATION:PT1H30M
LOCATION:https://visio.example.org/sante
END:VEVENT"""

BROKEN = """BEGIN:VEVENT
UID:broken@ancien-site.example
DTSTAMP:20260101T000000Z
SUMMARY:Fin avant le début
DTSTART:20270601T150000
DTEND:20270601T100000
LOCATION:Lille
END:VEVENT"""


def calendar(*events):
    body = "\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Ancien site//FR",
            VTIMEZONE,
            *events,
            "END:VCALENDAR",
        ]
    )
    return body.replace("\n", "\r\n").encode("utf-8")


def feed_of(http_files, network, slug="irev", body=None):
    agenda = AgendaPage.objects.child_of(network.centres[slug].home_page).get()
    http_files["/agenda.ics"] = (body or calendar(), "text/calendar; charset=utf-8")
    return AgendaFeed.objects.create(agenda=agenda, url=http_files.url("/agenda.ics"))


def imported(uid):
    item = ImportedItem.objects.get(key=uid)
    return EventPage.objects.get(pk=item.page_id)


def serve(http_files, *events):
    http_files["/agenda.ics"] = (calendar(*events), "text/calendar")


def first_feed(http_files, network, stamp="20260101T000000Z"):
    feed = feed_of(
        http_files,
        network,
        body=calendar(
            SEMINAR.format(stamp=stamp, title="Séminaire égalité"),
            CYCLE.format(stamp=stamp, status=""),
            WEBINAR.format(stamp=stamp),
        ),
    )
    call_command("import_ical", stdout=open("/dev/null", "w"))
    return feed


def test_events_are_created_in_the_centre_agenda(http_files, network):
    feed = first_feed(http_files, network)
    seminar = imported("seminaire-2027@ancien-site.example")
    assert seminar.live and seminar.get_parent().pk == feed.agenda_id
    assert seminar.title == "Séminaire égalité" and seminar.slug == "seminaire-egalite"
    assert (seminar.start_date, seminar.start_time, seminar.end_time) == (
        date(2027, 3, 16),
        time(9, 30),
        time(17, 0),
    )
    assert seminar.time_zone == "Europe/Paris" and seminar.venue == "Maison des associations, Lille"
    assert list(seminar.organisers.values_list("slug", flat=True)) == ["irev"]
    assert set(seminar.tags.names()) == {"égalité femmes-hommes", "participation"}
    assert "Inscription obligatoire." in str(seminar.description)
    assert 'href="https://ancien-site.example/agenda/seminaire/"' in str(seminar.description)
    cycle = imported("cycle-2027@ancien-site.example")
    assert (cycle.start_date, cycle.end_date, cycle.all_day) == (
        date(2027, 4, 5),
        date(2027, 4, 6),
        True,
    )
    webinar = imported("webinaire-2027@ancien-site.example")
    assert webinar.attendance == Attendance.ONLINE and webinar.online_url.startswith(
        "https://visio"
    )
    # UTC in the feed, shown in the centre's time zone (Paris: +2 in May).
    assert (webinar.start_time, webinar.end_time) == (time(14, 0), time(15, 30))
    assert AgendaFeed.objects.get(pk=feed.pk).last_report.startswith("3 créé(s)")


def test_overseas_centre_gets_its_own_time_zone(http_files, network):
    feed_of(
        http_files, network, slug="crcsur", body=calendar(WEBINAR.format(stamp="20260101T000000Z"))
    )
    call_command("import_ical", stdout=open("/dev/null", "w"))
    webinar = imported("webinaire-2027@ancien-site.example")
    assert (webinar.time_zone, webinar.start_time) == ("Indian/Reunion", time(16, 0))


def test_rerun_changes_nothing(http_files, network):
    first_feed(http_files, network)
    revisions, pages = Revision.objects.count(), EventPage.objects.count()
    serve(
        http_files,
        SEMINAR.format(stamp="20260202T000000Z", title="Séminaire égalité"),
        CYCLE.format(stamp="20260202T000000Z", status=""),
        WEBINAR.format(stamp="20260202T000000Z"),
    )
    call_command("import_ical", stdout=open("/dev/null", "w"))
    assert (Revision.objects.count(), EventPage.objects.count()) == (revisions, pages)


def test_updates_cancellations_removals_and_hand_edits(http_files, network):
    first_feed(http_files, network)
    webinar = imported("webinaire-2027@ancien-site.example")
    webinar.summary = "Corrigé par l'équipe du centre."
    webinar.save_revision(user=network.user("editeur-irev")).publish()
    stamp = "20260303T000000Z"
    serve(
        http_files,
        SEMINAR.format(stamp=stamp, title="Séminaire égalité (complet)"),
        CYCLE.format(stamp=stamp, status="STATUS:CANCELLED\r\n"),
        WEBINAR.format(stamp=stamp).replace("Webinaire santé", "Webinaire renommé"),
    )
    out = __import__("io").StringIO()
    call_command("import_ical", stdout=out)
    seminar = imported("seminaire-2027@ancien-site.example")
    assert seminar.title == "Séminaire égalité (complet)" and seminar.slug == "seminaire-egalite"
    assert not imported("cycle-2027@ancien-site.example").live
    webinar.refresh_from_db()
    assert webinar.title == "Webinaire santé" and webinar.summary.startswith("Corrigé")
    assert "modifié à la main" in out.getvalue()
    # Gone from the feed: unpublished too; back in the feed: published again.
    serve(http_files, CYCLE.format(stamp=stamp, status=""))
    call_command("import_ical", stdout=out)
    assert not imported("seminaire-2027@ancien-site.example").live
    assert imported("cycle-2027@ancien-site.example").live
    assert imported("webinaire-2027@ancien-site.example").live  # edited by hand: kept


def test_an_event_unpublished_by_hand_stays_unpublished(http_files, network):
    first_feed(http_files, network)
    imported("cycle-2027@ancien-site.example").unpublish()
    serve(
        http_files,
        CYCLE.format(stamp="20260404T000000Z", status="").replace(
            "Cycle de qualification", "Cycle de qualification (nouvelle session)"
        ),
    )
    call_command("import_ical", stdout=open("/dev/null", "w"))
    cycle = imported("cycle-2027@ancien-site.example")
    assert not cycle.live and cycle.title == "Cycle de qualification"


def test_a_deleted_event_is_not_imported_again(http_files, network):
    first_feed(http_files, network)
    imported("cycle-2027@ancien-site.example").delete()
    call_command("import_ical", stdout=open("/dev/null", "w"))
    assert not EventPage.objects.filter(title="Cycle de qualification").exists()


def test_an_invalid_event_is_skipped_with_its_reason(http_files, network):
    feed_of(http_files, network, body=calendar(BROKEN, WEBINAR.format(stamp="20260101T000000Z")))
    out = __import__("io").StringIO()
    call_command("import_ical", stdout=out)
    assert "broken@ancien-site.example — end_time" in out.getvalue()
    assert imported("webinaire-2027@ancien-site.example").live


def test_dry_run_writes_nothing(http_files, network):
    feed_of(http_files, network, body=calendar(WEBINAR.format(stamp="20260101T000000Z")))
    out = __import__("io").StringIO()
    call_command("import_ical", "--dry-run", stdout=out)
    assert "1 créé(s)" in out.getvalue()
    assert (
        not ImportedItem.objects.exists()
        and not EventPage.objects.filter(title="Webinaire santé").exists()
    )


@pytest.mark.parametrize(
    "body, path, message",
    [
        (None, "/gone.ics", "réponse HTTP 404"),
        (
            calendar(SEMINAR.format(stamp="20260101T000000Z", title="Séminaire égalité"))
            .decode()
            .encode("latin-1"),
            None,
            "pas en UTF-8",
        ),
        (b"<html><body>Not a calendar</body></html>", None, "pas un flux iCalendar"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n", None, "pas un flux iCalendar"),
    ],
)
def test_bad_feeds_are_refused_whole(http_files, network, body, path, message):
    feed = feed_of(http_files, network, body=body or calendar())
    if path:
        AgendaFeed.objects.filter(pk=feed.pk).update(url=http_files.url(path))
    pages = EventPage.objects.count()
    with pytest.raises(CommandError):
        err = __import__("io").StringIO()
        try:
            call_command("import_ical", stdout=err, stderr=err)
        finally:
            assert message in err.getvalue(), err.getvalue()
    assert EventPage.objects.count() == pages and not ImportedItem.objects.exists()
    assert message in AgendaFeed.objects.get(pk=feed.pk).last_report


def test_unreachable_and_huge_feeds(http_files, network, settings):
    feed = feed_of(http_files, network, body=calendar(WEBINAR.format(stamp="20260101T000000Z")))
    settings.INTEROP_FETCH_MAX_BYTES = 200
    with pytest.raises(CommandError):
        call_command("import_ical", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))
    assert "refusé" in AgendaFeed.objects.get(pk=feed.pk).last_report
    settings.INTEROP_FETCH_MAX_BYTES = 10**6
    AgendaFeed.objects.filter(pk=feed.pk).update(url="http://127.0.0.1:9/agenda.ics")
    with pytest.raises(CommandError):
        call_command("import_ical", stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"))
    assert "injoignable" in AgendaFeed.objects.get(pk=feed.pk).last_report
    assert not ImportedItem.objects.exists()
