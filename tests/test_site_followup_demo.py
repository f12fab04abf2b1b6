"""The demo shows what a centre's site does (issue #21 follow-up), read on the seeded
network as tests/test_seed.py does: the 2023 four-webinar equality cycle as a series,
an event that left a replay and a synthesis, publications with their documents and
covers."""

from datetime import date

import pytest

from agenda.models import Attendance, EventDocument, EventPage, EventSeriesPage
from publications.models import PublicationPage

from .test_agenda_helpers import fetch

pytestmark = pytest.mark.django_db


def html_of(page) -> str:
    response = fetch(page.full_url)
    assert response.status_code == 200, page.full_url
    return response.content.decode()


def test_the_2023_equality_cycle_is_a_series_of_four_webinars():
    series = EventSeriesPage.objects.live().get(
        title="Femmes des quartiers populaires\u00a0: cycle de webinaires 2023"
    )
    # In the working group's space.
    assert series.get_parent().specific_class.__name__ == "WorkingGroupPage"
    assert series.get_parent().title == "Égalité femmes-hommes"
    sessions = list(series.sessions())
    assert len(sessions) == 4
    assert all(session.start_date.year == 2023 for session in sessions)
    assert all(session.attendance == Attendance.ONLINE for session in sessions)
    assert all(session.event_format.name.lower() == "webinaire" for session in sessions)
    assert len({session.start_date for session in sessions}) == 4
    html = html_of(series)
    assert "4\u00a0séances" in html or "4 séances" in html
    for session in sessions:
        assert session.title in html


def test_an_event_left_its_replay_and_its_synthesis():
    events = (
        EventPage.objects.live()
        .exclude(replay_url="")
        .filter(documents__kind=EventDocument.Kind.SYNTHESIS)
        .distinct()
    )
    assert events.exists()
    event = events.first()
    assert event.start_date < date.today()
    synthesis = event.documents.get(kind=EventDocument.Kind.SYNTHESIS).document
    assert synthesis.file_size and synthesis.file_extension.lower() == "pdf"
    html = html_of(event)
    assert "Voir le replay (vidéo)" in html
    assert f'href="{synthesis.url}"' in html and "synthèse" in html


def test_demo_publications_have_their_documents_and_covers():
    with_documents = list(PublicationPage.objects.live().filter(documents__isnull=False).distinct())
    # Each centre's latest resource comes with its PDF.
    assert len(with_documents) >= 19
    for publication in with_documents:
        document = publication.documents.first().document
        assert document.file_size, publication.title
        # Its cover: the editor's image or the first page of its document.
        cover = publication.cover
        assert cover is not None, publication.title
        assert cover.image.file and cover.image.width > 0, publication.title
    publication = with_documents[0]
    html = html_of(publication)
    document = publication.documents.first().document
    assert f'href="{document.url}"' in html
    assert "<img" in html[html.index("<main") : html.index("</main>")]
