"""A working group's member (the demo's `gt-<group>`: an editor of the group's pilot
centre and a member of the group) works in the admin from the group's pages: the page
explorer opens there, the dashboard counts their pages only, uploads default to the
group's collection. A centre's editor is unchanged."""

import json
import re
from html import unescape

from wagtail.models import Collection, Page

import pytest

from publications.models import WorkingGroupPage

GROUP = "sante"


@pytest.fixture
def space(network):
    return WorkingGroupPage.objects.get(slug=GROUP)


@pytest.fixture
def member(network):
    return network.client_for(f"gt-{GROUP}")


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def explorer_start(page_html) -> int:
    """The page the sidebar's "Pages" explorer opens at (its props, as Wagtail packs them)."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        page_html,
        re.S,
    )
    assert props, "the sidebar's props"
    text = json.dumps(json.loads(props.group(1)))
    found = re.search(r'"name": "explorer".*?"url": "[^"]*"\}, (\d+)\]', text)
    assert found, text[:2000]
    return int(found.group(1))


def test_a_group_member_lands_on_the_group_pages(network, member, space):
    start = explorer_start(html(member.get("/admin/")))
    assert start == space.pk
    listing = html(member.get(f"/admin/pages/{start}/"))
    assert space.title in listing
    assert "Pages created here will not be accessible" not in listing
    # Their centre's tree stays theirs to explore.
    pilot = space.pilots.first()
    assert member.get(f"/admin/pages/{pilot.home_page_id}/").status_code == 200
    # A centre's editor still starts at their centre's home page.
    editor = network.client_for("editeur-irev")
    assert explorer_start(html(editor.get("/admin/"))) == network.centres["irev"].home_page_id


def test_the_dashboard_counts_only_their_pages(network, member, space):
    pilot = space.pilots.first()
    theirs = (
        Page.objects.descendant_of(space, inclusive=True).count()
        + Page.objects.descendant_of(pilot.home_page, inclusive=True).count()
    )
    everything = Page.objects.count() - 1  # Wagtail's count leaves out the tree's Root
    dashboard = html(member.get("/admin/"))
    assert f"{theirs} pages sur lesquelles vous travaillez" in dashboard
    assert f"{everything} Pages" not in dashboard
    assert f'href="/admin/pages/{space.pk}/"' in dashboard


def selected_collection(page_html) -> int:
    select = re.search(
        r'<select id="id_add\w+_collection" name="collection">(.*?)</select>', page_html, re.S
    )
    assert select, "a collection to choose"
    chosen = re.findall(r'<option value="(\d+)"\s*selected', select.group(1))
    assert len(chosen) == 1, select.group(1)
    return int(chosen[0])


@pytest.mark.parametrize("kind", ["images", "documents"])
def test_uploads_default_to_the_group_collection(network, member, space, kind):
    group_collection = Collection.objects.get(name=f"Groupe de travail · {space.title}")
    page = html(member.get(f"/admin/{kind}/multiple/add/"))
    assert selected_collection(page) == group_collection.pk
    # A collection chosen in the address (the listing filtered by collection) is kept.
    centre_collection = space.pilots.first().collection
    page = html(member.get(f"/admin/{kind}/multiple/add/?collection_id={centre_collection.pk}"))
    assert selected_collection(page) == centre_collection.pk
    # A centre's editor has one collection: nothing to choose, as before.
    editor = network.client_for("editeur-irev")
    assert 'name="collection"' not in html(editor.get(f"/admin/{kind}/multiple/add/"))
