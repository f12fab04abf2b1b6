"""Registration figures: registered, present, absent (no-shows) by profile and by
territory, per event and per year (docs/registrations.md). Counts only, never a name:
they outlive the registrants' details (erased a year after the event, `daily.erase`).

`yearly(site, year)` is what the yearly report reads (stats builds it; this module does
not know it): `site` None is the whole network (the sum of every centre's events, as
every national figure is), else the events of that site's tree.

Definitions: *registered* is a confirmed seat (the waiting list apart, counted as
`waiting`); *present* and *absent* are the check-in's marks; *unmarked* a confirmed seat
nobody checked in or out. A cycle counts once per session: a person at four sessions is
four attendances, as the centres' annexes count them."""

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q

from .models import Seat

UNKNOWN = "non renseigné"


def _empty():
    return {"registered": 0, "waiting": 0, "present": 0, "absent": 0, "unmarked": 0}


def _add(row, status, attended, n):
    if status == Seat.WAITING:
        row["waiting"] += n
        return
    row["registered"] += n
    key = {True: "present", False: "absent", None: "unmarked"}[attended]
    row[key] += n


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


def figures(seats) -> dict:
    """Totals, by profile, by territory and per event, from a queryset of seats: one
    grouped query."""
    rows = (
        seats.values(
            "event_id",
            "event__title",
            "event__start_date",
            "status",
            "attended",
            "registrant__profile__name",
            "registrant__territory",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    totals = _empty()
    profiles = defaultdict(_empty)
    territories = defaultdict(_empty)
    events = {}
    for row in rows:
        status, attended, n = row["status"], row["attended"], row["n"]
        profile, territory = labels_of(row)
        event = events.setdefault(
            row["event_id"],
            {
                "id": row["event_id"],
                "title": row["event__title"],
                "date": row["event__start_date"],
                **_empty(),
                "by_profile": defaultdict(_empty),
                "by_territory": defaultdict(_empty),
            },
        )
        for target in (
            totals,
            profiles[profile],
            territories[territory],
            event,
            event["by_profile"][profile],
            event["by_territory"][territory],
        ):
            _add(target, status, attended, n)
    for event in events.values():
        event["by_profile"] = dict(sorted(event["by_profile"].items()))
        event["by_territory"] = dict(sorted(event["by_territory"].items()))
    return {
        "totals": totals,
        "by_profile": dict(sorted(profiles.items())),
        "by_territory": dict(sorted(territories.items())),
        "events": sorted(events.values(), key=lambda e: (e["date"] or date.min, e["id"])),
    }


def yearly(site, year: int) -> dict:
    """The year's registrations of `site` (None: the whole network) for the yearly
    report: {"year", "totals", "by_profile", "by_territory", "events"}, each count a dict
    registered / waiting / present / absent / unmarked; events in date order."""
    return {"year": year, **figures(seats_of(site, year))}


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
    waiting, present and absent at the year's events, and tables by profile and by
    territory. Each event counts for the deepest site whose tree holds it, so that the
    national tree never counts a centre's events twice."""
    from django.utils.translation import gettext as _

    ordered = sorted(sites, key=lambda site: -len(site.root_page.path))
    rows = (
        seats_of(None, year)
        .values(
            "event__path",
            "status",
            "attended",
            "registrant__profile__name",
            "registrant__territory",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    keys = ("registered", "waiting", "present", "absent")
    by_site = defaultdict(_empty)
    profiles = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    territories = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for row in rows:
        site = next((s for s in ordered if row["event__path"].startswith(s.root_page.path)), None)
        if site is None:
            continue
        _add(by_site[site.pk], row["status"], row["attended"], row["n"])
        if row["status"] == Seat.WAITING:
            continue
        profile, territory = labels_of(row)
        for table, label in ((profiles, profile), (territories, territory)):
            table[site.pk][label][0] += row["n"]
            table[site.pk][label][1] += row["n"] if row["attended"] else 0
    if not by_site:
        return None
    labels = {
        "registered": _("Inscrits"),
        "waiting": _("En liste d’attente"),
        "present": _("Présents"),
        "absent": _("Absents"),
    }
    columns = [_("Inscrits"), _("Présents")]
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
                "columns": [_("Profil"), *columns],
                "by_site": {k: dict(v) for k, v in profiles.items()},
                "chart": True,
            },
            {
                "key": "by_territory",
                "title": _("Participants par territoire"),
                "columns": [_("Territoire"), *columns],
                "by_site": {k: dict(v) for k, v in territories.items()},
            },
        ],
        "note": _(
            "Places confirmées aux événements de l’année (une personne inscrite à quatre "
            "séances d’un cycle compte quatre fois) ; présents et absents selon le "
            "pointage ; la liste d’attente à part."
        ),
    }
