"""Seed the network's structure: 20 sites, their home and legal pages, collections,
groups, identity settings and demo users. Idempotent: what exists is left as it is
(an editor's later changes survive a re-run), only what is missing is created."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from wagtail.models import Collection, Page, Site

from centres.models import Centre, CentreHomePage, CentreIndexPage, SiteIdentity
from centres.permissions import ensure_centre_editors, ensure_coordination
from home.models import ContentPage, NationalHomePage

from .data import ACCENTS, COORDINATES, network

DEMO_PASSWORD = "demo-rncrpv-2026"
NATIONAL_COLLECTION = "Réseau national"


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)
    users: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, role)

    def add(self, what: str):
        self.created.append(what)


def publish_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def child_by_slug(parent: Page, slug: str):
    return parent.get_children().filter(slug=slug).specific().first()


def ensure_content_page(parent, slug, title, *, intro="", paragraphs=(), in_menu=False, report=None):
    page = child_by_slug(parent, slug)
    if page is not None:
        return page
    body = [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]
    page = ContentPage(title=title, slug=slug, introduction=intro, body=body, show_in_menus=in_menu)
    publish_child(parent, page)
    if report is not None:
        report.add(f"page {parent.url_path}{slug}/")
    return page


LEGAL_PAGES = [
    ("mentions-legales", "Mentions légales",
     "Éditeur du site, directeur de la publication, hébergeur : à compléter par l'équipe du site."),
    ("donnees-personnelles", "Données personnelles",
     "Ce site ne dépose aucun cookie de suivi. La mesure d'audience est anonyme et exemptée "
     "de consentement selon les recommandations de la CNIL."),
    ("accessibilite", "Déclaration d'accessibilité",
     "Ce site vise la conformité au référentiel général d'amélioration de l'accessibilité "
     "(RGAA 4.1). Pour signaler un défaut d'accessibilité, écrivez à l'adresse de contact."),
]


def ensure_legal_pages(home, report) -> dict[str, Page]:
    return {
        slug: ensure_content_page(home, slug, title, paragraphs=[text], report=report)
        for slug, title, text in LEGAL_PAGES
    }


def ensure_identity(site, legal, **values):
    identity, created = SiteIdentity.objects.get_or_create(site=site, defaults=values)
    if created:
        identity.legal_notice_page = legal["mentions-legales"]
        identity.privacy_page = legal["donnees-personnelles"]
        identity.accessibility_page = legal["accessibilite"]
        identity.save()
    return identity


def ensure_site(hostname, port, root, name, *, default=False) -> Site:
    site = Site.objects.filter(root_page=root).first()
    if site is None:
        site = Site.objects.create(
            hostname=hostname, port=port, root_page=root, site_name=name, is_default_site=default
        )
    return site


def remove_wagtail_defaults():
    """Wagtail's first migration leaves a welcome page, a site on it, and two groups
    with rights over the whole tree: the network's own structure replaces them."""
    for page in Page.objects.filter(depth=2, content_type__model="page",
                                    content_type__app_label="wagtailcore"):
        page.delete()
    Group.objects.filter(name__in=["Editors", "Moderators"]).delete()


def ensure_national(report):
    data = network()["network"]
    root = Page.get_first_root_node()
    home = NationalHomePage.objects.first()
    if home is None:
        home = NationalHomePage(
            title="Réseau national des centres de ressources politique de la ville",
            slug="portail",
            introduction=(
                f"<p>Les {data['centres_count']} centres de ressources politique de la ville "
                "accompagnent les professionnels de la politique de la ville dans leurs "
                "territoires, en métropole et outre-mer.</p>"
            ),
        )
        publish_child(root, home)
        report.add("national home page")
    site = ensure_site(settings.PORTAL_DOMAIN, settings.PORTAL_PORT, home,
                       "Réseau national des CRPV", default=True)
    if not child_by_slug(home, "les-crpv"):
        publish_child(home, CentreIndexPage(
            title="Les centres de ressources", slug="les-crpv", show_in_menus=True,
            introduction="<p>Chaque centre accompagne les acteurs de la politique de la "
                         "ville de son territoire. Retrouvez leurs sites, leurs agendas et "
                         "leurs ressources.</p>",
        ))
        report.add("page /les-crpv/")
    documentary = data["documentary_base"]
    ensure_content_page(
        home, "le-reseau", "Le réseau", in_menu=True, report=report,
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
    legal = ensure_legal_pages(home, report)
    ensure_identity(
        site, legal, accent_colour=ACCENTS[0], tagline="Centres de ressources politique de la ville",
        contact_email="contact@reseau-crpv.example.org",
        footer_text="<p>Le portail commun des 19 centres de ressources politique de la ville.</p>",
    )
    collection = ensure_collection(NATIONAL_COLLECTION)
    group = ensure_coordination(home, collection, site)
    return home, site, group


def ensure_collection(name) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def ensure_centre(entry, index, report) -> Centre:
    slug = entry["slug"]
    lat, lon = COORDINATES.get(slug, (None, None))
    centre, created = Centre.objects.get_or_create(
        slug=slug,
        defaults=dict(
            name=entry["name"], long_name=entry["long_name"], territory=entry["territory"],
            city=entry.get("city", ""), overseas=entry.get("overseas", False),
            time_zone=entry.get("timezone", "Europe/Paris"), latitude=lat, longitude=lon,
            contact_email=f"contact@{slug}.example.org",
        ),
    )
    if created:
        report.add(f"centre {slug}")
    changed = []
    if centre.home_page_id is None:
        home = CentreHomePage(
            title=centre.name, slug=slug,
            introduction=f"<p>{centre.long_name} : centre de ressources au service des "
                         f"acteurs de la politique de la ville en {centre.territory}.</p>",
        )
        publish_child(Page.get_first_root_node(), home)
        centre.home_page = home
        changed.append("home_page")
        report.add(f"site {slug}")
    if centre.collection_id is None:
        centre.collection = ensure_collection(f"Centre · {centre.name}")
        changed.append("collection")
    if changed:
        centre.save(update_fields=changed)
    home = centre.home_page.specific
    site = ensure_site(f"{slug}.{settings.PORTAL_DOMAIN}", settings.PORTAL_PORT, home, centre.name)
    ensure_content_page(
        home, "le-centre", "Le centre", in_menu=True, report=report,
        intro=f"{centre.long_name}.",
        paragraphs=[
            f"Le centre accompagne les professionnels, élus et associations de la politique de "
            f"la ville en {centre.territory} : qualification, mise en réseau, capitalisation.",
        ],
    )
    legal = ensure_legal_pages(home, report)
    ensure_identity(
        site, legal, accent_colour=ACCENTS[index % len(ACCENTS)], tagline=centre.long_name,
        contact_email=centre.contact_email,
        footer_text=f"<p>{centre.name}, membre du réseau national des CRPV.</p>",
    )
    ensure_centre_editors(centre, site)
    return centre


def ensure_user(username, password, group, report, *, superuser=False, first_name=""):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=f"{username}@example.org", first_name=first_name,
                    is_staff=superuser, is_superuser=superuser)
        user.set_password(password)
        user.save()
        report.add(f"user {username}")
    if group is not None:
        user.groups.add(group)
    report.users.append((username, password, group.name if group else "superuser"))
    return user


@transaction.atomic
def seed_network(*, with_users=True) -> SeedReport:
    report = SeedReport()
    remove_wagtail_defaults()
    _, _, coordination = ensure_national(report)
    centres = [ensure_centre(entry, i + 1, report) for i, entry in enumerate(network()["centres"])]
    if with_users:
        ensure_user("admin", DEMO_PASSWORD, None, report, superuser=True)
        ensure_user("coordination", DEMO_PASSWORD, coordination, report, first_name="Coordination")
        for centre in centres:
            ensure_user(f"editeur-{centre.slug}", DEMO_PASSWORD, centre.editors_group, report)
    return report
