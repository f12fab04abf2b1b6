from django.apps import AppConfig
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
        from portal.cache import bump_on_change

        from .models import CoOrganisation, SiteIdentity

        bump_on_change(SiteIdentity)
        # An answer changes what a centre's site lists.
        bump_on_change(CoOrganisation)
        i18n.register_centre_offers_english(_offers_english)


def _offers_english(site, request=None) -> bool:
    from .models import SiteIdentity

    identity = (
        SiteIdentity.for_request(request) if request is not None else SiteIdentity.for_site(site)
    )
    return bool(identity.english_enabled)
