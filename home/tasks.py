"""Mailing a form's answer to the site's address, in the background worker
(docs/tasks.md): the visitor's request does not wait for the mail server."""

from django.core.mail import EmailMessage
from django.utils import timezone

from portal.tasks import background_task


@background_task
def mail_form_submission(submission_id: int):
    from .form_pages import SiteFormSubmission

    submission = SiteFormSubmission.objects.filter(pk=submission_id).select_related("page").first()
    if submission is None or submission.mailed_at is not None:
        return  # purged meanwhile, or already mailed (a task may run twice)
    page = submission.page.specific
    recipient = page.recipient()
    if not recipient:
        return
    data = submission.get_data()
    fields = list(page.get_form_fields())
    lines, reply_to = [], []
    for field in fields:
        value = data.get(field.clean_name, "")
        if isinstance(value, list):
            value = ", ".join(value)
        lines.append(f"{field.label} : {value}")
        if field.field_type == "email" and value:
            reply_to.append(str(value))
    lines.append("")
    lines.append(f"Formulaire : {page.full_url or page.title}")
    subject = page.subject or f"{page.title} — {page.get_site().site_name}"
    EmailMessage(
        subject=subject,
        body="\n".join(lines),
        from_email=page.from_address or None,
        to=[address.strip() for address in recipient.split(",") if address.strip()],
        reply_to=reply_to,
    ).send()
    SiteFormSubmission.objects.filter(pk=submission.pk, mailed_at__isnull=True).update(
        mailed_at=timezone.now()
    )
