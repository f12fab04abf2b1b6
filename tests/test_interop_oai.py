"""The OAI-PMH 2.0 provider at /oai/: every verb, selective harvesting by date and set,
resumption tokens, deleted records and the protocol's errors; then a real harvester
(sickle, from PyPI) harvesting the seeded network over HTTP from the live server."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from django.test import Client

import pytest

from interop.models import DeletedRecord
from interop.oai.repository import identifier
from publications.models import PublicationPage

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
SANTE = "enjeux-de-sante-dans-les-quartiers-prioritaires"


def oai(**params):
    response = Client(HTTP_HOST="localhost").get("/oai/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.content)
    # The envelope every response has, in the schema's order.
    assert root.tag == f"{OAI}OAI-PMH"
    assert [child.tag for child in root][:2] == [f"{OAI}responseDate", f"{OAI}request"]
    assert len(root) == 3
    datetime.strptime(root[0].text, "%Y-%m-%dT%H:%M:%SZ")
    assert root[1].text == "http://localhost/oai/"
    return root


def error_code(root):
    error = root.find(f"{OAI}error")
    return error.get("code") if error is not None else None


def headers(root):
    return root.iter(f"{OAI}header")


def harvest(verb="ListIdentifiers", **params):
    """Every header of a list, following resumption tokens; and the number of requests."""
    found, requests = [], 0
    root = oai(verb=verb, metadataPrefix="oai_dc", **params)
    while True:
        requests += 1
        assert error_code(root) is None, ET.tostring(root)
        found += list(headers(root))
        token = root.find(f".//{OAI}resumptionToken")
        if token is None or not token.text:
            return found, requests
        root = oai(verb=verb, resumptionToken=token.text)


def live_ids(**filters):
    return set(
        PublicationPage.objects.live().public().filter(**filters).values_list("pk", flat=True)
    )


@pytest.mark.django_db
class TestVerbs:
    def test_identify(self):
        identify = oai(verb="Identify").find(f"{OAI}Identify")
        assert identify.findtext(f"{OAI}baseURL") == "http://localhost/oai/"
        assert identify.findtext(f"{OAI}protocolVersion") == "2.0"
        assert identify.findtext(f"{OAI}deletedRecord") == "persistent"
        assert identify.findtext(f"{OAI}granularity") == "YYYY-MM-DDThh:mm:ssZ"
        assert identify.findtext(f"{OAI}adminEmail")
        assert [child.tag.removeprefix(OAI) for child in identify] == [
            "repositoryName",
            "baseURL",
            "protocolVersion",
            "adminEmail",
            "earliestDatestamp",
            "deletedRecord",
            "granularity",
        ]

    def test_metadata_formats(self, network):
        formats = oai(verb="ListMetadataFormats").findall(f".//{OAI}metadataPrefix")
        assert [f.text for f in formats] == ["oai_dc"]
        page = PublicationPage.objects.live().first()
        assert error_code(oai(verb="ListMetadataFormats", identifier=identifier(page.pk))) is None

    def test_sets_one_per_centre_and_working_group(self, network):
        specs = [s.text for s in oai(verb="ListSets").iter(f"{OAI}setSpec")]
        assert "centre:irev" in specs and "groupe-de-travail:sante" in specs
        assert len([s for s in specs if s.startswith("centre:")]) == 19
        assert len([s for s in specs if s.startswith("groupe-de-travail:")]) == 12

    def test_get_record_in_dublin_core(self, network):
        page = PublicationPage.objects.get(slug=SANTE)
        root = oai(verb="GetRecord", identifier=identifier(page.pk), metadataPrefix="oai_dc")
        record = root.find(f"{OAI}GetRecord/{OAI}record")
        assert record.findtext(f"{OAI}header/{OAI}identifier") == identifier(page.pk)
        dc = record.find(f"{OAI}metadata/{{http://www.openarchives.org/OAI/2.0/oai_dc/}}dc")
        assert dc.findtext(f"{DC}title") == page.title
        creators = {c.text for c in dc.iter(f"{DC}creator")}
        assert creators == {c.long_name for c in page.authors.all()} and creators
        assert {s.text for s in dc.iter(f"{DC}subject")} == set(page.tags.names())
        assert dc.findtext(f"{DC}date") == page.publication_date.isoformat()
        assert page.kind.name in {t.text for t in dc.iter(f"{DC}type")}
        assert dc.findtext(f"{DC}description") == page.summary
        assert dc.findtext(f"{DC}identifier") == page.get_full_url()
        assert dc.findtext(f"{DC}language") == "fr"
        specs = {s.text for s in record.iter(f"{OAI}setSpec")}
        assert {"groupe-de-travail", "groupe-de-travail:sante", "centre"} <= specs

    def test_post_is_accepted(self, network):
        response = Client().post("/oai/", {"verb": "Identify"})
        assert response.status_code == 200 and b"<Identify>" in response.content.replace(
            b' xmlns="http://www.openarchives.org/OAI/2.0/"', b""
        )


@pytest.mark.django_db
class TestHarvesting:
    def test_every_publication_with_resumption(self, network, settings):
        settings.INTEROP_OAI_PAGE_SIZE = 10
        found, requests = harvest()
        ids = [h.findtext(f"{OAI}identifier") for h in found]
        assert sorted(ids) == sorted(identifier(pk) for pk in live_ids())
        assert len(ids) == len(set(ids))  # nothing twice across pages
        assert requests == -(-len(ids) // 10) > 3

    def test_tokens_carry_cursor_and_size(self, network, settings):
        settings.INTEROP_OAI_PAGE_SIZE = 10
        token = oai(verb="ListRecords", metadataPrefix="oai_dc").find(f".//{OAI}resumptionToken")
        assert token.get("cursor") == "0"
        assert token.get("completeListSize") == str(len(live_ids()))
        following = oai(verb="ListRecords", resumptionToken=token.text)
        assert following.find(f".//{OAI}resumptionToken").get("cursor") == "10"
        assert len(following.findall(f".//{OAI}record")) == 10

    def test_set_selects_a_centre_or_a_group(self, network):
        found, _ = harvest(set="centre:irev")
        assert {h.findtext(f"{OAI}identifier") for h in found} == {
            identifier(pk) for pk in live_ids(authors__slug="irev")
        }
        found, _ = harvest(set="groupe-de-travail:sante")
        assert (
            {h.findtext(f"{OAI}identifier") for h in found}
            == {identifier(pk) for pk in live_ids(working_group__slug="sante")}
            != set()
        )

    def test_date_window_returns_only_what_changed(self, network):
        long_ago = datetime(2025, 1, 1, tzinfo=UTC)
        PublicationPage.objects.update(last_published_at=long_ago)
        changed = PublicationPage.objects.live().filter(authors__slug="oriv").first()
        changed.summary = "Résumé revu."
        changed.save_revision().publish()
        withdrawn = PublicationPage.objects.live().exclude(pk=changed.pk).first()
        withdrawn.unpublish()
        today = datetime.now(UTC).strftime("%Y-%m-%d")
        found, _ = harvest(**{"from": today})
        assert [(h.findtext(f"{OAI}identifier"), h.get("status")) for h in found] == [
            (identifier(changed.pk), None),
            (identifier(withdrawn.pk), "deleted"),
        ]
        found, _ = harvest(until="2025-01-01")
        assert len(found) == len(live_ids()) - 1  # all but the changed one
        found, _ = harvest(**{"from": "2025-01-01T00:00:00Z", "until": "2025-01-01T00:00:00Z"})
        assert len(found) == len(live_ids()) - 1

    def test_deleted_records_are_reported_and_come_back(self, network):
        page = PublicationPage.objects.live().filter(authors__slug="irev").first()
        page.unpublish()
        root = oai(verb="GetRecord", identifier=identifier(page.pk), metadataPrefix="oai_dc")
        header = root.find(f".//{OAI}header")
        assert header.get("status") == "deleted"
        assert root.find(f".//{OAI}metadata") is None
        found, _ = harvest(set="centre:irev")
        assert identifier(page.pk) in {
            h.findtext(f"{OAI}identifier") for h in found if h.get("status") == "deleted"
        }
        page.save_revision().publish()
        root = oai(verb="GetRecord", identifier=identifier(page.pk), metadataPrefix="oai_dc")
        assert root.find(f".//{OAI}header").get("status") is None

    def test_a_deleted_page_leaves_a_tombstone(self, network):
        page = PublicationPage.objects.live().first()
        page_id = page.pk
        page.delete()
        assert DeletedRecord.objects.filter(page_id=page_id).exists()
        root = oai(verb="GetRecord", identifier=identifier(page_id), metadataPrefix="oai_dc")
        assert root.find(f".//{OAI}header").get("status") == "deleted"

    def test_private_and_draft_publications_stay_out(self, network):
        page = PublicationPage.objects.live().first()
        PublicationPage.objects.filter(pk=page.pk).update(live=False)
        found, _ = harvest()
        assert identifier(page.pk) not in {h.findtext(f"{OAI}identifier") for h in found}


@pytest.mark.django_db
class TestErrors:
    @pytest.mark.parametrize(
        "params, code",
        [
            ({}, "badVerb"),
            ({"verb": "Harvest"}, "badVerb"),
            ({"verb": ["Identify", "Identify"]}, "badVerb"),
            ({"verb": "Identify", "set": "centre"}, "badArgument"),
            ({"verb": "ListRecords"}, "badArgument"),
            ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
            (
                {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-01"},
                "badArgument",
            ),
            (
                {
                    "verb": "ListRecords",
                    "metadataPrefix": "oai_dc",
                    "from": "2024-01-01",
                    "until": "2024-01-01T00:00:00Z",
                },
                "badArgument",
            ),
            (
                {
                    "verb": "ListRecords",
                    "metadataPrefix": "oai_dc",
                    "from": "2024-02-01",
                    "until": "2024-01-01",
                },
                "badArgument",
            ),
            ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
            (
                {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
                "badArgument",
            ),
            ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
            ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
            ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
            (
                {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:1"},
                "idDoesNotExist",
            ),
            (
                {"verb": "ListMetadataFormats", "identifier": "oai:localhost:publication-0"},
                "idDoesNotExist",
            ),
            (
                {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2099-01-01"},
                "noRecordsMatch",
            ),
            (
                {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "centre:nowhere"},
                "noRecordsMatch",
            ),
        ],
    )
    def test_protocol_errors(self, network, params, code):
        root = oai(**params)
        assert error_code(root) == code
        if code in ("badVerb", "badArgument"):
            assert root[1].attrib == {}  # the request is not echoed

    def test_a_token_of_one_verb_is_refused_by_another(self, network, settings):
        settings.INTEROP_OAI_PAGE_SIZE = 5
        token = oai(verb="ListIdentifiers", metadataPrefix="oai_dc").findtext(
            f".//{OAI}resumptionToken"
        )
        assert error_code(oai(verb="ListRecords", resumptionToken=token)) == "badResumptionToken"
        assert error_code(oai(verb="ListIdentifiers", resumptionToken=token[:-3] + "abc")) == (
            "badResumptionToken"
        )


def test_sickle_harvests_the_seeded_network(portal, settings):  # noqa: F811
    """A real harvester, over HTTP: every publication, with several resumption tokens, then
    a date window that returns only what changed since."""
    from sickle import Sickle

    settings.INTEROP_OAI_PAGE_SIZE = 12
    client = Sickle(portal.url("/oai/"), timeout=30)
    assert client.Identify().repositoryName.startswith("Réseau national")
    records = list(client.ListRecords(metadataPrefix="oai_dc"))
    expected = live_ids()
    assert sorted(r.header.identifier for r in records) == sorted(identifier(pk) for pk in expected)
    assert len(expected) > 3 * 12  # several tokens were needed
    by_id = {r.header.identifier: r for r in records}
    sante = PublicationPage.objects.get(slug=SANTE)
    assert by_id[identifier(sante.pk)].metadata["title"] == [sante.title]
    assert {s.setSpec for s in client.ListSets()} >= {"centre:irev", "groupe-de-travail:sante"}

    cutoff = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
    PublicationPage.objects.update(last_published_at=cutoff - timedelta(days=2))
    changed = PublicationPage.objects.get(slug=SANTE)
    changed.save_revision().publish()
    since = (cutoff - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    window = list(client.ListIdentifiers(metadataPrefix="oai_dc", **{"from": since}))
    assert [h.identifier for h in window] == [identifier(changed.pk)]


@pytest.mark.django_db
def test_list_records_queries_do_not_grow_with_the_page_size(network, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(size):
        settings.INTEROP_OAI_PAGE_SIZE = size
        with CaptureQueriesContext(connection) as captured:
            root = oai(verb="ListRecords", metadataPrefix="oai_dc")
        assert len(root.findall(f".//{OAI}record")) == size
        return len(captured)

    queries(1)  # content types and site root paths, cached once per process
    # 30 records and more include publications with documents (one query for the
    # documents of the whole page, which a page without any does not need).
    assert queries(60) == queries(30)
