"""What a search finds and in which order (`search.matching`): partial matches when not
every word matches, exact phrase and title first, the field's synonyms and acronyms,
"Vouliez-vous dire …", singular and plural alike on every database, centres first,
results told apart, what pages show (yearly activity, partners, speakers), and queries
holding personal data kept out of the figures. Runs on SQLite and PostgreSQL alike."""

import re

from django.test import Client

import pytest

from search.models import QueryDay, SearchTerm, Synonym
from search.privacy import is_personal

from .test_agenda_helpers import agenda_of, make_event
from .test_publications_helpers import library_of, make_publication
from .test_search_page import get, titles

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


@pytest.fixture
def corpus(network):
    irev, oriv = network.centres["irev"], network.centres["oriv"]
    return {
        "body": make_publication(
            library_of(irev.home_page),
            "Dossier des ripisylves urbaines",
            authors=[irev],
            summary="Les berges, la ripisylve et les mobilités douces en ville.",
        ),
        "title": make_publication(
            library_of(oriv.home_page),
            "Ripisylve et mobilités",
            authors=[oriv],
            summary="Une étude.",
        ),
    }


def test_some_words_matching_lists_the_closest_results_and_says_so(corpus):
    response = get("/recherche/", q="ripisylve zorglub")
    assert set(titles(response)) == {"Dossier des ripisylves urbaines", "Ripisylve et mobilités"}
    assert "Aucun résultat avec tous les mots ; voici les résultats les plus proches" in (
        page_text(response)
    )
    # The pages matching more of the words come first.
    ranked = titles(get("/recherche/", q="ripisylve berges zorglub"))
    assert ranked[0] == "Dossier des ripisylves urbaines"
    # Every word matching: no such message.
    assert "les plus proches" not in page_text(get("/recherche/", q="ripisylve"))


def test_exact_phrase_and_title_matches_come_first(corpus):
    # Both pages hold both words; the title holding them in order comes first.
    assert titles(get("/recherche/", q="ripisylve mobilités")) == [
        "Ripisylve et mobilités",
        "Dossier des ripisylves urbaines",
    ]


def test_singular_and_plural_find_each_other_with_or_without_accents(network):
    # Seeded: "Enjeux de santé dans les quartiers prioritaires" (working group Santé).
    expected = "Enjeux de santé dans les quartiers prioritaires"
    for q in ("enjeu santé", "enjeux sante", "ENJEU SANTE", "enjeux de la santé"):
        assert expected in titles(get("/recherche/", q=q))[:3], q


def test_synonyms_and_acronyms_of_the_field(network):
    assert Synonym.objects.filter(expressions__startswith="QPV").exists()  # seeded
    # "QPV" finds the pages about "quartiers prioritaires".
    assert "Enjeux de santé dans les quartiers prioritaires" in titles(get("/recherche/", q="QPV"))
    # "GT santé": the working group Santé ("Le groupe de travail Santé …").
    assert titles(get("/recherche/", q="GT santé"))[0] == "Santé"
    irev = network.centres["irev"]
    make_publication(library_of(irev.home_page), "L'ESS dans les quartiers", authors=[irev])
    assert "L'ESS dans les quartiers" in titles(
        get("/recherche/", q="économie sociale et solidaire")
    )
    # A synonym added by the coordination applies at once (the list is versioned).
    make_publication(library_of(irev.home_page), "Zorglub en ville", authors=[irev])
    assert titles(get("/recherche/", q="ripisylve")) == []
    Synonym.objects.create(expressions="ripisylve\nzorglub")
    assert titles(get("/recherche/", q="ripisylve")) == ["Zorglub en ville"]


def test_acronyms_match_whole_words_only(network):
    # "PRE" (programme de réussite éducative) must not find every "pré…" word.
    irev = network.centres["irev"]
    make_publication(library_of(irev.home_page), "Prévention précoce", authors=[irev])
    assert "Prévention précoce" not in titles(get("/recherche/", q="PRE"))


def test_a_typo_is_corrected_and_suggested(network):
    assert SearchTerm.objects.filter(folded="discriminations").exists()  # learnt at seeding
    response = get("/recherche/", q="discrimnation")
    text = page_text(response)
    assert re.search(r"Vouliez-vous dire « discriminations? » \?", text), text[:3000]
    assert any("discriminations" in title for title in titles(response))
    link = re.search(r'class="search-suggestion">.*?<a href="([^"]+)"', response.content.decode())
    assert "q=discrimination" in link.group(1)
    # A known word is never "corrected".
    assert "Vouliez-vous dire" not in page_text(get("/recherche/", q="discriminations"))


def test_a_centre_named_comes_first(network):
    assert titles(get("/recherche/", q="IREV"))[0] == "IREV"
    assert titles(get("/recherche/", q="labo cites"))[0] == "Labo Cités"
    full_name = "Observatoire régional de l'intégration et de la ville"
    assert titles(get("/recherche/", q=full_name))[0] == "ORIV"
    assert titles(get("/recherche/", q="PQNA"))[0] == "Pays et Quartiers de Nouvelle-Aquitaine"


def test_results_sharing_a_title_are_told_apart(network):
    shown = titles(get("/recherche/", q="le centre"))
    assert "Le centre — IREV" in shown
    assert len(shown) == len(set(shown)), shown


def test_what_working_group_and_event_pages_show_is_searched(network):
    # Seeded yearly activity: partners and productions of the working groups.
    response = get("/recherche/", q="Alliance Villes Emploi")
    assert "Développement économique" in titles(response)
    # The excerpt shows the passage that matched.
    assert "<mark>Alliance</mark> <mark>Villes</mark> <mark>Emploi</mark>" in (
        response.content.decode()
    )
    assert "Ressources & communication" in titles(get("/recherche/", q="Gazette des Communes"))
    irev = network.centres["irev"]
    make_event(
        agenda_of(irev.home_page),
        "Atelier mobilités",
        organisers=[irev],
        speakers=["Zoé Krakowiak"],
    )
    assert titles(get("/recherche/", q="krakowiak")) == ["Atelier mobilités"]


@pytest.mark.parametrize(
    "query, personal",
    [
        ("jean.dupont@example.org", True),
        ("contact ORIV jean@oriv.fr", True),
        ("06 12 34 56 78", True),
        ("+33 1 23 45 67 89", True),
        ("0612345678", True),
        ("contrats de ville 2024-2030", False),
        ("2020 2024 2030", False),
        ("QPV 93", False),
    ],
)
def test_what_looks_like_an_email_or_phone_number(query, personal):
    assert is_personal(query) is personal


def test_queries_holding_personal_data_are_not_stored(network):
    client = Client(HTTP_HOST="localhost")
    for q in ("jean.dupont@example.org", "06 12 34 56 78", "logement social"):
        assert client.get("/recherche/", {"q": q}).status_code == 200
    assert list(QueryDay.objects.values_list("query", flat=True)) == ["logement social"]


def test_the_vocabulary_command_learns_the_words_of_live_pages(network):
    from io import StringIO

    from django.core.management import call_command

    SearchTerm.objects.all().delete()
    out = StringIO()
    call_command("search_vocabulary", stdout=out)
    assert SearchTerm.objects.filter(folded="discriminations").exists()
    assert SearchTerm.objects.get(folded="egalite").word == "égalité"
    assert "new words" in out.getvalue()


def test_a_query_with_only_the_closest_results_counts_as_without_results(corpus):
    assert get("/recherche/", q="ripisylve zorglub").status_code == 200
    assert get("/recherche/", q="ripisylve").status_code == 200
    figures = dict(QueryDay.objects.values_list("query", "empty_hits"))
    assert figures == {"ripisylve zorglub": 1, "ripisylve": 0}
