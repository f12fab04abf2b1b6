"""Subscribers in and out as CSV, for a site's own editors.

Import is all or nothing: every line is checked first (address, consent date, profile,
duplicates); one refused line and nothing is imported, the report says which and why.
An imported contact is confirmed with the consent date of the file (the list it was
collected for must have had its own consent: the editor answers for it)."""

import csv
import io
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from .forms import CONTROL
from .models import Profile, Subscriber, Subscription

MAX_BYTES = 5 * 1024 * 1024
MAX_LINES = 50_000
EXPORT_COLUMNS = ["email", "nom", "organisme", "profil", "liste", "etat", "date_consentement"]


def export(site, out) -> None:
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    subscriptions = (
        Subscription.objects.filter(subscriber__site=site)
        .select_related("subscriber__profile", "mailing_list")
        .order_by("subscriber__email", "mailing_list__name")
    )
    for sub in subscriptions.iterator():
        person = sub.subscriber
        writer.writerow(
            [
                person.email,
                _safe(person.name),
                _safe(person.organisation),
                person.profile.name if person.profile else "",
                sub.mailing_list.name,
                sub.status if person.active else "adresse invalide",
                sub.confirmed_at.date().isoformat() if sub.confirmed_at else "",
            ]
        )


def _safe(value: str) -> str:
    """No formula in a spreadsheet opened by an editor (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def read(upload) -> tuple[list[dict], list[str]]:
    """The rows to import, and the refused lines (line number: reason)."""
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        return [], ["fichier trop volumineux (5 Mo au plus)"]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], ["le fichier n'est pas en UTF-8"]
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    if "email" not in fields or "date_consentement" not in fields:
        return [], ["colonnes « email » et « date_consentement » obligatoires"]
    reader.fieldnames = fields
    profiles = {p.name.lower(): p for p in Profile.objects.all()}
    rows, refused, seen = [], [], set()
    today = timezone.localdate()
    for number, line in enumerate(reader, start=2):
        if number > MAX_LINES + 1:
            refused.append(f"plus de {MAX_LINES} lignes")
            break
        email = (line.get("email") or "").strip().lower()
        name = (line.get("nom") or "").strip()
        organisation = (line.get("organisme") or "").strip()
        try:
            if CONTROL.search(email + name + organisation) or len(email) > 254:
                raise ValidationError("caractères interdits")
            validate_email(email)
            if not email.partition("@")[0].isascii():
                raise ValidationError("adresse non prise en charge")
        except ValidationError:
            refused.append(f"ligne {number} : adresse invalide")
            continue
        if email in seen:
            refused.append(f"ligne {number} : {email} en double dans le fichier")
            continue
        try:
            consent = date.fromisoformat((line.get("date_consentement") or "").strip())
        except ValueError:
            refused.append(f"ligne {number} : date de consentement absente ou invalide")
            continue
        if consent > today:
            refused.append(f"ligne {number} : date de consentement future")
            continue
        profile_name = (line.get("profil") or "").strip().lower()
        if profile_name and profile_name not in profiles:
            refused.append(f"ligne {number} : profil inconnu « {profile_name} »")
            continue
        if len(name) > 120 or len(organisation) > 160:
            refused.append(f"ligne {number} : nom ou organisme trop long")
            continue
        seen.add(email)
        rows.append(
            {
                "email": email,
                "name": name,
                "organisation": organisation,
                "profile": profiles.get(profile_name),
                "consent": consent,
            }
        )
    return rows, refused


@transaction.atomic
def import_rows(mailing_list, rows, source_label: str) -> int:
    site = mailing_list.site
    imported = 0
    for row in rows:
        subscriber, _created = Subscriber.objects.get_or_create(
            site=site,
            email=row["email"],
            defaults={
                "name": row["name"],
                "organisation": row["organisation"],
                "profile": row["profile"],
            },
        )
        consent_at = timezone.make_aware(datetime.combine(row["consent"], time(12)))
        subscription, created = Subscription.objects.get_or_create(
            subscriber=subscriber,
            mailing_list=mailing_list,
            defaults={
                "status": Subscription.CONFIRMED,
                "confirmed_at": consent_at,
                "requested_at": consent_at,
                "consent_text": source_label,
                "source": Subscription.IMPORT,
            },
        )
        if created:
            imported += 1
        # An existing subscription (unsubscribed included) is left as it is: an import
        # never subscribes again someone who left.
    return imported
