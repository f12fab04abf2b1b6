"""Registration figures: registered, present, no-shows, not checked, by profile and by
territory, per event and per year (docs/registrations.md). Counts only, never a name:
they outlive the registrants' details (erased a year after the event, `daily.erase`).

`yearly(site, year)` is what the yearly report reads (stats builds it; this module does
not know it): `site` None is the whole network (the sum of every centre's events, as
every national figure is), else the events of that site's tree.

Definitions, per session (a cycle counts once per session: a person at four sessions is
four attendances, as the centres' annexes count them):
- *registered*: a confirmed seat; the waiting list apart (`waiting`), never a no-show;
- *present*: a confirmed seat marked present at the check-in;
- *no_show*: a confirmed seat marked absent, or left unmarked at a session that has
  ended and was checked in (at least one of its seats marked): organisers usually tick
  who came, and whoever they did not tick did not come;
- *unchecked* ("non pointés"): a confirmed seat left unmarked at a session nobody was
  checked in at, or still to end: neither present nor a no-show.
registered = present + no_show + unchecked."""

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from wagtail.models import Site

from .models import Seat

UNKNOWN = "non renseigné"


def _empty():
    return {"registered": 0, "present": 0, "no_show": 0, "unchecked": 0, "waiting": 0}


def _add(row, kind, n):
    row[kind] += n
    if kind != "waiting":
        row["registered"] += n


def labels_of(row) -> tuple[str, str]:
    """A seat row's profile and territory as counted (territories typed differently
    count together)."""
    territory = (row["registrant__territory"] or "").strip().title()
    return row["registrant__profile__name"] or UNKNOWN, territory or UNKNOWN


def seats_of(site=None, year=None, opening_ids=None):
    seats = Seat.objects.all()
    if year is not None:
        seats = seats.filter(event__start_date__year=year)
    if site is not None:
        seats = seats.filter(event__path__startswith=site.root_page.path)
    if opening_ids is not None:
        seats = seats.filter(registrant__opening_id__in=opening_ids)
    return seats


def counted_rows(seats) -> list:
    """The seats counted by session, status, mark, profile and territory (one grouped
    query), each row with its `kind` (present, no_show, unchecked or waiting).

    Whether a session was checked in is read from the same rows: every seat of a session
    belongs to the session's opening, which the callers' filters (year, site, openings)
    keep or drop whole."""
    rows = list(
        seats.values(
            "event_id",
            "event__title",
            "event__start_date",
            "event__ends_at",
            "event__path",
            "status",
            "attended",
            "registrant__profile__name",
            "registrant__territory",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    checked = {
        row["event_id"]
        for row in rows
        if row["status"] == Seat.CONFIRMED and row["attended"] is not None
    }
    now = timezone.now()
    for row in rows:
        row["kind"] = kind_of(row, row["event_id"] in checked, now)
    return rows


def kind_of(row, checked: bool, now) -> str:
    if row["status"] == Seat.WAITING:
        return "waiting"
    if row["attended"] is not None:
        # The organiser's mark counts as given, even while the session is still on.
        return "present" if row["attended"] else "no_show"
    ended = row["event__ends_at"] is not None and row["event__ends_at"] <= now
    return "no_show" if ended and checked else "unchecked"


def site_of(path: str, ordered_sites):
    """The deepest site whose tree holds the page at `path` (`ordered_sites` deepest
    root first), so that a site nested in another's tree keeps its own events."""
    return next((s for s in ordered_sites if path.startswith(s.root_page.path)), None)


def deepest_first(sites) -> list:
    return sorted(sites, key=lambda site: -len(site.root_page.path))


def site_label(site) -> str:
    return (site.site_name or site.hostname) if site is not None else ""


def figures(seats, sites=None) -> dict:
    """Totals, by profile, by territory and per event, from a queryset of seats: one
    grouped query. With `sites`, each event names the site (centre) that holds it, and
    `by_site` counts per site."""
    ordered = deepest_first(sites or [])
    totals = _empty()
    by_site = defaultdict(_empty)
    profiles = defaultdict(_empty)
    territories = defaultdict(_empty)
    events = {}
    for row in counted_rows(seats):
        kind, n = row["kind"], row["n"]
        profile, territory = labels_of(row)
        event = events.get(row["event_id"])
        if event is None:
            event = events[row["event_id"]] = {
                "id": row["event_id"],
                "title": row["event__title"],
                "date": row["event__start_date"],
                "site": site_label(site_of(row["event__path"], ordered)),
                **_empty(),
                "by_profile": defaultdict(_empty),
                "by_territory": defaultdict(_empty),
            }
        for target in (
            totals,
            profiles[profile],
            territories[territory],
            event,
            event["by_profile"][profile],
            event["by_territory"][territory],
            *([by_site[event["site"]]] if event["site"] else []),
        ):
            _add(target, kind, n)
    for event in events.values():
        event["by_profile"] = dict(sorted(event["by_profile"].items()))
        event["by_territory"] = dict(sorted(event["by_territory"].items()))
    return {
        "totals": totals,
        "by_site": dict(sorted(by_site.items())),
        "by_profile": dict(sorted(profiles.items())),
        "by_territory": dict(sorted(territories.items())),
        "events": sorted(events.values(), key=lambda e: (e["date"] or date.min, e["id"])),
    }


def yearly(site, year: int) -> dict:
    """The year's registrations of `site` (None: the whole network) for the yearly
    report: {"year", "totals", "by_site", "by_profile", "by_territory", "events"}, each
    count a dict registered / present / no_show / unchecked / waiting; events in date
    order, each with its site's name (`site`)."""
    sites = list(Site.objects.select_related("root_page"))
    return {"year": year, **figures(seats_of(site, year), sites)}


def opening_counts(opening_ids) -> dict:
    """{opening id: (confirmed, waiting, present)} for the admin's listings."""
    return _seat_counts("registrant__opening_id", opening_ids)


def event_counts(event_ids) -> dict:
    """{event id: (confirmed, waiting, present)}: one session's seats (the capacity is
    per session)."""
    return _seat_counts("event_id", event_ids)


def _seat_counts(column: str, ids) -> dict:
    """{id: (confirmed, waiting, present)} of the seats grouped by `column`, in one query."""
    rows = (
        Seat.objects.filter(**{f"{column}__in": ids})
        .values(column)
        .annotate(
            confirmed=Count("pk", filter=Q(status=Seat.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=Seat.WAITING)),
            present=Count("pk", filter=Q(attended=True)),
        )
        .order_by()
    )
    counts = dict.fromkeys(ids, (0, 0, 0))
    for row in rows:
        counts[row[column]] = (row["confirmed"], row["waiting"], row["present"])
    return counts


def yearly_section(sites, year):
    """The registrations' section of the yearly activity report (stats'
    `register_report_section` hook, docs/statistics.md): per site, seats registered,
    present, no-shows, not checked and waiting at the year's events; tables by profile
    and by territory (the same counts) and per event (its date and centre), which the
    network's report sums or lists over the centres. Each event counts for the deepest
    site whose tree holds it, so that the national tree never counts a centre's events
    twice."""
    from django.utils.translation import gettext as _

    ordered = deepest_first(sites)
    keys = ("registered", "present", "no_show", "unchecked", "waiting")
    by_site = defaultdict(_empty)
    profiles = defaultdict(lambda: defaultdict(_empty))
    territories = defaultdict(lambda: defaultdict(_empty))
    events = defaultdict(dict)
    for row in counted_rows(seats_of(None, year)):
        site = site_of(row["event__path"], ordered)
        if site is None:
            continue
        kind, n = row["kind"], row["n"]
        profile, territory = labels_of(row)
        event = events[site.pk].setdefault(row["event_id"], {**_empty(), "row": row})
        for target in (
            by_site[site.pk],
            profiles[site.pk][profile],
            territories[site.pk][territory],
            event,
        ):
            _add(target, kind, n)
    if not by_site:
        return None
    labels = {
        "registered": _("Inscrits"),
        "present": _("Présents"),
        "no_show": _("Absents"),
        "unchecked": _("Non pointés"),
        "waiting": _("En liste d’attente"),
    }
    counts = [_("Inscrits"), _("Présents"), _("Absents"), _("Non pointés"), _("Liste d’attente")]

    def table(rows):
        return {label: [row[key] for key in keys] for label, row in rows.items()}

    def line(site, event):
        row = event["row"]
        return [
            row["event__title"],
            row["event__start_date"].isoformat(),
            site_label(site),
            *(event[key] for key in keys),
        ]

    return {
        "key": "registrations",
        "title": _("Inscriptions aux événements"),
        "order": 25,
        "figures": [
            *[
                {
                    "key": key,
                    "label": labels[key],
                    "by_site": {k: v[key] for k, v in by_site.items()},
                }
                for key in keys
            ],
            {"key": "presence", "label": _("Taux de présence"), "ratio": ["present", "registered"]},
        ],
        "tables": [
            {
                "key": "by_profile",
                "title": _("Participants par profil"),
                "columns": [_("Profil"), *counts],
                "by_site": {k: table(v) for k, v in profiles.items()},
                "chart": True,
            },
            {
                "key": "by_territory",
                "title": _("Participants par territoire"),
                "columns": [_("Territoire"), *counts],
                "by_site": {k: table(v) for k, v in territories.items()},
            },
            {
                "key": "by_event",
                "title": _("Participants par événement"),
                "columns": [_("Événement"), _("Date"), _("Centre"), *counts],
                "units": ["text", "date", "text", *["count"] * len(counts)],
                # One line per event, not summed: the network's report lists every
                # centre's events together, in date order.
                "lines_by_site": {
                    site.pk: [line(site, event) for event in events[site.pk].values()]
                    for site in ordered
                    if site.pk in events
                },
                "order_by": 1,
            },
        ],
        "note": _(
            "Places confirmées aux événements de l’année (une personne inscrite à quatre "
            "séances d’un cycle compte quatre fois), la liste d’attente à part. Présents "
            "et absents selon le pointage : à une séance terminée où le pointage a été "
            "fait, une personne inscrite non pointée compte absente ; non pointés : les "
            "inscrits des séances sans pointage ou pas encore terminées."
        ),
    }
