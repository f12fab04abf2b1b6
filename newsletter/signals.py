"""Every site offers a monthly letter: its list is made with the site (the network's
bootstrap, a centre added in the admin), so editors find it ready."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.models import Site


@receiver(post_save, sender=Site)
def monthly_list_for_new_site(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .models import MailingList

        MailingList.monthly_for(instance)
