"""Editors' side of the agenda: the "Événements" listing of their own centre's events and
"Copier pour la séance suivante"."""

from datetime import UTC, date, datetime, time

from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from wagtail.documents.models import Document

import pytest

from agenda.models import EventDocument, EventPage

from .test_agenda_helpers import agenda_of, edit_url, make_event, make_series

pytestmark = pytest.mark.django_db


def own_events(centre):
    return set(EventPage.objects.descendant_of(centre.home_page).values_list("pk", flat=True))


# --- the listing ----------------------------------------------------------------------


def test_the_events_listing_shows_an_editor_only_the_centre_events(network):
    crcsur, irev = network.centres["crcsur"], network.centres["irev"]
    draft = make_event(
        agenda_of(crcsur.home_page), "Brouillon CRCSUR", organisers=[crcsur], publish=False
    )
    make_event(agenda_of(irev.home_page), "Événement IREV", organisers=[irev])
    client = network.client_for("editeur-crcsur", host="crcsur.localhost")
    response = client.get(reverse("events:index"))
    assert response.status_code == 200
    listed = {page.pk for page in response.context["object_list"]}
    assert listed == own_events(crcsur) and draft.pk in listed
    html = response.content.decode()
    assert "Brouillon CRCSUR" in html and "Événement IREV" not in html
    assert "Événements" in html


def test_the_coordination_sees_the_network_events_and_the_admin_sees_all(network):
    coordination = network.client_for("coordination").get(reverse("events:index"))
    listed = {page.pk for page in coordination.context["object_list"]}
    assert listed == set(
        EventPage.objects.descendant_of(network.national_home).values_list("pk", flat=True)
    )
    admin = network.client_for("admin").get(reverse("events:index"))
    assert admin.context["items_count"] == EventPage.objects.count()


# --- copy for the next session --------------------------------------------------------


@pytest.fixture
def cycle(network):
    """A series of two IREV sessions a fortnight apart, the second with everything."""
    irev = network.centres["irev"]
    series = make_series(agenda_of(irev.home_page), "Cycle habitat")
    first = make_event(
        series,
        "Habitat n°1",
        slug="habitat-1",
        organisers=[irev],
        start_date=date(2031, 3, 6),
        start_time=time(14),
        end_time=time(16),
    )
    second = make_event(
        series,
        "Habitat n°2",
        slug="habitat-2",
        organisers=[irev, network.centres["oriv"]],
        themes=["habitat"],
        speakers=["Camille Martin"],
        start_date=date(2031, 3, 20),
        start_time=time(14),
        end_time=time(16),
        registration_deadline=date(2031, 3, 18),
        replay_url="https://video.example.org/habitat-2",
        participants_count=40,
    )
    document = Document.objects.create(title="Synthèse", file=ContentFile(b"x", name="s.pdf"))
    second.documents.add(EventDocument(document=document, kind=EventDocument.Kind.SYNTHESIS))
    second.save_revision().publish()
    return series, first, second


def copy_url(event):
    return reverse("agenda_copy_next_session", args=[event.pk])


def test_the_copy_button_is_offered_to_the_centre_editor(network, cycle):
    series, first, second = cycle
    client = network.client_for("editeur-irev", host="irev.localhost")
    assert copy_url(second) in client.get(edit_url(second)).content.decode()
    explorer = client.get(reverse("wagtailadmin_explore", args=[series.pk])).content.decode()
    assert copy_url(first) in explorer and "Copier pour la séance suivante" in explorer


def test_get_asks_for_confirmation_and_creates_nothing(network, cycle):
    series, first, second = cycle
    client = network.client_for("editeur-irev", host="irev.localhost")
    before = EventPage.objects.count()
    response = client.get(copy_url(first))  # any session: the copy follows the latest
    assert response.status_code == 200
    html = response.content.decode()
    assert "Habitat n°2" in html and "14 jours plus tard" in html and "3 avril 2031" in html
    assert 'method="post"' in html
    assert EventPage.objects.count() == before


def test_post_creates_a_draft_one_interval_later_in_the_series(network, cycle):
    series, first, second = cycle
    client = network.client_for("editeur-irev", host="irev.localhost")
    response = client.post(copy_url(first))
    copy = EventPage.objects.child_of(series).exclude(pk__in=[first.pk, second.pk]).get()
    assert response.status_code == 302 and response["Location"] == edit_url(copy)
    assert not copy.live
    assert copy.title == "Habitat n°2"
    assert (copy.start_date, copy.start_time, copy.end_time) == (
        date(2031, 4, 3),
        time(14),
        time(16),
    )
    assert copy.starts_at == datetime(2031, 4, 3, 12, 0, tzinfo=UTC)  # Paris summer time
    assert copy.registration_deadline == date(2031, 4, 1)
    assert copy.replay_url == "" and copy.participants_count is None
    assert copy.documents.count() == 0
    assert {c.slug for c in copy.organisers.all()} == {"irev", "oriv"}
    assert [t.name for t in copy.tags.all()] == ["habitat"]
    assert [s.name for s in copy.speakers.all()] == ["Camille Martin"]
    assert copy.translation_key != second.translation_key  # its own calendar UID
    # The draft's own revision carries the new dates too, and its edit form opens.
    draft = copy.get_latest_revision_as_object()
    assert draft.start_date == date(2031, 4, 3) and draft.replay_url == ""
    assert client.get(edit_url(copy)).status_code == 200
    # The original is untouched.
    second.refresh_from_db()
    assert second.start_date == date(2031, 3, 20) and second.documents.count() == 1


def test_copying_twice_makes_two_successive_sessions(network, cycle):
    series, first, second = cycle
    client = network.client_for("editeur-irev", host="irev.localhost")
    client.post(copy_url(second))
    client.post(copy_url(second))
    dates = list(
        EventPage.objects.child_of(series)
        .order_by("start_date")
        .values_list("start_date", flat=True)
    )
    assert dates == [date(2031, 3, 6), date(2031, 3, 20), date(2031, 4, 3), date(2031, 4, 17)]
    slugs = list(EventPage.objects.child_of(series).values_list("slug", flat=True))
    assert len(set(slugs)) == 4


def test_an_event_outside_a_series_is_copied_one_week_later(network):
    oriv = network.centres["oriv"]
    agenda = agenda_of(oriv.home_page)
    event = make_event(agenda, "Permanence", organisers=[oriv], start_date=date(2031, 1, 15))
    response = network.client_for("editeur-oriv", host="oriv.localhost").post(copy_url(event))
    assert response.status_code == 302
    copy = EventPage.objects.child_of(agenda).get(title="Permanence", live=False)
    assert copy.start_date == date(2031, 1, 22) and copy.slug == "permanence-2"


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_editor_of_another_centre_cannot_copy(network, cycle, method):
    series, first, second = cycle
    client = network.client_for("editeur-oriv", host="oriv.localhost")
    before = EventPage.objects.count()
    response = getattr(client, method)(copy_url(second))
    # Wagtail's way of refusing: back to the dashboard with "permission denied".
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert any("autorisation" in str(m) for m in get_messages(response.wsgi_request))
    assert EventPage.objects.count() == before
    assert copy_url(second) not in client.get(reverse("events:index")).content.decode()


def test_a_visitor_is_sent_to_the_login_page(network, cycle):
    series, first, second = cycle
    before = EventPage.objects.count()
    response = Client(HTTP_HOST="irev.localhost").post(copy_url(second))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert EventPage.objects.count() == before


def test_the_copy_view_answers_404_for_another_page(network):
    client = network.client_for("admin")
    assert client.get(copy_url(agenda_of(network.national_home))).status_code == 404
    assert client.get(reverse("agenda_copy_next_session", args=[999_999])).status_code == 404
