"""Subscribing (newsletter/, docs/newsletter.md): the double opt-in journey through a
real SMTP server, the same answer for a known address, signed and expiring links, and
hostile input (header injection, long and unicode addresses, floods, forged tokens):
a 4xx or a form error, nothing stored, nothing sent."""

from urllib.parse import quote

from django.core import signing
from django.test import Client

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from newsletter.models import Subscriber, Subscription
from newsletter.tokens import CONFIRM_SALT
from portal.tasks import pending

from .newsletter_helpers import links, monthly, part, path_of
from .smtp_server import smtp  # noqa: F401
from .task_worker import run_tasks

IREV = "irev.localhost"


def subscribe(client, email, **extra):
    return client.post("/lettre/", {"email": email, **extra})


@pytest.fixture
def irev_list(network):
    return monthly(network.centres["irev"].home_page.get_site())


@pytest.mark.django_db
def test_the_double_opt_in_journey(network, irev_list, smtp):
    client = Client(HTTP_HOST=IREV)
    page = client.get("/lettre/")
    assert page.status_code == 200
    assert "Lettre mensuelle" in page.content.decode()
    response = subscribe(
        client, "Camille@Exemple.fr", name="Camille", lists=[irev_list.pk], organisation="Ville"
    )
    assert response.status_code == 302 and response["Location"] == "/lettre/merci/"
    subscription = Subscription.objects.get(subscriber__email="camille@exemple.fr")
    assert (
        subscription.status == Subscription.PENDING and "désinscrire" in subscription.consent_text
    )
    run_tasks()
    [mail] = smtp.to("camille@exemple.fr")
    assert "Confirmez" in smtp.subject(mail)
    [link] = [url for url in links(part(mail, "text/plain")) if "/lettre/confirmer/" in url]
    assert link.startswith("http://irev.localhost/")
    # Following the link shows a button: a link scanner confirms nothing.
    assert client.get(path_of(link)).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.PENDING
    confirmed = client.post(path_of(link))
    assert confirmed.status_code == 200 and "Lettre mensuelle" in confirmed.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.CONFIRMED and subscription.confirmed_at
    # Twice: nothing changes; subscribing again: the same answer, no new mail.
    at = subscription.confirmed_at
    assert client.post(path_of(link)).status_code == 200
    again = subscribe(client, "camille@exemple.fr", lists=[irev_list.pk], name="Autre nom")
    assert again.status_code == 302 and again["Location"] == response["Location"]
    run_tasks()
    assert len(smtp.to("camille@exemple.fr")) == 1
    subscription.refresh_from_db()
    assert subscription.confirmed_at == at
    assert Subscriber.objects.get(email="camille@exemple.fr").name == "Camille"


@pytest.mark.django_db
def test_the_footer_form_subscribes_to_the_monthly_list(network, irev_list):
    client = Client(HTTP_HOST=IREV)
    home = client.get("/").content.decode()
    assert 'action="/lettre/"' in home and 'name="email"' in home
    # The footer posts the address alone: the site's monthly letter.
    response = client.post("/lettre/", {"email": "pied@exemple.fr"})
    assert response.status_code == 302
    subscription = Subscription.objects.get(subscriber__email="pied@exemple.fr")
    assert subscription.mailing_list == irev_list
    # The full form with no list ticked is an error.
    response = client.post("/lettre/", {"email": "autre@exemple.fr", "name": ""})
    assert response.status_code == 400
    assert "Choisissez au moins une lettre" in response.content.decode()


@pytest.mark.django_db
def test_an_expired_or_forged_link_confirms_nothing(network, irev_list, settings):
    client = Client(HTTP_HOST=IREV)
    subscribe(client, "lent@exemple.fr", lists=[irev_list.pk])
    person = Subscriber.objects.get(email="lent@exemple.fr")
    settings.NEWSLETTER_CONFIRM_DAYS = -1  # every link is already too old
    expired = signing.dumps([person.pk, [irev_list.pk]], salt=CONFIRM_SALT, compress=True)
    response = client.post(f"/lettre/confirmer/{expired}/")
    assert response.status_code == 400 and "expiré" in response.content.decode()
    settings.NEWSLETTER_CONFIRM_DAYS = 7
    forged = signing.dumps([person.pk, [irev_list.pk]], salt="autre", compress=True)
    for token in (forged, expired[:-3] + "abc", "x" * 5000, "%00"):
        assert client.post(f"/lettre/confirmer/{token}/").status_code in (400, 404)
    assert client.post("/lettre/desinscription/1-1:forged/").status_code == 400
    assert Subscription.objects.get(subscriber=person).status == Subscription.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email",
    [
        "victime@exemple.fr\r\nBcc: autre@exemple.fr",
        "victime@exemple.fr\nSubject: spam",
        "a" * 250 + "@exemple.fr",
        "élodie@exemple.fr",
        "pas-une-adresse",
        "",
    ],
)
def test_hostile_addresses_are_form_errors_and_nothing_is_stored(network, irev_list, email):
    before = pending().count()
    response = subscribe(Client(HTTP_HOST=IREV), email, lists=[irev_list.pk])
    assert response.status_code == 400
    assert not Subscriber.objects.filter(site=irev_list.site).exists()
    assert pending().count() == before


@pytest.mark.django_db
def test_hostile_names_and_unknown_lists_are_refused(network, irev_list):
    other = monthly(network.centres["crcsur"].home_page.get_site())
    client = Client(HTTP_HOST=IREV)
    assert subscribe(client, "a@exemple.fr", lists=[other.pk]).status_code == 400
    assert subscribe(client, "a@exemple.fr", lists=["x"]).status_code == 400
    assert subscribe(client, "a@exemple.fr", lists=[irev_list.pk], name="A\r\nB").status_code == 400
    assert (
        subscribe(client, "a@exemple.fr", lists=[irev_list.pk], name="n" * 500).status_code == 400
    )
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_floods_are_limited_per_client_and_per_address(network, irev_list, settings):
    settings.NEWSLETTER_LIMIT_PER_CLIENT = 3
    settings.NEWSLETTER_LIMIT_PER_ADDRESS = 2
    client = Client(HTTP_HOST=IREV)
    answers = [
        subscribe(client, f"flot{n}@exemple.fr", lists=[irev_list.pk]).status_code for n in range(5)
    ]
    assert answers == [302, 302, 302, 429, 429]
    assert Subscriber.objects.count() == 3
    # One address asked for from many clients: a few confirmation mails, then 429.
    answers = [
        subscribe(
            Client(HTTP_HOST=IREV, REMOTE_ADDR=f"10.0.0.{n}"),
            "cible@exemple.fr",
            lists=[irev_list.pk],
        ).status_code
        for n in range(4)
    ]
    assert answers == [302, 302, 429, 429]
    tasks_for_target = [
        row
        for row in pending()
        if row.args_kwargs["args"][0] == Subscriber.objects.get(email="cible@exemple.fr").pk
    ]
    assert len(tasks_for_target) == 2


# --- generated hostile input (as tests/test_generated_input.py does for GET parameters)

GENERATED = examples(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
texts = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40).map(lambda t: t + "@exemple.fr"),
    st.sampled_from(["a@b.fr\r\nBcc: c@d.fr", "\x00", "x" * 5000, "=cmd|' /C calc'!A0", "@", ""]),
)


@pytest.mark.django_db
@examples(GENERATED, max_examples=150)
@given(email=texts, name=texts, organisation=texts, lists=st.lists(texts, max_size=3))
def test_the_subscription_form_takes_generated_values(network, email, name, organisation, lists):
    from django.core.cache import cache

    cache.clear()  # the rate limits are not what this test is about
    site_lists = list(
        monthly(network.centres["irev"].home_page.get_site()).site.mailing_lists.all()
    )
    before = Subscriber.objects.count()
    response = Client(HTTP_HOST=IREV, raise_request_exception=True).post(
        "/lettre/",
        {
            "email": email,
            "name": name,
            "organisation": organisation,
            "lists": lists or [site_lists[0].pk],
        },
    )
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        assert Subscriber.objects.count() == before
    else:
        stored = Subscriber.objects.order_by("-pk").first()
        assert "\n" not in stored.email + stored.name + stored.organisation
        assert len(stored.email) <= 254


@pytest.mark.django_db
@examples(GENERATED, max_examples=150)
@given(token=st.text(max_size=400), kind=st.sampled_from(["confirmer", "desinscription", "lien"]))
def test_the_signed_links_take_generated_tokens(network, token, kind):
    client = Client(HTTP_HOST=IREV, raise_request_exception=True)
    path = f"/lettre/{kind}/{quote(token, safe='')}/"
    for response in (client.get(path), client.post(path)):
        assert response.status_code in (400, 404, 405), (path, response.status_code)
    assert not Subscription.objects.filter(status=Subscription.CONFIRMED).exists()
