"""The base of every page factory: a page is placed under its parent, then saved as a
revision and published when live, the way an editor's "Publier" does it (so the page has
its revision, its first publication date, and the signals of a publication are sent)."""

from wagtail.models import Page

import factory
import wagtail_factories

from centres.models import CoOrganisation
from portal.indexing import deferred_indexing


class PortalPageFactory(wagtail_factories.PageFactory):
    """`parent=` places the page (in the seeded network: `network.national_home`, a
    centre's `home_page`, an agenda, ...); without it, each factory builds a branch of
    its own under the tree's root, which no site serves. `live=False` leaves a draft;
    `tags=[...]` sets the themes of the pages that have some. The centres a page names
    (an event's `organisers`, a publication's `authors`) agreed, as in the seeded
    network; `agreed=False` leaves those other than the owner asked (centres.consent),
    and publishing then mails their editors."""

    class Meta:
        abstract = True

    live = True
    agreed = True

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("parent")
        kwargs.pop("agreed")
        tags = kwargs.pop("tags", ())
        page = model_class(**kwargs)
        if tags:
            page.tags.set(list(tags))
        return page

    @classmethod
    def _create_instance(cls, model_class, parent, kwargs):
        # Saved three times (placed, revised, published): indexed once, at the end, for
        # search and references (portal/indexing.py), as the seed does; Wagtail's own
        # handlers would index each save (a fifth of a factory page's cost).
        with deferred_indexing():
            return cls._place_and_publish(model_class, parent, kwargs)

    @classmethod
    def _place_and_publish(cls, model_class, parent, kwargs):
        tags = kwargs.pop("tags", ())
        agreed = kwargs.pop("agreed")
        page = model_class(**kwargs)
        if tags:
            page.tags.set(list(tags))
        # Wagtail's tree has one root, made by its migrations: a page given no parent
        # goes under it, not beside it.
        (parent or Page.get_first_root_node()).add_child(instance=page)
        if agreed:  # before the publication, which would ask them
            CoOrganisation.objects.filter(page=page).update(status=CoOrganisation.Status.ACCEPTED)
        # Validated as the admin validates it (`full_clean`), then published when live.
        revision = page.save_revision(clean=True)
        if page.live:
            revision.publish()
            page.refresh_from_db()
        return page


# The parent of a site's home page: the root of Wagtail's tree.
ROOT = factory.LazyFunction(Page.get_first_root_node)
