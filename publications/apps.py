from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    label = "publications"
    verbose_name = _("Ressources")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from centres import consent
        from portal.cache import bump_on_change
        from publications.models import PublicationPage, ResourceKind

        # Cached cards and pages show the names of these.
        bump_on_change(ResourceKind)
        # A centre named here sees the page on its site once it accepts (centres.consent).
        consent.register(PublicationPage, "authors")
        # A working group's centres agreed, by taking part, to sign its joint pages.
        consent.register_standing_agreement(group_centres)
        # The latest resources and news on a centre's home and on theme pages.
        from publications.home_sections import register_sections

        register_sections()


def group_centres(page) -> set[int]:
    """The pilots, co-pilots and members of the working group whose space holds `page`."""
    from publications.models.publication import group_above

    group = group_above(page.path)
    if group is None:
        return set()
    return {
        centre.pk
        for relation in (group.pilots, group.co_pilots, group.members)
        for centre in relation.all()
    }
