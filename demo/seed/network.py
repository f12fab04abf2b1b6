"""Seed the demo network: the network's real bootstrap (`network.bootstrap`), then the
demo content (events, publications, news, contributions, partners, working groups'
members, example contact addresses) and the demo accounts. Idempotent: what exists is
left as it is (an editor's later changes survive a re-run); only what is missing is
created."""

from django.contrib.auth import get_user_model
from django.db import transaction

from centres.models import Centre, SiteIdentity
from network.bootstrap import bootstrap_network
from network.report import Report
from network.sites import NATIONAL_COLLECTION  # noqa: F401 (kept importable from here)
from portal.indexing import deferred_indexing

from .agenda import seed_agendas
from .audience import seed_audience_history
from .centre_site import seed_centre_sites
from .english import seed_english_pages
from .library import group_member_accounts, seed_group_members, seed_library
from .newsletter import seed_newsletters
from .offers import seed_offers
from .registrations import seed_registrations
from .renditions import seed_renditions
from .showcase import seed_showcase
from .visuals import seed_identities

DEMO_PASSWORD = "demo-rncrpv-2026"

SeedReport = Report


def seed_example_contacts(national_home):
    """Example contact addresses where none is set (production leaves them empty for the
    centres to fill), on the centres and their sites' identities."""
    for centre in Centre.objects.filter(contact_email="").select_related("home_page"):
        centre.contact_email = f"contact@{centre.slug}.example.org"
        centre.save(update_fields=["contact_email"])
    for identity in SiteIdentity.objects.filter(contact_email="").select_related("site"):
        centre = Centre.objects.filter(home_page_id=identity.site.root_page_id).first()
        if centre is not None:
            identity.contact_email = centre.contact_email
        elif identity.site.root_page_id == national_home.pk:
            identity.contact_email = "contact@reseau-crpv.example.org"
        else:
            continue
        identity.save(update_fields=["contact_email"])


def ensure_user(username, groups, report, *, superuser=False):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            email=f"{username}@example.org",
            is_staff=superuser,
            is_superuser=superuser,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        report.created.append(f"user {username}")
    user.groups.add(*groups)
    role = " + ".join(group.name for group in groups) or "superuser"
    report.users.append((username, DEMO_PASSWORD, role))
    return user


@transaction.atomic
@deferred_indexing()  # most pages are saved several times: indexed once, at the end
def seed_network(*, with_users=True) -> SeedReport:
    report = SeedReport()
    network = bootstrap_network(report)
    seed_example_contacts(network.national_home)
    seed_group_members(network.groups)
    seed_library(network, report)
    seed_agendas(network, report)
    seed_offers(network, report)
    seed_centre_sites(network, report)
    seed_showcase(network, report)
    seed_newsletters(report)
    seed_registrations(report)
    seed_audience_history(report)
    seed_identities(network.national_home)
    seed_renditions()  # after every image is chosen: the first visitor does not wait
    # Once this transaction is committed: wagtail-localize publishes a translation when
    # the transaction around it commits, from the page as it was when translated, so the
    # English home and its pages made in one transaction would leave the home without its
    # children in the tree. Each page is translated in a transaction of its own.
    transaction.on_commit(lambda: seed_english_pages(network.national_home, report))
    if with_users:
        ensure_user("admin", [], report, superuser=True)
        ensure_user("coordination", [network.coordination], report)
        for centre in network.centres:
            ensure_user(f"editeur-{centre.slug}", [centre.editors_group], report)
        for username, member_of in group_member_accounts(network.groups):
            ensure_user(username, member_of, report)
    return report
