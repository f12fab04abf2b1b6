"""OpenSearch (2 or 3; Elasticsearch through Wagtail's own backends likewise) with French
analysis in the index settings: elision of l', d', qu'..., lower case, accent folding,
French stop words and the light French stemmer, as the default analyzer of every text
field and of the queries; the queries also go through the field's synonyms
(`search.models.Synonym`: a `synonym_graph` filter of the search analyzer, written when
the index is created and again on the server whenever the list changes,
`update_synonyms`), and their words match with typos (`fuzziness`, FUZZINESS).

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

from modelsearch.backends.opensearch3 import (
    OpenSearch3Index,
    OpenSearch3SearchBackend,
    OpenSearch3SearchQueryCompiler,
)
from opensearchpy.exceptions import ConnectionError as ServerUnreachable
from urllib3 import Timeout

logger = logging.getLogger("search")

# Typos: Lucene's edit distance, by the length of each query word: none up to 4 letters
# (acronyms: "PRE" must not find "pro"), one edit from 5 letters, two from 8 -- the
# database's MIN_TYPO_LENGTH alike (search.vocabulary). The first letter must be right
# (prefix_length), as on SQLite's closest word, which also keeps the expansion small.
FUZZINESS = "AUTO:5,8"
PREFIX_LENGTH = 1

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


def synonym_analysis(rules: list[str]) -> dict:
    """The analysis settings the synonyms make: a `synonym_graph` filter of the rules
    ("qpv, quartier prioritaire") and the default search analyzer, the French one with
    the synonyms after the folding (without rules: the French one alone, so that an
    emptied list also reaches an index created with rules)."""
    chain = ["french_elision", "lowercase", "asciifolding", "french_stop", "french_stemmer"]
    analysis = {"analyzer": {"default_search": {"type": "custom", "tokenizer": "standard"}}}
    if rules:
        analysis["filter"] = {
            "french_synonyms": {"type": "synonym_graph", "synonyms": rules, "lenient": True}
        }
        chain = [*chain[:3], "french_synonyms", *chain[3:]]
    analysis["analyzer"]["default_search"]["filter"] = chain
    return analysis


def with_synonyms(settings: dict, rules: list[str]) -> dict:
    """The index settings with the field's synonyms applied to the queries."""
    settings = deepcopy(settings)
    analysis = settings.setdefault("settings", {}).setdefault("analysis", {})
    if not rules:
        return settings
    for key, values in synonym_analysis(rules).items():
        analysis.setdefault(key, {}).update(values)
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


class FuzzyQueryCompiler(OpenSearch3SearchQueryCompiler):
    """Every word of a search matches with typos on the server ("discrimnation" finds
    "discrimination"): `fuzziness` on the `match` and `multi_match` queries Wagtail
    compiles for plain text (each unit and alternative of `search.matching`'s queries).
    Words the synonym filter expands are not fuzzy (Lucene's rule for synonyms)."""

    def _compile_plaintext_query(self, query, fields, boost=1.0):
        # UPGRADE CHECKPOINT modelsearch==1.3.2: `ElasticsearchBaseSearchQueryCompiler._compile_plaintext_query` returns {"match": {field: {...}}} or {"multi_match": {...}} (tests/test_search_opensearch.py::test_typos_match_on_the_server_with_fuzziness)
        compiled = super()._compile_plaintext_query(query, fields, boost)
        if "match" in compiled:
            body = next(iter(compiled["match"].values()))
        else:
            body = compiled["multi_match"]
        body.update(fuzziness=FUZZINESS, prefix_length=PREFIX_LENGTH)
        return compiled


class SearchBackend(OpenSearch3SearchBackend):
    index_class = MaintenanceIndex
    query_compiler_class = FuzzyQueryCompiler

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

    def _live(self, index, operation, *args):
        """Index or remove objects for a publication: short timeouts, and nothing at
        all while the server is left alone after a failure."""
        if self.circuit.is_open():
            logger.warning("search server left alone: %r indexed in the database only", args)
            return
        index.es = self.es
        try:
            getattr(index, operation)(*args)
        except ServerUnreachable as error:  # refused, timed out (not an HTTP error)
            self.circuit.trip(error)
            raise

    def add(self, obj):
        self._live(self.get_index_for_object(obj), "add_item", obj)

    def add_bulk(self, model, obj_list):
        # The pages of a deferred block (portal/indexing.py: the seed, the bootstrap,
        # the tests' page factories), as a publication indexes its page.
        self._live(self.get_index_for_model(model), "add_items", model, obj_list)

    def delete(self, obj):
        self._live(self.get_index_for_object(obj), "delete_item", obj)


def update_synonyms(backend) -> list[str]:
    """Write the current synonyms into the analysis settings of the backend's indices on
    the server (`search.models.Synonym` changed: the search analyzer applies them at
    once, no reindexing, as they act on the queries only). Analysis settings change on a
    closed index only: each index is closed, updated and opened again (a fraction of a
    second; searches meanwhile answer from the database). Returns the indices updated."""
    es = backend.maintenance_es
    settings_body = {"analysis": synonym_analysis(synonym_rules())}
    # UPGRADE CHECKPOINT modelsearch==1.3.2: the backend's `index_prefix` names every index it creates (tests/test_search_opensearch.py::test_a_change_of_synonyms_reaches_the_server)
    names = sorted(es.indices.get(index=f"{backend.index_prefix}*", expand_wildcards="open"))
    for name in names:
        es.indices.close(index=name)
        try:
            es.indices.put_settings(index=name, body=settings_body)
        finally:
            es.indices.open(index=name)
    return names
