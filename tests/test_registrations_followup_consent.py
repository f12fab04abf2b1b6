"""The registration form's consent text states how long the details are kept as
`REGISTRATIONS_KEEP_DAYS` says (registrations/forms.py), not a fixed "un an"."""

from django.test import Client, override_settings

import pytest

from registrations.forms import keep_period

from .registrations_helpers import IREV, irev_agenda, open_event


@pytest.mark.parametrize(
    "days, words",
    [
        (365, "un an"),
        (730, "deux ans"),
        (1825, "5 ans"),
        (30, "un mois"),
        (180, "6 mois"),
        (90, "3 mois"),
        (1, "un jour"),
        (400, "400 jours"),
    ],
)
def test_the_keeping_period_in_words(days, words):
    assert keep_period(days) == words


def consent_on_form(opening) -> str:
    page = Client(HTTP_HOST=IREV).get(f"/inscription/{opening.pk}/")
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "days, words",
    [(365, "un an"), (730, "deux ans"), (180, "6 mois"), (45, "45 jours")],
)
def test_the_form_promises_the_configured_keeping_period(network, days, words):
    event, opening = open_event(irev_agenda(network))
    with override_settings(REGISTRATIONS_KEEP_DAYS=days):
        html = consent_on_form(opening)
    assert f"les efface au plus tard {words} après" in html
    if days != 365:
        assert "au plus tard un an" not in html
