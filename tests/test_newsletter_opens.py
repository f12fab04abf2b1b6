"""Opens measured only with the reader's consent (newsletter/, docs/newsletter.md): a
list measures nothing unless its editors turn it on; then the subscription form asks, in
a box of its own never ticked in advance; only the consenting readers' mails carry the
measuring image (with a link withdrawing the consent); the first showing counts once;
after a withdrawal the next letters carry no image and earlier images count nothing.
Through the suite's real SMTP server."""

import re

from django.test import Client

import pytest

from newsletter.figures import list_figures
from newsletter.models import Delivery, Subscription
from newsletter.sending import schedule

from .newsletter_helpers import confirmed_subscribers, letter_for, links, monthly, part, path_of
from .smtp_server import smtp  # noqa: F401
from .task_worker import run_tasks

IREV = "irev.localhost"
IMAGE = re.compile(r'<img src="(http://irev\.localhost/lettre/ouverture/[^"]+\.gif)"[^>]*>')

pytestmark = pytest.mark.django_db


@pytest.fixture
def irev_list(network):
    return monthly(network.centres["irev"].home_page.get_site())


def subscribe_and_confirm(client, smtp, email, mailing_list, **extra):
    response = client.post("/lettre/", {"email": email, "lists": [mailing_list.pk], **extra})
    assert response.status_code == 302, response.content.decode()[-2000:]
    run_tasks()
    [mail] = smtp.to(email)
    [link] = [url for url in links(part(mail, "text/plain")) if "/lettre/confirmer/" in url]
    assert client.post(path_of(link)).status_code == 200
    return Subscription.objects.get(subscriber__email=email, mailing_list=mailing_list)


def letter_html(smtp, email, subject):
    [mail] = [m for m in smtp.to(email) if smtp.subject(m) == subject]
    return part(mail, "text/html")


def test_a_list_measures_no_opens_unless_its_editors_turn_it_on(irev_list, smtp):
    form = Client(HTTP_HOST=IREV).get("/lettre/").content.decode()
    assert 'name="opens"' not in form and "ouverture" not in form
    [reader] = confirmed_subscribers(irev_list, 1)
    schedule(letter_for(irev_list, "Sans mesure"))
    run_tasks()
    html = letter_html(smtp, reader.email, "Sans mesure")
    assert "/lettre/ouverture/" not in html and "<img" not in html
    assert not Delivery.objects.filter(measured=True).exists()


def test_only_consenting_readers_are_measured_once_until_they_withdraw(irev_list, smtp):
    irev_list.count_opens = True
    irev_list.save()
    client = Client(HTTP_HOST=IREV)
    form = client.get("/lettre/").content.decode()
    [box] = re.findall(r'<input type="checkbox" name="opens"[^>]*>', form)
    assert "checked" not in box  # never ticked in advance
    assert f'<label for="id_opens">{irev_list.opens_consent_text}</label>' in form.replace(
        "&#x27;", "'"
    )
    alice = subscribe_and_confirm(client, smtp, "alice@exemple.fr", irev_list, opens="on")
    bob = subscribe_and_confirm(client, smtp, "bob@exemple.fr", irev_list)
    assert alice.opens_consent_at and irev_list.opens_consent_text == alice.opens_consent_text
    assert bob.opens_consent_at is None

    schedule(letter_for(irev_list, "Lettre de mai"))
    run_tasks()
    html = letter_html(smtp, "alice@exemple.fr", "Lettre de mai")
    [image] = IMAGE.findall(html)
    assert re.search(r'<img src="[^"]+\.gif" width="1" height="1" alt=""', html)
    [withdraw] = [url for url in links(html) if url.endswith("/retirer/")]
    assert not IMAGE.search(letter_html(smtp, "bob@exemple.fr", "Lettre de mai"))

    # The first showing counts; showing it again (or a proxy fetching it) does not.
    for _time in range(2):
        shown = Client(HTTP_HOST=IREV).get(path_of(image))
        assert shown.status_code == 200 and shown["Content-Type"] == "image/gif"
        assert "no-cache" in shown["Cache-Control"]
    [may] = [sent for sent in list_figures(irev_list)["letters"] if sent.subject == "Lettre de mai"]
    assert (may.sent, may.measured, may.opened, may.open_rate) == (2, 1, 1, 100.0)

    # Withdrawing: a page with a button (a link scanner withdraws nothing), then a POST.
    assert client.get(path_of(withdraw)).status_code == 200
    alice.refresh_from_db()
    assert alice.opens_consent_at is not None
    done = client.post(path_of(withdraw))
    assert done.status_code == 200 and "n’est plus mesurée" in done.content.decode()
    alice.refresh_from_db()
    assert alice.opens_consent_at is None and alice.status == Subscription.CONFIRMED

    schedule(letter_for(irev_list, "Lettre de juin"))
    run_tasks()
    assert not IMAGE.search(letter_html(smtp, "alice@exemple.fr", "Lettre de juin"))
    # An earlier letter's image, shown after the withdrawal, counts nothing.
    Delivery.objects.update(opened_at=None)
    assert Client(HTTP_HOST=IREV).get(path_of(image)).status_code == 200
    assert not Delivery.objects.filter(opened_at__isnull=False).exists()
    [june] = [
        sent for sent in list_figures(irev_list)["letters"] if sent.subject == "Lettre de juin"
    ]
    assert (june.sent, june.measured, june.opened, june.open_rate) == (2, 0, 0, None)


def test_a_forged_measuring_link_is_refused(irev_list):
    client = Client(HTTP_HOST=IREV)
    assert client.get("/lettre/ouverture/12:forged.gif").status_code == 404
    assert client.post("/lettre/ouverture/12:forged/retirer/").status_code == 400


def test_the_consent_is_not_given_by_filling_the_form_for_a_confirmed_reader(irev_list, smtp):
    """Anybody can type someone's address: on a confirmed subscription the form changes
    nothing, the consent to measuring included."""
    irev_list.count_opens = True
    irev_list.save()
    [reader] = confirmed_subscribers(irev_list, 1)
    client = Client(HTTP_HOST=IREV)
    client.post("/lettre/", {"email": reader.email, "lists": [irev_list.pk], "opens": "on"})
    run_tasks()
    subscription = Subscription.objects.get(subscriber=reader)
    assert subscription.opens_consent_at is None and subscription.opens_consent_text == ""
