"""No registrant's data in the task queue (registrations/mails.py): django-tasks-db keeps
every task's arguments in its table, so the registrations' tasks get ids only and
rebuild the mail from the database when they run (an editor's message and the mail of
a deleted event wait in a `Notice` row, deleted once sent); the daily job deletes the
finished results of these tasks."""

import json
from io import StringIO

from django.core.management import call_command
from django.test import Client, TestCase

import pytest
from django_tasks_db.models import DBTaskResult

from registrations.models import Notice, Registrant
from registrations.tokens import cancel_token

from .registrations_helpers import IREV, irev_agenda, open_event, register
from .task_worker import run_tasks

PEOPLE = {
    "zoe.introuvable@exemple.fr": "Zoé Introuvable",
    "partie.avant@exemple.fr": "Dominique Partie",
    "supprime.aussi@exemple.fr": "Claude Supprimé",
}


def registrations_tasks():
    return DBTaskResult.objects.filter(task_path__startswith="registrations.")


def queued_text() -> str:
    return json.dumps(
        [[row.args_kwargs, row.return_value] for row in registrations_tasks()],
        ensure_ascii=False,
    )


@pytest.mark.django_db
def test_the_task_rows_hold_no_address_nor_name_and_are_forgotten(network, mailoutbox):
    agenda = irev_agenda(network)
    event, opening = open_event(agenda)
    doomed, doomed_opening = open_event(agenda)
    client = Client(HTTP_HOST=IREV)
    for email in ("zoe.introuvable@exemple.fr", "partie.avant@exemple.fr"):
        register(client, opening, email, name=PEOPLE[email])
    register(
        client,
        doomed_opening,
        "supprime.aussi@exemple.fr",
        name=PEOPLE["supprime.aussi@exemple.fr"],
    )
    editor = network.client_for("editeur-irev")
    with TestCase.captureOnCommitCallbacks(execute=True):
        editor.post(
            f"/admin/inscriptions/{opening.pk}/message/",
            {"subject": "Salle changée", "body": "Rendez-vous salle B."},
        )
    with TestCase.captureOnCommitCallbacks(execute=True):
        doomed.delete()  # its registrants go with it: told it is cancelled
    # 3 confirmations, 2 messages; the deletion: the unpublication's mail (rebuilt from
    # the registrant when sent: gone by then) and the deletion's notice.
    assert registrations_tasks().count() == 7
    text = queued_text()
    for email, name in PEOPLE.items():
        assert email not in text and name not in text
    assert "Rendez-vous salle B" not in text and "/inscription/annuler/" not in text

    # Cancelled before the worker ran: the message to them is not sent.
    gone = Registrant.objects.get(email="partie.avant@exemple.fr")
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/inscription/annuler/{cancel_token(gone.pk)}/")
    mailoutbox.clear()
    run_tasks()
    sent = {(m.to[0], m.subject): m.body for m in mailoutbox}
    # Zoé's confirmation and message, the deleted event's mail once.
    assert len(mailoutbox) == len(sent) == 3
    message = sent[("zoe.introuvable@exemple.fr", "Salle changée")]
    zoe = Registrant.objects.get(email="zoe.introuvable@exemple.fr")
    assert "Rendez-vous salle B." in message and cancel_token(zoe.pk) in message
    assert ("partie.avant@exemple.fr", "Salle changée") not in sent
    assert ("supprime.aussi@exemple.fr", f"Événement annulé : {doomed.title}") in sent
    assert not Notice.objects.exists()

    call_command("registrations_daily", stdout=StringIO())
    assert not registrations_tasks().exists()
