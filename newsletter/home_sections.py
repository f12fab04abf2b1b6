"""The newsletter's section on a centre's home: the subscription form (centres.sections)."""

from django.utils.translation import gettext_lazy as _

from centres import sections


def subscription(scope, count):
    return {"action": "/lettre/"}


def register_sections():
    sections.register(
        sections.SectionKind(
            name="newsletter",
            label=_("Recevoir la lettre d’information"),
            template="newsletter/sections/subscribe.html",
            items=subscription,
            order=50,
        )
    )
