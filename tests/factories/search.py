"""Per-site promoted search results."""

import factory
from factory.django import DjangoModelFactory

from search.models import SearchPromotion

from .centres import SiteFactory
from .home import ContentPageFactory


class SearchPromotionFactory(DjangoModelFactory):
    """A page of the site pinned for a query (stored normalised: lower case, no
    accents). Pass `site=` and `page=` to pin a page of a seeded site."""

    class Meta:
        model = SearchPromotion

    site = factory.SubFactory(SiteFactory)
    page = factory.SubFactory(ContentPageFactory, parent=factory.SelfAttribute("..site.root_page"))
    query = factory.Sequence(lambda n: f"recherche d'essai {n}")
    description = "Le texte affiché à la place du résumé."
