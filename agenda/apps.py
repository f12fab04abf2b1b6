from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "agenda"
    label = "agenda"
    verbose_name = _("Agenda")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from agenda.formats import EventFormat
        from agenda.models import EventPage
        from centres import consent
        from portal.cache import bump_on_change

        # Cached cards and pages show the names of these.
        bump_on_change(EventFormat)
        # A centre named here sees the page on its site once it accepts (centres.consent).
        consent.register(EventPage, "organisers")
        # The next events on a centre's home and on theme pages.
        from agenda.home_sections import register_sections

        register_sections()
