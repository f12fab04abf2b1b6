"""The figures activity reports quote, per list: subscribers over time, letters sent,
deliveries (sent, failed, bounced), unsubscribes, clicks per link. Aggregates only:
no per-subscriber click; opens only for the readers who consented to their being
measured, where a list measures them (the open rate is over those letters alone)."""

from datetime import datetime, time

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from .models import Delivery, Letter, LinkClick, MailingList, Subscription


def month_ends(months: int = 12):
    today = timezone.localdate()
    year, month = today.year, today.month
    ends = []
    for _i in range(months):
        ends.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(ends))


def subscribers_at(mailing_list, moment):
    """Confirmed subscribers at `moment`: confirmed before it, not unsubscribed by then."""
    return (
        Subscription.objects.filter(mailing_list=mailing_list, confirmed_at__lte=moment)
        .filter(Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__gt=moment))
        .count()
    )


def list_figures(mailing_list):
    now = timezone.now()
    series = []
    for year, month in month_ends():
        next_year, next_month = (year, month + 1) if month < 12 else (year + 1, 1)
        end = timezone.make_aware(datetime.combine(datetime(next_year, next_month, 1), time()))
        series.append(
            {
                "month": f"{year}-{month:02d}",
                "subscribers": subscribers_at(mailing_list, min(end, now)),
            }
        )
    letters = Letter.objects.filter(mailing_list=mailing_list, status=Letter.SENT).annotate(
        sent=Count("deliveries", filter=Q(deliveries__status=Delivery.SENT)),
        failed=Count("deliveries", filter=Q(deliveries__status=Delivery.FAILED)),
        bounced=Count("deliveries", filter=Q(deliveries__status=Delivery.BOUNCED)),
        measured=Count(
            "deliveries",
            filter=Q(deliveries__status=Delivery.SENT, deliveries__measured=True),
        ),
        opened=Count("deliveries", filter=Q(deliveries__opened_at__isnull=False)),
        # A subquery: summed beside the deliveries' join, each click would count once
        # per delivery.
        clicks=Subquery(
            LinkClick.objects.filter(letter=OuterRef("pk"))
            .values("letter")
            .annotate(total=Sum("clicks"))
            .values("total")[:1]
        ),
    )
    by_profile = (
        Subscription.objects.filter(mailing_list=mailing_list, status=Subscription.CONFIRMED)
        .values("subscriber__profile__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "subscriber__profile__name")
    )
    sent_letters = list(letters.order_by("-sent_at")[:24])
    for letter in sent_letters:
        measured = letter.measured
        letter.open_rate = round(100 * letter.opened / measured, 1) if measured else None
    return {
        "list": mailing_list,
        # Opens shown where they were measured (the list measures them, or did).
        "measures_opens": mailing_list.count_opens or any(sent.measured for sent in sent_letters),
        # The yearly report's table by profile ("" when the reader gave none).
        "by_profile": [
            (row["subscriber__profile__name"] or "", row["count"]) for row in by_profile
        ],
        "subscribers": subscribers_at(mailing_list, now),
        "pending": Subscription.objects.filter(
            mailing_list=mailing_list, status=Subscription.PENDING
        ).count(),
        "unsubscribed": Subscription.objects.filter(
            mailing_list=mailing_list, status=Subscription.UNSUBSCRIBED
        ).count(),
        "series": series,
        "letters": sent_letters,
    }


def site_figures(sites):
    return [
        list_figures(mailing_list)
        for mailing_list in MailingList.objects.filter(site__in=sites).select_related("site")
    ]


def letter_links(letter):
    return list(LinkClick.objects.filter(letter=letter).order_by("-clicks", "url"))
