from django.apps import AppConfig


class ShowcaseConfig(AppConfig):
    name = "showcase"
    label = "showcase"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Proposal

        # A decision changes the front page: the sites showing the proposal's page (the
        # national portal's among them) get a new version, so the cached front page
        # and the page cache show it at the next request.
        post_save.connect(proposal_changed, sender=Proposal, dispatch_uid="showcase-bump")
        post_delete.connect(proposal_changed, sender=Proposal, dispatch_uid="showcase-bump-del")


def proposal_changed(sender, instance, **kwargs):
    from portal.cache import bump_content_version, sites_showing

    page = instance.page if instance.page_id else None
    bump_content_version(sites=sites_showing(page) if page is not None else None)
