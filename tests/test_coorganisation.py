"""Consent between centres (centres.consent): an event or a resource naming another
centre reaches that centre's site (agenda or library, feeds, search, API, OAI-PMH)
only once the centre accepted; its editors are asked by mail and answer in the admin's
"Co-organisations"; the owner is told the answer."""

import re
from html import unescape
from urllib.parse import urlsplit

from django.apps import apps
from django.test import Client
from django.urls import reverse

import pytest

from agenda.models import AgendaPage
from centres.models import CoOrganisation
from publications.models import LibraryPage, WorkingGroupPage

from .factories import EventPageFactory, PublicationPageFactory
from .smtp_server import smtp  # noqa: F401  (the fixture)

Status = CoOrganisation.Status
WORD = "zostère"  # in the titles, found by search; no seeded page has it


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Mail goes once the change is committed; tests run in a transaction that never
    commits, so the callbacks run when this block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def agenda_of(centre):
    return AgendaPage.objects.child_of(centre.home_page).get()


def library_of(centre):
    return LibraryPage.objects.child_of(centre.home_page).get()


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def plain(response) -> str:
    """The page's text without its tags (search results mark the words found)."""
    return re.sub(r"<[^>]+>", "", text(response))


def record(page, centre) -> CoOrganisation:
    return CoOrganisation.objects.get(page=page, centre=centre)


def invite_event(network, committed, owner="crcsur", invited="irev"):
    """An event of `owner`'s agenda naming `invited`, published by the owner's editor."""
    with committed():
        event = EventPageFactory(
            parent=agenda_of(network.centres[owner]),
            title=f"Rencontre {WORD} commune",
            organisers=[network.centres[owner], network.centres[invited]],
            agreed=False,
            live=False,
        )
        # Published by the owner's editor, as from the admin.
        event.save_revision(user=network.user(f"editeur-{owner}")).publish()
    return event


def api_titles(path, centre) -> list[str]:
    titles, offset = [], 0
    while True:
        response = Client(HTTP_HOST="localhost").get(
            path, {"centre": centre, "limit": 20, "offset": offset}
        )
        assert response.status_code == 200, response.content
        batch = [item["title"] for item in response.json()["items"]]
        titles += batch
        if len(batch) < 20:
            return titles
        offset += 20


def named_organisers(event) -> list[str]:
    url = urlsplit(event.full_url)
    page = text(Client(HTTP_HOST=url.netloc).get(url.path))
    found = re.search(r"Organisation</dt><dd>(.*?)</dd>", page)
    return found.group(1).split(", ") if found else []


def where_irev_shows(title) -> dict[str, bool]:
    """Every place that lists IREV's events, and whether `title` is there."""
    irev = Client(HTTP_HOST="irev.localhost")
    portal = Client(HTTP_HOST="localhost")
    api = api_titles("/api/v2/events/", "irev")
    return {
        "agenda": title in text(irev.get("/agenda/")),
        "ical": title in text(irev.get("/agenda/ical/")),
        "rss": title in text(irev.get("/agenda/rss/")),
        "atom": title in text(irev.get("/agenda/atom/")),
        "portal agenda filtered by centre": title in text(portal.get("/agenda/?centre=irev")),
        "centre's search": title in plain(irev.get("/recherche/", {"q": WORD})),
        "portal search filtered by centre": title
        in plain(portal.get("/recherche/", {"q": WORD, "centre": "irev"})),
        "API filtered by centre": title in api,
    }


def decide(network, username, page, centre, action, host="localhost"):
    url = reverse(f"co_organisation_{action}", args=[record(page, centre).pk])
    return network.client_for(username, host=host).post(url)


# --- the flow ----------------------------------------------------------------------------


def test_an_invited_centre_shows_the_event_only_once_it_accepts(network, committed, smtp):
    event = invite_event(network, committed)
    irev, crcsur = network.centres["irev"], network.centres["crcsur"]
    assert record(event, irev).status == Status.PENDING
    assert record(event, crcsur).status == Status.ACCEPTED  # the owner
    assert not any(where_irev_shows(event.title).values()), where_irev_shows(event.title)
    # ...while the owner's site and the network's agenda show it.
    assert event.title in text(Client(HTTP_HOST="crcsur.localhost").get("/agenda/"))
    assert event.title in text(Client(HTTP_HOST="localhost").get("/agenda/"))

    # The event's page names the organisers that agreed only.
    assert named_organisers(event) == ["CRCSUR"]

    # IREV's editors were asked, once, through the SMTP server.
    asked = smtp.to("editeur-irev@example.org")
    assert len(asked) == 1
    assert event.title in smtp.subject(asked[0])
    assert "/admin/co-organisations/" in smtp.body(asked[0])
    assert not smtp.to("editeur-oriv@example.org")

    with committed():
        response = decide(network, "editeur-irev", event, irev, "accept")
    assert response.status_code == 302
    assert record(event, irev).status == Status.ACCEPTED
    assert record(event, irev).decided_by == network.user("editeur-irev")
    assert all(where_irev_shows(event.title).values()), where_irev_shows(event.title)
    assert sorted(named_organisers(event)) == sorted([irev.name, crcsur.name])
    told = smtp.to("editeur-crcsur@example.org")
    assert len(told) == 1 and "accepté" in smtp.body(told[0])


def test_a_declined_event_never_shows_and_the_owner_is_told(network, committed, smtp):
    event = invite_event(network, committed)
    irev = network.centres["irev"]
    with committed():
        assert decide(network, "editeur-irev", event, irev, "decline").status_code == 302
    assert record(event, irev).status == Status.DECLINED
    # Published again, still named: still not on IREV's site, and nobody asked again.
    with committed():
        event.save_revision(user=network.user("editeur-crcsur")).publish()
    assert not any(where_irev_shows(event.title).values())
    assert len(smtp.to("editeur-irev@example.org")) == 1
    told = smtp.to("editeur-crcsur@example.org")
    assert len(told) == 1 and "refusé" in smtp.body(told[0])
    assert event.title in smtp.subject(told[0])


def test_an_editor_naming_their_own_centre_answers_for_it(network, committed, smtp):
    """A working group's event on the national site, published by gt-sante's account
    (an editor of the pilot centre): the pilot agrees by publishing, the group's other
    centres agreed by taking part in it, a centre outside the group is asked."""
    space = WorkingGroupPage.objects.get(slug="sante")
    pilot = space.pilots.first()
    in_group = {c.pk for r in (space.pilots, space.co_pilots, space.members) for c in r.all()}
    member = next(c for _, c in sorted(network.centres.items()) if c.pk in in_group - {pilot.pk})
    other = next(c for _, c in sorted(network.centres.items()) if c.pk not in in_group)
    with committed():
        event = EventPageFactory(
            parent=space,
            title=f"Atelier {WORD} santé",
            organisers=[pilot, member, other],
            agreed=False,
            live=False,
        )
        event.save_revision(user=network.user("gt-sante")).publish()
    assert record(event, pilot).status == Status.ACCEPTED
    assert record(event, member).status == Status.ACCEPTED
    assert record(event, other).status == Status.PENDING
    assert smtp.to(f"editeur-{other.slug}@example.org")
    assert not smtp.to(f"editeur-{pilot.slug}@example.org")
    assert not smtp.to(f"editeur-{member.slug}@example.org")
    # The member centre may still decline, from its list, like any invitation.
    listing = text(network.client_for(f"editeur-{member.slug}").get("/admin/co-organisations/"))
    assert event.title in listing and "Refuser" in listing
    with committed():
        decide(network, f"editeur-{member.slug}", event, member, "decline")
    assert record(event, member).status == Status.DECLINED


def test_a_co_signed_resource_reaches_the_co_author_library_once_accepted(network, committed):
    irev = network.centres["irev"]
    with committed():
        publication = PublicationPageFactory(
            parent=library_of(network.centres["crcsur"]),
            title=f"Guide {WORD} partagé",
            authors=[network.centres["crcsur"], irev],
            agreed=False,
        )
    irev_site = Client(HTTP_HOST="irev.localhost")
    portal = Client(HTTP_HOST="localhost")

    def shown():
        oai = text(
            portal.get(
                "/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "centre:irev"}
            )
        )
        return {
            "library": publication.title in text(irev_site.get("/ressources/")),
            "rss": publication.title in text(irev_site.get("/ressources/rss/")),
            "portal library by centre": publication.title
            in text(portal.get("/ressources/?centre=irev")),
            "search": publication.title in plain(irev_site.get("/recherche/", {"q": WORD})),
            "API": publication.title in api_titles("/api/v2/publications/", "irev"),
            "OAI set": publication.title in oai,
        }

    assert not any(shown().values()), shown()
    with committed():
        decide(network, "editeur-irev", publication, irev, "accept")
    assert all(shown().values()), shown()


def test_a_centre_is_named_in_public_only_once_it_agreed(network, committed):
    """On the owner's cards and pages, in the JSON-LD, the API's `centres` and OAI's
    Dublin Core: IREV is not named while it has not answered, nor after declining."""
    irev = network.centres["irev"]
    event = invite_event(network, committed)
    with committed():
        publication = PublicationPageFactory(
            parent=library_of(network.centres["crcsur"]),
            title=f"Guide {WORD} cosigné",
            authors=[network.centres["crcsur"], irev],
            agreed=False,
        )
    owner = Client(HTTP_HOST="crcsur.localhost")
    portal = Client(HTTP_HOST="localhost")

    def names_of_irev() -> dict[str, bool]:
        def api_centres(path, title):
            items = portal.get(path, {"search": WORD, "fields": "centres"}).json()["items"]
            return [c["slug"] for item in items if item["title"] == title for c in item["centres"]]

        oai = text(
            portal.get(
                "/oai/",
                {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "centre:crcsur"},
            )
        )
        at = oai.index(publication.title)
        record_xml = oai[oai.rindex("<record>", 0, at) : oai.index("</record>", at)]
        card = text(owner.get("/agenda/"))
        card = card[card.index(event.title) :].split("</li>")[0]
        library_card = text(owner.get("/ressources/"))
        library_card = library_card[library_card.index(publication.title) :].split("</li>")[0]
        return {
            "agenda card": irev.name in card,
            "event page": irev.name in named_organisers(event),
            "event JSON-LD": irev.long_name in text(owner.get(urlsplit(event.full_url).path)),
            "library card": irev.name in library_card,
            "publication page": irev.long_name
            in text(owner.get(urlsplit(publication.full_url).path)),
            "API events": "irev" in api_centres("/api/v2/events/", event.title),
            "API publications": "irev" in api_centres("/api/v2/publications/", publication.title),
            "OAI creator": irev.long_name in record_xml,
            "OAI set of the record": "centre:irev" in record_xml,
        }

    assert not any(names_of_irev().values()), names_of_irev()
    with committed():
        decide(network, "editeur-irev", event, irev, "accept")
        decide(network, "editeur-irev", publication, irev, "accept")
    assert all(names_of_irev().values()), names_of_irev()
    with committed():
        decide(network, "editeur-irev", event, irev, "decline")
        decide(network, "editeur-irev", publication, irev, "decline")
    assert not any(names_of_irev().values()), names_of_irev()


def test_the_dashboard_and_the_list_show_what_waits(network, committed):
    event = invite_event(network, committed)
    html = text(network.client_for("editeur-irev").get("/admin/"))
    assert "1 invitation attend la réponse de votre centre." in html
    listing = text(network.client_for("editeur-irev").get("/admin/co-organisations/"))
    assert event.title in listing and "Accepter" in listing and "Refuser" in listing
    sent = text(network.client_for("editeur-crcsur").get("/admin/co-organisations/"))
    assert event.title in sent and "Accepter" not in sent
    other = text(network.client_for("editeur-oriv").get("/admin/co-organisations/"))
    assert event.title not in other
    # Once answered, nothing waits.
    decide(network, "editeur-irev", event, network.centres["irev"], "accept")
    assert "attend" not in text(network.client_for("editeur-irev").get("/admin/"))


# --- who may do what ------------------------------------------------------------------


def group_member_outside(network, *centres):
    """A gt-<group> account whose centre is none of `centres`."""
    for space in WorkingGroupPage.objects.order_by("slug"):
        pilot = space.pilots.first()
        if pilot is not None and pilot.slug not in centres:
            return f"gt-{space.slug}"
    raise AssertionError("no group member outside these centres")


ROLES = ["editeur-crcsur", "editeur-oriv", "editeur-irev", "coordination", "group", None]
# role -> outcome of (list, accept, decline), on an event of CRCSUR's naming IREV:
# "ok" (the list, or the answer saved and back to the list), "refused" (the admin's
# permission refusal: back to the dashboard with a message), "login".
EXPECTED = {
    "editeur-crcsur": ("ok", "refused", "refused"),  # the owner: cannot answer for IREV
    "editeur-oriv": ("ok", "refused", "refused"),  # another centre, not invited
    "editeur-irev": ("ok", "ok", "ok"),  # the invited centre
    "coordination": ("ok", "refused", "refused"),  # sees all; consent is the centre's
    "group": ("ok", "refused", "refused"),  # a working group's member (another centre)
    None: ("login", "login", "login"),  # anonymous
}


def outcome(response, action) -> str:
    if response.status_code == 200 and action == "list":
        return "ok"
    assert response.status_code == 302, response.status_code
    if "/login/" in response.url:
        return "login"
    if response.url == reverse("wagtailadmin_home"):
        return "refused"
    assert response.url == reverse("co_organisations")
    return "ok"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["list", "accept", "decline"])
def test_permission_matrix(network, committed, role, action):
    event = invite_event(network, committed)
    irev = network.centres["irev"]
    username = group_member_outside(network, "irev", "crcsur") if role == "group" else role
    client = network.client_for(username) if username else Client(HTTP_HOST="localhost")
    if action == "list":
        response = client.get("/admin/co-organisations/")
    else:
        url = reverse(f"co_organisation_{action}", args=[record(event, irev).pk])
        assert client.get(url).status_code in (405, 302)  # never a GET
        response = client.post(url)
    assert outcome(response, action) == EXPECTED[role][["list", "accept", "decline"].index(action)]
    answered = {"accept": Status.ACCEPTED, "decline": Status.DECLINED}
    if role == "editeur-irev" and action in answered:
        assert record(event, irev).status == answered[action]
    else:
        assert record(event, irev).status == Status.PENDING
    # The owner's own record is nobody's to decline.
    owner = record(event, network.centres["crcsur"])
    if action == "decline":
        url = reverse("co_organisation_decline", args=[owner.pk])
        assert outcome(client.post(url), action) == ("login" if role is None else "refused")
        assert record(event, network.centres["crcsur"]).status == Status.ACCEPTED


def test_an_unknown_invitation_is_not_found(network):
    client = network.client_for("editeur-irev")
    assert client.post(reverse("co_organisation_accept", args=[999999])).status_code == 404


# --- the seeded network and existing sites -------------------------------------------------


def test_the_demo_has_an_accepted_and_a_pending_co_organisation(network):
    others = [r for r in CoOrganisation.objects.select_related("page", "centre")]
    owners = {c.pk: c.home_page.path for c in network.centres.values()}
    invited = [r for r in others if not r.page.path.startswith(owners[r.centre_id])]
    assert {r.status for r in invited} >= {Status.ACCEPTED, Status.PENDING}
    pending = [r for r in invited if r.status == Status.PENDING]
    assert [(r.centre.slug) for r in pending] == ["oriv"]
    html = text(network.client_for("editeur-oriv").get("/admin/co-organisations/"))
    assert pending[0].page.title in html


def test_the_migration_accepts_every_existing_co_organisation(network):
    """Sites do not change on upgrade: every centre already named agreed."""
    from importlib import import_module

    from agenda.models import EventPage

    migration = import_module("centres.migrations.0004_accept_existing_co_organisations")
    named = set(EventPage.organisers.through.objects.values_list("eventpage_id", "centre_id"))
    CoOrganisation.objects.all().delete()
    migration.accept_existing(apps, None)
    accepted = set(
        CoOrganisation.objects.filter(status=Status.ACCEPTED).values_list("page_id", "centre_id")
    )
    assert named and named <= accepted
