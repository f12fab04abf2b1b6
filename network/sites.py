"""The national portal's site and each centre's (through `centres.provisioning`), with
their presentation and legal pages."""

from django.conf import settings
from django.contrib.auth.models import Group

from wagtail.models import Locale, Page, Workflow, WorkflowPage

from centres.models import Centre, CentreIndexPage, SiteIdentity
from centres.permissions import ensure_coordination
from centres.provisioning import ensure_collection, ensure_site, provision_centre
from home.models import NationalHomePage
from portal.wording import in_territory, thousands

from .facts import ACCENTS, COORDINATES, network
from .pages import ensure_content_page, ensure_form, ensure_legal_pages, publish_child

NATIONAL_COLLECTION = "Réseau national"


def remove_wagtail_defaults():
    """Wagtail's first migration leaves a welcome page, a site on it, and two groups
    with rights over the whole tree: the network's own structure replaces them."""
    for page in Page.objects.filter(
        depth=2, content_type__app_label="wagtailcore", content_type__model="page"
    ):
        page.delete()
    Group.objects.filter(name__in=["Editors", "Moderators"]).delete()
    # Its default "Moderators approval" workflow would wait for a group that no longer
    # exists: centres publish in autonomy unless they turn a workflow on.
    WorkflowPage.objects.filter(workflow__name="Moderators approval").delete()
    Workflow.objects.filter(name="Moderators approval").update(active=False)


def bootstrap_national(report):
    """The portal's home page, site, identity, `/les-crpv/`, `/le-reseau/`, legal pages
    and the coordination group. Returns (home page, coordination group)."""
    data = network()["network"]
    home = NationalHomePage.objects.filter(locale=Locale.get_default()).first()
    if home is None:
        home = publish_child(
            Page.get_first_root_node(),
            NationalHomePage(
                title="Réseau national des centres de ressources politique de la ville",
                slug="portail",
                introduction=(
                    f"<p>Les {data['centres_count']} centres de ressources politique de la ville "
                    "accompagnent les professionnels de la politique de la ville dans leurs "
                    "territoires, en métropole et outre-mer.</p>"
                ),
            ),
        )
        report.created.append("national home page")
    site = ensure_site(
        settings.PORTAL_DOMAIN, settings.PORTAL_PORT, home, "Réseau national des CRPV", default=True
    )
    # No contact address: the coordination types its own (the demo puts an example one).
    SiteIdentity.objects.get_or_create(
        site=site,
        defaults=dict(
            accent_colour=ACCENTS[0],
            tagline="Centres de ressources politique de la ville",
            footer_text=(
                "<p>Le portail commun des 19 centres de ressources politique de la ville.</p>"
            ),
        ),
    )
    if not home.get_children().filter(slug="les-crpv").exists():
        publish_child(
            home,
            CentreIndexPage(
                title="Les centres de ressources",
                slug="les-crpv",
                show_in_menus=True,
                introduction="<p>Chaque centre accompagne les acteurs de la politique de la "
                "ville de son territoire. Retrouvez leurs sites, leurs agendas et "
                "leurs ressources.</p>",
            ),
        )
        report.created.append("page /les-crpv/")
    documentary = data["documentary_base"]
    ensure_content_page(
        home,
        "le-reseau",
        "Le réseau",
        report,
        in_menu=True,
        intro=f"Le {data['name']} ({data['short_name']}) rassemble les "
        f"{data['centres_count']} centres de ressources.",
        paragraphs=[
            f"Anciennement association {data['previous_association_name']}, le réseau anime "
            f"ce portail depuis {data['portal_since']}.",
            f"Sa base documentaire partagée, {documentary['name']}, compte "
            f"{thousands(documentary['records_2023'])} notices et "
            f"{thousands(documentary['digital_documents_2023'])} documents numériques.",
            "Douze groupes de travail thématiques produisent chaque année des publications "
            "communes et une contribution collective à l’Agence nationale de la cohésion des "
            "territoires.",
        ],
    )
    ensure_legal_pages(home, site, report)
    ensure_form(home, "contact", report)
    group = ensure_coordination(home, ensure_collection(NATIONAL_COLLECTION), site)
    return home, group


def bootstrap_centre(entry, index, report) -> Centre:
    """One centre from the facts: its record, site, home page, collection, editors'
    group, identity, `/le-centre/` and legal pages."""
    slug = entry["slug"]
    lat, lon = COORDINATES.get(slug, (None, None))
    centre, created = Centre.objects.get_or_create(
        slug=slug,
        defaults=dict(
            name=entry["name"],
            long_name=entry["long_name"],
            territory=entry["territory"],
            city=entry.get("city", ""),
            overseas=entry.get("overseas", False),
            time_zone=entry.get("timezone", "Europe/Paris"),
            latitude=lat,
            longitude=lon,
        ),
    )
    if created:
        report.created.append(f"centre {slug}")
    site = provision_centre(centre, accent_colour=ACCENTS[index % len(ACCENTS)])
    home = centre.home_page
    ensure_content_page(
        home,
        "le-centre",
        "Le centre",
        report,
        in_menu=True,
        intro=f"{centre.long_name}.",
        paragraphs=[
            f"Le centre accompagne les professionnels, élus et associations de la politique de "
            f"la ville {in_territory(centre.territory)}\u00a0: qualification, mise en réseau, "
            "capitalisation.",
        ],
    )
    ensure_legal_pages(home, site, report)
    ensure_form(home, "contact", report)
    ensure_form(home, "documentation", report)
    return centre
