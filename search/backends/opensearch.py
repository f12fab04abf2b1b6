"""OpenSearch (2 or 3; Elasticsearch through Wagtail's own backends likewise) with French
analysis in the index settings: elision of l', d', qu'..., lower case, accent folding,
French stop words and the light French stemmer, as the default analyzer of every text
field and of the queries; the queries also go through the field's synonyms
(`search.models.Synonym`, read when the index is created).

Bounded waits: what a visitor or an editor waits for (a search, the indexing of a page
being published) has a short connect and read timeout (CONNECT_TIMEOUT, TIMEOUT), and a
server that failed is left alone for a while (search.engine's circuit): a hung server
adds one timeout to one publication, then nothing until the pause ends; the pages
published meanwhile are indexed in the database only (`manage.py update_index` puts them
on the server once it is back). What only `update_index` does (creating an index, bulk
indexing) has a longer read timeout (MAINTENANCE_TIMEOUT)."""

import logging
from copy import deepcopy

from django.conf import settings

from modelsearch.backends.opensearch3 import OpenSearch3Index, OpenSearch3SearchBackend
from opensearchpy.exceptions import ConnectionError as ServerUnreachable
from urllib3 import Timeout

logger = logging.getLogger("search")

FRENCH_ANALYSIS = {
    "settings": {
        "analysis": {
            "filter": {
                "french_elision": {
                    "type": "elision",
                    "articles_case": True,
                    "articles": [
                        "l",
                        "m",
                        "t",
                        "qu",
                        "n",
                        "s",
                        "j",
                        "d",
                        "c",
                        "jusqu",
                        "quoiqu",
                        "lorsqu",
                        "puisqu",
                    ],
                },
                "french_stop": {"type": "stop", "stopwords": "_french_"},
                "french_stemmer": {"type": "stemmer", "language": "light_french"},
            },
            "analyzer": {
                "default": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": [
                        "french_elision",
                        "lowercase",
                        "asciifolding",
                        "french_stop",
                        "french_stemmer",
                    ],
                },
            },
        },
    },
}


def with_synonyms(settings: dict, rules: list[str]) -> dict:
    """The index settings with the field's synonyms (`search.models.Synonym`, as
    `synonym_graph` rules: "qpv, quartier prioritaire") applied to the queries: the
    default search analyzer is the French one with the synonyms after the folding."""
    settings = deepcopy(settings)
    analysis = settings.setdefault("settings", {}).setdefault("analysis", {})
    if not rules:
        return settings
    analysis.setdefault("filter", {})["french_synonyms"] = {
        "type": "synonym_graph",
        "synonyms": rules,
        "lenient": True,
    }
    analysis.setdefault("analyzer", {})["default_search"] = {
        "type": "custom",
        "tokenizer": "standard",
        "filter": [
            "french_elision",
            "lowercase",
            "asciifolding",
            "french_synonyms",
            "french_stop",
            "french_stemmer",
        ],
    }
    return settings


def synonym_rules() -> list[str]:
    """The synonyms as rules, lower case without accents (the filter comes after the
    folding). A change of the list reaches the server with the next index rebuild; the
    query expansion of `search.matching` applies it meanwhile."""
    from search.models import Synonym
    from search.text import fold

    rules = []
    for synonym in Synonym.objects.all():
        expressions = [fold(text).replace(",", " ") for text in synonym.expression_list()]
        if len(expressions) > 1:
            rules.append(", ".join(expressions))
    return rules


class MaintenanceIndex(OpenSearch3Index):
    """An index as `update_index` handles it: the client with the long read timeout."""

    def __init__(self, backend, name):
        super().__init__(backend, name)
        self.es = backend.maintenance_es

    def put(self):
        # UPGRADE CHECKPOINT modelsearch==1.3.2: `OpenSearch3Index.put` creates the index with `backend.settings` (tests/test_search_opensearch.py::test_index_has_the_french_analysis)
        self.es.indices.create(
            index=self.name, body=with_synonyms(self.backend.settings, synonym_rules())
        )


class SearchBackend(OpenSearch3SearchBackend):
    index_class = MaintenanceIndex

    def __init__(self, params):
        from search.engine import server_circuit

        params = dict(params)
        params.setdefault("INDEX_SETTINGS", FRENCH_ANALYSIS)
        url = params.get("URLS", [""])[0]
        connect = float(params.pop("CONNECT_TIMEOUT", settings.SEARCH_CONNECT_TIMEOUT))
        read = float(params.pop("TIMEOUT", settings.SEARCH_TIMEOUT))
        maintenance = float(params.pop("MAINTENANCE_TIMEOUT", settings.SEARCH_MAINTENANCE_TIMEOUT))
        options = {"max_retries": 0, **params.get("OPTIONS", {})}
        params["OPTIONS"] = options
        params["TIMEOUT"] = Timeout(connect=connect, read=read)
        super().__init__(params)
        self.maintenance_es = self.client_class(
            hosts=self.hosts, **{**options, "timeout": Timeout(connect=connect, read=maintenance)}
        )
        self.circuit = server_circuit(url)

    def _live(self, operation, obj):
        """Index or remove one object for a publication: short timeouts, and nothing at
        all while the server is left alone after a failure."""
        if self.circuit.is_open():
            logger.warning("search server left alone: %r indexed in the database only", obj)
            return
        index = self.get_index_for_object(obj)
        index.es = self.es
        try:
            getattr(index, operation)(obj)
        except ServerUnreachable as error:  # refused, timed out (not an HTTP error)
            self.circuit.trip(error)
            raise

    def add(self, obj):
        self._live("add_item", obj)

    def delete(self, obj):
        self._live("delete_item", obj)
