"""Mail about co-organisations, sent once the change is committed: the invited centre's
editors when a page names their centre, the owner when the centre answers."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import CoOrganisation
from .ownership import centre_for_page


def _addresses(users) -> list[str]:
    return sorted({user.email for user in users.filter(is_active=True).exclude(email="")})


def _editors(centre):
    users = get_user_model().objects.none()
    if centre is not None and centre.editors_group_id:
        users = get_user_model().objects.filter(groups=centre.editors_group_id)
    return users


def _list_url() -> str:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    return base.rstrip("/") + reverse("co_organisations")


def _send(subject, template, context, recipients) -> int:
    if not recipients:
        return 0
    body = render_to_string(template, context)
    # One message per person: a centre's editors need not see each other's addresses.
    return send_mass_mail(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients],
        fail_silently=False,
    )


def notify_invited(pks) -> int:
    sent = 0
    for record in CoOrganisation.objects.filter(pk__in=pks).select_related("page", "centre"):
        owner = centre_for_page(record.page)
        subject = _("Co-organisation : « %(title)s » attend votre accord") % {
            "title": record.page.title
        }
        context = {"record": record, "owner": owner, "url": _list_url()}
        sent += _send(
            subject,
            "centres/email/invited.txt",
            context,
            _addresses(_editors(record.centre)),
        )
    return sent


def notify_owner(pk) -> int:
    record = CoOrganisation.objects.filter(pk=pk).select_related("page", "centre").first()
    if record is None:
        return 0
    owner = centre_for_page(record.page)
    users = _editors(owner)
    if owner is None and record.invited_by_id:
        # A page of the national site (a working group's): the person who asked.
        users = get_user_model().objects.filter(pk=record.invited_by_id)
    subject = _("Co-organisation : %(centre)s a répondu pour « %(title)s »") % {
        "centre": record.centre.name,
        "title": record.page.title,
    }
    return _send(
        subject,
        "centres/email/decided.txt",
        {"record": record, "url": _list_url()},
        _addresses(users),
    )
