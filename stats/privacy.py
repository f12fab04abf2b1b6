"""The visitor key: HMAC-SHA256 keyed by the day's random salt over (site, address,
user agent). Once the salt is deleted (48 hours after its day began) nobody, the
operator included, can tell whose key it was, nor link two days of one visitor."""

import hashlib
import hmac
import secrets
import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import DailySalt

PARIS = ZoneInfo("Europe/Paris")
SALT_LIFETIME = timedelta(hours=48)

_salts: dict[date, bytes] = {}
_lock = threading.Lock()


def local_day(moment: datetime | None = None) -> date:
    return (moment or timezone.now()).astimezone(PARIS).date()


def day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=PARIS)


def salt_for(day: date, now: datetime | None = None) -> bytes:
    """The day's salt, created by the first event of the day. Each process keeps only
    the current day's in memory, so a rotated salt leaves no copy behind."""
    salt = _salts.get(day)
    if salt is not None:
        return salt
    row = DailySalt.objects.filter(day=day).first()
    if row is None:
        try:
            with transaction.atomic():
                row = DailySalt.objects.create(day=day, value=secrets.token_bytes(32))
        except IntegrityError:  # another process created it first
            row = DailySalt.objects.get(day=day)
        delete_expired_salts(now)
    salt = bytes(row.value)
    with _lock:
        _salts.clear()
        _salts[day] = salt
    return salt


def delete_expired_salts(now: datetime | None = None) -> int:
    """Delete every salt whose day began more than 48 hours ago."""
    now = now or timezone.now()
    today = local_day(now)
    expired = [
        day
        for day in DailySalt.objects.filter(day__lt=today).values_list("day", flat=True)
        if day_start(day) + SALT_LIFETIME <= now
    ]
    count = DailySalt.objects.filter(day__in=expired).delete()[0] if expired else 0
    with _lock:
        for day in expired:
            _salts.pop(day, None)
    return count


def forget_cached_salts():
    with _lock:
        _salts.clear()


def visitor_key(now: datetime, site_id: int, address: str, user_agent: str) -> str:
    message = f"{site_id}\n{address}\n{user_agent}".encode()
    return hmac.new(salt_for(local_day(now), now), message, hashlib.sha256).hexdigest()[:32]


def agents_key(now: datetime, address: str) -> str:
    """The day's key of one address (for the cap on its user agents), as unlinkable
    once the salt is gone as the visitor key."""
    message = f"agents\n{address}".encode()
    return hmac.new(salt_for(local_day(now), now), message, hashlib.sha256).hexdigest()[:32]


def wants_no_tracking(request) -> bool:
    return request.META.get("HTTP_DNT") == "1" or request.META.get("HTTP_SEC_GPC") == "1"
