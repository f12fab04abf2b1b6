"""The base of every page factory: a page is placed under its parent, then saved as a
revision and published when live, the way an editor's "Publier" does it (so the page has
its revision, its first publication date, and the signals of a publication are sent)."""

from wagtail.models import Page

import factory
import wagtail_factories


class PortalPageFactory(wagtail_factories.PageFactory):
    """`parent=` places the page (in the seeded network: `network.national_home`, a
    centre's `home_page`, an agenda, ...); without it, each factory builds a branch of
    its own under the tree's root, which no site serves. `live=False` leaves a draft;
    `tags=[...]` sets the themes of the pages that have some."""

    class Meta:
        abstract = True

    live = True

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("parent")
        tags = kwargs.pop("tags", ())
        page = model_class(**kwargs)
        if tags:
            page.tags.set(list(tags))
        return page

    @classmethod
    def _create_instance(cls, model_class, parent, kwargs):
        tags = kwargs.pop("tags", ())
        page = model_class(**kwargs)
        if tags:
            page.tags.set(list(tags))
        # Wagtail's tree has one root, made by its migrations: a page given no parent
        # goes under it, not beside it.
        (parent or Page.get_first_root_node()).add_child(instance=page)
        # Validated as the admin validates it (`full_clean`), then published when live.
        revision = page.save_revision(clean=True)
        if page.live:
            revision.publish()
            page.refresh_from_db()
        return page


# The parent of a site's home page: the root of Wagtail's tree.
ROOT = factory.LazyFunction(Page.get_first_root_node)
