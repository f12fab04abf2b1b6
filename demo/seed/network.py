"""Seed the network: the national portal, the 19 centres (through
`centres.provisioning`), their presentation and legal pages, and demo users.
Idempotent: what exists is left as it is (an editor's later changes survive a
re-run); only what is missing is created."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from wagtail.models import Locale, Page, Workflow, WorkflowPage

from centres.models import Centre, CentreIndexPage, SiteIdentity
from centres.permissions import ensure_coordination
from centres.provisioning import ensure_collection, ensure_site, provision_centre
from home.models import ContentPage, NationalHomePage

from .agenda import seed_agendas
from .data import ACCENTS, COORDINATES, network
from .library import group_member_accounts, seed_library

DEMO_PASSWORD = "demo-rncrpv-2026"
NATIONAL_COLLECTION = "Réseau national"

LEGAL_PAGES = [
    (
        "legal_notice_page",
        "mentions-legales",
        "Mentions légales",
        "Éditeur du site, directeur de la publication, hébergeur : "
        "à compléter par l'équipe du site.",
    ),
    (
        "privacy_page",
        "donnees-personnelles",
        "Données personnelles",
        "Ce site ne dépose aucun cookie de suivi. La mesure d'audience est anonyme et exemptée "
        "de consentement selon les recommandations de la CNIL.",
    ),
    (
        "accessibility_page",
        "accessibilite",
        "Déclaration d'accessibilité",
        "Ce site vise la conformité au référentiel général d'amélioration de l'accessibilité "
        "(RGAA 4.1). Pour signaler un défaut d'accessibilité, écrivez à l'adresse de contact.",
    ),
]


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)
    users: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, role)


def publish_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_content_page(parent, slug, title, report, *, intro="", paragraphs=(), in_menu=False):
    """Returns (page, created)."""
    page = parent.get_children().filter(slug=slug).specific().first()
    if page is not None:
        return page, False
    body = [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]
    page = ContentPage(title=title, slug=slug, introduction=intro, body=body, show_in_menus=in_menu)
    publish_child(parent, page)
    report.created.append(f"page {page.url_path}")
    return page, True


def ensure_legal_pages(home, site, report):
    """Creates the missing legal pages and links only those in the site's footer, so a
    link an editor removed on purpose is not put back."""
    identity = SiteIdentity.for_site(site)
    linked = []
    for setting_field, slug, title, text in LEGAL_PAGES:
        page, created = ensure_content_page(home, slug, title, report, paragraphs=[text])
        if created:
            setattr(identity, setting_field, page)
            linked.append(setting_field)
    if linked:
        identity.save(update_fields=linked)


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


def seed_national(report):
    data = network()["network"]
    home = NationalHomePage.objects.first()
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
    SiteIdentity.objects.get_or_create(
        site=site,
        defaults=dict(
            accent_colour=ACCENTS[0],
            tagline="Centres de ressources politique de la ville",
            contact_email="contact@reseau-crpv.example.org",
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
            f"{documentary['records_2023']:,} notices et {documentary['digital_documents_2023']:,} "
            "documents numériques.".replace(",", "\u202f"),
            "Douze groupes de travail thématiques produisent chaque année des publications "
            "communes et une contribution collective à l'Agence nationale de la cohésion des "
            "territoires.",
        ],
    )
    ensure_legal_pages(home, site, report)
    group = ensure_coordination(home, ensure_collection(NATIONAL_COLLECTION), site)
    return home, group


def seed_centre(entry, index, report) -> Centre:
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
            contact_email=f"contact@{slug}.example.org",
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
            f"la ville en {centre.territory} : qualification, mise en réseau, capitalisation.",
        ],
    )
    ensure_legal_pages(home, site, report)
    return centre


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
def seed_network(*, with_users=True) -> SeedReport:
    report = SeedReport()
    remove_wagtail_defaults()
    # Translations: the English locale (also made by portal's migration 0002; a
    # database restored from before it, or flushed, gets it here).
    Locale.objects.get_or_create(language_code="en")
    national_home, coordination = seed_national(report)
    centres = [seed_centre(entry, i + 1, report) for i, entry in enumerate(network()["centres"])]
    groups = seed_library(national_home, centres, report)
    seed_agendas(national_home, centres, groups, report)
    if with_users:
        ensure_user("admin", [], report, superuser=True)
        ensure_user("coordination", [coordination], report)
        for centre in centres:
            ensure_user(f"editeur-{centre.slug}", [centre.editors_group], report)
        for username, member_of in group_member_accounts(groups):
            ensure_user(username, member_of, report)
    return report
