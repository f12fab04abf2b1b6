"""A cycle's registrants hear of its cancellation once (registrations/signals.py):
unpublishing the cycle (with or without its sessions) or deleting it mails each person
registered to the cycle's opening one cancellation, not one per session; a session
unpublished or deleted alone mails its registrants a cancellation naming that session
(and its cycle, which goes on); a session whose dates change mails that session's
registrants only."""

from datetime import timedelta
from html import unescape

from django.test import Client, TestCase

from wagtail.actions.unpublish_page import UnpublishPageAction

import pytest

from registrations.models import Opening

from .registrations_helpers import IREV, irev_agenda, open_cycle, register
from .task_worker import run_tasks

PEOPLE = ("alix@exemple.fr", "basile@exemple.fr")


def cycle_with_registrants(network):
    series, events, opening = open_cycle(irev_agenda(network), sessions=3)
    client = Client(HTTP_HOST=IREV)
    for email in PEOPLE:
        assert register(client, opening, email).status_code == 200
    run_tasks()
    return series, events, opening


def subjects(mailoutbox, email):
    # The subjects' colon follows a no-break space (French typography).
    return [m.subject.replace("\u00a0", " ") for m in mailoutbox if m.to == [email]]


@pytest.mark.django_db
@pytest.mark.parametrize("with_sessions", [False, True])
def test_unpublishing_a_cycle_mails_each_registrant_once(network, mailoutbox, with_sessions):
    series, events, opening = cycle_with_registrants(network)
    mailoutbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        UnpublishPageAction(
            series, user=network.user("admin"), include_descendants=with_sessions
        ).execute()
    run_tasks()
    for email in PEOPLE:
        assert subjects(mailoutbox, email) == [f"Événement annulé : {series.title}"]
    assert len(mailoutbox) == len(PEOPLE)


@pytest.mark.django_db
def test_deleting_a_live_cycle_mails_each_registrant_once(network, mailoutbox):
    series, events, opening = cycle_with_registrants(network)
    title = series.title
    mailoutbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        series.delete()
    run_tasks()
    assert not Opening.objects.filter(pk=opening.pk).exists()
    for email in PEOPLE:
        assert subjects(mailoutbox, email) == [f"Événement annulé : {title}"]
    assert len(mailoutbox) == len(PEOPLE)


@pytest.mark.django_db
def test_a_session_deleted_alone_still_mails_its_registrants(network, mailoutbox):
    series, events, opening = cycle_with_registrants(network)
    mailoutbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        events[0].delete()
    run_tasks()
    # Once, naming the session (not a second mail saying the whole cycle is cancelled).
    for email in PEOPLE:
        assert subjects(mailoutbox, email) == [f"Événement annulé : {events[0].title}"]
        [mail] = [m for m in mailoutbox if m.to == [email]]
        assert session_cancelled(events[0], series) in mail.body.replace("\u00a0", " ")


def session_cancelled(session, series) -> str:
    return (
        f"La séance « {session.title} » du cycle « {series.title} », à laquelle vous étiez "
        "inscrit(e), est annulée."
    )


@pytest.mark.django_db
def test_unpublishing_one_session_mails_its_registrants_naming_the_session(network, mailoutbox):
    series, events, opening = cycle_with_registrants(network)
    mailoutbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        UnpublishPageAction(events[1], user=network.user("admin")).execute()
    run_tasks()
    for email in PEOPLE:
        assert subjects(mailoutbox, email) == [f"Événement annulé : {events[1].title}"]
        [mail] = [m for m in mailoutbox if m.to == [email]]
        text = mail.body.replace("\u00a0", " ")
        assert session_cancelled(events[1], series) in text
        # Not the whole cycle: it goes on, and so does the registration to its other
        # sessions, which the personal link still cancels.
        assert f"L’événement « {series.title} »" not in text
        assert events[0].title not in text and events[2].title not in text
        assert "/inscription/annuler/" in text and series.full_url in text
        html = unescape(mail.alternatives[0][0]).replace("\u00a0", " ")
        assert f"« {events[1].title} » du cycle « {series.title} »" in html
    assert len(mailoutbox) == len(PEOPLE)


@pytest.mark.django_db
def test_a_sessions_date_change_mails_that_sessions_registrants_only(network, mailoutbox):
    series, (first, second), opening = open_cycle(
        irev_agenda(network), sessions=2, mode=Opening.EACH
    )
    client = Client(HTTP_HOST=IREV)
    register(client, opening, "premiere@exemple.fr", sessions=[first.pk])
    register(client, opening, "les.deux@exemple.fr", sessions=[first.pk, second.pk])
    run_tasks()
    mailoutbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        second.start_date += timedelta(days=7)
        second.save_revision().publish()
    run_tasks()
    assert subjects(mailoutbox, "les.deux@exemple.fr") == [f"Changement de date : {series.title}"]
    assert subjects(mailoutbox, "premiere@exemple.fr") == []
    changed = next(m for m in mailoutbox if m.to == ["les.deux@exemple.fr"])
    assert second.title in changed.body and first.title not in changed.body
