"""Proposing from the admin, the moderation queue and its decisions: each recorded in
Wagtail's audit log and notified to the centre's editors (mail, dashboard), direct
selection, and bad input answered with a reason."""

from datetime import timedelta
from html import unescape

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry, PageLogEntry

import pytest

from agenda.models import EventPage
from publications.models import PublicationPage
from showcase import decisions
from showcase.models import Proposal, Status
from tests.admin_forms import admin_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_showcase")]


@pytest.fixture
def event(network):
    return (
        EventPage.objects.live()
        .descendant_of(network.centres["irev"].home_page)
        .filter(ends_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )


@pytest.fixture
def editor(network):
    return network.client_for("editeur-irev")


@pytest.fixture
def coordination(network):
    return network.client_for("coordination")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Mail goes once the decision is committed; tests run in a transaction that never
    commits, so the callbacks run when this block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def text(response) -> str:
    return unescape(response.content.decode())


def irev_editor_addresses(network):
    return sorted([u.email] for u in network.centres["irev"].editors_group.user_set.all())


def last_message(response) -> str:
    return str(list(response.context["messages"])[-1])


def propose_url(page):
    return reverse("showcase_propose", args=[page.pk])


def decide_url(proposal, action):
    return reverse("showcase_decide", args=[proposal.pk, action])


def test_an_editor_proposes_a_published_event_with_a_note(network, editor, event, committed):
    form = editor.get(propose_url(event))
    assert form.status_code == 200 and 'name="note"' in form.content.decode()
    with committed():
        response = editor.post(propose_url(event), {"note": "Ouvert aux autres régions"})
    assert response.status_code == 302 and response.url == reverse("showcase_mine")

    proposal = Proposal.objects.get(page=event)
    assert (proposal.status, proposal.centre, proposal.section, proposal.note) == (
        Status.PENDING,
        network.centres["irev"],
        "agenda",
        "Ouvert aux autres régions",
    )
    assert proposal.proposed_by == network.user("editeur-irev")
    # The coordination hears of it; the audit log has it, on the proposal and the page.
    assert [m.to for m in mail.outbox] == [["coordination@example.org"]]
    assert ModelLogEntry.objects.filter(
        action="showcase.propose", object_id=str(proposal.pk)
    ).exists()
    entry = PageLogEntry.objects.get(action="showcase.propose", page=event)
    assert entry.user == network.user("editeur-irev")
    assert entry.data["note"] == "Ouvert aux autres régions"


def test_the_edit_view_and_the_listing_offer_the_action(network, editor, event):
    edit = editor.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).content.decode()
    assert propose_url(event) in edit  # in the page's action menu and header buttons
    listing = editor.get(reverse("wagtailadmin_explore", args=[event.get_parent().pk]))
    assert propose_url(event) in listing.content.decode()


def test_publishing_offers_to_propose_right_away(network, editor, event):
    edit = editor.get(reverse("wagtailadmin_pages:edit", args=[event.pk]))
    data = admin_form_data(
        edit.context["form"], **{"action-publish": "action-publish", "summary": "Résumé revu"}
    )
    response = editor.post(reverse("wagtailadmin_pages:edit", args=[event.pk]), data, follow=True)
    assert response.status_code == 200
    messages = [str(m.message) for m in response.context["messages"]]
    assert any(propose_url(event) in m for m in messages), messages


def test_a_draft_or_an_item_already_proposed_cannot_be_proposed(network, editor, event):
    event.unpublish()
    response = editor.post(propose_url(event), {"note": ""})
    assert response.status_code == 400 and "Publiez d’abord" in text(response)
    assert not Proposal.objects.exists()
    event.save_revision().publish()
    editor.post(propose_url(event), {"note": ""})
    again = editor.post(propose_url(event), {"note": ""})
    assert again.status_code == 400 and "déjà proposé" in text(again)
    assert Proposal.objects.count() == 1


def test_only_items_of_the_three_kinds_can_be_proposed(network, editor):
    home = network.centres["irev"].home_page
    assert editor.post(propose_url(home), {"note": ""}).status_code == 400
    assert editor.post(reverse("showcase_propose", args=[999999]), {}).status_code == 404


def test_the_queue_lists_centre_type_date_preview_and_note(network, coordination, event):
    decisions.propose(event, network.user("editeur-irev"), note="À relayer avant mars")
    html = text(coordination.get(reverse("showcase_queue")))
    pending = html[html.index('id="showcase-pending"') : html.index("Sur la page d’accueil")]
    for shown in (
        "IREV",
        "Agenda",
        "À relayer avant mars",
        event.full_url,
        timezone.localtime(Proposal.objects.get().proposed_at).strftime("%Y"),
    ):
        assert shown in pending


def test_approve_logs_and_notifies_the_centre_editors(network, coordination, event, committed):
    proposal = decisions.propose(event, network.user("editeur-irev"))
    with committed():
        response = coordination.post(decide_url(proposal, "approve"))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED and proposal.approved_at is not None
    assert proposal.decided_by == network.user("coordination")
    # Every editor of IREV (its pilot of the Santé group too), nobody else.
    assert sorted(m.to for m in mail.outbox) == irev_editor_addresses(network)
    assert ["editeur-irev@example.org"] in [m.to for m in mail.outbox]
    assert "acceptée" in mail.outbox[0].subject
    assert PageLogEntry.objects.filter(action="showcase.approve", page=event).exists()
    # ... and in the admin: the editor's dashboard and the centre's list.
    editor = network.client_for("editeur-irev")
    dashboard = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert "acceptée" in dashboard[dashboard.index('id="showcase-section"') :]
    mine = editor.get(reverse("showcase_mine")).content.decode()
    assert 'data-status="approved"' in mine


def test_feature_with_an_order_and_an_end_date(network, coordination, event, committed):
    proposal = decisions.propose(event, network.user("editeur-irev"))
    until = timezone.localdate() + timedelta(days=7)
    with committed():
        response = coordination.post(
            decide_url(proposal, "feature"), {"order": "2", "until": until.isoformat()}
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.is_featured and proposal.featured_order == 2
    assert timezone.localtime(proposal.featured_until).date() == until + timedelta(days=1)
    assert "mise en avant" in mail.outbox[-1].subject
    entry = PageLogEntry.objects.get(action="showcase.feature", page=event)
    assert entry.data["featured_order"] == "2"


@pytest.mark.parametrize(
    "data, error",
    [
        ({"order": "1", "until": "2001-01-01"}, "Choisissez une date à venir."),
        ({"order": "0", "until": "2099-01-01"}, "supérieure ou égale à 1"),
        ({"order": "1", "until": "demain"}, "Saisissez une date valide."),
    ],
)
def test_feature_refuses_bad_input_with_a_reason(network, coordination, event, data, error):
    proposal = decisions.propose(event, network.user("editeur-irev"))
    response = coordination.post(decide_url(proposal, "feature"), data)
    assert response.status_code == 400 and error in text(response)
    proposal.refresh_from_db()
    assert proposal.status == Status.PENDING


def test_decline_needs_a_reason_which_the_centre_receives(network, coordination, event, committed):
    proposal = decisions.propose(event, network.user("editeur-irev"))
    missing = coordination.post(decide_url(proposal, "decline"), {"reason": ""})
    assert missing.status_code == 400 and "Champ requis." in text(missing)
    with committed():
        coordination.post(decide_url(proposal, "decline"), {"reason": "Déjà relayé en janvier"})
    proposal.refresh_from_db()
    assert proposal.status == Status.DECLINED and proposal.reason == "Déjà relayé en janvier"
    assert "Déjà relayé en janvier" in mail.outbox[-1].body
    logged = PageLogEntry.objects.get(action="showcase.decline")
    assert logged.data["reason"] == "Déjà relayé en janvier"
    # Declined: the centre may propose it again later.
    assert network.client_for("editeur-irev").post(propose_url(event), {}).status_code == 302


def test_withdraw_takes_an_item_off_and_a_decision_on_a_closed_proposal_is_refused(
    network, coordination, event
):
    proposal = decisions.approve(
        decisions.propose(event, network.user("editeur-irev")), network.user("coordination")
    )
    coordination.post(decide_url(proposal, "withdraw"), {"reason": "Événement reporté"})
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    assert ModelLogEntry.objects.filter(action="showcase.withdraw").exists()
    response = coordination.post(decide_url(proposal, "approve"), follow=True)
    assert "désormais" in last_message(response)
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN
    assert coordination.post(decide_url(proposal, "publish")).status_code == 404


def test_the_coordinator_selects_any_published_item_directly(network, coordination, committed):
    publication = (
        PublicationPage.objects.live().descendant_of(network.centres["oriv"].home_page).first()
    )
    listing = coordination.get(reverse("showcase_select"), {"q": publication.title[:20]})
    assert publication.full_url in listing.content.decode()
    with committed():
        coordination.post(reverse("showcase_select"), {"page": publication.pk})
    proposal = Proposal.objects.get(page=publication)
    assert proposal.status == Status.APPROVED and proposal.centre == network.centres["oriv"]
    assert [m.to for m in mail.outbox] == [["editeur-oriv@example.org"]]
    # Selected once: no longer among the candidates, and a second post changes nothing.
    again = coordination.post(reverse("showcase_select"), {"page": publication.pk}, follow=True)
    assert "déjà sélectionné" in last_message(again)
    assert Proposal.objects.count() == 1


def test_every_decision_has_a_label_in_the_audit_log(network):
    from wagtail.log_actions import registry

    for action in (
        decisions.PROPOSE,
        decisions.SELECT,
        decisions.APPROVE,
        decisions.FEATURE,
        decisions.DECLINE,
        decisions.WITHDRAW,
    ):
        assert registry.action_exists(action)


def test_every_admin_screen_renders_for_its_users(network, coordination, editor, event):
    proposal = decisions.propose(event, network.user("editeur-irev"))
    for url in (
        reverse("showcase_queue"),
        reverse("showcase_select"),
        reverse("showcase_select") + "?section=news",
        reverse("showcase_figures"),
        reverse("showcase_workflow_index"),
        reverse("showcase_workflow", args=["oriv"]),
        decide_url(proposal, "feature"),
        decide_url(proposal, "decline"),
        decide_url(proposal, "withdraw"),
        reverse("showcase_mine"),
    ):
        assert coordination.get(url).status_code == 200, url
    index = editor.get(reverse("showcase_workflow_index"))
    assert index.status_code == 302 and index.url == reverse("showcase_workflow", args=["irev"])
    for url in (
        index.url,
        propose_url(event),
        reverse("showcase_mine"),
        decide_url(proposal, "withdraw"),
    ):
        assert editor.get(url).status_code == 200, url
    # The menu shows each role its own entries.
    coordination_menu = text(coordination.get(reverse("wagtailadmin_home")))
    editor_menu = text(editor.get(reverse("wagtailadmin_home")))
    assert reverse("showcase_queue") in coordination_menu
    assert reverse("showcase_queue") not in editor_menu and reverse("showcase_mine") in editor_menu
