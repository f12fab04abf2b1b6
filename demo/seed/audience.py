"""The national portal's audience of earlier years, as the network's activity reports
published it (`portal_traffic` in network/data/network.json), imported through the
statistics' own import (stats.imports): the current year's report compares with it."""

from wagtail.models import Site

from network.facts import network
from stats.imports import network_csv, read
from stats.models import ImportedYear


def seed_audience_history(report):
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or ImportedYear.objects.filter(site=site).exists():
        return
    outcome = read(network_csv(site.hostname, network()["portal_traffic"]), source="network.json")
    if not outcome.ok:
        raise ValueError(f"portal_traffic refused: {outcome.refused}")
    report.created.append(
        f"audience history: {outcome.years} year(s), {outcome.pages} page line(s)"
    )
