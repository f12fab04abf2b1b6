"""Public pages of every site: subscribe (`/lettre/`, and the footer's form), confirm,
unsubscribe (a page, and RFC 8058's one-click POST), the archive and its RSS feed, the
click counter.

No CSRF token: the site's pages are cached for anonymous visitors and set no cookie,
and the forms do nothing harmful when forged (a subscription waits for its confirmation
mail, which a flood cannot multiply: rate limits per address and per client). Every
answer is the same whether or not the address is known."""

from django.contrib.syndication.views import Feed
from django.core import signing
from django.db.models import Exists, F, OuterRef
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from wagtail.models import Site

from . import limits, subscribe
from .forms import CONSENT_TEXT, SubscribeForm
from .models import Delivery, Letter, LinkClick, MailingList, Subscription
from .render import read_link, render_html
from .sending import send_confirmation
from .tokens import read_confirm, read_opens, read_unsubscribe


def current_site(request):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    MailingList.monthly_for(site)  # a site made before the app has its list too
    return site


def too_many(request):
    return render(request, "newsletter/too_many.html", status=429)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def subscribe_view(request):
    site = current_site(request)
    if request.method == "GET":
        form = SubscribeForm(site=site)
        return render(request, "newsletter/subscribe.html", {"form": form, "consent": CONSENT_TEXT})
    if not limits.allow_client(request, "subscribe"):
        return too_many(request)
    data = request.POST
    if "lists" not in data and "name" not in data:
        # The footer's compact form: the address alone, for the site's monthly letter.
        data = data.copy()
        data.setlist("lists", [str(MailingList.monthly_for(site).pk)])
    form = SubscribeForm(data, site=site)
    if not form.is_valid():
        return render(
            request,
            "newsletter/subscribe.html",
            {"form": form, "consent": CONSENT_TEXT},
            status=400,
        )
    data = form.cleaned_data
    if not limits.allow_address(site.pk, subscribe.normalise(data["email"])):
        return too_many(request)
    subscriber, waiting = subscribe.request(
        site,
        data["email"],
        data["lists"],
        consent_text=str(CONSENT_TEXT),
        name=data["name"],
        organisation=data["organisation"],
        profile=data["profile"],
        opens=data.get("opens", False),
    )
    # Queued whatever the address's state (the task sends only what is pending): the
    # answer takes the same time for a known address.
    send_confirmation.enqueue(subscriber.pk, waiting)
    return redirect("newsletter:thanks")


def thanks_view(request):
    current_site(request)
    return render(request, "newsletter/thanks.html")


def _bad_link(request, reason):
    return render(request, "newsletter/bad_link.html", {"reason": reason}, status=400)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def confirm_view(request, token):
    """GET shows a button, POST confirms: a mail scanner that follows links does not
    confirm on anybody's behalf."""
    site = current_site(request)
    try:
        subscriber_id, list_ids = read_confirm(token)
    except signing.SignatureExpired:
        return _bad_link(request, "expired")
    except (signing.BadSignature, ValueError, TypeError):
        return _bad_link(request, "invalid")
    if request.method == "GET":
        return render(request, "newsletter/confirm.html", {"token": token})
    confirmed = subscribe.confirm(subscriber_id, list_ids)
    confirmed = [m for m in confirmed if m.site_id == site.pk]
    return render(request, "newsletter/confirmed.html", {"lists": confirmed})


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token):
    """GET shows a button (a link scanner must not unsubscribe anybody); POST
    unsubscribes, from that page or from a mail client's one-click (RFC 8058, body
    `List-Unsubscribe=One-Click`). No account, no confirmation."""
    current_site(request)
    try:
        subscriber_id, list_id = read_unsubscribe(token)
    except (signing.BadSignature, ValueError):
        return _bad_link(request, "invalid")
    mailing_list = MailingList.objects.filter(pk=list_id).first()
    if request.method == "GET":
        return render(
            request, "newsletter/unsubscribe.html", {"token": token, "list": mailing_list}
        )
    subscribe.unsubscribe(subscriber_id, list_id)
    return render(request, "newsletter/unsubscribed.html", {"list": mailing_list})


def sent_letters(site):
    return (
        Letter.objects.filter(mailing_list__site=site, status=Letter.SENT)
        .select_related("mailing_list__site")
        .order_by("-sent_at")
    )


def archive_index(request):
    site = current_site(request)
    return render(request, "newsletter/archive_index.html", {"letters": sent_letters(site)[:200]})


def archive_letter(request, letter_id):
    site = current_site(request)
    letter = get_object_or_404(sent_letters(site), pk=letter_id)
    return render(
        request,
        "newsletter/archive_letter.html",
        {"letter": letter, "letter_html": mark_safe(_body_of(render_html(letter, archive=True)))},
    )


def _body_of(html: str) -> str:
    """The letter's own markup, inside the site's page (its <body>)."""
    start = html.find("<body>")
    end = html.rfind("</body>")
    return html[start + len("<body>") : end] if start >= 0 and end > start else html


class ArchiveFeed(Feed):
    def get_object(self, request):
        self.request = request
        return current_site(request)

    def title(self, site):
        return f"Lettres d'information — {site.site_name}"

    def link(self, site):
        return reverse("newsletter:archive_index")

    def description(self, site):
        return f"Les lettres envoyées par {site.site_name}."

    def items(self, site):
        return sent_letters(site)[:50]

    def item_title(self, letter):
        return letter.subject

    def item_description(self, letter):
        for block in letter.body:
            if block.block_type == "intro":
                return block.value
        return letter.subject

    def item_link(self, letter):
        return reverse("newsletter:archive", args=[letter.pk])

    def item_pubdate(self, letter):
        return letter.sent_at


archive_feed = ArchiveFeed()


@never_cache
def link_view(request, token):
    """Counts one click on a letter's link (a total per link, nobody's), then goes there.
    Only links the portal signed are followed: never an open redirect."""
    try:
        letter_id, url = read_link(token)
    except (signing.BadSignature, ValueError, TypeError):
        return HttpResponse("Lien invalide.", status=400, content_type="text/plain; charset=utf-8")
    if not url.startswith(("https://", "http://")):
        return HttpResponse("Lien invalide.", status=400, content_type="text/plain; charset=utf-8")
    if Letter.objects.filter(pk=letter_id).exists():
        link, _created = LinkClick.objects.get_or_create(letter_id=letter_id, url=url[:1000])
        LinkClick.objects.filter(pk=link.pk).update(clicks=F("clicks") + 1)
    return HttpResponseRedirect(url)


# A transparent 1×1 GIF: the measuring image of a letter whose reader consented.
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00"
    b"\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


@never_cache
def opened_view(request, token):
    """Counts the first showing of a letter whose reader consented to opens being
    measured (and has not withdrawn it since); the image either way, nothing else."""
    try:
        delivery_id = read_opens(token)
    except (signing.BadSignature, ValueError):
        return HttpResponse("Lien invalide.", status=404, content_type="text/plain; charset=utf-8")
    consented = Subscription.objects.filter(
        subscriber=OuterRef("subscriber"),
        mailing_list=OuterRef("letter__mailing_list"),
        opens_consent_at__isnull=False,
    )
    Delivery.objects.filter(
        pk=delivery_id,
        measured=True,
        opened_at__isnull=True,
        letter__mailing_list__count_opens=True,
    ).filter(Exists(consented)).update(opened_at=timezone.now())
    return HttpResponse(PIXEL, content_type="image/gif")


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def opens_withdraw_view(request, token):
    """GET shows a button, POST withdraws the consent to opens being measured for that
    list (the subscription stays)."""
    current_site(request)
    try:
        delivery_id = read_opens(token)
    except (signing.BadSignature, ValueError):
        return _bad_link(request, "invalid")
    delivery = Delivery.objects.select_related("letter__mailing_list").filter(pk=delivery_id)
    delivery = delivery.first()
    if delivery is None:
        return _bad_link(request, "invalid")
    mailing_list = delivery.letter.mailing_list
    done = request.method == "POST"
    if done:
        subscribe.withdraw_opens(delivery.subscriber_id, mailing_list.pk)
    return render(
        request,
        "newsletter/opens_withdraw.html",
        {"token": token, "list": mailing_list, "done": done},
    )
