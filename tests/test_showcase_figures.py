"""Showcase figures for the yearly report: per year, per centre, per section, and CSV."""

import csv
import io
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

import pytest

from agenda.models import EventPage
from publications.models import NewsPage, PublicationPage
from showcase import decisions
from showcase.figures import showcased_counts
from showcase.models import Proposal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_showcase")]


def first_live(model, centre):
    return model.objects.live().descendant_of(centre.home_page).order_by("pk")


@pytest.fixture
def showcased(network):
    coordinator = network.user("coordination")
    irev, oriv = network.centres["irev"], network.centres["oriv"]
    made = [
        decisions.select(first_live(EventPage, irev)[0], coordinator),
        decisions.select(first_live(EventPage, irev)[1], coordinator),
        decisions.select(first_live(PublicationPage, oriv)[0], coordinator),
        decisions.select(first_live(NewsPage, oriv)[0], coordinator),
    ]
    # One from 2023; one withdrawn since (still counted: it was showcased).
    Proposal.objects.filter(pk=made[1].pk).update(
        approved_at=timezone.make_aware(datetime(2023, 5, 1))
    )
    decisions.withdraw(made[3], coordinator)
    # Proposed and declined: never showcased.
    decisions.decline(
        decisions.propose(first_live(PublicationPage, irev)[0], network.user("editeur-irev")),
        coordinator,
        "Non",
    )
    return made


def test_counts_per_year_centre_and_section(network, showcased):
    year = timezone.now().year
    assert sorted(showcased_counts()) == sorted(
        [
            (2023, "IREV", "agenda", 1),
            (year, "IREV", "agenda", 1),
            (year, "ORIV", "news", 1),
            (year, "ORIV", "resources", 1),
        ]
    )
    assert showcased_counts(2023) == [(2023, "IREV", "agenda", 1)]


def test_the_report_and_its_csv(network, showcased):
    client = network.client_for("coordination")
    html = client.get(reverse("showcase_figures")).content.decode()
    assert '<th scope="row">2023</th><td>1</td><td>0</td><td>0</td><td>1</td>' in html
    response = client.get(reverse("showcase_figures_csv"), {"year": "2023"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["année", "centre", "rubrique", "contenus mis en vitrine"],
        ["2023", "IREV", "Agenda", "1"],
    ]
    # A year that is not one is ignored, not an error.
    assert client.get(reverse("showcase_figures"), {"year": "deux"}).status_code == 200


def test_a_centre_editor_cannot_read_the_network_figures(network, showcased):
    client = network.client_for("editeur-irev")
    # Wagtail's refusal: back to the dashboard with "Désolé, vous n'avez pas les autorisations…".
    for name in ("showcase_figures", "showcase_figures_csv"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
