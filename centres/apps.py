from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CentresConfig(AppConfig):
    name = "centres"
    label = "centres"
    verbose_name = _("Centres de ressources")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # portal builds on nothing above it: the centres app tells it what of its own
        # changes the cached fragments show, and which centre sites offer English.
        from portal import i18n
        from portal.cache import bump_on_change, register_page_sites

        from .home_sections import register_own_sections
        from .models import CoOrganisation, SiteIdentity

        bump_on_change(SiteIdentity)
        # The home's own sections; the content apps register theirs (centres.sections).
        register_own_sections()
        # An answer changes what a centre's site lists: the sites that show the page.
        for signal in (post_save, post_delete):
            signal.connect(
                _co_organisation_changed,
                sender=CoOrganisation,
                dispatch_uid=f"centres-coorganisation-{signal is post_save}",
            )
        i18n.register_centre_offers_english(_offers_english)
        # A co-organised event or a co-signed resource shows on each named centre's site.
        register_page_sites(_named_centres_sites)


def _co_organisation_changed(sender, instance, **kwargs):
    from wagtail.models import Page

    from portal.cache import bump_content_version, sites_showing

    page = Page.objects.filter(pk=instance.page_id).first()
    bump_content_version(sites=sites_showing(page) if page is not None else None)


def _named_centres_sites(page) -> set[int]:
    """The sites of the centres `page` names, now or before (a centre removed from the
    organisers still has the page on its cached agenda): its co-organisation records."""
    from wagtail.models import Site

    from .consent import named_centre_ids
    from .models import Centre, CoOrganisation

    ids = set(named_centre_ids(page.specific))
    ids |= set(CoOrganisation.objects.filter(page_id=page.pk).values_list("centre_id", flat=True))
    if not ids:
        return set()
    homes = Centre.objects.filter(pk__in=ids).values_list("home_page_id", flat=True)
    return set(Site.objects.filter(root_page_id__in=homes).values_list("pk", flat=True))


def _offers_english(site, request=None) -> bool:
    from .models import SiteIdentity

    identity = (
        SiteIdentity.for_request(request) if request is not None else SiteIdentity.for_site(site)
    )
    return bool(identity.english_enabled)
