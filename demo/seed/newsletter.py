"""Demo newsletters: every site has its monthly list (made with the site), and one
letter already sent, filled with the site's items, so that `/lettre/archives/` shows
something. No subscriber: the demo's addresses would be nobody's."""

from datetime import timedelta

from django.utils import timezone

from wagtail.models import Site

from newsletter.filling import new_items
from newsletter.models import Letter, MailingList
from portal.wording import of

ITEMS = 6


def seed_newsletters(report) -> None:
    # Sent five weeks ago: the next letter's "Remplir avec les nouveautés" finds the
    # demo's content, published at seed time.
    sent_at = timezone.now() - timedelta(days=35)
    for site in Site.objects.select_related("root_page"):
        mailing_list = MailingList.monthly_for(site)
        if mailing_list.letters.exists():
            continue
        letter = Letter(
            mailing_list=mailing_list, subject=f"{site.site_name}\u00a0: la lettre du mois"
        )
        items = new_items(letter)[:ITEMS]
        letter.body = [("intro", f"Les dernières nouvelles {of(site.site_name)}.")] + [
            ("item", item) for item in items
        ]
        letter.status, letter.send_at, letter.sent_at = Letter.SENT, sent_at, sent_at
        letter.save()
        report.created.append(f"lettre {site.site_name}")
