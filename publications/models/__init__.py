"""The resource library: publications, working groups, collective contributions,
partners and news. One module per concern."""

from .contributions import CollectiveContributionPage, ContributionDocument, ContributionIndexPage
from .groups import WorkingGroupIndexPage, WorkingGroupPage, WorkingGroupYear
from .kinds import ResourceKind
from .library import LibraryPage
from .news import NewsIndexPage, NewsPage, NewsTag
from .partners import Partner, PartnersPage
from .publication import PublicationDocument, PublicationPage, PublicationTag
from .thumbnails import DocumentThumbnail

__all__ = [
    "CollectiveContributionPage",
    "ContributionDocument",
    "ContributionIndexPage",
    "DocumentThumbnail",
    "LibraryPage",
    "NewsIndexPage",
    "NewsPage",
    "NewsTag",
    "Partner",
    "PartnersPage",
    "PublicationDocument",
    "PublicationPage",
    "PublicationTag",
    "ResourceKind",
    "WorkingGroupIndexPage",
    "WorkingGroupPage",
    "WorkingGroupYear",
]
