"""Creating pages only when missing, so that a re-run leaves editors' changes alone."""

from wagtail.models import Page

from centres.models import SiteIdentity
from home.models import ContentPage

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


def publish_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def child(parent, model, slug):
    return model.objects.child_of(parent).filter(slug=slug).first()


def ensure_page(parent, model, slug, report, **fields):
    """The child page of that type and slug, created and published when missing."""
    page = child(parent, model, slug)
    if page is None:
        page = publish_child(parent, model(slug=slug, **fields))
        report.created.append(f"page {page.url_path}")
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
