"""Consent between centres: a page names other centres (an event's co-organisers, a
resource's co-authors) through a many-to-many that its app registers here; a centre's
site lists the page only once that centre accepted (`CoOrganisation`).

The one definition every listing, feed, filter, facet, search column and API filter
goes through: `accepted_links(relation)` (the join rows that count) and
`pages_of(relation, ...)` (a subquery of the pages a centre agreed to). A link without
an accepted record does not count, whatever created it."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import m2m_changed
from django.utils import timezone

from wagtail.signals import page_published

from .models import Centre, CoOrganisation
from .ownership import centre_for_page

Status = CoOrganisation.Status

# (page model, many-to-many name) registered by the content apps (agenda, publications).
RELATIONS: list[tuple[type, str]] = []
# Functions (page) -> centre ids that agreed beforehand to be named on `page`: a working
# group's centres on the group's joint pages (registered by publications).
STANDING_AGREEMENTS: list = []


def register_standing_agreement(rule):
    STANDING_AGREEMENTS.append(rule)


def agreed_beforehand(page) -> set[int]:
    return {centre_id for rule in STANDING_AGREEMENTS for centre_id in rule(page)}


def register(model, field_name):
    """Called by a content app's `ready()`: its `model.field_name` names centres."""
    RELATIONS.append((model, field_name))
    through = getattr(model, field_name).through
    m2m_changed.connect(
        _centres_added, sender=through, dispatch_uid=f"consent-{model._meta.label}-{field_name}"
    )
    page_published.connect(
        _published, sender=model, dispatch_uid=f"consent-published-{model._meta.label}"
    )


def columns(relation) -> tuple[str, str]:
    """(page field, centre field) names of a registered many-to-many's join table."""
    page_model = relation.field.model
    keys = [field for field in relation.through._meta.get_fields() if field.many_to_one]
    page = next(field.name for field in keys if field.related_model is page_model)
    centre = next(field.name for field in keys if field.related_model is Centre)
    return page, centre


def accepted_links(relation):
    """The join rows of `relation` (e.g. `EventPage.organisers`) whose centre accepted."""
    page, centre = columns(relation)
    agreed = CoOrganisation.objects.filter(
        page=OuterRef(page), centre=OuterRef(centre), status=Status.ACCEPTED
    )
    return relation.through.objects.filter(Exists(agreed))


def pages_of(relation, **centre_lookup):
    """Subquery of the pages linked by `relation` to the centres matching `centre_lookup`
    (`pk=`, `slug=`, `territory=`...) that accepted: `pk__in=pages_of(...)`."""
    page, centre = columns(relation)
    lookup = {f"{centre}__{name}": value for name, value in centre_lookup.items()}
    return accepted_links(relation).filter(**lookup).values(page)


def accepted_centres(page, relation):
    """The centres named on `page` through `relation` that accepted, by name."""
    page_field, centre = columns(relation)
    links = accepted_links(relation).filter(**{page_field: page.pk}).values(centre)
    return Centre.objects.filter(pk__in=links).order_by("name")


# Where a listing's prefetch keeps a page's accepted records (see `prefetch_agreed`).
AGREED = "agreed_co_organisations"


def prefetch_agreed():
    """For a listing's `prefetch_related`: each page's accepted records, in one query,
    so that `agreed(page, ...)` names its centres without a query per page."""
    from django.db.models import Prefetch

    return Prefetch(
        "co_organisations",
        queryset=CoOrganisation.objects.filter(status=Status.ACCEPTED).only("page", "centre"),
        to_attr=AGREED,
    )


def agreed(page, relation_name: str) -> list:
    """The centres `page` names through `relation_name` (organisers, authors) that
    agreed to be named, in the relation's order: what a card, a page, the API and OAI
    show. A declined or pending centre is not named anywhere in public."""
    links = getattr(page, AGREED, None)
    if links is None:
        ids = set(
            CoOrganisation.objects.filter(page=page.pk, status=Status.ACCEPTED).values_list(
                "centre_id", flat=True
            )
        )
    else:
        ids = {link.centre_id for link in links}
    return [centre for centre in getattr(page, relation_name).all() if centre.pk in ids]


def edits(user, centre) -> bool:
    """Is `user` one of `centre`'s editors (who may answer for it)?"""
    return bool(
        user is not None
        and user.is_authenticated
        and centre.editors_group_id
        and user.groups.filter(pk=centre.editors_group_id).exists()
    )


def ensure(page, centre_ids, user=None) -> list[CoOrganisation]:
    """A record for each centre named on `page` (idempotent): accepted for the owning
    centre and for a centre the acting user edits, pending for the others."""
    known = set(
        CoOrganisation.objects.filter(page_id=page.pk, centre_id__in=centre_ids).values_list(
            "centre_id", flat=True
        )
    )
    missing = [pk for pk in centre_ids if pk not in known]
    if not missing:
        return []
    owner = centre_for_page(page)
    now = timezone.now()
    created = []
    for centre in Centre.objects.filter(pk__in=missing):
        agreed = (owner is not None and centre.pk == owner.pk) or edits(user, centre)
        record, made = CoOrganisation.objects.get_or_create(
            page_id=page.pk,
            centre=centre,
            defaults={
                "status": Status.ACCEPTED if agreed else Status.PENDING,
                "invited_by": user,
                "decided_at": now if agreed else None,
                "decided_by": user if agreed else None,
            },
        )
        if made:
            created.append(record)
    return created


def _centres_added(sender, instance, action, reverse, pk_set, **kwargs):
    # Wherever the join rows come from (the admin's form, an import, the seed), a
    # record exists for each, so that the listings' rule has something to read.
    if action != "post_add" or not pk_set:
        return
    if reverse:  # centre.organised_events.add(page...)
        from wagtail.models import Page

        for page in Page.objects.filter(pk__in=pk_set):
            ensure(page, [instance.pk])
    else:
        ensure(instance, list(pk_set))


def named_centre_ids(page) -> list[int]:
    """The centres `page` names through the registered relations, as saved."""
    ids = []
    for model, field_name in RELATIONS:
        if isinstance(page, model):
            relation = getattr(model, field_name)
            page_field, centre = columns(relation)
            ids += relation.through.objects.filter(**{page_field: page.pk}).values_list(
                f"{centre}_id", flat=True
            )
    return ids


def _published(sender, instance, revision=None, **kwargs):
    """At each publication, the centres newly named are asked (once): their editors are
    mailed; a centre the publisher edits is taken as having agreed."""
    user = getattr(revision, "user", None)
    ids = named_centre_ids(instance)
    ensure(instance, ids, user)
    waiting = CoOrganisation.objects.filter(
        page_id=instance.pk, centre_id__in=ids, status=Status.PENDING, notified_at=None
    ).select_related("centre")
    now = timezone.now()
    to_notify = []
    members = agreed_beforehand(instance) if waiting else set()
    for record in waiting:
        if edits(user, record.centre):
            record.status, record.decided_at, record.decided_by = Status.ACCEPTED, now, user
            record.save(update_fields=["status", "decided_at", "decided_by"])
            continue
        if record.centre_id in members:
            # Agreed by taking part in the group: accepted, and still listed in the
            # centre's "Co-organisations", where its editors may decline.
            record.status, record.decided_at = Status.ACCEPTED, now
            record.save(update_fields=["status", "decided_at"])
            continue
        record.notified_at = now
        if record.invited_by_id is None and user is not None and user.is_authenticated:
            record.invited_by = user
        record.save(update_fields=["notified_at", "invited_by"])
        to_notify.append(record.pk)
    if to_notify:
        from .consent_mail import notify_invited

        transaction.on_commit(lambda: notify_invited(to_notify))


def decide(record, user, accept: bool):
    """The invited centre's answer (it may change its mind later); the owner is told."""
    record.status = Status.ACCEPTED if accept else Status.DECLINED
    record.decided_at = timezone.now()
    record.decided_by = user
    record.save(update_fields=["status", "decided_at", "decided_by"])
    from .consent_mail import notify_owner

    pk = record.pk
    transaction.on_commit(lambda: notify_owner(pk))
    return record
