"""Generated hostile input (issue #17): Hypothesis sends thousands of generated values to
every public GET parameter (the agenda and its iCal/RSS/Atom feeds, the library and its
feeds, the news, the search page and its suggestions, OAI-PMH, the open API and its
filters) and generated bodies to the beacon (POST /stats/event, through Django's stack
and the lean WSGI path), on whichever database the suite runs: every answer is below
500, every 4xx carries a reason, and nothing is stored that should not be (no search
figure, no audience event from a refused request). The portal has no other public form.

Values: bounds of dates and numbers, NUL and control characters, invalid UTF-8 and lone
surrogates as percent-escapes, huge and repeated parameters, and the operators of every
query language in use (FTS5, tsquery, Lucene, SQL). Deterministic (derandomize, no
example database): CI runs the same examples every time. Django raises instead of
answering 500 (the test client's raise_request_exception), so a failure shows its
traceback and Hypothesis' smallest failing request. The count is printed at the end of
the run (tests/conftest.py, pytest_terminal_summary)."""

import json
from itertools import count
from urllib.parse import quote, quote_from_bytes

from django.test import Client

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from search.models import QueryDay
from stats.models import Event

from .test_stats_fastpath import call, wsgi  # noqa: F401  (the lean path's fixture)

pytestmark = pytest.mark.django_db

GENERATED = examples(
    max_examples=1,  # each test sets its own
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

AGENDA = ["centre", "format", "theme", "territory", "month", "mode", "when", "page"]
LIBRARY = ["centre", "group", "kind", "theme", "year", "sort", "page"]
OFFERS = ["kind", "centre", "territory", "closing", "page"]
SEARCH = ["q", "type", "centre", "group", "theme", "year", "upcoming", "sort", "scope", "page"]
OAI = ["verb", "metadataPrefix", "from", "until", "set", "identifier", "resumptionToken"]
API = [
    "centre",
    "theme",
    "date_from",
    "date_to",
    "search",
    "search_operator",
    "offset",
    "limit",
    "order",
    "fields",
    "type",
    "child_of",
    "descendant_of",
    "locale",
    "title",
    "slug",
    "id",
]
TARGETS = [
    ("localhost", "/agenda/", AGENDA),
    ("irev.localhost", "/agenda/", AGENDA),
    ("localhost", "/agenda/ical/", AGENDA),
    ("irev.localhost", "/agenda/rss/", AGENDA),
    ("localhost", "/agenda/atom/", AGENDA),
    ("localhost", "/ressources/", LIBRARY),
    ("irev.localhost", "/ressources/rss/", LIBRARY),
    ("localhost", "/ressources/atom/", LIBRARY),
    ("localhost", "/actualite/", ["theme", "year", "page"]),
    ("irev.localhost", "/actualite/rss/", ["theme", "year"]),
    ("localhost", "/actualite/atom/", ["theme", "year"]),
    ("localhost", "/offres/", OFFERS),
    ("irev.localhost", "/offres/rss/", OFFERS),
    ("localhost", "/offres/atom/", OFFERS),
    ("localhost", "/recherche/", SEARCH),
    ("irev.localhost", "/recherche/", SEARCH),
    ("localhost", "/recherche/suggestions/", SEARCH),
    ("localhost", "/en/recherche/", SEARCH),
    ("localhost", "/oai/", OAI),
    ("localhost", "/api/v2/events/", API + ["city", "start_date", "all_day"]),
    ("localhost", "/api/v2/publications/", API + ["publication_date", "territory"]),
    ("localhost", "/api/v2/events/find/", ["html_path", "id"]),
    ("irev.localhost", "/api/v2/publications/find/", ["html_path", "id"]),
]

# Values that broke something once or that every parser has to meet.
CORPUS = [
    "",
    " ",
    "0000-01",
    "0000-00",
    "9999-12",
    "2026-13",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "-1",
    "0",
    "2147483647",
    "2147483648",
    "9223372036854775808",
    "99999999999999999999",
    "1e309",
    "NaN",
    "-0",
    "١٢",
    "\x00",
    "a\x00b",
    "\x1f",
    "\x7f",
    "\t\r\n",
    "\ud800",
    "a\udfffb",
    '"',
    "'",
    "*",
    "(",
    ")",
    ":",
    "&",
    "|",
    "!",
    "~",
    "^",
    "%",
    "\\",
    "OR",
    "AND",
    "NOT",
    "NEAR",
    "a OR b AND NOT c",
    '"emploi" *',
    "emploi:*",
    "emploi & !logement | (ville <-> quartier)",
    "title:emploi~2^3",
    "' OR 1=1 --",
    "%' AND '%'='",
    "ListRecords",
    "ListIdentifiers",
    "GetRecord",
    "Identify",
    "ListSets",
    "ListMetadataFormats",
    "oai_dc",
    "oai:reseau-crpv:1",
    "random",
    "-title",
    "*,-title",
    "a-venir",
    "passes",
    "in_person",
    "online",
    "reseau",
    "date",
    "irev",
    "emploi",
    "santé",
    "x" * 5000,
    " ".join(["mot"] * 200),
    " ".join(f"mot{n}" for n in range(200)),
]

atoms = st.one_of(
    st.sampled_from(CORPUS),
    st.text(max_size=30),
    # Control, format and private-use characters, lone surrogates, separators, symbols.
    st.text(st.characters(categories=["Cc", "Cf", "Co", "Cs", "Zs", "Zl", "Po", "Sm"]), max_size=8),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.integers().map(str),
    st.dates().map(str),
    st.from_regex(r"\A-?\d{1,5}-\d{1,2}(-\d{1,2})?\Z"),
)
texts = st.one_of(atoms, st.lists(atoms, min_size=2, max_size=5).map("".join))
# A value as it is written in the query string: its UTF-8 (surrogates kept, giving the
# invalid escapes %ED%A0%80), or raw bytes that are no UTF-8 at all.
encoded_values = st.one_of(
    texts.map(lambda text: quote(text.encode("utf-8", "surrogatepass"), safe="")),
    st.binary(max_size=12).map(lambda raw: quote_from_bytes(raw, safe="")),
)

requests = {"count": 0, "5xx": 0}


@pytest.fixture(autouse=True)
def report(record_property):
    """What this test sent, for the run's summary line."""
    requests.update(count=0, **{"5xx": 0})
    yield
    record_property("generated_requests", requests["count"])
    record_property("generated_5xx", requests["5xx"])


def checked(response):
    """Below 500, and a 4xx says why."""
    requests["count"] += 1
    if response.status_code >= 500:
        requests["5xx"] += 1
    assert response.status_code < 500, response.content[:500]
    if response.status_code >= 400:
        assert response.content.strip(), f"{response.status_code} without a reason"
    return response


@st.composite
def query_strings(draw, names):
    """1 to 3 parameters of the target (sometimes an unknown or hostile name), each with
    1 to 3 values; now and then one parameter repeated a hundred times."""
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3))
    if draw(st.integers(0, 9)) == 0:
        chosen.append(draw(encoded_values) or "x")
    pairs = []
    for name in chosen:
        for value in draw(st.lists(encoded_values, min_size=1, max_size=3)):
            pairs.append(f"{quote(name, safe='%')}={value}")
    if draw(st.integers(0, 19)) == 0:
        pairs *= 100
    return "&".join(pairs)


@pytest.fixture
def visitors(settings):
    """The API's rate limit out of the way (its 429 is tested elsewhere): the values
    must reach the filters."""
    settings.INTEROP_API_RATE = "1000000/min"


@examples(GENERATED, max_examples=800)
@given(data=st.data())
def test_every_public_get_parameter_takes_generated_values(network, visitors, data):
    host, path, names = data.draw(st.sampled_from(TARGETS))
    query = data.draw(query_strings(names))
    searches = QueryDay.objects.count()
    response = checked(Client(HTTP_HOST=host).get(f"{path}?{query}"))
    # A GET stores no audience event; only a search answered with its results counts
    # a search, under its cleaned words.
    assert not Event.objects.exists()
    if response.status_code != 200 or "recherche" not in path:
        assert QueryDay.objects.count() == searches
    for words in QueryDay.objects.values_list("query", flat=True):
        assert words.isprintable() and words.strip()


page_ids = st.one_of(
    st.none(),
    st.integers(),
    st.integers(1, 400),
    st.text(max_size=5),
    st.booleans(),
    st.floats(),
    st.lists(st.integers(), max_size=2),
)
paths = st.one_of(
    st.sampled_from(["/", "/agenda/", "/agenda/rss/", "/ressources/", "/le-reseau/"]),
    # A real address with a control character or a lone surrogate inside it.
    st.tuples(
        st.sampled_from(["/", "/agenda/", "/le-reseau/"]),
        st.text(st.characters(categories=["Cc", "Cs"]), min_size=1, max_size=3),
    ).map("".join),
    texts.map(lambda text: "/" + text),
    st.tuples(st.sampled_from(["/agenda/", "/ressources/", "/"]), encoded_values).map("".join),
)
events = st.builds(
    lambda path, page, referrer, first: {
        "url": f"http://localhost{path}",
        "page": page,
        "referrer": referrer,
        "first_visit": first,
    },
    paths,
    st.one_of(st.none(), page_ids),  # without an id, the page is looked up by its path
    st.one_of(st.none(), texts, st.just("http://exemple.org/\ud800")),
    st.one_of(st.booleans(), st.none(), texts),
).map(lambda body: json.dumps(body).encode())
raw_bodies = st.one_of(
    st.binary(max_size=200), texts.map(lambda text: text.encode("utf-8", "surrogatepass"))
)
# Mostly well-formed events (what reaches the page lookup), one in five anything at all.
bodies = st.tuples(st.integers(0, 4), events, raw_bodies).map(
    lambda drawn: drawn[2] if drawn[0] == 0 else drawn[1]
)
addresses = count(1)


@examples(GENERATED, max_examples=1200)
@given(body=bodies, content_type=st.sampled_from(["text/plain", "application/json"]))
def test_the_beacon_takes_generated_bodies_on_both_paths(network, wsgi, body, content_type):  # noqa: F811
    address = f"10.{next(addresses) % 250}.0.1"  # a visitor each time: below the flood limit
    # The lean path, then Django's whole stack (which a session cookie sends it to).
    for cookie in ({}, {"HTTP_COOKIE": "sessionid=inconnue"}):
        stored = Event.objects.count()
        answered = call(
            wsgi, "localhost", body, content_type=content_type, REMOTE_ADDR=address, **cookie
        )
        requests["count"] += 1
        requests["5xx"] += answered["status"] >= 500
        assert answered["status"] < 500, answered["body"]
        if answered["status"] != 204:
            assert answered["body"].strip(), f"{answered['status']} without a reason"
            assert Event.objects.count() == stored
    for path in Event.objects.values_list("path", flat=True):
        assert path.isprintable()
