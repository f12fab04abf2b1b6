"""Dates and times typed in the admin are read as the editor typed them, in the French
ways of writing them, or refused with a form error: never replaced by something else.
The event's edit form is posted through the test client as a browser would post it."""

import json
import re
from datetime import date, time

from django.urls import reverse

import pytest

from agenda.models import EventPage

from .admin_forms import admin_form_data


def irev_event(network):
    """An IREV event in its agenda (not in a series), with times."""
    return (
        EventPage.objects.descendant_of(network.centres["irev"].home_page)
        .filter(start_time__isnull=False, depth=network.centres["irev"].home_page.depth + 2)
        .order_by("pk")
        .first()
    )


def post_event(network, event, **changes):
    client = network.client_for("editeur-irev")
    url = reverse("wagtailadmin_pages:edit", args=[event.pk])
    form = client.get(url).context["form"]
    fields = {"end_date": "", "end_time": "", "registration_deadline": "", **changes}
    return client.post(url, admin_form_data(form, **{"action-publish": "action-publish"}, **fields))


@pytest.mark.parametrize("typed", ["16/03/2027", "2027-03-16", "16/03/27", "16-03-2027"])
def test_a_date_is_read_as_typed(network, typed):
    event = irev_event(network)
    response = post_event(network, event, start_date=typed, start_time="09:30")
    assert response.status_code == 302, response.context["form"].errors
    event.refresh_from_db()
    assert event.start_date == date(2027, 3, 16)


@pytest.mark.parametrize(
    "typed, read",
    [
        ("14:30", time(14, 30)),
        ("14h30", time(14, 30)),
        ("14 h 30", time(14, 30)),
        ("14H30", time(14, 30)),
        ("9h05", time(9, 5)),
        ("14 h", time(14, 0)),
        ("14:30:00", time(14, 30)),
    ],
)
def test_a_time_is_read_as_typed(network, typed, read):
    event = irev_event(network)
    response = post_event(network, event, start_date="16/03/2027", start_time=typed)
    assert response.status_code == 302, response.context["form"].errors
    event.refresh_from_db()
    assert event.start_time == read


@pytest.mark.parametrize(
    "field, typed",
    [
        ("start_date", "demain"),
        ("start_date", "2027-13-45"),
        ("start_date", "31/02/2027"),
        ("start_date", "16 mars"),
        ("start_time", "25:00"),
        ("start_time", "14 h 30 environ"),
        ("start_time", "quatorze heures"),
        ("start_time", "14:75"),
    ],
)
def test_what_cannot_be_read_is_refused_with_a_form_error(network, field, typed):
    event = irev_event(network)
    before = (event.start_date, event.start_time, event.latest_revision_id)
    values = {"start_date": "16/03/2027", "start_time": "14:30", field: typed}
    response = post_event(network, event, **values)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    # The editor's text is shown back as typed, for them to correct.
    assert f'value="{typed}"' in response.content.decode()
    event.refresh_from_db()
    assert (event.start_date, event.start_time, event.latest_revision_id) == before


def test_the_form_shows_dates_and_times_in_french_and_the_pickers_keep_typed_text(network):
    event = irev_event(network)
    post_event(network, event, start_date="2027-03-16", start_time="14 h 30")
    client = network.client_for("editeur-irev")
    html = client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).content.decode()
    assert re.search(r'name="start_date"[^>]*value="16/03/2027"', html)
    assert re.search(r'name="start_time"[^>]*value="14:30"', html)
    # Wagtail's pickers replace what they cannot read with "now" when the field loses
    # focus, unless told not to (portal/widgets.py). Each picker's configuration:
    configs = re.findall(r'init(?:Date|Time)Chooser\("id_(\w+)", (\{.*?\})\);', html)
    pickers = {name: json.loads(config) for name, config in configs}
    assert {"start_date", "start_time", "end_date", "end_time"} <= set(pickers)
    assert all(config["validateOnBlur"] is False for config in pickers.values()), pickers


@pytest.mark.usefixtures("empty_showcase")
def test_the_featured_until_date_shows_as_the_coordinator_typed_it(network):
    """Featured "until 16/03/2027 (inclusive)" is stored as the end of that day; the
    admin's lists and the form shown again say 16 March, not the 17th."""
    from django.utils.dateformat import format as date_format

    from showcase import decisions

    event = (
        EventPage.objects.live()
        .descendant_of(network.centres["irev"].home_page)
        .order_by("pk")
        .first()
    )
    proposal = decisions.propose(event, network.user("editeur-irev"))
    coordination = network.client_for("coordination")
    response = coordination.post(
        reverse("showcase_decide", args=[proposal.pk, "feature"]),
        {"order": "1", "until": "16/03/2027"},
    )
    assert response.status_code == 302
    shown = date_format(date(2027, 3, 16), "j F Y")  # "16 mars 2027"
    for name in ["showcase_queue", "showcase_mine"]:
        client = coordination if name == "showcase_queue" else network.client_for("editeur-irev")
        assert f"jusqu’au {shown}" in client.get(reverse(name)).content.decode().replace(
            "&#x27;", "’"
        ).replace("'", "’")
    again = coordination.get(reverse("showcase_decide", args=[proposal.pk, "feature"]))
    assert re.search(r'name="until"[^>]*value="16/03/2027"', again.content.decode())
