"""factory_boy factories (wagtail-factories for the pages) for every page type and
snippet, one module per app. See docs/testing.md."""

from .agenda import (
    AgendaPageFactory,
    EventFormatFactory,
    EventPageFactory,
    EventSeriesPageFactory,
)
from .centres import (
    CentreFactory,
    CentreHomePageFactory,
    CentreIndexPageFactory,
    SiteFactory,
    SiteIdentityFactory,
)
from .home import (
    AccessibilityStatementPageFactory,
    ContentPageFactory,
    FormPageFactory,
    NationalHomePageFactory,
    ThemeIndexPageFactory,
    ThemePageFactory,
)
from .offers import OfferIndexPageFactory, OfferPageFactory
from .pages import PortalPageFactory
from .publications import (
    CollectiveContributionPageFactory,
    ContributionIndexPageFactory,
    LibraryPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    PartnerFactory,
    PartnersPageFactory,
    PublicationPageFactory,
    ResourceKindFactory,
    WorkingGroupIndexPageFactory,
    WorkingGroupPageFactory,
)
from .registrations import OpeningFactory, RegistrantFactory, SeatFactory
from .search import SearchPromotionFactory

__all__ = [
    "AccessibilityStatementPageFactory",
    "FormPageFactory",
    "ThemeIndexPageFactory",
    "ThemePageFactory",
    "AgendaPageFactory",
    "CentreFactory",
    "CentreHomePageFactory",
    "CentreIndexPageFactory",
    "CollectiveContributionPageFactory",
    "ContentPageFactory",
    "ContributionIndexPageFactory",
    "EventFormatFactory",
    "EventPageFactory",
    "EventSeriesPageFactory",
    "LibraryPageFactory",
    "NationalHomePageFactory",
    "NewsIndexPageFactory",
    "NewsPageFactory",
    "OfferIndexPageFactory",
    "OfferPageFactory",
    "OpeningFactory",
    "PartnerFactory",
    "PartnersPageFactory",
    "PortalPageFactory",
    "PublicationPageFactory",
    "RegistrantFactory",
    "ResourceKindFactory",
    "SearchPromotionFactory",
    "SeatFactory",
    "SiteFactory",
    "SiteIdentityFactory",
    "WorkingGroupIndexPageFactory",
    "WorkingGroupPageFactory",
]
