"""Login lockout with two limits (django-axes checks one count against one limit):
AXES_FAILURE_LIMIT failures for one user name from one address lock that pair out; once
one address has failed AXES_ADDRESS_FAILURE_LIMIT times in the cool-off period, whatever
the user names (a few passwords tried on many accounts), the address itself is locked out.

Axes takes its lockout parameters from a callable (AXES_LOCKOUT_PARAMETERS): under the
address limit the pair, above it the address alone, whose summed failures are then over
AXES_FAILURE_LIMIT too."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from axes.models import AccessAttempt

from .client import client_address

PAIR = [["username", "ip_address"]]
ADDRESS = ["ip_address"]


def address_failures(address: str) -> int:
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempts = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def lockout_parameters(request_or_attempt, credentials=None):
    if isinstance(request_or_attempt, AccessAttempt):
        address = request_or_attempt.ip_address
    else:
        address = client_address(request_or_attempt)
    if address and address_failures(address) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
        return ADDRESS
    return PAIR
