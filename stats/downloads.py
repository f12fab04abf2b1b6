"""Downloads are counted on the server, when Wagtail serves the file."""

import logging

from django.db import DatabaseError

from wagtail.models import Site

from .collect import ignored, new_event, referrer_host
from .models import Event

logger = logging.getLogger(__name__)


def first_request_of_download(request) -> bool:
    """PDF readers fetch a file in ranges: only the request for its start counts."""
    ranges = request.META.get("HTTP_RANGE", "")
    return not ranges or ranges.replace(" ", "").startswith("bytes=0-")


def record_download(document, request):
    if request.GET.get("stats") == "non" or not first_request_of_download(request):
        return
    try:
        site = Site.find_for_request(request)
        if site is None or ignored(request):
            return
        host = site.hostname
        event = new_event(
            request,
            site.pk,
            kind=Event.DOWNLOAD,
            document_id=document.pk,
            path=request.path[:255],
            referrer_host=referrer_host(request.META.get("HTTP_REFERER"), host),
        )
        if event is not None:
            event.save()
    except DatabaseError:
        # A statistic is never worth a failed download.
        logger.exception("download of document %s not counted", document.pk)
