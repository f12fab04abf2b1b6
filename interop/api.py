"""The open read API (Wagtail API v2) at /api/v2/: events, publications, news, offers,
working groups, collective contributions of every site and the centres themselves, with
their centres, themes, dates and documents. Read-only (GET only), rate-limited per
client through Django's cache (Redis in production, so every worker counts together),
and cacheable by browsers and CDNs (Cache-Control)."""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Substr
from django.utils.cache import patch_cache_control, patch_vary_headers

from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.models import Page

from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.throttling import AnonRateThrottle

from agenda.models import EventPage, share_participants_counts
from centres.consent import pages_of, prefetch_agreed
from centres.models import Centre
from offers.models import OfferPage
from portal.client import client_address
from portal.listing import french_ordered
from portal.querytext import clean_query
from publications.models import (
    CollectiveContributionPage,
    NewsPage,
    PublicationPage,
    WorkingGroupPage,
)

PARIS = ZoneInfo("Europe/Paris")


class CentreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Centre
        fields = ["slug", "name", "long_name"]


class DocumentSerializer(serializers.Serializer):
    """A page's document link (EventDocument or PublicationDocument) as title and URL."""

    def to_representation(self, item):
        request = self.context["request"]
        document = item.document
        return {
            "title": getattr(item, "label", "") or document.title,
            "url": request.build_absolute_uri(document.url),
            "file_extension": document.file_extension,
        }


class OpenAPIThrottle(AnonRateThrottle):
    """Per client address, for everyone (an API client rarely logs in). The rate comes from
    INTEROP_API_RATE, read at each request so that a deployment (or a test) can change it."""

    scope = "interop_api"

    def get_rate(self):
        return getattr(settings, "INTEROP_API_RATE", "120/min")

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def get_ident(self, request):
        # DRF's own trusts any X-Forwarded-For (NUM_PROXIES): a client would pick a new
        # address per request. Only TRUSTED_PROXIES may name the client (portal.client).
        return client_address(request)


# Characters no parameter has a use for; PostgreSQL refuses NUL in a string (a 500), and
# a lone surrogate (from a JSON or a crafted decoder) is no text at all.
CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
MAX_VALUE_LENGTH = 1000
# Integer parameters Wagtail reads as ids, counts or offsets: anything but an integer, or
# beyond a 32-bit one (PostgreSQL's integer columns and OFFSET overflow), was a 500.
INTEGER_PARAMETERS = {
    "offset",
    "limit",
    "id",
    "child_of",
    "ancestor_of",
    "descendant_of",
    "translation_of",
}
MAX_INTEGER = 2**31 - 1


def checked_query(query):
    """The query string the filters will read, or BadRequestError with the reason: no
    control character, no value over MAX_VALUE_LENGTH, integers in range, and `search`
    reduced to its words (portal.querytext: no FTS5/tsquery syntax, at most 12 terms)."""
    for name, values in query.lists():
        shown = name if not CONTROL.search(name) else "?"
        for value in values:
            if CONTROL.search(name) or CONTROL.search(value):
                raise BadRequestError(f"{shown[:40]} : caractères de contrôle refusés")
            if len(value) > MAX_VALUE_LENGTH and name != "search":  # search: cut to its words
                raise BadRequestError(
                    f"{shown[:40]} : valeur trop longue (au plus {MAX_VALUE_LENGTH} caractères)"
                )
            if name in INTEGER_PARAMETERS:
                try:
                    number = int(value)
                except ValueError:
                    # Wagtail's filters say so, but not its find view (?id= was a 500).
                    raise BadRequestError(f"{name} : nombre entier attendu") from None
                if abs(number) > MAX_INTEGER:
                    raise BadRequestError(f"{name} : nombre hors limites « {value[:40]} »")
    if "search" not in query:
        return query
    words = clean_query(query["search"])
    if not words:
        raise BadRequestError("search : aucun mot à rechercher")
    cleaned = query.copy()
    cleaned["search"] = words
    return cleaned


def day_start(day: date) -> datetime | None:
    """Midnight of `day` in Paris as an instant, or None at the ends of the calendar
    (0001-01-01 and 9999-12-31 have no UTC instant to compare with): no bound there."""
    try:
        return datetime.combine(day, time.min, PARIS).astimezone(UTC)
    except OverflowError:
        return None


def parse_day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        # UPGRADE CHECKPOINT wagtail==8.0.1: `wagtail.api.v2.utils.BadRequestError` is answered as a 400 with its message (tests/test_interop_api.py::test_bad_input_is_a_400_with_a_reason)
        raise BadRequestError(f"{name} : date invalide « {value} » (attendu AAAA-MM-JJ)") from error


def linked_fields(centres_source: str) -> list[APIField]:
    """What both endpoints show alike: the page's centres, themes and documents."""
    return [
        # Only the centres that agreed to be named (centres.consent).
        APIField("centres", serializer=CentreSerializer(source=centres_source, many=True)),
        APIField(
            "themes",
            serializer=serializers.SlugRelatedField(
                source="tags", slug_field="name", many=True, read_only=True
            ),
        ),
        APIField("documents", serializer=DocumentSerializer(many=True)),
    ]


class OpenAPIMixin:
    """Every endpoint alike: JSON only, throttled, checked input, 400 with a reason,
    cache headers on every answer."""

    renderer_classes = [JSONRenderer]
    throttle_classes = [OpenAPIThrottle]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # the throttle counts refused requests too
        # Wagtail's filters and paginator read request.GET (the DRF request's attribute,
        # proxied to Django's): they get the checked copy.
        request.GET = checked_query(request.GET)

    def handle_exception(self, exc):
        # A field filter (?start_date=...) whose value the field cannot read raises
        # Django's ValidationError in the query: a 400 with its reason, not a 500.
        if isinstance(exc, ValidationError):
            exc = BadRequestError("valeur de filtre invalide : " + " ".join(exc.messages))
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            patch_cache_control(
                response, public=True, max_age=getattr(settings, "INTEROP_API_MAX_AGE", 300)
            )
        else:
            patch_cache_control(response, no_store=True)
        patch_vary_headers(response, ["Accept"])
        return response


# UPGRADE CHECKPOINT wagtail==8.0.1: `PagesAPIViewSet.known_query_parameters` and `get_base_queryset()` overridden (tests/test_interop_api.py::test_filters_by_centre_theme_and_dates)
class OpenPagesViewSet(OpenAPIMixin, PagesAPIViewSet):
    """Shared by the page endpoints: every site's live public pages of one model, filters by
    centre, theme and date range, JSON only, cache headers on every answer."""

    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(
        ["centre", "theme", "date_from", "date_to"]
    )
    centre_lookup = ""  # organisers__slug or authors__slug

    def get_base_queryset(self):
        # Every site's pages, not only the requesting site's.
        return Page.objects.live().public()

    def related(self, queryset):
        """What the endpoint's fields read, fetched in bulk (constant queries per page)."""
        return queryset.prefetch_related(
            self.centre_lookup.split("__")[0], prefetch_agreed(), "tags", "documents__document"
        )

    def narrow_centre(self, queryset, slug):
        # The centres that agreed to be named only (centres.consent).
        relation = getattr(self.model, self.centre_lookup.split("__")[0])
        return queryset.filter(pk__in=pages_of(relation, slug=slug))

    def narrow_theme(self, queryset, theme):
        # The listings' slug (`sante`... or `santé`, as taggit keeps accents) or the name.
        return queryset.filter(Q(tags__slug=theme) | Q(tags__name__iexact=theme))

    def filter_dates(self, queryset, start, end):
        return queryset

    def get_queryset(self):
        # The locale: each item's URL names its language's site root (translations on).
        queryset = self.related(self.model.objects.live().public().select_related("locale"))
        params = self.request.GET
        if params.get("centre"):
            queryset = self.narrow_centre(queryset, params["centre"])
        if params.get("theme"):
            queryset = self.narrow_theme(queryset, params["theme"])
        start = parse_day(params["date_from"], "date_from") if params.get("date_from") else None
        end = parse_day(params["date_to"], "date_to") if params.get("date_to") else None
        if start and end and start > end:
            raise BadRequestError("date_from est postérieure à date_to")
        return self.filter_dates(queryset, start, end).distinct().order_by(*self.ordering)


class EventsViewSet(OpenPagesViewSet):
    name = "events"
    model = EventPage
    centre_lookup = "organisers__slug"
    ordering = ("starts_at", "pk")
    body_fields = PagesAPIViewSet.body_fields + [
        "start_date",
        "start_time",
        "end_date",
        "end_time",
        "time_zone",
        "starts_at",
        "ends_at",
        "all_day",
        "attendance",
        "venue",
        "city",
        "online_url",
        # The event page when the portal takes the registrations (the outside link is
        # then not offered, as on the page).
        APIField(
            "registration_url",
            serializer=serializers.CharField(source="public_registration_url", read_only=True),
        ),
        "summary",
        "replay_url",
        # As the event page shows it: the people marked present once checked in on the
        # portal, else the figure typed by the editor (null: none).
        APIField(
            "participants_count",
            serializer=serializers.IntegerField(
                source="public_participants_count", read_only=True, allow_null=True
            ),
        ),
        *linked_fields("named_organisers"),
    ]
    listing_default_fields = PagesAPIViewSet.listing_default_fields + [
        "starts_at",
        "ends_at",
        "time_zone",
        "city",
        "centres",
        "themes",
    ]

    def paginate_queryset(self, queryset):
        # The page's check-in counts in one query, if `participants_count` is asked for.
        return share_participants_counts(super().paginate_queryset(queryset))

    def filter_dates(self, queryset, start, end):
        # An event is in the range if it overlaps it (days in Paris time).
        after = day_start(start) if start else None
        before = day_start(end + timedelta(days=1)) if end and end < date.max else None
        if after:
            queryset = queryset.filter(ends_at__gte=after)
        if before:
            queryset = queryset.filter(starts_at__lt=before)
        return queryset


class PublicationsViewSet(OpenPagesViewSet):
    name = "publications"
    model = PublicationPage
    centre_lookup = "authors__slug"
    ordering = ("-publication_date", "pk")
    body_fields = PagesAPIViewSet.body_fields + [
        "publication_date",
        "summary",
        "territory",
        "cosoter_url",
        APIField("kind", serializer=serializers.StringRelatedField()),
        APIField(
            "working_group",
            serializer=serializers.SlugRelatedField(slug_field="slug", read_only=True),
        ),
        *linked_fields("named_authors"),
    ]
    listing_default_fields = PagesAPIViewSet.listing_default_fields + [
        "publication_date",
        "kind",
        "centres",
        "themes",
        "documents",
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("kind", "working_group")

    def filter_dates(self, queryset, start, end):
        if start:
            queryset = queryset.filter(publication_date__gte=start)
        if end:
            queryset = queryset.filter(publication_date__lte=end)
        return queryset


# A centre's home page is at depth 2 of the tree: the first two steps of a page's path
# name the site it lives on.
HOME_PATH_LENGTH = 8


def centres_by_home_path(request) -> dict:
    """{home page path: Centre}, read once per request."""
    found = getattr(request, "_api_centres_by_home_path", None)
    if found is None:
        found = {
            centre.home_page.path: centre
            for centre in Centre.objects.filter(home_page__isnull=False).select_related("home_page")
        }
        request._api_centres_by_home_path = found
    return found


class OwningCentreSerializer(serializers.Field):
    """The centre whose site holds the page (null on the national portal), from one
    query per request rather than one per item."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page):
        centre = centres_by_home_path(self.context["request"]).get(page.path[:HOME_PATH_LENGTH])
        return CentreSerializer(centre).data if centre is not None else None


class TreeOwnedViewSet(OpenPagesViewSet):
    """Pages owned by the site that holds them (news, offers): `centre` is that site's."""

    def related(self, queryset):
        return queryset

    def narrow_centre(self, queryset, slug):
        homes = Centre.objects.filter(slug=slug).values("home_page__path")
        return queryset.annotate(home=Substr("path", 1, HOME_PATH_LENGTH)).filter(home__in=homes)


class NewsViewSet(TreeOwnedViewSet):
    name = "news"
    model = NewsPage
    ordering = ("-date", "-pk")
    body_fields = PagesAPIViewSet.body_fields + [
        "date",
        "summary",
        APIField("centre", serializer=OwningCentreSerializer()),
        APIField(
            "themes",
            serializer=serializers.SlugRelatedField(
                source="tags", slug_field="name", many=True, read_only=True
            ),
        ),
    ]
    listing_default_fields = PagesAPIViewSet.listing_default_fields + [
        "date",
        "centre",
        "themes",
    ]

    def related(self, queryset):
        return queryset.prefetch_related("tags")

    def filter_dates(self, queryset, start, end):
        if start:
            queryset = queryset.filter(date__gte=start)
        if end:
            queryset = queryset.filter(date__lte=end)
        return queryset


class DocumentLinkSerializer(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, document):
        request = self.context["request"]
        return {
            "title": document.title,
            "url": request.build_absolute_uri(document.url),
            "file_extension": document.file_extension,
        }


class OffersViewSet(TreeOwnedViewSet):
    """Offers, calls and funding; `date_from`/`date_to` bound the closing date, `open=1`
    keeps the offers still open today (those the listings show)."""

    name = "offers"
    model = OfferPage
    ordering = ("closing_date", "pk")
    known_query_parameters = OpenPagesViewSet.known_query_parameters.union(["open"])
    body_fields = PagesAPIViewSet.body_fields + [
        "kind",
        "organisation",
        "place",
        "territory",
        "contract",
        "closing_date",
        "summary",
        "link",
        APIField("document", serializer=DocumentLinkSerializer()),
        APIField("centre", serializer=OwningCentreSerializer()),
    ]
    listing_default_fields = PagesAPIViewSet.listing_default_fields + [
        "kind",
        "organisation",
        "territory",
        "closing_date",
        "centre",
    ]

    def related(self, queryset):
        return queryset.select_related("document")

    def narrow_theme(self, queryset, theme):
        raise BadRequestError("theme : les offres n'ont pas de thèmes")

    def get_queryset(self):
        queryset = super().get_queryset()
        is_open = self.request.GET.get("open", "")
        if is_open not in ("", "0", "1"):
            raise BadRequestError("open : 0 ou 1 attendu")
        if is_open == "1":
            from offers.models import today

            queryset = queryset.filter(closing_date__gte=today())
        return queryset

    def filter_dates(self, queryset, start, end):
        if start:
            queryset = queryset.filter(closing_date__gte=start)
        if end:
            queryset = queryset.filter(closing_date__lte=end)
        return queryset


def centres_field(name) -> APIField:
    return APIField(name, serializer=CentreSerializer(many=True, read_only=True))


class WorkingGroupsViewSet(OpenPagesViewSet):
    """The working groups; `centre` keeps those the centre pilots, co-pilots or joins."""

    name = "groups"
    model = WorkingGroupPage
    ordering = ("title", "pk")
    body_fields = PagesAPIViewSet.body_fields + [
        "introduction",
        centres_field("pilots"),
        centres_field("co_pilots"),
        centres_field("members"),
    ]
    listing_default_fields = PagesAPIViewSet.listing_default_fields + ["pilots"]

    def related(self, queryset):
        return queryset.prefetch_related("pilots", "co_pilots", "members")

    def narrow_centre(self, queryset, slug):
        return queryset.filter(
            Q(pilots__slug=slug) | Q(co_pilots__slug=slug) | Q(members__slug=slug)
        )

    def narrow_theme(self, queryset, theme):
        raise BadRequestError("theme : les groupes de travail n'ont pas de thèmes")


class ContributionsViewSet(OpenPagesViewSet):
    """The network's yearly collective contributions; dates bound their year."""

    name = "contributions"
    model = CollectiveContributionPage
    ordering = ("-year", "pk")
    body_fields = PagesAPIViewSet.body_fields + [
        "year",
        "question",
        "status",
        "status_note",
        "body",
        centres_field("centres"),
    ]
    listing_default_fields = PagesAPIViewSet.listing_default_fields + ["year", "centres"]

    def related(self, queryset):
        return queryset.prefetch_related("centres")

    def narrow_centre(self, queryset, slug):
        return queryset.filter(centres__slug=slug)

    def narrow_theme(self, queryset, theme):
        raise BadRequestError("theme : les contributions n'ont pas de thèmes")

    def filter_dates(self, queryset, start, end):
        if start:
            queryset = queryset.filter(year__gte=start.year)
        if end:
            queryset = queryset.filter(year__lte=end.year)
        return queryset


class SiteURLSerializer(serializers.Field):
    """The address of the centre's own site (its home page's), from the sites' root paths
    that Wagtail caches (no query per centre)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, centre):
        if centre.home_page is None:
            return None
        return centre.home_page.get_full_url(self.context["request"])


# UPGRADE CHECKPOINT wagtail==8.0.1: `BaseAPIViewSet` serves a non-page model (tests/test_interop_api_endpoints.py::test_centres_with_their_sites)
class CentresViewSet(OpenAPIMixin, BaseAPIViewSet):
    """The network's centres (the registry), with the address of each one's site."""

    name = "centres"
    model = Centre
    body_fields = BaseAPIViewSet.body_fields + [
        "slug",
        "name",
        "long_name",
        "territory",
        "city",
        "overseas",
        "time_zone",
        "contact_email",
        "phone",
        "website",
        "latitude",
        "longitude",
        APIField("site_url", serializer=SiteURLSerializer()),
    ]
    listing_default_fields = BaseAPIViewSet.listing_default_fields + [
        "slug",
        "name",
        "territory",
        "site_url",
    ]

    def get_queryset(self):
        # In French order whatever the database's collation, still sliced by the
        # paginator in the database.
        return french_ordered(Centre.objects.select_related("home_page"), "name")


api_router = WagtailAPIRouter("interop_api")
api_router.register_endpoint("events", EventsViewSet)
api_router.register_endpoint("publications", PublicationsViewSet)
api_router.register_endpoint("news", NewsViewSet)
api_router.register_endpoint("offers", OffersViewSet)
api_router.register_endpoint("groups", WorkingGroupsViewSet)
api_router.register_endpoint("contributions", ContributionsViewSet)
api_router.register_endpoint("centres", CentresViewSet)
