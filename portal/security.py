"""Who is asking, for login throttling (django-axes' AXES_CLIENT_IP_CALLABLE)."""

from django.conf import settings


def client_ip(request):
    """The visitor's address. Behind the reverse proxy every request comes from the
    proxy: the client is the last address the proxy appended to X-Forwarded-For (the
    earlier ones are whatever the client claimed, and cannot be trusted)."""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")
