"""The sections of a centre's home that the centres app itself provides: its team,
its contacts and opening hours, its social links (centres.sections)."""

from django.utils.translation import gettext_lazy as _

from . import sections


def team(scope, count):
    page = scope.page
    if not hasattr(page, "team_members"):
        return []
    return list(page.team_members.all()[: max(count, 12)])


def _identity(scope):
    from .models import SiteIdentity

    if scope.site is None:
        return None
    return SiteIdentity.for_site(scope.site)


def contact(scope, count):
    identity = _identity(scope)
    centre = scope.centre
    details = {
        "email": (identity and identity.contact_email) or (centre and centre.contact_email),
        "phone": (identity and identity.phone) or (centre and centre.phone),
        "address": identity.address if identity else "",
        "opening_hours": identity.opening_hours if identity else "",
        "website": (centre and centre.website) or (identity and identity.website),
    }
    if not any(details.values()):
        return None
    # The site's forms (home.FormPage: contact, documentation request), named by content
    # type: centres does not import the home app.
    from wagtail.models import Page

    details["forms"] = list(
        Page.objects.child_of(scope.home_page)
        .live()
        .public()
        .filter(content_type__app_label="home", content_type__model="formpage")
        .exclude(slug="signaler-un-probleme-d-accessibilite")
        .only("title", "url_path", "path", "depth")
    )
    return details


def social(scope, count):
    identity = _identity(scope)
    if identity is None:
        return []
    return [(label, url) for label, url in identity.social_links]


def register_own_sections():
    sections.register(
        sections.SectionKind(
            name="team",
            label=_("L’équipe"),
            template="centres/sections/team.html",
            items=team,
            order=60,
        )
    )
    sections.register(
        sections.SectionKind(
            name="contact",
            label=_("Nous contacter"),
            template="centres/sections/contact.html",
            items=contact,
            order=70,
        )
    )
    sections.register(
        sections.SectionKind(
            name="social",
            label=_("Sur les réseaux sociaux"),
            template="centres/sections/social.html",
            items=social,
            order=80,
        )
    )
