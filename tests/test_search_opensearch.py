"""The production backend path (SEARCH_URL): OpenSearch, here the in-memory OpenSearch
API emulator `osmem-server` (a real HTTP server started by the osmem pytest plugin on a
free port, stopped at the end of the session). The emulator has no French analysis, so
these tests check the wiring (index settings sent, documents indexed and removed on
publish/unpublish/delete, results ranked by the server then filtered and counted by the
database) with the words as written; French matching is tested on the database backends.

Synonyms: the emulator stores the `synonym_graph` filter and returns it with the index
settings, but ignores it when searching ("token filter ... not supported; ignored"): the
tests check the settings written at creation and after a change of the list; the
results for an acronym come from the query expansion (every backend). Typos: the
emulator honours `fuzziness`, so the server's own typo matching is tested by results.

An unreachable server (a closed port) must not break search nor publishing."""

import json
import logging
import socket

from django.core.management import call_command
from django.test import Client

from wagtail.models import Page
from wagtail.search.backends import get_search_backend

import pytest
from modelsearch.query import PlainText
from opensearchpy import OpenSearch

from search import engine
from search.models import SearchTerm, Synonym

from .task_worker import run_tasks
from .test_publications_helpers import library_of, make_publication
from .test_search_page import titles

pytestmark = pytest.mark.django_db


def external(url, timeout=30):
    # A generous timeout: on a busy shared machine the emulator may answer slowly.
    return {
        "BACKEND": "search.backends.opensearch",
        "URLS": [url],
        "INDEX_PREFIX": "test_",
        "TIMEOUT": timeout,
        "OPTIONS": {"max_retries": 0},
    }


@pytest.fixture
def opensearch(settings, osmem_clone, network):
    settings.WAGTAILSEARCH_BACKENDS = {
        **settings.WAGTAILSEARCH_BACKENDS,
        "external": external(osmem_clone.url),
    }
    engine.reset()
    call_command("rebuild_search_index", backend_name="external", verbosity=0)
    yield OpenSearch(hosts=[osmem_clone.url])
    engine.reset()


@pytest.fixture
def closed_port_url(settings, network):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Nothing listens there any more: every connection is refused.
    settings.WAGTAILSEARCH_BACKENDS = {
        **settings.WAGTAILSEARCH_BACKENDS,
        "external": external(f"http://127.0.0.1:{port}", 5),
    }
    engine.reset()
    yield
    engine.reset()


def search(q, **params):
    response = Client(HTTP_HOST="localhost").get("/recherche/", {"q": q, **params})
    assert response.status_code == 200
    return response


def test_index_has_the_french_analysis(opensearch):
    index = next(name for name in opensearch.indices.get(index="test_*"))
    analysis = opensearch.indices.get_settings(index=index)[index]["settings"]["index"]["analysis"]
    assert analysis["analyzer"]["default"]["filter"] == [
        "french_elision",
        "lowercase",
        "asciifolding",
        "french_stop",
        "french_stemmer",
    ]
    assert analysis["filter"]["french_stemmer"]["language"] == "light_french"


def test_search_answers_from_the_server_and_follows_publishing(opensearch, network):
    irev = network.centres["irev"]
    page = make_publication(library_of(irev.home_page), "Ripisylve et logement", authors=[irev])
    response = search("ripisylve")
    assert response.context["backend"] == "external"
    assert titles(response) == ["Ripisylve et logement"]
    assert 'value="publication"' in response.content.decode()  # facets counted in SQL

    page.title = "Ripisylve et quartiers"
    page.save_revision().publish()
    # The one page with both words first (then the closest: fewer than matching.FEW).
    response = search("quartiers ripisylve")
    assert titles(response)[0] == "Ripisylve et quartiers"
    assert response.context["found"].complete == 1
    page.unpublish()
    assert titles(search("ripisylve")) == []
    page.delete()
    hits = opensearch.search(index="test_*", body={"query": {"match": {"title": "ripisylve"}}})
    assert hits["hits"]["total"]["value"] == 0


def test_unreachable_server_falls_back_to_the_database_and_logs(closed_port_url, network, caplog):
    irev = network.centres["irev"]
    with caplog.at_level(logging.ERROR):
        # Publishing works: the indexing failure is logged, never raised.
        page = make_publication(library_of(irev.home_page), "Ripisylve hors ligne", authors=[irev])
    assert page.live
    assert any("search backend" in r.getMessage() for r in caplog.records)
    # The indexing failure already left the server alone: searches answer from the
    # database without asking it.
    assert engine.external_circuit().is_open()
    assert search("ripisylve").context["backend"] == "database"
    engine.reset()  # the pause over: the next search asks the server again
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="search"):
        response = search("ripisylve")
    assert response.context["backend"] == "database"
    assert titles(response) == ["Ripisylve hors ligne"]
    assert any("search server unreachable" in r.getMessage() for r in caplog.records)
    # The next searches do not retry the dead server for a while: no new log line.
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="search"):
        assert search("ripisylve").context["backend"] == "database"
    assert not caplog.records


def test_the_index_carries_the_fields_synonyms(opensearch):
    index = next(name for name in opensearch.indices.get(index="test_*"))
    analysis = opensearch.indices.get_settings(index=index)[index]["settings"]["index"]["analysis"]
    synonyms = analysis["filter"]["french_synonyms"]
    assert synonyms["type"] == "synonym_graph"
    rules = synonyms["synonyms"]
    assert any(rule.startswith("qpv, quartier prioritaire") for rule in rules), rules
    assert "french_synonyms" in analysis["analyzer"]["default_search"]["filter"]


def test_acronyms_and_partial_matches_through_the_server(opensearch, network):
    irev = network.centres["irev"]
    make_publication(library_of(irev.home_page), "Ripisylve des quartiers prioritaires")
    # The query expansion (every backend) finds the page for the acronym.
    response = search("QPV ripisylve")
    assert response.context["backend"] == "external"
    assert titles(response)[0] == "Ripisylve des quartiers prioritaires"
    assert response.context["found"].complete == 1
    # A word no page holds: the closest results, from the server too.
    response = search("ripisylve zorglub")
    assert titles(response) == ["Ripisylve des quartiers prioritaires"]
    assert response.context["found"].complete == 0


def analysis_of(opensearch) -> dict:
    index = next(name for name in opensearch.indices.get(index="test_*"))
    return opensearch.indices.get_settings(index=index)[index]["settings"]["index"]["analysis"]


def test_typos_match_on_the_server_with_fuzziness(opensearch, network):
    irev = network.centres["irev"]
    page = make_publication(library_of(irev.home_page), "Ripisylve du Gard", authors=[irev])
    # The query Wagtail's compiler sends carries the fuzziness.
    backend = get_search_backend("external")
    body = json.dumps(backend.search(PlainText("ripisylce"), Page).query_compiler.get_query())
    assert '"fuzziness": "AUTO:5,8"' in body and '"prefix_length": 1' in body
    # The database's vocabulary forgotten: no "Vouliez-vous dire", the server alone
    # finds the page for the misspelt word.
    SearchTerm.objects.all().delete()
    response = search("ripisylce")
    assert response.context["backend"] == "external"
    assert titles(response) == ["Ripisylve du Gard"]
    assert response.context["found"].complete == 1
    assert response.context["found"].suggestion == ""
    # Two edits from eight letters; none up to four (acronyms); the first letter right.
    assert engine.ranked_ids(PlainText("ripisilvo"), Page)[0] == [page.pk]
    assert engine.ranked_ids(PlainText("garf"), Page)[0] == []
    assert engine.ranked_ids(PlainText("lipisylve"), Page)[0] == []
    assert engine.ranked_ids(PlainText("gard"), Page) == ([page.pk], "external")


def test_a_change_of_synonyms_reaches_the_server(
    opensearch, network, django_capture_on_commit_callbacks
):
    irev = network.centres["irev"]
    make_publication(library_of(irev.home_page), "Ripisylve et logement", authors=[irev])
    assert not any(
        "ripisylve" in rule
        for rule in analysis_of(opensearch)["filter"]["french_synonyms"]["synonyms"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        synonym = Synonym.objects.create(expressions="Ripisylve\nforêt riveraine")
    assert run_tasks() == 1  # the background task the change queued
    rules = analysis_of(opensearch)["filter"]["french_synonyms"]["synonyms"]
    assert "ripisylve, foret riveraine" in rules
    assert any(rule.startswith("qpv, quartier prioritaire") for rule in rules)
    # The index is open again: the server answers.
    response = search("ripisylve")
    assert response.context["backend"] == "external"
    assert titles(response) == ["Ripisylve et logement"]
    # The expression reaches the page through the query expansion meanwhile (every
    # backend; the emulator ignores the filter when searching).
    assert titles(search("forêt riveraine"))[0] == "Ripisylve et logement"
    with django_capture_on_commit_callbacks(execute=True):
        synonym.delete()
    assert run_tasks() == 1
    rules = analysis_of(opensearch)["filter"]["french_synonyms"]["synonyms"]
    assert "ripisylve, foret riveraine" not in rules and rules


def test_a_synonym_change_with_the_server_down_is_logged_not_raised(
    closed_port_url, network, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.WARNING, logger="search"):
        with django_capture_on_commit_callbacks(execute=True):
            Synonym.objects.create(expressions="ripisylve, forêt riveraine")
        assert run_tasks() == 1
    assert any("synonyms not updated" in r.getMessage() for r in caplog.records)
    assert Synonym.objects.filter(expressions__startswith="ripisylve").exists()
