"""What the benchmark measures: one line per page type, (name, host, path).

The host selects the Wagtail site (the national portal answers on `localhost`, each
centre on `<slug>.localhost`, as seeded by demo.seed.network); the path is the page's
URL on that site. To measure a new page type, add a line to TARGETS (and, if the page
does not exist in the seeded network, create it in bench/seed.py). Names are the keys
of the JSON output: keep them stable so that results can be compared across commits.
"""

from typing import NamedTuple


class Target(NamedTuple):
    name: str
    host: str
    path: str
    # True for pages whose work could grow with the number of events or publications
    # seeded: their SQL queries are counted twice, with `--events-small`/
    # `--publications-small` and with `--events`/`--publications` bulk items
    # (`queries_small`, `queries_large` in the JSON), and any growth is flagged.
    scales_with_events: bool = False
    # For those: a string that occurs once per event (or publication) listed in the response
    # (counted at both sizes as `listed_small`/`listed_large`: a query count can only reveal an N+1
    # if the number of events listed differs between the two).
    item_marker: str | None = None


EVENT_CARD = 'class="card event-card"'  # agenda/templates/agenda/includes/event_card.html
VEVENT = "BEGIN:VEVENT"
PUBLICATION_CARD = 'class="card publication-card"'  # publications/includes/publication_card.html
SHOWCASE_CARD = 'class="card showcase-card"'  # showcase/includes/item_card.html


# The baseline: a bare Wagtail page (bench.models.BarePage) served by the same stack.
BASELINE = Target("bare_page", "localhost", "/bare/")

TARGETS = [
    # The front page's selection grows with the bulk items (bench.seed.add_bulk_proposals).
    Target("national_home", "localhost", "/", True, SHOWCASE_CARD),
    Target("centre_index", "localhost", "/les-crpv/"),  # list of the 19 centres + map
    # Its sections (next events, resources, news, team...: centres.sections) grow with
    # the bulk items.
    Target("centre_home", "irev.localhost", "/", True),
    Target("centre_content_page", "irev.localhost", "/le-centre/"),
    # The agenda (bench/seed.py adds the bulk events: --events, 5,000 by default).
    Target("national_agenda", "localhost", "/agenda/", True, EVENT_CARD),  # the whole network's
    Target("centre_agenda", "irev.localhost", "/agenda/", True, EVENT_CARD),  # IREV's, co-organised
    # The first bulk event, always IREV's (bench.seed.REFERENCE_EVENT_SLUG).
    Target("event_page", "irev.localhost", "/agenda/bench-evenement-1/", True),
    # The same event with the portal's registrations open (bench.seed.REGISTRATION_EVENT_SLUG):
    # the form, "N places disponibles", outside the cached fragment (issue #20).
    Target(
        "event_page_registration", "irev.localhost", "/agenda/bench-inscriptions-ouvertes/", True
    ),
    Target("national_ical", "localhost", "/agenda/ical/", True, VEVENT),  # up to FEED_LIMIT (500)
    # The library (bench/seed.py adds the bulk publications: --publications, 30,000 by
    # default; counted small with --publications-small, like the events).
    Target("national_library", "localhost", "/ressources/", True, PUBLICATION_CARD),
    Target(
        "filtered_library",
        "localhost",
        "/ressources/?group=sante&kind=publication",
        True,
        PUBLICATION_CARD,
    ),
    # The first bulk publication, always IREV's (bench.seed.REFERENCE_PUBLICATION_SLUG).
    Target("publication_page", "irev.localhost", "/ressources/bench-publication-1/", True),
    Target(
        "working_group_page", "localhost", "/groupes-de-travail/sante/", True, PUBLICATION_CARD
    ),  # its 20 latest publications
]
# Theme pages, a centre's and the network's (centres.sections): they grow with the bulk items.
TARGETS += [
    Target("centre_theme_page", "irev.localhost", "/thematiques/sante/", True),
    Target("national_theme_page", "localhost", "/thematiques/sante/", True),
]
TARGETS.append(Target("search", "localhost", "/recherche/?q=logement+social"))  # docs/search.md

# --- Deployment issue: cached pages and the Django ceiling (portal.benchmarking) ------
# `?cache` sends a request through the page cache (only under portal.settings.bench);
# compare these lines with `django_ceiling`, a constant response through the same stack.
TARGETS += [
    Target("django_ceiling", "localhost", "/bench-ceiling/"),
    Target("national_home_cached", "localhost", "/?cache"),
    Target("national_agenda_cached", "localhost", "/agenda/?cache"),
    Target("national_library_cached", "localhost", "/ressources/?cache"),
    Target("centre_home_cached", "irev.localhost", "/?cache"),
    Target("event_page_cached", "irev.localhost", "/agenda/bench-evenement-1/?cache"),
]
