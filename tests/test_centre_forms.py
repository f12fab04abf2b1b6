"""A site's forms (contact, documentation request, accessibility problem) and its
accessibility statement (issue #21): answers mailed to the site's address by the
background worker through a real SMTP server, kept a set time then purged by the
nightly job, spam kept out without a third party (trap field, rate limit)."""

import re
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

import pytest

from centres.models import SiteIdentity
from home.models import AccessibilityStatementPage, FormPage, SiteFormSubmission
from portal.tasks import pending

from .smtp_server import smtp  # noqa: F401  (the fixture)
from .task_worker import run_tasks
from .test_i18n import national_page, translate

pytestmark = pytest.mark.django_db

ANSWER = {
    "nom": "Camille Martin",
    "courriel": "camille@exemple.fr",
    "objet": "Une question",
    "message": "Bonjour, où trouver la synthèse du webinaire ?",
}


def form_of(centre, slug="contact") -> FormPage:
    return FormPage.objects.child_of(centre.home_page).get(slug=slug)


def post(path, data, host="irev.localhost", address="198.51.100.7"):
    return Client(HTTP_HOST=host, REMOTE_ADDR=address).post(path, data)


def test_every_centre_has_a_contact_and_a_documentation_form_and_every_site_a_report_form(
    network,
):
    for centre in network.centres.values():
        slugs = set(FormPage.objects.child_of(centre.home_page).values_list("slug", flat=True))
        assert {"contact", "demande-de-documentation"} <= slugs, centre.slug
        assert "signaler-un-probleme-d-accessibilite" in slugs
    national = FormPage.objects.child_of(network.national_home)
    assert {"contact", "signaler-un-probleme-d-accessibilite"} <= set(
        national.values_list("slug", flat=True)
    )


def test_an_answer_is_kept_and_mailed_to_the_centre_by_the_worker(network, smtp):  # noqa: F811
    irev = network.centres["irev"]
    form = form_of(irev)
    response = post("/contact/", ANSWER)
    assert response.status_code == 200
    assert "Merci" in response.content.decode()
    submission = SiteFormSubmission.objects.get(page=form)
    assert submission.get_data()["message"] == ANSWER["message"]
    assert smtp.messages == []  # not in the visitor's request: queued
    assert pending().exists()
    run_tasks()
    address = SiteIdentity.for_site(irev.site).contact_email
    [mail] = smtp.to(address)
    assert "Nous contacter" in smtp.subject(mail)
    assert ANSWER["message"] in smtp.body(mail) and "Camille Martin" in smtp.body(mail)
    assert mail["Reply-To"] == "camille@exemple.fr"
    submission.refresh_from_db()
    assert submission.mailed_at is not None
    # A task run twice mails once.
    from home.tasks import mail_form_submission

    mail_form_submission.call(submission.pk)
    assert len(smtp.to(address)) == 1


def test_a_documentation_request_goes_to_the_form_s_own_address(network, smtp):  # noqa: F811
    form = form_of(network.centres["oriv"], "demande-de-documentation")
    form.to_address = "documentation@oriv.example.org"
    form.save_revision().publish()
    data = {
        "nom": "Alix",
        "courriel": "alix@exemple.fr",
        "structure": "Ville de Strasbourg",
        "votre_demande": "Les évaluations de contrats de ville depuis 2015.",
    }
    assert post("/demande-de-documentation/", data, host="oriv.localhost").status_code == 200
    run_tasks()
    [mail] = smtp.to("documentation@oriv.example.org")
    assert "contrats de ville depuis 2015" in smtp.body(mail)


def test_a_form_filled_by_a_robot_is_thanked_and_dropped(network, smtp):  # noqa: F811
    response = post("/contact/", {**ANSWER, "site_internet": "http://spam.example/"})
    assert response.status_code == 200 and "Merci" in response.content.decode()
    assert not SiteFormSubmission.objects.exists()
    assert not pending().exists()


def test_the_trap_field_is_out_of_reach_of_people(network):
    html = Client(HTTP_HOST="irev.localhost").get("/contact/").content.decode()
    trap = re.search(r'<div class="trap" aria-hidden="true">.*?</div>', html, re.S).group(0)
    assert 'tabindex="-1"' in trap and 'autocomplete="off"' in trap


def test_a_flood_from_one_address_is_refused(network, settings):
    settings.FORM_LIMIT_PER_CLIENT = 3
    for _ in range(3):
        assert post("/contact/", ANSWER).status_code == 200
    assert post("/contact/", ANSWER).status_code == 429
    assert SiteFormSubmission.objects.count() == 3
    # Another visitor is not held back.
    assert post("/contact/", ANSWER, address="198.51.100.8").status_code == 200


def test_answers_past_their_retention_are_purged_by_the_nightly_job(network):
    form = form_of(network.centres["irev"])
    form.keep_days = 30
    form.save_revision().publish()
    old = SiteFormSubmission.objects.create(page=form, form_data={"nom": "Ancien"})
    recent = SiteFormSubmission.objects.create(page=form, form_data={"nom": "Récent"})
    SiteFormSubmission.objects.filter(pk=old.pk).update(
        submit_time=timezone.now() - timedelta(days=31)
    )
    call_command("purge_form_submissions", stdout=StringIO())
    assert list(SiteFormSubmission.objects.values_list("pk", flat=True)) == [recent.pk]


def main_of(html):
    return html[html.index("<main") : html.index("</main>")]


def test_the_accessibility_statement_follows_the_rgaa_model(network):
    html = Client(HTTP_HOST="irev.localhost").get("/accessibilite/").content.decode()
    main = main_of(html)
    for heading in (
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Non-conformités",
        "Dérogations pour charge disproportionnée",
        "Contenus non soumis à l’obligation d’accessibilité",
        "Établissement de cette déclaration d’accessibilité",
        "Technologies utilisées pour la réalisation du site",
        "Retour d’information et contact",
        "Voies de recours",
    ):
        assert f">{heading}</h" in main, heading
    assert "partiellement conforme" in main
    assert "1er octobre 2026" in main  # the audit's date, as the French write it
    assert "82,5\u00a0% des critères" in main
    assert "critère 13.3" in main
    assert "IREV s’engage" in main
    assert "Défenseur des droits" in main and "Libre réponse 71120" in main
    assert 'href="/signaler-un-probleme-d-accessibilite/"' in main
    assert "contact@irev.example.org" in main


def test_every_page_s_footer_shows_the_site_s_compliance_status(network):
    for path in ("/", "/agenda/", "/contact/"):
        html = Client(HTTP_HOST="irev.localhost").get(path).content.decode()
        footer = html[html.index("<footer") :]
        assert "Accessibilité\u00a0: partiellement conforme</a>" in footer, path
    statement = AccessibilityStatementPage.objects.child_of(network.national_home).get()
    statement.compliance = AccessibilityStatementPage.Compliance.NONE
    statement.save_revision().publish()
    html = Client(HTTP_HOST="localhost").get("/").content.decode()
    assert "Accessibilité\u00a0: non conforme</a>" in html


def test_an_accessibility_problem_is_reported_through_the_site_s_form(network, smtp):  # noqa: F811
    data = {
        "courriel": "sacha@exemple.fr",
        "adresse_de_la_page_concernee": "http://irev.localhost/agenda/",
        "description_du_probleme": "Le filtre des mois ne se lit pas au lecteur d’écran.",
    }
    assert post("/signaler-un-probleme-d-accessibilite/", data).status_code == 200
    run_tasks()
    [mail] = smtp.to("contact@irev.example.org")
    assert "lecteur d’écran" in smtp.body(mail)


def test_english_navigation_marks_french_content_as_french(network):
    translate(national_page(network, "le-reseau"), "The network")
    html = Client(HTTP_HOST="localhost").get("/en/le-reseau/").content.decode()
    menu = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    assert re.search(r'<a href="/en/le-reseau/"(?![^>]*lang=)[^>]*>The network</a>', menu)
    assert re.search(r'<a href="/ressources/" lang="fr"[^>]*>Ressources</a>', menu)
    # The site's tagline and footer text exist in French only.
    assert re.search(r'<p class="site-tagline" lang="fr">', html)
    assert re.search(r'<div lang="fr"><p>Le portail commun', html)
    # The footer's legal pages are translated by the demo seed: English, unmarked.
    legal = re.search(r'<nav aria-label="[^"]*" class="legal-nav">.*?</nav>', html, re.S).group(0)
    assert '<a href="/en/mentions-legales/">Legal notice</a>' in legal
    assert 'lang="fr"' not in legal
    # The French page marks nothing: French is the page's language.
    french = Client(HTTP_HOST="localhost").get("/le-reseau/").content.decode()
    assert 'lang="fr">' not in french.split("<main", 1)[0].split("</head>", 1)[1]
