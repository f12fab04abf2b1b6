"""The search page's side of the shared query layer (`portal.listing`): what a search
covers on each site (`in_scope`), its filters (`DIMENSIONS`) and their counts, over
the pages the search backend matched (`search.engine`).

The full-text match runs once per search (its ids, best first, cached under the
content version); the filters, facet counts and the date sort then work on that id
set in memory (`search.table`), never recomputing the match, and only the page of
results is fetched from the database."""

import re
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import DateField, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from agenda.models import EventPage, EventTag
from centres.consent import pages_of
from centres.models import Centre
from portal.listing import Dimension, Facet, count_facets, narrow, read
from publications.models import NewsTag, PublicationPage, PublicationTag, WorkingGroupPage

from .text import clean_query

SLUG = re.compile(r"^[-\w]+$")
YEAR = re.compile(r"^(19|20)\d\d$")
SORTS = ("pertinence", "date")

# The content types a search lists, with the slug of the type filter. Listings and
# index pages (the agenda, the library, home pages) are ways in, not results.
TYPES = {
    "evenement": ("agenda", "eventpage", _("Événement")),
    "cycle": ("agenda", "eventseriespage", _("Cycle d’événements")),
    "publication": ("publications", "publicationpage", _("Ressource")),
    "groupe": ("publications", "workinggrouppage", _("Groupe de travail")),
    "actualite": ("publications", "newspage", _("Actualité")),
    "contribution": ("publications", "collectivecontributionpage", _("Contribution collective")),
    "offre": ("offers", "offerpage", _("Offre ou appel")),
    "page": ("home", "contentpage", _("Page")),
    # A centre's home page: a query naming the centre lists it first (search.matching).
    "centre": ("centres", "centrehomepage", _("Centre de ressources")),
}


def content_types() -> dict[str, ContentType]:
    """Slug → content type (cached by Django's ContentType manager after the first use)."""
    return {
        slug: ContentType.objects.get_by_natural_key(app, model)
        for slug, (app, model, _label) in TYPES.items()
    }


def type_label(content_type_id) -> str:
    for slug, content_type in content_types().items():
        if content_type.pk == content_type_id:
            return TYPES[slug][2]
    return ""


# The date a result shows and sorts by: the event's first day, the publication's or the
# news item's date, otherwise the first publication of the page.
RESULT_DATE = Coalesce(
    "eventpage__start_date",
    "publicationpage__publication_date",
    "newspage__date",
    TruncDate("first_published_at"),
    output_field=DateField(),
)


def centre_pages(centre: Centre) -> Q:
    """The pages of a centre: in its site's tree, or events it co-organises and
    resources it co-signs wherever they are (e.g. a working group's)."""
    return (
        Q(path__startswith=centre.home_page.path)
        | Q(pk__in=pages_of(EventPage.organisers, pk=centre.pk))
        | Q(pk__in=pages_of(PublicationPage.authors, pk=centre.pk))
    )


def in_scope(pages, centre: Centre | None):
    pages = pages.live().public().filter(content_type__in=list(content_types().values()))
    return pages if centre is None else pages.filter(centre_pages(centre))


@dataclass
class Filters:
    """The visitor's query and filters, parsed leniently: a value naming nothing known
    is dropped, so the page answers as if it were absent."""

    q: str = ""
    type: str = ""
    centre: str = ""
    group: str = ""
    theme: str = ""
    year: str = ""
    upcoming: str = ""
    sort: str = ""
    scope: str = ""
    # Objects named by the filters, read while checking that they exist.
    found: dict = field(default_factory=dict, compare=False, repr=False)

    NAMES = ("q", "type", "centre", "group", "theme", "year", "upcoming", "sort", "scope")

    @classmethod
    def from_query(cls, query) -> "Filters":
        values = {name: read(query, name) for name in cls.NAMES if name != "q"}
        raw_q = query.get("q", "")
        values["q"] = clean_query(raw_q if isinstance(raw_q, str) else "")
        for name in ("type", "centre", "group", "theme"):
            if not SLUG.match(values[name] or "-"):
                values[name] = ""
        if values["type"] not in TYPES:
            values["type"] = ""
        if not YEAR.match(values["year"]):
            values["year"] = ""
        values["upcoming"] = "1" if values["upcoming"] == "1" else ""
        values["sort"] = values["sort"] if values["sort"] in SORTS[1:] else ""
        values["scope"] = "reseau" if values["scope"] == "reseau" else ""
        found = {}
        if values["centre"]:
            found["centre"] = (
                Centre.objects.select_related("home_page")
                .filter(slug=values["centre"], home_page__isnull=False)
                .first()
            )
        if values["group"]:
            found["group"] = WorkingGroupPage.objects.filter(slug=values["group"]).first()
        if values["theme"] and not any(
            through.objects.filter(tag__slug=values["theme"]).exists() for through in THEME_THROUGHS
        ):
            values["theme"] = ""
        for name in ("centre", "group"):
            if values[name] and found.get(name) is None:
                values[name] = ""
        return cls(**values, found=found)

    def active(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.NAMES if getattr(self, name)}

    def narrows(self) -> bool:
        """Whether a facet filter is chosen (else the results are the whole match)."""
        return any(getattr(self, dimension.name) for dimension in DIMENSIONS)


# The page types that carry themes (taggit tags), each through its own table.
THEME_THROUGHS = (EventTag, PublicationTag, NewsTag)
UPCOMING_LABEL = _("Événements à venir uniquement")


def _dimension(name, label, **flags):
    """A filter of the search: narrowed and counted over the matched pages in memory
    (`search.table.Matches`), the same way for every filter."""
    return Dimension(
        name,
        label,
        lambda matches, value: matches.narrow(name, value),
        lambda matches: matches.counts(name),
        **flags,
    )


DIMENSIONS = (
    _dimension("type", _("Type de contenu")),
    _dimension("centre", _("Centre"), by_label=True),
    _dimension("group", _("Groupe de travail"), by_label=True),
    _dimension("theme", _("Thème"), by_label=True),
    _dimension("year", _("Année")),
    _dimension("upcoming", _("Agenda")),
)


def apply(matches, filters: Filters):
    return narrow(matches, DIMENSIONS, filters)


def facets(matches, filters: Filters) -> list[Facet]:
    return count_facets(matches, DIMENSIONS, filters)
