""" "Remplir avec les nouveautés": what the site published since the previous letter of
the same list (a month back for the first one): open offers and calls (they lead the
centres' letters), news, then events, then resources, each newest first, as items the
editor reorders and trims."""

from datetime import timedelta

from django.utils import timezone

from agenda.models import EventPage
from offers.models import OfferPage, today
from portal.formats.french import format_date as date_format
from publications.models import NewsPage, PublicationPage

from .models import Letter

KINDS = [
    (OfferPage, "Offre"),
    (NewsPage, "Actualité"),
    (EventPage, "Agenda"),
    (PublicationPage, "Ressource"),
]
MAX_ITEMS = 60


def since(letter):
    previous = (
        Letter.objects.filter(mailing_list=letter.mailing_list, status=Letter.SENT)
        .exclude(pk=letter.pk)
        .order_by("-sent_at")
        .first()
    )
    return previous.sent_at if previous else timezone.now() - timedelta(days=31)


def new_items(letter):
    site = letter.mailing_list.site
    start = since(letter)
    root = site.root_page
    items = []
    for model, label in KINDS:
        pages = (
            model.objects.live()
            .public()
            .descendant_of(root)
            .filter(first_published_at__gt=start)
            .order_by("-first_published_at")
        )
        if model is OfferPage:  # an offer already closed is no news
            pages = pages.filter(closing_date__gte=today())
        pages = pages[:MAX_ITEMS]
        for page in pages:
            date = ""
            if model is EventPage and page.start_date:
                date = date_format(page.start_date, "j F Y")
            elif model is OfferPage:
                date = "Clôture le " + date_format(page.closing_date, "j F Y")
            items.append(
                {
                    "kind": label,
                    "title": page.title,
                    "date": date,
                    "summary": (page.summary or "")[:800],
                    "url": page.full_url,
                }
            )
    return items[:MAX_ITEMS]


def fill(letter) -> int:
    """Appends the new items to the letter's body (kept: what the editor wrote); items
    already in the letter (same link) are not added twice. Returns how many were added."""
    present = {block.value["url"] for block in letter.body if block.block_type == "item"}
    added = [item for item in new_items(letter) if item["url"] not in present]
    body = [(block.block_type, block.value) for block in letter.body]
    if not body:
        body.append(("intro", f"Les nouveautés de {letter.mailing_list.site.site_name}."))
    body += [("item", item) for item in added]
    letter.body = body
    letter.save(update_fields=["body", "updated_at"])
    return len(added)
