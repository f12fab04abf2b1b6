"""Mail to the people a proposal concerns, through Django's mail settings. In the admin,
the same decisions show on the centre's dashboard and in "Mes propositions"."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from centres.permissions import COORDINATION_GROUP


def _addresses(users) -> list[str]:
    return sorted({user.email for user in users.filter(is_active=True).exclude(email="")})


def _admin_url(name) -> str:
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    return base.rstrip("/") + reverse(name)


def _send(subject, template, context, recipients):
    if not recipients:
        return 0
    body = render_to_string(template, context)
    sender = settings.DEFAULT_FROM_EMAIL
    # One message per person: a centre's editors need not see each other's addresses.
    return send_mass_mail(
        [(subject, body, sender, [address]) for address in recipients], fail_silently=False
    )


def notify_centre(proposal, action):
    """The proposing centre's editors learn the coordinator's decision."""
    if proposal.centre is None or proposal.centre.editors_group_id is None:
        return 0
    users = get_user_model().objects.filter(groups=proposal.centre.editors_group_id)
    subject = _("Portail national : « %(title)s » %(status)s") % {
        "title": proposal.title,
        "status": proposal.status_label,
    }
    return _send(
        subject,
        "showcase/email/decision.txt",
        {"proposal": proposal, "action": action, "url": _admin_url("showcase_mine")},
        _addresses(users),
    )


def notify_coordination(proposal):
    users = get_user_model().objects.filter(groups__name=COORDINATION_GROUP)
    subject = _("Nouvelle proposition pour le portail national : « %(title)s »") % {
        "title": proposal.title
    }
    return _send(
        subject,
        "showcase/email/proposed.txt",
        {"proposal": proposal, "url": _admin_url("showcase_queue")},
        _addresses(users),
    )
