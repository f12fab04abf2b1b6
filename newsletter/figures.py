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


def yearly_section(sites, year):
    """The yearly activity report's section (stats' `register_report_section` hook):
    letters sent in the year, mails delivered, bounced and failed, opens among the
    measured mails (readers who consented, on lists that measure them), clicks, and the
    confirmed subscribers at the year's end, per site."""
    from django.utils.translation import gettext as _

    site_ids = [site.pk for site in sites]
    end = timezone.make_aware(datetime(year + 1, 1, 1))
    keys = ("letters", "sent", "bounced", "failed", "measured", "opened", "clicks")
    figures = {key: {} for key in keys + ("subscribers",)}
    letters = Letter.objects.filter(
        mailing_list__site_id__in=site_ids, status=Letter.SENT, sent_at__year=year
    )
    # .order_by(): Letter's default ordering would split the groups per letter.
    for row in (
        letters.order_by()
        .values("mailing_list__site_id")
        .annotate(
            letters=Count("pk", distinct=True),
            sent=Count("deliveries", filter=Q(deliveries__status=Delivery.SENT)),
            bounced=Count("deliveries", filter=Q(deliveries__status=Delivery.BOUNCED)),
            failed=Count("deliveries", filter=Q(deliveries__status=Delivery.FAILED)),
            measured=Count(
                "deliveries", filter=Q(deliveries__status=Delivery.SENT, deliveries__measured=True)
            ),
            opened=Count("deliveries", filter=Q(deliveries__opened_at__isnull=False)),
        )
    ):
        for key in keys[:-1]:
            figures[key][row["mailing_list__site_id"]] = row[key]
    for row in (
        LinkClick.objects.filter(letter__in=letters)
        .values("letter__mailing_list__site_id")
        .annotate(total=Sum("clicks"))
        .order_by()
    ):
        figures["clicks"][row["letter__mailing_list__site_id"]] = row["total"]
    for row in (
        Subscription.objects.filter(mailing_list__site_id__in=site_ids, confirmed_at__lt=end)
        .filter(Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__gte=end))
        .values("mailing_list__site_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        figures["subscribers"][row["mailing_list__site_id"]] = row["n"]
    labels = {
        "letters": _("Lettres envoyées"),
        "sent": _("Envois délivrés"),
        "bounced": _("Adresses en erreur (rebonds)"),
        "failed": _("Envois en échec"),
        "subscribers": _("Abonnés au 31 décembre"),
        "measured": _("Envois où l’ouverture est mesurée"),
        "opened": _("Envois ouverts (mesurés)"),
        "clicks": _("Clics sur les liens"),
    }
    return {
        "key": "newsletter",
        "title": _("Lettres d’information"),
        "order": 50,
        "figures": [
            {"key": key, "label": label, "by_site": figures[key]} for key, label in labels.items()
        ]
        + [
            {
                "key": "open_rate",
                "label": _("Taux d’ouverture (envois mesurés)"),
                "ratio": ["opened", "measured"],
            }
        ],
        "note": _(
            "Ouvertures comptées seulement pour les lecteurs qui l’ont accepté, sur les "
            "listes qui les mesurent : le taux porte sur ces envois-là."
        ),
    }
