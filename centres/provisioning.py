"""Give a centre of the registry everything it needs to publish: a home page, a Site on
<slug>.<PORTAL_DOMAIN>, a collection, an editors group and identity settings.

Used by the seed command and when the coordinator adds a centre in the admin. Each
step creates only what is missing, so running it again changes nothing."""

from django.conf import settings
from django.db import transaction

from wagtail.models import Collection, Page, Site

from portal.wording import in_territory

from .models import Centre, CentreHomePage, SiteIdentity
from .permissions import ensure_centre_editors


def ensure_collection(name: str) -> Collection:
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=name).first() or root.add_child(name=name)


def ensure_site(hostname: str, port: int, root: Page, name: str, *, default=False) -> Site:
    site = Site.objects.filter(root_page=root).first()
    if site is None:
        site = Site.objects.create(
            hostname=hostname, port=port, root_page=root, site_name=name, is_default_site=default
        )
    return site


@transaction.atomic
def provision_centre(centre: Centre, *, accent_colour: str | None = None) -> Site:
    changed = []
    if centre.home_page_id is None:
        home = CentreHomePage(
            title=centre.name,
            slug=centre.slug,
            introduction=f"<p>{centre.long_name}\u00a0: centre de ressources au service des "
            f"acteurs de la politique de la ville {in_territory(centre.territory)}.</p>",
        )
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
        centre.home_page = home
        changed.append("home_page")
    if centre.collection_id is None:
        centre.collection = ensure_collection(f"Centre · {centre.name}")
        changed.append("collection")
    if changed:
        centre.save(update_fields=changed)
    site = ensure_site(
        f"{centre.slug}.{settings.PORTAL_DOMAIN}",
        settings.PORTAL_PORT,
        centre.home_page,
        centre.name,
    )
    defaults = {"tagline": centre.long_name, "contact_email": centre.contact_email}
    if accent_colour:
        defaults["accent_colour"] = accent_colour
    SiteIdentity.objects.get_or_create(site=site, defaults=defaults)
    ensure_centre_editors(centre, site)
    return site
