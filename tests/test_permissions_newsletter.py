"""The newsletter's cells of the permission matrix (tests/test_permissions.py): every
role × action × scope on lists, letters and subscribers, through the real admin views,
asserting the answer and its effect (done when allowed, nothing done when refused).

A centre's editors work on their own site's newsletter only; the coordination on the
national portal's (the network's letter) and reads every site's figures, but sees no
centre's subscribers (personal data: the export is for the site's own editors)."""

import re

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wagtail.test.utils.form_data import nested_form_data, streamfield

import pytest

from newsletter.models import Letter, Subscriber, Subscription

from .newsletter_helpers import confirmed_subscribers, letter_for, monthly

pytestmark = pytest.mark.django_db

ADMIN, COORDINATION, EDITOR, ANONYMOUS = "admin", "coordination", "editeur-irev", "anonyme"
ROLES = (ADMIN, COORDINATION, EDITOR, ANONYMOUS)
SCOPES = ("irev", "oriv", "national")
ACTIONS = (
    "list_letters",  # the scope's letter in the Lettres listing
    "edit_letter",  # GET then POST its edit form with a new subject
    "send_letter",  # POST "Envoyer" on its sending page
    "preview_letter",  # its HTML preview
    "list_subscribers",  # the scope's subscriber in the Abonnés listing
    "export",  # the scope's subscribers as CSV
    "import",  # a CSV imported into the scope's monthly list
    "edit_list",  # POST the scope's monthly list with a new name
    "figures",  # the scope's list in Lettres : chiffres
)
Y, N = True, False
# fmt: off
TABLE = {
    ADMIN: {action: (Y, Y, Y) for action in ACTIONS},
    COORDINATION: {
        "list_letters":     (N, N, Y),
        "edit_letter":      (N, N, Y),
        "send_letter":      (N, N, Y),
        "preview_letter":   (N, N, Y),
        "list_subscribers": (N, N, Y),
        "export":           (N, N, Y),
        "import":           (N, N, Y),
        "edit_list":        (N, N, Y),
        "figures":          (Y, Y, Y),
    },
    EDITOR: {
        "list_letters":     (Y, N, N),
        "edit_letter":      (Y, N, N),
        "send_letter":      (Y, N, N),
        "preview_letter":   (Y, N, N),
        "list_subscribers": (Y, N, N),
        "export":           (Y, N, N),
        "import":           (Y, N, N),
        "edit_list":        (Y, N, N),
        "figures":          (Y, N, N),
    },
    ANONYMOUS: {action: (N, N, N) for action in ACTIONS},
}
# fmt: on
EXPECTED = {
    (role, action, scope): allowed
    for role, rows in TABLE.items()
    for action, cells in rows.items()
    for scope, allowed in zip(SCOPES, cells, strict=True)
}


def test_the_table_has_exactly_one_answer_per_cell():
    assert set(EXPECTED) == {(r, a, s) for r in ROLES for a in ACTIONS for s in SCOPES}


class Cell:
    def __init__(self, network, role, scope):
        self.role = role
        site = (
            network.national_site
            if scope == "national"
            else network.centres[scope].home_page.get_site()
        )
        self.site = site
        self.list = monthly(site)
        self.letter = letter_for(self.list, f"Lettre confidentielle {scope}")
        [self.subscriber] = confirmed_subscribers(self.list, 1, prefix=f"abonne-{scope}-")
        self.client = Client()
        if role != ANONYMOUS:
            self.client.force_login(get_user_model().objects.get(username=role))


def refused(response):
    """Wagtail's refusals: a redirect (dashboard or login) or a 403/404."""
    return response.status_code in (302, 403, 404)


def check_list_letters(cell, allowed):
    response = cell.client.get(reverse("wagtailsnippets_newsletter_letter:list"))
    shown = response.status_code == 200 and cell.letter.subject in response.content.decode()
    assert shown == allowed


def check_edit_letter(cell, allowed):
    url = reverse("wagtailsnippets_newsletter_letter:edit", args=[cell.letter.pk])
    form = cell.client.get(url)
    response = cell.client.post(
        url,
        nested_form_data(
            {"mailing_list": cell.list.pk, "subject": "Objet changé", "body": streamfield([])}
        ),
    )
    cell.letter.refresh_from_db()
    assert (cell.letter.subject == "Objet changé") == allowed, response.status_code
    if allowed:
        assert form.status_code == 200
    else:
        assert refused(form) and refused(response)


def check_send_letter(cell, allowed):
    response = cell.client.post(reverse("newsletter_letter_send", args=[cell.letter.pk]))
    cell.letter.refresh_from_db()
    assert (cell.letter.status != Letter.DRAFT) == allowed
    if not allowed:
        assert refused(response)


def check_preview_letter(cell, allowed):
    response = cell.client.get(reverse("newsletter_letter_html", args=[cell.letter.pk]))
    assert (response.status_code == 200) == allowed
    if allowed:
        assert cell.letter.subject in response.content.decode()


def check_list_subscribers(cell, allowed):
    response = cell.client.get(reverse("wagtailsnippets_newsletter_subscriber:list"))
    shown = response.status_code == 200 and cell.subscriber.email in response.content.decode()
    assert shown == allowed


def check_export(cell, allowed):
    response = cell.client.get(reverse("newsletter_export", args=[cell.site.pk]))
    if allowed:
        assert response.status_code == 200
        assert cell.subscriber.email in response.content.decode()
    else:
        assert refused(response)


def check_import(cell, allowed):
    upload = SimpleUploadedFile(
        "contacts.csv", b"email,date_consentement\nimporte@exemple.fr,2024-01-15\n"
    )
    response = cell.client.post(
        reverse("newsletter_import"), {"mailing_list": cell.list.pk, "file": upload}
    )
    imported = Subscription.objects.filter(
        mailing_list=cell.list, subscriber__email="importe@exemple.fr"
    ).exists()
    assert imported == allowed, response.status_code


def check_edit_list(cell, allowed):
    url = reverse("wagtailsnippets_newsletter_mailinglist:edit", args=[cell.list.pk])
    response = cell.client.post(
        url, {"site": cell.site.pk, "name": "Nom changé", "description": "", "active": "on"}
    )
    cell.list.refresh_from_db()
    assert (cell.list.name == "Nom changé") == allowed, response.status_code


def check_figures(cell, allowed):
    response = cell.client.get(reverse("newsletter_figures"))
    # Lists are named "<list> (<site name>)" on the figures page.
    shown = response.status_code == 200 and str(cell.list) in response.content.decode()
    assert shown == allowed


CHECKS = {action: globals()[f"check_{action}"] for action in ACTIONS}


@pytest.mark.parametrize(
    ("role", "action", "scope"),
    list(EXPECTED),
    ids=[f"{role}-{action}-{scope}" for role, action, scope in EXPECTED],
)
def test_matrix(network, role, action, scope):
    CHECKS[action](Cell(network, role, scope), EXPECTED[(role, action, scope)])


def test_an_import_with_one_bad_line_imports_nothing_and_says_which(network):
    site = network.centres["irev"].home_page.get_site()
    mailing_list = monthly(site)
    client = network.client_for(EDITOR)
    upload = SimpleUploadedFile(
        "contacts.csv",
        b"email;date_consentement;nom;profil\n"
        b"un@exemple.fr;2024-01-15;Un;Association\n"
        b"pas-une-adresse;2024-01-15;Deux;\n"
        b"trois@exemple.fr;demain;Trois;\n"
        b"un@exemple.fr;2024-01-15;Encore;\n"
        b"quatre@exemple.fr;2024-01-15;Quatre;Inconnu\n",
    )
    response = client.post(
        reverse("newsletter_import"), {"mailing_list": mailing_list.pk, "file": upload}
    )
    assert response.status_code == 400
    report = response.content.decode()
    for line in ("ligne 3", "ligne 4", "ligne 5", "ligne 6"):
        assert line in report
    assert not Subscriber.objects.filter(site=site).exists()
    good = SimpleUploadedFile(
        "contacts.csv",
        b"email,date_consentement,profil\nun@exemple.fr,2024-01-15,Association\n",
    )
    response = client.post(
        reverse("newsletter_import"), {"mailing_list": mailing_list.pk, "file": good}
    )
    assert response.status_code == 200
    subscription = Subscription.objects.get(subscriber__email="un@exemple.fr")
    assert subscription.status == Subscription.CONFIRMED
    assert subscription.confirmed_at.date().isoformat() == "2024-01-15"
    assert (
        subscription.source == Subscription.IMPORT and "contacts.csv" in subscription.consent_text
    )
    assert subscription.subscriber.profile.name == "Association"


def test_the_export_neutralises_formulas(network):
    site = network.centres["irev"].home_page.get_site()
    [person] = confirmed_subscribers(monthly(site), 1)
    person.name = '=HYPERLINK("http://x")'
    person.save()
    response = network.client_for(EDITOR).get(reverse("newsletter_export", args=[site.pk]))
    assert "'=HYPERLINK" in response.content.decode()


def test_an_editor_cannot_put_a_letter_or_a_list_on_another_site(network):
    oriv = monthly(network.centres["oriv"].home_page.get_site())
    client = network.client_for(EDITOR)
    form = client.get(reverse("wagtailsnippets_newsletter_letter:add")).content.decode()
    assert str(oriv.pk) not in re.findall(r'<option value="(\d+)"', form)
    response = client.post(
        reverse("wagtailsnippets_newsletter_letter:add"),
        nested_form_data(
            {"mailing_list": oriv.pk, "subject": "Intrusion", "body": streamfield([])}
        ),
    )
    assert response.status_code == 200  # the form again, with its error
    assert not Letter.objects.filter(subject="Intrusion").exists()
    response = client.post(
        reverse("wagtailsnippets_newsletter_mailinglist:add"),
        {"site": oriv.site_id, "name": "Liste intruse", "description": "", "active": "on"},
    )
    assert not oriv.site.mailing_lists.filter(name="Liste intruse").exists()


def test_the_figures_count_subscribers_over_time_by_profile_and_per_letter(network):
    from django.utils import timezone

    from newsletter.figures import list_figures
    from newsletter.models import Delivery, LinkClick, Profile

    site = network.centres["irev"].home_page.get_site()
    mailing_list = monthly(site)
    people = confirmed_subscribers(mailing_list, 3)
    elected = Profile.objects.get(name="Élu·e")
    Subscriber.objects.filter(pk=people[0].pk).update(profile=elected)
    Subscription.objects.filter(subscriber=people[2]).update(
        status=Subscription.UNSUBSCRIBED, unsubscribed_at=timezone.now()
    )
    letter = letter_for(mailing_list, "Lettre comptée")
    Letter.objects.filter(pk=letter.pk).update(status=Letter.SENT, sent_at=timezone.now())
    Delivery.objects.create(letter=letter, subscriber=people[0], status=Delivery.SENT)
    Delivery.objects.create(letter=letter, subscriber=people[1], status=Delivery.BOUNCED)
    LinkClick.objects.create(letter=letter, url="http://irev.localhost/a/", clicks=4)
    figures = list_figures(mailing_list)
    assert figures["subscribers"] == 2 and figures["unsubscribed"] == 1
    assert figures["series"][-1]["subscribers"] == 2
    assert sorted(figures["by_profile"]) == [("", 1), ("Élu·e", 1)]
    [sent] = [row for row in figures["letters"] if row.pk == letter.pk]
    assert (sent.sent, sent.bounced, sent.failed, sent.clicks) == (1, 1, 0, 4)
    page = network.client_for(EDITOR).get(reverse("newsletter_figures")).content.decode()
    assert "Lettre comptée" in page and "Élu·e" in page
