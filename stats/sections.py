"""The yearly activity report's sections beyond the audience: the hook other apps use
to add theirs, and the sections of the content apps stats may read (events,
publications, working groups).

A section provider is registered with Wagtail's hook registry::

    @hooks.register("register_report_section")
    def my_section(sites, year):
        return {
            "key": "newsletter",            # unique, used in JSON and file names
            "title": "Lettres d'information",
            "order": 50,                    # position among the sections (audience: 0)
            "figures": [
                # One value per site id; the report sums the sites it covers.
                {"key": "letters", "label": "Lettres envoyées", "by_site": {3: 12}},
                # A share of two other figures of the section, computed after the sums.
                {"key": "open_rate", "label": "Taux d'ouverture",
                 "ratio": ["opened", "measured"]},
            ],
            "tables": [
                # Rows summed by their first cell across the sites covered.
                {"key": "by_profile", "title": "Par profil",
                 "columns": ["Profil", "Inscrits"], "by_site": {3: {"Élu": [4]}}},
                # Lines listed, not summed (one per event): each site's lines put
                # together and ordered by the column `order_by`; `units` per column
                # (text, date as an ISO string, count), as the report formats them.
                {"key": "by_event", "title": "Par événement",
                 "columns": ["Événement", "Date", "Inscrits"],
                 "units": ["text", "date", "count"], "order_by": 1,
                 "lines_by_site": {3: [["Webinaire", "2025-03-04", 40]]}},
            ],
            "note": "What the figures mean (optional).",
        }

`sites` is the list of `wagtail.models.Site` the report covers (one site, or every
site for the network); `year` the calendar year. The report calls each provider for
the year and for the year it is compared with, and computes the changes; a provider
returns None when it has nothing to say. Values are plain counts (summed across
sites): rates are written as `ratio`. Stats never imports the providers' apps (they
sit beside it in the import layers)."""

from collections import defaultdict
from datetime import date

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail import hooks

from .replays import plays_by_event, plays_by_site

HOOK = "register_report_section"


def site_case(sites):
    """An expression giving the id of the site whose tree holds a page (deepest root
    first, so that a site nested in another's tree keeps its own pages)."""
    ordered = sorted(sites, key=lambda site: -len(site.root_page.path))
    return Case(
        *[When(path__startswith=site.root_page.path, then=Value(site.pk)) for site in ordered],
        default=Value(None),
        output_field=IntegerField(),
    )


def _within(paths):
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def _in_sites(sites):
    return _within(site.root_page.path for site in sites)


def events_section(sites, year):
    from agenda.models import Attendance, EventPage, participants_from_check_in

    today = timezone.localdate()
    end = min(date(year, 12, 31), today)
    events = (
        EventPage.objects.live()
        .filter(_in_sites(sites), start_date__gte=date(year, 1, 1), start_date__lte=end)
        .annotate(site_=site_case(sites), organisers_=Count("organisers", distinct=True))
    )
    figures = {
        key: defaultdict(int)
        for key in ("held", "online", "in_person", "hybrid", "coorganised", "participants")
    }
    by_format = defaultdict(lambda: defaultdict(lambda: [0]))
    rows = list(
        events.values(
            "pk",
            "path",
            "site_",
            "attendance",
            "organisers_",
            "participants_count",
            "event_format__name",
        )
    )
    # The count the event's page shows: the people marked present once checked in on
    # the portal (each session of a cycle counted, as the registrations' figures do),
    # else the figure typed on the page.
    checked_in = participants_from_check_in({row["pk"]: row["path"] for row in rows})
    for row in rows:
        site = row["site_"]
        figures["held"][site] += 1
        attendance = {
            Attendance.ONLINE: "online",
            Attendance.HYBRID: "hybrid",
        }.get(row["attendance"], "in_person")
        figures[attendance][site] += 1
        figures["coorganised"][site] += row["organisers_"] >= 2
        figures["participants"][site] += checked_in.get(row["pk"], row["participants_count"]) or 0
        by_format[site][row["event_format__name"] or _("Sans format")][0] += 1
    site_ids = [site.pk for site in sites]
    figures["replay_plays"] = plays_by_site(site_ids, date(year, 1, 1), date(year, 12, 31))
    labels = {
        "held": _("Événements tenus"),
        "in_person": _("En présentiel"),
        "online": _("En ligne"),
        "hybrid": _("Hybrides"),
        "coorganised": _("Co-organisés (deux centres ou plus)"),
        "participants": _("Participants déclarés"),
        "replay_plays": _("Replays vus (lectures)"),
    }
    return {
        "key": "events",
        "title": _("Événements"),
        "order": 20,
        "figures": [
            {"key": key, "label": label, "by_site": dict(figures[key])}
            for key, label in labels.items()
        ],
        "tables": [
            {
                "key": "by_format",
                "title": _("Événements par format"),
                "columns": [_("Format"), _("Événements")],
                "by_site": {site: dict(rows) for site, rows in by_format.items()},
                "chart": True,
            },
            {
                "key": "replays",
                "title": _("Replays les plus vus"),
                "columns": [_("Événement"), _("Lectures")],
                "by_site": {
                    site: {title: [n] for title, n in lines.items()}
                    for site, lines in plays_by_event(
                        site_ids, date(year, 1, 1), date(year, 12, 31)
                    ).items()
                },
            },
        ],
        "note": _(
            "Événements publiés dont la date de début tombe dans l’année, jusqu’à "
            "aujourd’hui ; participants : les personnes pointées présentes quand les "
            "présences sont enregistrées sur le portail (chaque séance d’un cycle), sinon "
            "le nombre saisi sur la page de l’événement ; "
            "replays vus : les lectures de l’année, quelle que soit la date de "
            "l’événement, comptées quand le lien « Voir le replay » du portail est suivi "
            "(robots et refus de mesure exclus)."
        ),
    }


def publications_section(sites, year):
    from publications.models import PublicationPage

    publications = (
        PublicationPage.objects.live()
        .filter(_in_sites(sites), publication_date__year=year)
        .annotate(site_=site_case(sites))
    )
    total, by_kind, by_theme = defaultdict(int), defaultdict(dict), defaultdict(dict)
    for row in (
        publications.values("site_", "kind__name").annotate(n=Count("pk", distinct=True)).order_by()
    ):
        total[row["site_"]] += row["n"]
        name = row["kind__name"] or _("Sans nature")
        by_kind[row["site_"]][name] = [by_kind[row["site_"]].get(name, [0])[0] + row["n"]]
    for row in (
        publications.filter(tagged_items__isnull=False)
        .values("site_", "tagged_items__tag__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by()  # a model's default ordering would split the groups
    ):
        by_theme[row["site_"]][row["tagged_items__tag__name"]] = [row["n"]]
    return {
        "key": "publications",
        "title": _("Publications"),
        "order": 30,
        "figures": [{"key": "published", "label": _("Publications"), "by_site": dict(total)}],
        "tables": [
            {
                "key": "by_kind",
                "title": _("Publications par nature"),
                "columns": [_("Nature"), _("Publications")],
                "by_site": dict(by_kind),
                "chart": True,
            },
            {
                "key": "by_theme",
                "title": _("Publications par thème"),
                "columns": [_("Thème"), _("Publications")],
                "by_site": dict(by_theme),
            },
        ],
        "note": _(
            "Publications en ligne dont la date de publication tombe dans l’année ; une "
            "publication à plusieurs thèmes compte une fois dans chacun."
        ),
    }


def working_groups_section(sites, year):
    from agenda.models import EventPage
    from publications.models import PublicationPage, WorkingGroupPage, WorkingGroupYear

    groups = list(
        WorkingGroupPage.objects.live().filter(_in_sites(sites)).annotate(site_=site_case(sites))
    )
    if not groups:
        return None
    site_of = {group.pk: group.site_ for group in groups}
    names = {group.pk: group.title for group in groups}
    publications = defaultdict(int)
    for row in (
        PublicationPage.objects.live()
        .filter(working_group_id__in=site_of, publication_date__year=year)
        .values("working_group_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        publications[row["working_group_id"]] = row["n"]
    events = defaultdict(int)
    # One query for every group: each event counted for the group whose page holds it.
    by_group = Case(
        *[When(path__startswith=group.path, then=Value(group.pk)) for group in groups],
        default=Value(None),
        output_field=IntegerField(),
    )
    for row in (
        EventPage.objects.live()
        .filter(
            start_date__year=year,
            start_date__lte=timezone.localdate(),
        )
        .filter(_within(group.path for group in groups))
        .annotate(group_=by_group)
        .values("group_")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if row["group_"] is not None:
            events[row["group_"]] = row["n"]
    activity = {
        row["page_id"]: row
        for row in WorkingGroupYear.objects.filter(page_id__in=site_of, year=year)
        .values("page_id")
        .annotate(meetings_=Sum("meetings"), centres_=Sum("centres_involved"))
        .order_by()
    }
    figures = {key: defaultdict(int) for key in ("active", "meetings", "publications", "events")}
    per_group = defaultdict(dict)
    for pk, site in site_of.items():
        meetings = (activity.get(pk) or {}).get("meetings_") or 0
        centres = (activity.get(pk) or {}).get("centres_") or 0
        active = bool(pk in activity or publications[pk] or events[pk])
        figures["active"][site] += active
        figures["meetings"][site] += meetings
        figures["publications"][site] += publications[pk]
        figures["events"][site] += events[pk]
        if active:
            per_group[site][names[pk]] = [centres, meetings, publications[pk], events[pk]]
    labels = {
        "active": _("Groupes actifs"),
        "meetings": _("Réunions"),
        "publications": _("Publications des groupes"),
        "events": _("Événements des groupes"),
    }
    return {
        "key": "working_groups",
        "title": _("Groupes de travail"),
        "order": 40,
        "figures": [
            {"key": key, "label": label, "by_site": dict(figures[key])}
            for key, label in labels.items()
        ],
        "tables": [
            {
                "key": "by_group",
                "title": _("Activité par groupe"),
                "columns": [
                    _("Groupe"),
                    _("Centres impliqués"),
                    _("Réunions"),
                    _("Publications"),
                    _("Événements"),
                ],
                "by_site": dict(per_group),
            }
        ],
        "note": _(
            "Réunions et centres impliqués : l’activité de l’année saisie sur la page du "
            "groupe ; publications et événements : ceux de l’année rangés dans le groupe."
        ),
    }


BUILT_IN = (events_section, publications_section, working_groups_section)


def providers():
    return list(BUILT_IN) + list(hooks.get_hooks(HOOK))
