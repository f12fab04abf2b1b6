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


# The baseline: a bare Wagtail page (bench.models.BarePage) served by the same stack.
BASELINE = Target("bare_page", "localhost", "/bare/")

TARGETS = [
    Target("national_home", "localhost", "/"),
    Target("centre_index", "localhost", "/les-crpv/"),  # list of the 19 centres + map
    Target("centre_home", "irev.localhost", "/"),
    Target("centre_content_page", "irev.localhost", "/le-centre/"),
]
