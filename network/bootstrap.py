"""The network's real bootstrap (`manage.py bootstrap_network`): sites, centres, groups,
collections, permissions, working groups' spaces, legal pages and empty listings, from
the network's facts. No demo content, no account. Idempotent: what exists is left as it
is (an editor's later changes survive a re-run); only what is missing is created."""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from wagtail.models import Locale

from centres.models import Centre
from home.models import NationalHomePage
from portal.indexing import deferred_indexing

from .facts import network
from .groups import bootstrap_working_groups
from .listings import (
    ensure_agenda,
    ensure_contributions_index,
    ensure_formats,
    ensure_kinds,
    ensure_library,
    ensure_national_library,
    ensure_national_themes,
    ensure_news_index,
    ensure_offers,
    ensure_partners_page,
    ensure_theme_index,
)
from .report import Report
from .sites import bootstrap_centre, bootstrap_national, remove_wagtail_defaults


@dataclass
class Network:
    """What the bootstrap set up, for the demo to fill."""

    national_home: NationalHomePage
    coordination: Group
    centres: list[Centre]
    groups: dict  # working group name -> (WorkingGroupPage, its Django group)
    kinds: dict  # name in the facts -> ResourceKind
    formats: dict  # name in the facts -> EventFormat


@transaction.atomic
@deferred_indexing()  # pages are saved several times: indexed once, at the end
def bootstrap_network(report: Report | None = None) -> Network:
    report = report if report is not None else Report()
    remove_wagtail_defaults()
    # Translations: the English locale (also made by portal's migration 0002; a
    # database restored from before it, or flushed, gets it here).
    Locale.objects.get_or_create(language_code="en")
    national_home, coordination = bootstrap_national(report)
    centres = [
        bootstrap_centre(entry, i + 1, report) for i, entry in enumerate(network()["centres"])
    ]
    kinds, formats = ensure_kinds(), ensure_formats()
    # Created in the order menus show them.
    ensure_national_library(national_home, report)
    groups = bootstrap_working_groups(national_home, report)
    ensure_contributions_index(national_home, report)
    ensure_partners_page(national_home, report)
    ensure_news_index(national_home, report)
    for centre in centres:
        ensure_library(centre.home_page, report)
        ensure_news_index(centre.home_page, report)
    ensure_agenda(national_home, "Agenda du réseau", report)
    for centre in centres:
        ensure_agenda(centre.home_page, "Agenda", report)
    ensure_offers(
        national_home,
        report,
        introduction="<p>Les offres d’emploi, appels à projets et financements publiés "
        "par les centres du réseau.</p>",
    )
    for centre in centres:
        ensure_offers(centre.home_page, report)
    ensure_national_themes(national_home, report)
    for centre in centres:
        ensure_theme_index(centre.home_page, report)
    return Network(national_home, coordination, centres, groups, kinds, formats)
