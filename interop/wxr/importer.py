"""Import a WordPress export into one site: attachments first (into the site's collection),
then posts, pages, events and publications, then the pages whose links pointed at items
created later in the run; a redirect from every old URL. All in one transaction."""

import html
import re
import sys
from datetime import date, datetime
from io import BytesIO
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tqdm import tqdm

from agenda.models import AgendaPage, Attendance, EventPage
from centres.models import TIME_ZONE_CHOICES, Centre
from centres.provisioning import ensure_collection
from home.models import ContentPage
from publications.models import (
    LibraryPage,
    NewsIndexPage,
    NewsPage,
    PublicationDocument,
    PublicationPage,
    ResourceKind,
)

from ..fetch import FetchError, fetch
from ..models import ImportedFile, ImportedItem
from ..pages import fingerprint, free_slug, publish
from .blocks import Context, first_paragraph, to_blocks
from .content import key_of, plain, same_site

EVENT_TYPES = {"tribe_events", "event", "evenement"}
PUBLICATION_TYPES = {"publication", "ressource", "resource"}
PUBLICATION_CATEGORIES = {"publications", "ressources"}
UPLOADS = "/wp-content/uploads/"
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp"}
ZONES = {name for name, _ in TIME_ZONE_CHOICES}
CONTAINERS = {
    EventPage: (AgendaPage, "agenda"),
    PublicationPage: (LibraryPage, "ressources"),
    NewsPage: (NewsIndexPage, "actualités"),
}
WHY_NOT = {
    "nav_menu_item": "élément de menu : les menus du portail se règlent dans l'admin",
    "revision": "révision WordPress",
    "wp_block": "bloc réutilisable",
    "custom_css": "CSS du thème",
    "tribe_venue": "lieu d'événement : repris dans les événements",
    "tribe_organizer": "organisateur d'événement : les organisateurs sont les centres",
}


def model_for(item):
    if item.post_type in EVENT_TYPES:
        return EventPage
    if item.post_type in PUBLICATION_TYPES or (
        item.post_type == "post"
        and any(
            domain == "category" and nicename in PUBLICATION_CATEGORIES
            for domain, nicename, _ in item.categories
        )
    ):
        return PublicationPage
    return {"post": NewsPage, "page": ContentPage}.get(item.post_type)


def day_of(value: str) -> date | None:
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").date()
    except ValueError:
        return None


class WordPressImport:
    def __init__(self, export, site, report, *, dry_run=False, progress=True, uploads=None):
        self.export, self.site, self.report = export, site, report
        self.dry_run, self.progress = dry_run, progress
        # A copy of the old server's wp-content/uploads: files are read there, not fetched.
        self.uploads = Path(uploads).resolve() if uploads else None
        self.source = export.source
        self.root = site.root_page.specific
        self.centre = Centre.objects.filter(home_page_id=site.root_page_id).first()
        self.collection = (
            self.centre.collection
            if self.centre and self.centre.collection_id
            else ensure_collection("Réseau national")
        )
        self.by_id = {item.post_id: item for item in export.items}
        self.mappings = {
            m.key: m
            for m in ImportedItem.objects.filter(
                origin=ImportedItem.Origin.WORDPRESS, source=self.source
            ).select_related("page")
        }
        self.files = {f.key: f for f in ImportedFile.objects.filter(source=self.source)}
        self.pages, self.documents, self.images = {}, {}, {}  # old URL key → object id
        self.file_targets = {}  # attachment post id → Document or Image
        self.attachments = {}  # every attachment post id → its file, None if not saved
        self.saved_files = []  # storage names written: removed if the import fails
        self.known = set()  # old URLs of every item this run may import
        self.warned = {}  # post id → warnings already reported (bodies are converted twice)
        for item in export.items:
            if item.post_type != "attachment" and model_for(item):
                self.known.update(self.old_keys(item))
                mapping = self.mappings.get(item.post_id)
                if mapping and mapping.page_id:
                    self.register(item, mapping.page_id)

    # --- old addresses -----------------------------------------------------------
    def old_keys(self, item) -> set[str]:
        keys = {f"/?p={item.post_id}"}
        if item.post_type == "page":
            keys.add(f"/?page_id={item.post_id}")
        for url in (item.link, item.guid):
            if url and same_site(url, self.source):
                keys.add(key_of(url, self.source))
        return keys

    def register(self, item, page_id):
        for key in self.old_keys(item):
            self.pages[key] = page_id

    def redirect(self, key, **target):
        old_path = Redirect.normalise_path(key)
        if old_path in ("", "/"):
            return
        Redirect.objects.update_or_create(
            site=self.site,
            old_path=old_path,
            defaults={"is_permanent": True, "redirect_page": None, "redirect_link": "", **target},
        )

    # --- the run -----------------------------------------------------------------
    def run(self):
        try:
            with transaction.atomic():
                self.import_all()
                if self.dry_run:
                    transaction.set_rollback(True)
        except BaseException:
            storage = get_document_model()._meta.get_field("file").storage
            for name in self.saved_files:
                storage.delete(name)
            raise

    def bar(self, items, label):
        return tqdm(items, desc=label, unit="élément", disable=not self.progress, file=sys.stderr)

    def import_all(self):
        attachments = [i for i in self.export.items if i.post_type == "attachment"]
        for item in self.bar(attachments, "Fichiers"):
            self.attachment(item)
        self.attachments = {i.post_id: self.file_targets.get(i.post_id) for i in attachments}
        contents, deferred = [], []
        for item in self.export.items:
            if item.post_type == "attachment":
                continue
            if model_for(item) is None:
                self.report.skip(item, WHY_NOT.get(item.post_type, "type de contenu non importé"))
            elif item.status != "publish":
                self.report.skip(item, f"non publié sur WordPress (statut « {item.status} »)")
            else:
                contents.append(item)
        contents.sort(key=self.depth)  # a WordPress page after its parent
        for item in self.bar(contents, "Pages"):
            page = self.guarded(item, self.place)
            if page is not None and page is not True:
                deferred.append((item, page))
        for item, page in deferred:  # links to pages created after them
            self.guarded(item, lambda i, page=page: self.fill(i, page, final=True))

    def depth(self, item):
        depth, parent = 0, item.parent_id
        while parent and parent != "0" and parent in self.by_id and depth < 20:
            depth, parent = depth + 1, self.by_id[parent].parent_id
        return depth

    def guarded(self, item, step):
        try:
            with transaction.atomic():
                return step(item)
        except ValidationError as error:
            reasons = "; ".join(f"{k} : {' '.join(v)}" for k, v in error.message_dict.items())
            self.report.skip(item, f"refusé par le portail ({reasons})")

    # --- attachments -------------------------------------------------------------
    def attachment(self, item):
        url = item.attachment_url
        if not url:
            self.report.skip(item, "pièce jointe sans adresse")
            return
        name = PurePosixPath(unquote(urlsplit(url).path)).name
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        is_image = extension in IMAGE_EXTENSIONS
        if not is_image and extension not in settings.WAGTAILDOCS_EXTENSIONS:
            self.report.skip(item, f"type de fichier non accepté par le portail (.{extension})")
            return
        known = self.files.get(item.post_id)
        target = (known.image if is_image else known.document) if known else None
        table = self.images if is_image else self.documents
        if target is None and self.dry_run:
            how = _("à lire dans la copie locale") if self.uploads else _("à télécharger")
            self.report.created.append(f"fichier {name} ({how})")
            self.report.count(how, (_("image") if is_image else _("document")).lower())
            table[key_of(url, self.source)] = 0
            return
        if target is None:
            target = self.download(item, url, name, is_image)
            if target is None:
                return
        self.file_targets[item.post_id] = target
        for key in {
            key_of(url, self.source),
            *(
                key_of(u, self.source)
                for u in (item.link, item.guid)
                if u and same_site(u, self.source)
            ),
        }:
            table[key] = target.pk
            if not self.dry_run:
                self.redirect(key, redirect_link=target.file.url if is_image else target.url)

    def download(self, item, url, name, is_image):
        limit = (
            settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
            if is_image
            else settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
        )
        data = self.local_copy(item, url, limit) if self.uploads else self.fetched(item, url, limit)
        if data is None:
            return None
        title = html.unescape(item.title) or name
        try:
            with transaction.atomic():
                if is_image:
                    target = get_image_model()(
                        title=title[:255],
                        # WordPress's alternative text: the default alt wherever the
                        # image is a page's cover (portal.covers).
                        description=html.unescape(
                            item.meta.get("_wp_attachment_image_alt", "")
                        ).strip()[:255],
                        collection=self.collection,
                        file=ImageFile(BytesIO(data), name=name),
                    )
                    # UPGRADE CHECKPOINT wagtail==8.0.1: `AbstractImage._set_image_file_metadata()` sets width, height, size and hash (tests/test_upgrade_internals.py::test_imported_files_carry_their_size_hash_and_dimensions)
                    target._set_image_file_metadata()
                else:
                    target = get_document_model()(
                        title=title[:255],
                        collection=self.collection,
                        file=ContentFile(data, name=name),
                    )
                    # UPGRADE CHECKPOINT wagtail==8.0.1: `AbstractDocument._set_document_file_metadata()` sets size and hash (tests/test_upgrade_internals.py::test_imported_files_carry_their_size_hash_and_dimensions)
                    target._set_document_file_metadata()
                target.full_clean(exclude=["file_hash"])
                target.save()
        except (ValidationError, OSError, ValueError) as error:
            self.report.warn(item, f"fichier refusé ({error.__class__.__name__}) : {name}")
            return None
        self.saved_files.append(target.file.name)
        ImportedFile.objects.update_or_create(
            source=self.source,
            key=item.post_id,
            defaults={
                "image": target if is_image else None,
                "document": None if is_image else target,
            },
        )
        self.report.created.append(f"fichier {name}")
        self.report.count(_("créé(s)"), (_("image") if is_image else _("document")).lower())
        return target

    def fetched(self, item, url, limit):
        try:
            data, _ = fetch(url, max_bytes=limit)
        except FetchError as error:
            self.report.warn(item, f"pièce jointe manquante : {error}")
            return None
        return data

    def local_copy(self, item, url, limit):
        """The file from the uploads folder: the part of its address after
        /wp-content/uploads/, never a path outside the folder."""
        path = unquote(urlsplit(url).path)
        if UPLOADS not in path:
            self.report.warn(item, f"pièce jointe hors de wp-content/uploads, non lue : {url}")
            return None
        relative = path.split(UPLOADS, 1)[1]
        candidate = (self.uploads / relative).resolve()
        if not candidate.is_relative_to(self.uploads):
            self.report.warn(item, f"chemin refusé (hors du dossier) : {relative}")
            return None
        if not candidate.is_file():
            self.report.warn(item, f"pièce jointe manquante dans la copie locale : {relative}")
            return None
        if candidate.stat().st_size > limit:
            size = candidate.stat().st_size
            self.report.warn(item, f"pièce jointe trop lourde ({size} octets) : {relative}")
            return None
        return candidate.read_bytes()

    # --- pages -------------------------------------------------------------------
    def parent_for(self, item, model):
        if model is ContentPage:
            mapping = self.mappings.get(item.parent_id)
            parent = mapping.page.specific if mapping and mapping.page_id else None
            return parent if isinstance(parent, ContentPage) else self.root
        container, name = CONTAINERS[model]
        parent = container.objects.child_of(self.root).first()
        if parent is None:
            self.report.skip(item, f"pas de page « {name} » sur ce site pour l'accueillir")
        return parent

    def place(self, item):
        """Create or update the item's page. Returns the page if its links need a second
        pass, True when done, None when skipped."""
        model = model_for(item)
        mapping = self.mappings.get(item.post_id)
        if mapping is not None:
            if mapping.page_id is None:
                self.report.skip(item, "supprimé à la main sur le portail : pas réimporté")
                return None
            page = mapping.page.specific
            if not isinstance(page, model):
                self.report.skip(item, f"déjà importé comme {page._meta.verbose_name}")
                return None
            if mapping.edited_by_hand(page):
                self.report.skip(item, f"modifié à la main depuis l'import ({page.url_path})")
                self.redirects(item, page)
                return None
        else:
            parent = self.parent_for(item, model)
            if parent is None:
                return None
            page = model(title=self.title(item), slug=free_slug(parent, item.slug or item.title))
            mapping = ImportedItem(
                origin=ImportedItem.Origin.WORDPRESS, source=self.source, key=item.post_id
            )
            self.values(item, page)
            parent.add_child(instance=page)
            mapping.page = page
            self.mappings[item.post_id] = mapping
            self.register(item, page.pk)
        return self.fill(item, page)

    def fill(self, item, page, final=False):
        mapping = self.mappings[item.post_id]
        stamp = fingerprint(
            [
                item.title,
                item.content,
                item.excerpt,
                item.date,
                item.categories,
                item.meta,
                item.parent_id,
                sorted(self.file_targets),
            ]
        )
        if not final and mapping.pk and mapping.fingerprint == stamp and page.live:
            self.report.unchanged.append(str(item))
            self.redirects(item, page)
            return True
        pending = False if final else []
        self.values(item, page, pending)
        if pending and not final:
            return page  # links to items not imported yet: done again once they are
        created = mapping.pk is None
        publish(page, mapping, stamp)
        self.redirects(item, page)
        if not final:
            (self.report.created if created else self.report.updated).append(
                f"{item} → {page.url_path}"
            )
            self.report.count(_("créé(s)") if created else _("mis à jour"), page._meta.verbose_name)
        return True

    def redirects(self, item, page):
        for key in self.old_keys(item):
            if Redirect.normalise_path(key) != Redirect.normalise_path(
                page.url_path[len(self.root.url_path) - 1 :]
            ):
                self.redirect(key, redirect_page=page)

    @staticmethod
    def title(item):
        return html.unescape(item.title)[:255] or f"Sans titre ({item.post_id})"

    def body(self, item, pending):
        """The item's content as body blocks. `pending`: None for the placeholder body of
        a new page (nothing reported); a list to collect links to items of the export not
        imported yet; False on the last pass, where every problem is reported."""

        def warn(message):
            if pending is None:
                return
            url = message.split(" : ", 1)[-1]
            if (
                pending is not False
                and message.startswith("lien cassé")
                and key_of(url, self.source) in self.known
            ):
                pending.append(message)
            elif message not in self.warned.setdefault(item.post_id, set()):
                self.warned[item.post_id].add(message)
                self.report.warn(item, message)

        dropped: dict[str, int] = {}
        context = Context(
            source=self.source,
            pages=self.pages,
            documents=self.documents,
            images=self.images,
            attachments=self.attachments,
            warn=warn,
            dropped=lambda kind: dropped.__setitem__(kind, dropped.get(kind, 0) + 1),
        )
        blocks = to_blocks(item.content, context)
        if pending is not None:
            self.report.elements_of(item, dropped)
        return blocks

    def summary(self, item, blocks):
        return plain(item.excerpt, 600) or first_paragraph(blocks)[:600]

    def values(self, item, page, pending=None):
        """Set the page's fields from the item (`pending` collects links to items not
        imported yet; None on the first save, whose body is only a placeholder)."""
        page.title = self.title(item)
        published = day_of(item.date) or date.today()
        thumbnail = self.file_targets.get(item.meta.get("_thumbnail_id", ""))
        image = thumbnail if isinstance(thumbnail, get_image_model()) else None
        if image is not None and not (image.description or "").strip() and pending is None:
            # A cover needs its alternative text, which WordPress did not require.
            self.report.warn(
                item, "image à la une sans texte alternatif : non reprise (à décrire dans l'admin)"
            )
        if image is not None and not (image.description or "").strip():
            image = None
        if isinstance(page, NewsPage):
            page.body = self.body(item, pending)
            page.summary = self.summary(item, page.body.raw_data)
            page.date, page.image = published, image
            page.image_alt = image.description.strip() if image else ""
            if page.pk:
                page.tags.set(item.themes)
        elif isinstance(page, ContentPage):
            page.introduction = plain(item.excerpt, 1000)
            page.body = self.body(item, pending)
        elif isinstance(page, PublicationPage):
            page.body = self.body(item, pending)
            page.summary = self.summary(item, page.body.raw_data)
            page.publication_date, page.cover_image = published, image
            nicenames = {nicename for _, nicename, _ in item.categories}
            page.kind = (
                ResourceKind.objects.filter(slug__in=nicenames).first()
                or ResourceKind.objects.filter(slug="publication").first()
            )
            if page.pk:
                if self.centre:
                    page.authors.set([self.centre])
                page.tags.set(item.themes)
                page.documents = [
                    PublicationDocument(document=target, label=target.title)
                    for key, target in self.file_targets.items()
                    if self.by_id[key].parent_id == item.post_id
                    and not isinstance(target, get_image_model())
                ]
        elif isinstance(page, EventPage):
            self.event_values(item, page, pending)

    def event_values(self, item, page, pending):
        meta = item.meta
        start = meta.get("_EventStartDate", "")
        if not day_of(start):
            raise ValidationError({"start_date": ["événement sans date (_EventStartDate)"]})
        end = meta.get("_EventEndDate", "") or start
        all_day = meta.get("_EventAllDay", "").lower() in ("yes", "1", "true")
        zone = meta.get("_EventTimezone", "")
        page.time_zone = (
            zone if zone in ZONES else (self.centre.time_zone if self.centre else "Europe/Paris")
        )
        page.start_date, page.end_date = day_of(start), day_of(end)
        if page.end_date == page.start_date:
            page.end_date = None
        times = [re.fullmatch(r".{10} (\d\d):(\d\d)(?::\d\d)?", value) for value in (start, end)]
        page.start_time, page.end_time = [
            datetime.strptime(":".join(m.groups()), "%H:%M").time() if m and not all_day else None
            for m in times
        ]
        venue = self.by_id.get(meta.get("_EventVenueID", ""))
        page.attendance = Attendance.IN_PERSON
        page.venue = html.unescape(venue.title)[:255] if venue else "Lieu à préciser"
        page.city = (venue.meta.get("_VenueCity", "") if venue else "")[:120]
        blocks = self.body(item, pending)
        page.summary = self.summary(item, blocks)
        if meta.get("_EventURL", "").startswith(("http://", "https://")):
            link = f'<p><a href="{html.escape(meta["_EventURL"])}">Site de l\'événement</a></p>'
            blocks.append({"type": "paragraph", "value": link})
        page.description = blocks
        if page.pk:
            if self.centre:
                page.organisers.set([self.centre])
            page.tags.set(item.themes)
