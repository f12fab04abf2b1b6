"""The library's page types: where each can be created, that each renders on the national
portal and on a centre's site, the working groups as seeded, `/publication/<slug>`,
JSON-LD, and the working group a publication belongs to."""

import json
import re
from datetime import date
from html import unescape

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from wagtail.models import Collection, GroupPagePermission

import pytest

from agenda.models import EventPage
from demo.seed.data import network as network_data
from home.models import ContentPage
from publications.models import (
    CollectiveContributionPage,
    ContributionIndexPage,
    LibraryPage,
    NewsIndexPage,
    NewsPage,
    Partner,
    PartnersPage,
    PublicationPage,
    WorkingGroupIndexPage,
    WorkingGroupPage,
)

from .factories import PartnerFactory
from .test_publications_helpers import NATIONAL, fetch, group, kind, library_of, make_publication

pytestmark = pytest.mark.django_db

SANTE_PUBLICATION = "enjeux-de-sante-dans-les-quartiers-prioritaires"


def parents(network):
    irev = network.centres["irev"].home_page
    national = network.national_home
    return {
        "national": national,
        "centre": irev,
        "content": irev.get_children().get(slug="le-centre"),
        "library_national": library_of(national),
        "library_centre": library_of(irev),
        "wg_index": WorkingGroupIndexPage.objects.get(),
        "wg": group("sante"),
        "contribution_index": ContributionIndexPage.objects.get(),
        "partners": PartnersPage.objects.get(),
        "news_national": NewsIndexPage.objects.child_of(national).get(),
        "news_centre": NewsIndexPage.objects.child_of(irev).get(),
        "publication": PublicationPage.objects.get(slug=SANTE_PUBLICATION),
        "news": NewsPage.objects.child_of(NewsIndexPage.objects.child_of(national).get()).first(),
    }


def can_create_at(child, parent) -> bool:
    """What the admin offers: the child's rules and counts, and the parent's subpage types."""
    parent = parent.specific
    return child.can_create_at(parent) and child in parent.allowed_subpage_models()


# (page type, parent, can be created there now). One-per-parent and one-per-site types
# already seeded are refused where they exist; `test_where_each_page_type_may_live` checks
# that the type rules themselves allow them there.
# fmt: off
CREATION = [
    (PublicationPage, "library_national", True),
    (PublicationPage, "library_centre", True),
    (PublicationPage, "wg", True),
    (PublicationPage, "national", False),
    (PublicationPage, "centre", False),
    (PublicationPage, "content", False),
    (PublicationPage, "wg_index", False),
    (PublicationPage, "news_national", False),
    (PublicationPage, "publication", False),
    (LibraryPage, "national", False),        # max one per parent: seeded
    (LibraryPage, "centre", False),          # idem
    (LibraryPage, "content", False),
    (LibraryPage, "wg", False),
    (WorkingGroupIndexPage, "national", False),  # max_count = 1: seeded
    (WorkingGroupIndexPage, "centre", False),
    (WorkingGroupPage, "wg_index", True),
    (WorkingGroupPage, "national", False),
    (WorkingGroupPage, "centre", False),
    (WorkingGroupPage, "wg", False),
    (ContributionIndexPage, "national", False),  # max_count = 1: seeded
    (ContributionIndexPage, "centre", False),
    (CollectiveContributionPage, "contribution_index", True),
    (CollectiveContributionPage, "national", False),
    (CollectiveContributionPage, "wg", False),
    (PartnersPage, "national", False),       # max_count = 1: seeded
    (PartnersPage, "centre", False),
    (PartnersPage, "content", False),
    (NewsIndexPage, "national", False),      # max one per parent: seeded
    (NewsIndexPage, "centre", False),        # idem
    (NewsIndexPage, "content", False),
    (NewsPage, "news_national", True),
    (NewsPage, "news_centre", True),
    (NewsPage, "national", False),
    (NewsPage, "library_national", False),
    (NewsPage, "wg", False),
    (ContentPage, "wg", False),
    (ContentPage, "library_centre", False),
    (ContentPage, "partners", False),
    (ContentPage, "news", False),
]
# fmt: on


@pytest.mark.parametrize(
    ("child", "parent", "allowed"),
    CREATION,
    ids=[f"{c.__name__}-under-{p}" for c, p, _ in CREATION],
)
def test_where_each_page_type_can_be_created(network, child, parent, allowed):
    assert can_create_at(child, parents(network)[parent]) is allowed


@pytest.mark.parametrize(
    ("child", "national", "centre"),
    [
        (LibraryPage, True, True),
        (NewsIndexPage, True, True),
        (WorkingGroupIndexPage, True, False),
        (ContributionIndexPage, True, False),
        (PartnersPage, True, False),
    ],
)
def test_where_each_page_type_may_live(network, child, national, centre):
    """The type rules alone (counts aside): what a new site would be offered."""
    assert child.can_exist_under(network.national_home) is national
    assert child.can_exist_under(network.centres["irev"].home_page.specific) is centre


def test_an_event_may_be_filed_in_a_working_group_space(network):
    """WorkingGroupPage offers agenda.EventPage as a subpage; EventPage must accept the
    group's page as a parent for the two rules to meet."""
    if "publications.WorkingGroupPage" not in EventPage.parent_page_types:
        pytest.xfail(
            "agenda.EventPage.parent_page_types lacks publications.WorkingGroupPage "
            "(agenda/models.py, EVENT_PARENTS): expected to change"
        )
    assert can_create_at(EventPage, group("sante"))


# --- every page type renders ----------------------------------------------------------

RENDERED = [
    ("national library", lambda n: library_of(n.national_home)),
    ("centre library", lambda n: library_of(n.centres["irev"].home_page)),
    ("working group publication", lambda n: PublicationPage.objects.get(slug=SANTE_PUBLICATION)),
    (
        "centre publication",
        lambda n: PublicationPage.objects.live().descendant_of(n.centres["oriv"].home_page).first(),
    ),
    ("working groups", lambda n: WorkingGroupIndexPage.objects.get()),
    ("working group", lambda n: group("sante")),
    ("contributions", lambda n: ContributionIndexPage.objects.get()),
    ("contribution", lambda n: CollectiveContributionPage.objects.first()),
    ("partners", lambda n: PartnersPage.objects.get()),
    ("national news", lambda n: NewsIndexPage.objects.child_of(n.national_home).get()),
    ("national news item", lambda n: NewsPage.objects.descendant_of(n.national_home).first()),
    ("centre news", lambda n: NewsIndexPage.objects.child_of(n.centres["irev"].home_page).get()),
    (
        "centre news item",
        lambda n: NewsPage.objects.descendant_of(n.centres["irev"].home_page).first(),
    ),
]


@pytest.mark.parametrize("finder", [f for _, f in RENDERED], ids=[name for name, _ in RENDERED])
def test_every_page_type_renders(network, finder):
    page = finder(network)
    response = fetch(page.full_url)
    assert response.status_code == 200
    assert response.context["page"].pk == page.pk
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert f'<link rel="canonical" href="{page.full_url}">' in html


def test_news_live_at_actualite_on_every_site(network):
    # French as the French write it: "du réseau", "d’IREV", "de CRPV Mayotte".
    for host, name, of_name in [
        (NATIONAL, "le réseau", "du réseau"),
        ("irev.localhost", "IREV", "d’IREV"),
        ("crpv-mayotte.localhost", "CRPV Mayotte", "de CRPV Mayotte"),
    ]:
        client = Client(HTTP_HOST=host)
        response = client.get("/actualite/")
        assert response.status_code == 200
        items = list(response.context["news"])  # each site's own news, most recent first
        assert [item.title for item in items] == [
            f"Les rendez-vous {of_name} cet hiver",
            f"{name[:1].upper()}{name[1:]} publie son rapport d’activité",
        ]
        item = client.get(items[0].url)
        assert item.status_code == 200
        assert f"<h1>{items[0].title}</h1>" in unescape(item.content.decode())
    assert Client(HTTP_HOST="irev.localhost").get("/actualite/?page=abc").status_code == 404


def test_a_news_page_shows_its_themes_and_is_found_by_them(network):
    news = NewsPage.objects.child_of(
        NewsIndexPage.objects.child_of(network.centres["irev"].home_page).get()
    ).first()
    news.tags.add("Égalité femmes-hommes", "santé")
    news.save_revision().publish()
    html = unescape(Client(HTTP_HOST="irev.localhost").get(news.url).content.decode())
    assert "Thèmes\u00a0: Égalité femmes-hommes, santé" in html or (
        "Thèmes\u00a0: santé, Égalité femmes-hommes" in html
    )
    found = NewsPage.objects.live().search("femmes")
    assert news.pk in [page.pk for page in found]


# --- the working groups, as seeded from the network's data file --------------------------


def test_the_twelve_working_groups_of_2023_are_seeded_with_their_figures(network):
    expected = network_data()["working_groups_2023"]
    pages = {page.title: page for page in WorkingGroupPage.objects.live()}
    assert len(expected) == 12
    assert set(pages) == {data["name"] for data in expected}
    national = Collection.objects.get(name="Réseau national")
    for data in expected:
        page = pages[data["name"]]
        (year,) = page.activity.all()
        assert year.year == 2023
        assert year.centres_involved == data["centres_involved"]
        assert year.meetings == data["meetings"]
        assert year.modalities.splitlines() == data.get("modalities", [])
        assert year.partners.splitlines() == data.get("partners", [])
        assert year.deliverable_list() == data["deliverables"]
        assert page.members.count() == data["centres_involved"]
        assert page.pilots.count() == 1 and page.co_pilots.count() == 1
        # Its space: a Django group with page rights on the group's page only, and a
        # collection of its own under the national one.
        space = Group.objects.get(name=f"Groupe de travail · {page.title}")
        rights = GroupPagePermission.objects.filter(group=space)
        assert {r.page_id for r in rights} == {page.pk}
        assert {r.permission.codename for r in rights} == {
            "add_page",
            "change_page",
            "publish_page",
            "lock_page",
            "unlock_page",
        }
        collection = Collection.objects.get(name=space.name)
        assert collection.get_parent() == national


def activity_rows(html):
    """The activity table's rows, each cell as a list of its lines (or list items)."""
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = []
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S):
            parts = re.findall(r"<li>(.*?)</li>", cell) or re.split(r"<br>", cell)
            cells.append([unescape(part).strip() for part in parts if part.strip()])
        rows.append(cells)
    return rows


def test_a_working_group_page_shows_its_centres_activity_and_joint_publications(network):
    page = group("developpement-economique")
    data = next(
        d for d in network_data()["working_groups_2023"] if d["name"] == "Développement économique"
    )
    response = fetch(page.full_url)
    html = unescape(response.content.decode())
    assert "<h1>Groupe de travail Développement économique</h1>" in html
    headers = re.findall(r'<th scope="col">(.*?)</th>', html)
    assert headers == [
        "Année",
        "Centres impliqués",
        "Réunions",
        "Modalités",
        "Sujets",
        "Partenaires",
        "Productions",
    ]
    (row,) = activity_rows(response.content.decode())
    assert row == [["2023"], ["8"], ["12"], [], [], data["partners"], data["deliverables"]]
    pilots = ", ".join(c.name for c in page.pilots.all())
    members = ", ".join(c.name for c in page.members.order_by("name"))
    assert f"<dt>Pilotes</dt><dd>{pilots}</dd>" in html
    assert f"<dt>Centres membres</dt><dd>{members}</dd>" in html
    # Its joint publications, and none of another group's.
    assert [p.pk for p in response.context["publications"]] == list(
        PublicationPage.objects.filter(working_group=page).values_list("pk", flat=True)
    )
    assert "Économies de subsistance\u00a0: quels leviers pour l’action publique\u00a0?" in html
    assert "Enjeux de santé" not in html


def test_modalities_show_in_the_activity_table(network):
    (row,) = activity_rows(fetch(group("cosoter").full_url).content.decode())
    assert row[3] == ["visioconférence", "0,5 jour en présentiel à Montpellier"]


def test_a_working_group_page_links_to_all_its_publications_beyond_twenty(network):
    sante = group("sante")
    assert "Toutes les publications du groupe" not in fetch(sante.full_url).content.decode()
    for number in range(20):
        make_publication(sante, f"Fiche santé {number}", publication_date=date(2024, 1, 1))
    response = fetch(sante.full_url)
    assert len(response.context["publications"]) == 20
    html = response.content.decode()
    assert 'href="/ressources/?group=sante"' in html
    listed = fetch("http://localhost/ressources/?group=sante").context["results"].paginator.count
    assert listed == 21


def test_the_working_groups_index_lists_the_twelve_groups_with_their_pilots(network):
    response = fetch(WorkingGroupIndexPage.objects.get().full_url)
    groups = list(response.context["groups"])
    assert len(groups) == 12
    html = unescape(response.content.decode())
    assert "Pilotage\u00a0: IREV" in html
    assert "9 centres membres" in html  # Santé


def test_the_contributions_index_and_the_two_2023_contributions(network):
    expected = network_data()["collective_contributions_2023"]
    response = fetch(ContributionIndexPage.objects.get().full_url)
    contributions = list(response.context["contributions"])
    assert sorted(c.title for c in contributions) == sorted(d["title"] for d in expected)
    assert all(c.year == 2023 for c in contributions)
    for data in expected:
        page = CollectiveContributionPage.objects.get(title=data["title"])
        html = unescape(fetch(page.full_url).content.decode())
        assert f"<h1>{data['title']}</h1>" in html
        assert data["question"] in html
        assert f"Contribution collective 2023 · en cours ({data['status']})" in html
        assert page.centres.exists()
        names = ", ".join(c.name for c in page.centres.all())
        assert "Centres contributeurs\u00a0: " + names in html


def test_the_partners_page_groups_partners_by_kind(network):
    response = fetch(PartnersPage.objects.get().full_url)
    groups = {
        str(label): [p.name for p in partners]
        for label, partners in response.context["partner_groups"]
    }
    assert list(groups) == ["État et agences", "réseaux et associations"]
    assert {"ANCT", "ANRU", "ADEME", "BPI", "CEREQ"} == set(groups["État et agences"])
    assert {"AVISE", "FCSF", "COMPAS", "Réseau RARE"} <= set(groups["réseaux et associations"])
    html = unescape(response.content.decode())
    assert re.findall(r'<h2 id="partners-\d+">(.*?)</h2>', html) == [
        "État et agences",
        "Réseaux et associations",
    ]


def test_a_partner_card_names_its_working_groups_and_centres(network):
    PartnerFactory(
        name="Fondation test",
        kind=Partner.Kind.RESEARCH,
        url="https://fondation.example.org",
        working_groups=[group("sante")],
        centres=[network.centres["oriv"]],
    )
    html = unescape(fetch(PartnersPage.objects.get().full_url).content.decode())
    card = html[html.index(">Fondation test<") :]
    card = card[: card.index("</li>")]
    assert "Groupes de travail\u00a0: Santé" in card and "Centres\u00a0: ORIV" in card
    assert '<h2 id="partners-3">Recherche et formation</h2>' in html


def test_seeded_partners_are_linked_to_the_groups_that_met_them(network):
    for data in network_data()["working_groups_2023"]:
        for name in data.get("partners", []):
            assert data["name"] in {
                g.title for g in Partner.objects.get(name=name).working_groups.all()
            }


# --- /publication/<slug> --------------------------------------------------------------


def canonical(response):
    return re.search(r'<link rel="canonical" href="([^"]+)">', response.content.decode()).group(1)


@pytest.mark.parametrize("suffix", ["", "/"])
def test_publication_address_serves_a_working_group_publication(network, suffix):
    page = PublicationPage.objects.get(slug=SANTE_PUBLICATION)
    response = Client(HTTP_HOST=NATIONAL).get(f"/publication/{SANTE_PUBLICATION}{suffix}")
    assert response.status_code == 200
    assert response.context["page"].pk == page.pk
    assert (
        canonical(response)
        == page.full_url
        == (f"http://localhost/groupes-de-travail/sante/{SANTE_PUBLICATION}/")
    )


@pytest.mark.parametrize("suffix", ["", "/"])
def test_publication_address_serves_a_centre_publication(network, suffix):
    page = PublicationPage.objects.live().descendant_of(network.centres["oriv"].home_page).first()
    response = Client(HTTP_HOST=NATIONAL).get(f"/publication/{page.slug}{suffix}")
    assert response.status_code == 200
    assert response.context["page"].pk == page.pk
    assert canonical(response) == page.full_url
    assert page.full_url.startswith("http://oriv.localhost/ressources/")


def test_publication_address_prefers_the_network_then_the_most_recent(network):
    irev, oriv = network.centres["irev"].home_page, network.centres["oriv"].home_page
    older = make_publication(
        library_of(irev), "Homonyme", slug="homonyme", publication_date=date(2020, 1, 1)
    )
    newer = make_publication(
        library_of(oriv), "Homonyme", slug="homonyme", publication_date=date(2024, 1, 1)
    )
    served = Client(HTTP_HOST=NATIONAL).get("/publication/homonyme")
    assert served.context["page"].pk == newer.pk
    network_one = make_publication(
        group("sante"), "Homonyme", slug="homonyme", publication_date=date(2010, 1, 1)
    )
    served = Client(HTTP_HOST=NATIONAL).get("/publication/homonyme")
    assert served.context["page"].pk == network_one.pk
    assert older.pk != newer.pk


@pytest.mark.parametrize(
    ("host", "path"),
    [
        ("irev.localhost", f"/publication/{SANTE_PUBLICATION}"),
        ("oriv.localhost", f"/publication/{SANTE_PUBLICATION}/"),
        (NATIONAL, "/publication/aucune-publication"),
        (NATIONAL, "/publication/brouillon-secret"),
    ],
)
def test_publication_address_is_404_elsewhere_and_for_unknown_slugs(network, host, path):
    make_publication(group("sante"), "Brouillon secret", publish=False)
    assert Client(HTTP_HOST=host).get(path).status_code == 404


# --- JSON-LD --------------------------------------------------------------------------


def json_ld(response):
    html = response.content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    return json.loads(scripts[0])


def test_a_working_group_publication_is_a_report_by_its_centres_and_its_group(network):
    page = PublicationPage.objects.get(slug=SANTE_PUBLICATION)
    data = json_ld(fetch(page.full_url))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Report"
    assert data["name"] == page.title
    assert data["datePublished"] == "2023-03-01"
    assert data["url"] == page.full_url
    assert all(author["@type"] == "Organization" for author in data["author"])
    names = [author["name"] for author in data["author"]]
    assert names == [c.long_name for c in page.authors.all()] + ["Groupe de travail Santé"]
    assert {a.get("alternateName") for a in data["author"]} >= {"IREV", "Labo Cités", "ORIV"}
    assert data["keywords"] == ["santé"]


def test_a_resource_that_is_not_a_report_is_a_creative_work(network):
    irev = network.centres["irev"]
    page = make_publication(
        library_of(irev.home_page),
        "Bibliographie habitat",
        kind=kind("bibliographie"),
        authors=[irev],
        publication_date=date(2022, 5, 1),
    )
    data = json_ld(fetch(page.full_url))
    assert data["@type"] == "CreativeWork"
    assert data["genre"] == "Bibliographie"
    assert data["datePublished"] == "2022-05-01"
    assert data["author"] == [
        {"@type": "Organization", "name": irev.long_name, "alternateName": "IREV"}
    ]


def test_a_title_cannot_break_out_of_the_json_ld_script(network):
    title = 'Rapport </script><script>alert("x")</script> <!-- & co'
    page = make_publication(
        library_of(network.centres["irev"].home_page),
        title,
        slug="rapport-script",
        summary="</SCRIPT>résumé",
    )
    response = fetch(page.full_url)
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "</SCRIPT>" not in html
    data = json_ld(response)
    assert data["name"] == title and data["abstract"] == "</SCRIPT>résumé"


# --- the working group a publication belongs to ---------------------------------------


def test_a_publication_in_a_group_space_belongs_to_the_group(network):
    page = make_publication(group("sante"), "Note santé")
    assert page.working_group == group("sante")


def test_a_publication_outside_a_group_space_belongs_to_no_group(network):
    """Only the tree says which group a publication belongs to: a centre's publication
    cannot be filed in a group's page by naming the group."""
    page = make_publication(
        library_of(network.centres["irev"].home_page), "Note IREV", working_group=group("education")
    )
    assert page.working_group is None
    assert page.pk not in {p.pk for p in fetch(group("education").full_url).context["publications"]}


def test_the_group_follows_a_publication_that_moves(network):
    irev_library = library_of(network.centres["irev"].home_page)
    page = make_publication(irev_library, "Note itinérante")
    page.move(group("sante"), pos="last-child")
    assert PublicationPage.objects.get(pk=page.pk).working_group == group("sante")
    PublicationPage.objects.get(pk=page.pk).move(irev_library, pos="last-child")
    assert PublicationPage.objects.get(pk=page.pk).working_group is None


def test_the_group_is_shown_not_chosen_in_the_admin_form(network):
    page = PublicationPage.objects.get(slug=SANTE_PUBLICATION)
    client = network.client_for("coordination")
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    assert "working_group" not in response.context["form"].fields
    assert "Santé" in response.content.decode()
