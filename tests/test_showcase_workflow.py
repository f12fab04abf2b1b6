"""A centre's two-step publication: off by default (each editor publishes in autonomy);
once a centre turns it on, a writer submits and one of its validators publishes, with
Wagtail's workflows. Other centres are not affected."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail.models import WorkflowState

import pytest

from publications.models import NewsPage
from showcase import workflows
from tests.admin_forms import admin_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_showcase")]


@pytest.fixture
def validator(network):
    """A second IREV editor, who will validate."""
    user = get_user_model().objects.create_user("validatrice-irev", "validatrice@example.org", "x")
    user.groups.add(network.centres["irev"].editors_group)
    return user


def news_of(network, slug):
    return NewsPage.objects.descendant_of(network.centres[slug].home_page).order_by("pk").first()


def post_edit(client, page, action, **changes):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form = client.get(url).context["form"]
    return client.post(url, admin_form_data(form, **{action: action}, **changes))


def enable(client, network, *validators):
    return client.post(
        reverse("showcase_workflow", args=["irev"]),
        {"enabled": "on", "validators": [u.pk for u in validators]},
    )


def test_by_default_an_editor_publishes_in_autonomy(network):
    irev = network.centres["irev"]
    assert not workflows.is_enabled(irev) and irev.home_page.get_workflow() is None
    page = news_of(network, "irev")
    post_edit(network.client_for("editeur-irev"), page, "action-publish", title="Publié seul")
    page.refresh_from_db()
    assert page.live and page.title == "Publié seul" and not page.has_unpublished_changes


def test_turning_it_on_needs_a_validator(network):
    response = network.client_for("editeur-irev").post(
        reverse("showcase_workflow", args=["irev"]), {"enabled": "on"}
    )
    assert response.status_code == 400 and "au moins un validateur" in response.content.decode()
    assert not workflows.is_enabled(network.centres["irev"])


def test_a_writer_submits_and_the_centres_validator_publishes(network, validator):
    irev = network.centres["irev"]
    writer = network.client_for("editeur-irev")
    assert enable(writer, network, validator).status_code == 302
    workflow = irev.home_page.get_workflow()
    assert workflow is not None and workflow.active
    task = workflow.tasks.get().specific
    assert [g.name for g in task.groups.all()] == ["Validateurs · IREV"]

    page = news_of(network, "irev")
    post_edit(writer, page, "action-publish", title="Sans relecture")
    page.refresh_from_db()
    assert page.title != "Sans relecture"  # the writer may no longer publish
    post_edit(writer, page, "action-submit", title="Relu et validé")
    page.refresh_from_db()
    state = WorkflowState.objects.get(
        base_content_type__isnull=False,
        object_id=str(page.pk),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )
    assert page.title != "Relu et validé"

    checker = network.client_for("validatrice-irev")
    response = checker.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": ""},
    )
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live and page.title == "Relu et validé"


def test_other_centres_still_publish_in_autonomy(network, validator):
    enable(network.client_for("editeur-irev"), network, validator)
    page = news_of(network, "oriv")
    post_edit(network.client_for("editeur-oriv"), page, "action-publish", title="ORIV publie")
    page.refresh_from_db()
    assert page.title == "ORIV publie"


def test_only_a_validator_turns_it_off_and_editors_publish_again(network, validator):
    writer = network.client_for("editeur-irev")
    enable(writer, network, validator)
    url = reverse("showcase_workflow", args=["irev"])
    refused = writer.post(url, {})
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    assert workflows.is_enabled(network.centres["irev"])

    assert network.client_for("validatrice-irev").post(url, {}).status_code == 302
    assert not workflows.is_enabled(network.centres["irev"])
    page = news_of(network, "irev")
    post_edit(writer, page, "action-publish", title="De nouveau en autonomie")
    page.refresh_from_db()
    assert page.title == "De nouveau en autonomie"


def test_another_centres_editor_cannot_touch_its_workflow(network):
    response = network.client_for("editeur-oriv").post(
        reverse("showcase_workflow", args=["irev"]), {"enabled": "on"}
    )
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert not workflows.is_enabled(network.centres["irev"])
