"""OpenSearch (2 or 3; Elasticsearch through Wagtail's own backends likewise) with French
analysis in the index settings: elision of l', d', qu'..., lower case, accent folding,
French stop words and the light French stemmer, as the default analyzer of every text
field and of the queries."""

from modelsearch.backends.opensearch3 import OpenSearch3SearchBackend

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


class SearchBackend(OpenSearch3SearchBackend):
    def __init__(self, params):
        params = dict(params)
        params.setdefault("INDEX_SETTINGS", FRENCH_ANALYSIS)
        super().__init__(params)
