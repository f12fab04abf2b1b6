"""Creating pages only when missing, so that a re-run leaves editors' changes alone."""

from wagtail.models import Page

from centres.models import SiteIdentity
from home.models import AccessibilityStatementPage, ContentPage, FormField, FormPage

LEGAL_PAGES = [
    (
        "legal_notice_page",
        "mentions-legales",
        "Mentions légales",
        "Éditeur du site, directeur de la publication, hébergeur\u00a0: "
        "à compléter par l’équipe du site.",
    ),
    (
        "privacy_page",
        "donnees-personnelles",
        "Données personnelles",
        "Ce site ne dépose aucun cookie de suivi. La mesure d’audience est anonyme et exemptée "
        "de consentement selon les recommandations de la CNIL.",
    ),
    (
        "accessibility_page",
        "accessibilite",
        "Déclaration d’accessibilité",
        "",  # an AccessibilityStatementPage (RGAA model), not a page of text
    ),
]

# The forms of a site (home.form_pages): slug, title, purpose, intro, fields (label,
# type, required). Mailed to the site's contact address.
FORMS = {
    "contact": (
        "contact",
        "Nous contacter",
        "<p>Une question, une proposition\u00a0? Écrivez-nous, nous vous répondrons.</p>",
        [
            ("Nom", "singleline", True),
            ("Courriel", "email", True),
            ("Objet", "singleline", False),
            ("Message", "multiline", True),
        ],
    ),
    "documentation": (
        "demande-de-documentation",
        "Demande de documentation",
        "<p>Le centre de documentation vous aide à trouver études, rapports et "
        "expériences\u00a0: décrivez ce que vous cherchez.</p>",
        [
            ("Nom", "singleline", True),
            ("Courriel", "email", True),
            ("Structure", "singleline", False),
            ("Votre demande", "multiline", True),
        ],
    ),
    "accessibility": (
        "signaler-un-probleme-d-accessibilite",
        "Signaler un problème d’accessibilité",
        "<p>Vous n’arrivez pas à accéder à un contenu ou à un service\u00a0? Décrivez le "
        "problème\u00a0: nous vous proposerons une alternative accessible.</p>",
        [
            ("Courriel", "email", True),
            ("Adresse de la page concernée", "url", False),
            ("Description du problème", "multiline", True),
            ("Navigateur et technologie d’assistance utilisés", "singleline", False),
        ],
    ),
}


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
        if setting_field == "accessibility_page":
            page, created = ensure_accessibility_statement(home, slug, title, report)
        else:
            page, created = ensure_content_page(home, slug, title, report, paragraphs=[text])
        if created:
            setattr(identity, setting_field, page)
            linked.append(setting_field)
    if linked:
        identity.save(update_fields=linked)


def ensure_form(home, purpose, report):
    """The site's form for `purpose` (FORMS), created with its fields when missing."""
    slug, title, intro, fields = FORMS[purpose]
    page = home.get_children().filter(slug=slug).specific().first()
    if page is not None:
        return page
    page = FormPage(
        title=title,
        slug=slug,
        purpose=purpose,
        intro=intro,
        thank_you_text="<p>Merci, votre message a bien été transmis à l’équipe.</p>",
    )
    for order, (label, field_type, required) in enumerate(fields):
        page.form_fields.add(
            FormField(label=label, field_type=field_type, required=required, sort_order=order)
        )
    publish_child(home, page)
    report.created.append(f"page {page.url_path}")
    return page


def ensure_accessibility_statement(home, slug, title, report):
    """Returns (page, created): the site's statement, RGAA model, "non conforme" until
    an audit says otherwise, linked to the site's form to report a problem."""
    page = home.get_children().filter(slug=slug).specific().first()
    if page is not None:
        return page, False
    form = ensure_form(home, "accessibility", report)
    page = AccessibilityStatementPage(title=title, slug=slug, report_page=form)
    publish_child(home, page)
    report.created.append(f"page {page.url_path}")
    return page, True
