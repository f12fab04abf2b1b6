"""What the repository holds: live public publications, their sets (one per authoring
centre, one per working group) and the tombstones of those that left."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q

from centres.consent import accepted_links, pages_of, prefetch_agreed
from centres.models import Centre
from publications.models import PublicationPage, WorkingGroupPage

from ..models import DeletedRecord

CENTRE_SET = "centre"
GROUP_SET = "groupe-de-travail"


def identifier_prefix() -> str:
    return f"oai:{settings.PORTAL_DOMAIN}:publication-"


def identifier(page_id: int) -> str:
    return f"{identifier_prefix()}{page_id}"


def page_id_of(oai_identifier: str) -> int | None:
    prefix = identifier_prefix()
    if not oai_identifier.startswith(prefix):
        return None
    number = oai_identifier[len(prefix) :]
    return int(number) if number.isdigit() else None


def all_sets() -> list[tuple[str, str]]:
    """(setSpec, setName): two parent sets, then one per centre and per working group."""
    sets = [(CENTRE_SET, "Centres de ressources"), (GROUP_SET, "Groupes de travail")]
    sets += [
        (f"{CENTRE_SET}:{slug}", name)
        for slug, name in Centre.objects.order_by("slug").values_list("slug", "name")
    ]
    sets += [
        (f"{GROUP_SET}:{slug}", f"Groupe de travail · {title}")
        for slug, title in WorkingGroupPage.objects.live()
        .order_by("slug")
        .values_list("slug", "title")
    ]
    return sets


def set_exists(spec: str) -> bool:
    return spec in {s for s, _ in all_sets()}


def set_specs_of(page: PublicationPage) -> list[str]:
    specs = [f"{CENTRE_SET}:{centre.slug}" for centre in page.named_authors]
    if specs:
        specs.insert(0, CENTRE_SET)
    if page.working_group_id:
        specs += [GROUP_SET, f"{GROUP_SET}:{page.working_group.slug}"]
    return specs


def publications():
    return (
        PublicationPage.objects.live()
        .public()
        .select_related("kind", "working_group")
        .prefetch_related("authors", prefetch_agreed(), "tags", "documents__document")
    )


def in_set(queryset, spec: str | None):
    if not spec:
        return queryset
    family, _, slug = spec.partition(":")
    if family == CENTRE_SET:
        # The centres that agreed to be named only (centres.consent).
        links = (
            pages_of(PublicationPage.authors, slug=slug)
            if slug
            else accepted_links(PublicationPage.authors).values("publicationpage")
        )
        return queryset.filter(pk__in=links)
    if slug:
        return queryset.filter(working_group__slug=slug)
    return queryset.filter(working_group__isnull=False)


@dataclass(frozen=True)
class Window:
    """Selective harvesting: datestamps in [start, end) (end is exclusive, so that an
    `until` given to the second covers the whole second)."""

    start: datetime | None
    end: datetime | None
    spec: str | None


@dataclass
class Entry:
    page_id: int
    datestamp: datetime
    page: PublicationPage | None = None  # None: a deleted record
    set_specs: list[str] | None = None

    @property
    def deleted(self) -> bool:
        return self.page is None


def _window_filter(field: str, window: Window, after: tuple[datetime, int] | None, key: str):
    condition = Q()
    if window.start:
        condition &= Q(**{f"{field}__gte": window.start})
    if window.end:
        condition &= Q(**{f"{field}__lt": window.end})
    if after:
        stamp, last_id = after
        condition &= Q(**{f"{field}__gt": stamp}) | Q(**{field: stamp, f"{key}__gt": last_id})
    return condition


def entries(window: Window, after: tuple[datetime, int] | None, limit: int) -> list[Entry]:
    """Up to `limit` records in (datestamp, id) order after the key `after`: keyset
    pagination, so a record changed during a harvest neither shifts nor repeats others."""
    live = (
        in_set(publications(), window.spec)
        .filter(_window_filter("last_published_at", window, after, "pk"))
        .order_by("last_published_at", "pk")[:limit]
    )
    gone = DeletedRecord.objects.filter(_window_filter("deleted_at", window, after, "page_id"))
    if window.spec:
        gone = [
            record
            for record in gone.order_by("deleted_at", "page_id")
            if window.spec in record.set_specs
        ][:limit]
    else:
        gone = gone.order_by("deleted_at", "page_id")[:limit]
    merged = [Entry(page.pk, page.last_published_at, page) for page in live]
    merged += [Entry(record.page_id, record.deleted_at, None, record.set_specs) for record in gone]
    merged.sort(key=lambda entry: (entry.datestamp, entry.page_id))
    return merged[:limit]


def count(window: Window) -> int:
    live = (
        in_set(publications(), window.spec)
        .filter(_window_filter("last_published_at", window, None, "pk"))
        .count()
    )
    gone = DeletedRecord.objects.filter(_window_filter("deleted_at", window, None, "page_id"))
    if window.spec:
        return live + sum(
            1 for specs in gone.values_list("set_specs", flat=True) if window.spec in specs
        )
    return live + gone.count()


def entry_for(page_id: int) -> Entry | None:
    page = publications().filter(pk=page_id).first()
    if page is not None:
        return Entry(page.pk, page.last_published_at, page)
    record = DeletedRecord.objects.filter(page_id=page_id).first()
    if record is not None:
        return Entry(record.page_id, record.deleted_at, None, record.set_specs)
    return None


def earliest_datestamp() -> datetime | None:
    first = (
        publications()
        .order_by("last_published_at")
        .values_list("last_published_at", flat=True)
        .first()
    )
    gone = DeletedRecord.objects.order_by("deleted_at").values_list("deleted_at", flat=True).first()
    stamps = [stamp for stamp in (first, gone) if stamp]
    return min(stamps) if stamps else None
