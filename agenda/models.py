"""Events, series of events and the agenda pages that list them."""

from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase

from centres.consent import accepted_centres, agreed
from centres.models import TIME_ZONE_CHOICES, Centre
from centres.ownership import centre_for_page
from portal.blocks import BodyBlock
from portal.cache import fragment_key
from portal.covers import clean_cover_alt, cover_from

from .formats import EventFormat  # noqa: F401  (registers the model with this app)
from .timing import compute_span, differs_from_paris

REGISTERS_ON_PORTAL = "event_registers_on_portal"
# Hook: `hook({event id: tree path}, request or None)` returns {event id: people marked
# present} for the events whose check-in was recorded on the portal (the registrations
# app answers it).
PARTICIPANTS_FROM_CHECK_IN = "event_participants_from_check_in"

EVENT_PARENTS = ["agenda.AgendaPage", "agenda.EventSeriesPage", "publications.WorkingGroupPage"]


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", _("en présentiel")
    ONLINE = "online", _("en ligne")
    HYBRID = "hybrid", _("hybride")


class EventTag(TaggedItemBase):
    content_object = ParentalKey(
        "agenda.EventPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class EventPageForm(WagtailAdminPageForm):
    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        # A new event starts in the owning centre's time zone, visibly in the form.
        if (
            self.instance.pk is None
            and parent_page is not None
            and not self.initial.get("time_zone")
        ):
            centre = centre_for_page(parent_page)
            self.initial["time_zone"] = centre.time_zone if centre else "Europe/Paris"
            # ...and with its centre ticked as organiser, so that the centre filter and
            # feeds (which go by organisers) find it.
            if centre is not None:
                if not self.initial.get("organisers"):
                    self.initial["organisers"] = [centre.pk]


class EventPage(RoutablePageMixin, Page):
    """One event. Dates are typed in the event's own time zone (the organising centre's
    by default) and stored also as UTC instants (`starts_at`, `ends_at`)."""

    start_date = models.DateField(_("date de début"))
    start_time = models.TimeField(
        _("heure de début"),
        null=True,
        blank=True,
        help_text=_("Laisser vide pour un événement sur des journées entières."),
    )
    end_date = models.DateField(
        _("date de fin"),
        null=True,
        blank=True,
        help_text=_("Laisser vide si l’événement tient sur une journée."),
    )
    end_time = models.TimeField(_("heure de fin"), null=True, blank=True)
    time_zone = models.CharField(
        _("fuseau horaire"),
        max_length=64,
        choices=TIME_ZONE_CHOICES,
        blank=True,
        help_text=_("Par défaut, celui du centre organisateur."),
    )
    starts_at = models.DateTimeField(editable=False, db_index=True, null=True)
    ends_at = models.DateTimeField(editable=False, db_index=True, null=True)
    all_day = models.BooleanField(editable=False, default=False)

    event_format = models.ForeignKey(
        "agenda.EventFormat",
        verbose_name=_("format"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attendance = models.CharField(
        _("modalité"), max_length=12, choices=Attendance.choices, default=Attendance.IN_PERSON
    )
    venue = models.CharField(_("lieu"), max_length=255, blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    city = models.CharField(_("ville"), max_length=120, blank=True)
    online_url = models.URLField(_("lien de connexion ou de diffusion"), blank=True)
    online_url_later = models.BooleanField(
        _("lien communiqué aux inscrits"),
        default=False,
        help_text=_(
            "Cochez pour publier un événement en ligne avant de connaître son lien : la page "
            "indique « lien communiqué aux inscrits »."
        ),
    )
    audience = models.CharField(_("public visé"), max_length=255, blank=True)
    open_to_public = models.BooleanField(
        _("ouvert au grand public"),
        default=True,
        help_text=_("Décocher si l’événement est réservé aux professionnels."),
    )
    registration_url = models.URLField(_("lien d’inscription"), blank=True)
    registration_deadline = models.DateField(_("date limite d’inscription"), null=True, blank=True)
    organisers = ParentalManyToManyField(
        Centre, verbose_name=_("centres organisateurs"), blank=True, related_name="organised_events"
    )
    tags = ClusterTaggableManager(through=EventTag, blank=True, verbose_name=_("thèmes"))
    summary = models.TextField(_("résumé"), blank=True, max_length=600)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Affichée en tête de la page et sur les cartes de l’agenda."),
    )
    cover_alt = models.CharField(
        _("texte alternatif de l’image"),
        max_length=255,
        blank=True,
        help_text=_(
            "Ce que l’image montre, pour qui ne la voit pas. Obligatoire avec une image ; "
            "par défaut, la description de l’image dans la médiathèque."
        ),
    )
    description = StreamField(BodyBlock(), verbose_name=_("description"), blank=True)

    replay_url = models.URLField(_("replay (vidéo)"), blank=True)
    # What an editor typed (events registered elsewhere); the public sees the check-in's
    # count instead once people are checked in on the portal (`public_participants_count`).
    participants_count = models.PositiveIntegerField(
        _("nombre de participants"),
        null=True,
        blank=True,
        help_text=_(
            "Remplacé sur le site par le nombre de personnes pointées présentes dès que "
            "les présences sont enregistrées sur le portail (Inscriptions)."
        ),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("start_time")]),
                FieldRowPanel([FieldPanel("end_date"), FieldPanel("end_time")]),
                FieldPanel("time_zone"),
            ],
            heading=_("Dates"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("event_format", widget=forms.Select),
                FieldPanel("attendance"),
                FieldPanel("venue"),
                FieldPanel("address"),
                FieldPanel("city"),
                FieldPanel("online_url"),
                FieldPanel("online_url_later"),
            ],
            heading=_("Format et lieu"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("open_to_public"),
                FieldPanel("registration_url"),
                FieldPanel("registration_deadline"),
            ],
            heading=_("Public et inscription"),
        ),
        FieldPanel("organisers", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("cover_image"), FieldPanel("cover_alt")], heading=_("Image")),
        FieldPanel("description"),
        InlinePanel("speakers", label=_("intervenants")),
        MultiFieldPanel(
            [
                FieldPanel("replay_url"),
                FieldPanel("participants_count"),
                InlinePanel("documents", label=_("documents produits")),
            ],
            heading=_("Après l’événement (capitalisation)"),
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("city"),
        index.FilterField("starts_at"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        # The programme's speakers, as the page shows them.
        index.RelatedFields("speakers", [index.SearchField("name"), index.SearchField("role")]),
        # The text of the attached documents (extracted after their upload).
        index.SearchField("documents_text"),
    ]

    parent_page_types = EVENT_PARENTS
    subpage_types: list[str] = []
    template = "agenda/event_page.html"
    base_form_class = EventPageForm
    # What listings fetch with the events to show their covers (portal.covers).
    cover_select = ["cover_image"]
    cover_prefetch = ["cover_image__renditions"]

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    # --- validation -------------------------------------------------------------
    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("La date de fin précède la date de début.")
        elif (
            self.start_date
            and self.start_time
            and self.end_time
            and (self.end_date or self.start_date) == self.start_date
            and self.end_time < self.start_time
        ):
            errors["end_time"] = _("L’heure de fin précède l’heure de début.")
        if self.end_time and not self.start_time:
            errors["start_time"] = _("Indiquez l’heure de début, ou retirez l’heure de fin.")
        # Registration closes on the first day at the latest (the issue: "registration
        # deadline after the start" is an error, even for a multi-day event).
        if (
            self.registration_deadline
            and self.start_date
            and (self.registration_deadline > self.start_date)
        ):
            errors["registration_deadline"] = _(
                "La date limite d’inscription tombe après le début de l’événement."
            )
        if (
            self.attendance in (Attendance.ONLINE, Attendance.HYBRID)
            and not self.online_url
            and not self.online_url_later
        ):
            errors["online_url"] = _(
                "Un événement en ligne ou hybride a besoin d’un lien de connexion ou de diffusion."
            )
        if self.attendance in (Attendance.IN_PERSON, Attendance.HYBRID) and not (
            self.venue or self.city
        ):
            errors["venue"] = _("Indiquez le lieu ou la ville d’un événement en présentiel.")
        try:
            clean_cover_alt(self, "cover_image", "cover_alt")
        except ValidationError as error:
            errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)
        # Also here, not only on save: the admin's preview shows the dates being typed.
        self.update_span()

    def save(self, *args, **kwargs):
        self.update_span()
        return super().save(*args, **kwargs)

    def update_span(self):
        """The UTC instants of the dates as typed in the event's time zone."""
        # The owning centre's time zone by default. It is known from the tree position
        # (`path`), which treebeard sets before the first save and the preview sets too;
        # a form validated before the page has a place waits for the save.
        if not self.time_zone and self.path:
            centre = centre_for_page(self)
            self.time_zone = centre.time_zone if centre else "Europe/Paris"
        if self.start_date:
            span = compute_span(
                self.time_zone, self.start_date, self.start_time, self.end_date, self.end_time
            )
            self.starts_at, self.ends_at, self.all_day = span.starts_at, span.ends_at, span.all_day

    # --- display ----------------------------------------------------------------
    @property
    def cover(self):
        return cover_from(self.cover_image, self.cover_alt)

    @property
    def state(self) -> str:
        now = timezone.now()
        if self.ends_at and self.ends_at < now:
            return "past"
        if self.starts_at and self.starts_at <= now:
            return "ongoing"
        return "upcoming"

    @cached_property
    def registers_on_portal(self) -> bool:
        """Registrations are taken on the portal (the registrations app answers the hook
        `event_registers_on_portal`; this app knows nothing of it): the outside link
        and its deadline are then not offered beside the portal's form."""
        return any(hook(self) for hook in hooks.get_hooks(REGISTERS_ON_PORTAL))

    @cached_property
    def public_participants_count(self) -> int | None:
        """The participant count every public output shows: the people marked present
        once check-in was recorded on the portal for this event (read when shown, never
        written on the page: a draft saved before the check-in cannot publish an older
        figure), else the figure typed by the editor. An event without registrations
        costs no query (the registrations app answers from its cached paths); a list of
        events shares one query (`share_participants_counts`)."""
        return self.participants_count_for()

    def participants_count_for(self, request=None) -> int | None:
        """`public_participants_count`, read with the versions the request holds."""
        checked = getattr(self, "_checked_in", None)
        if checked is None:
            checked = participants_from_check_in({self.pk: self.path}, request)
        return checked.get(self.pk, self.participants_count)

    @property
    def public_registration_url(self) -> str:
        """Where to register, for the API: this page when the portal takes the
        registrations (never the outside link beside it), else the outside link."""
        return self.get_full_url() if self.registers_on_portal else self.registration_url

    @property
    def registration_open(self) -> bool:
        """The outside link is offered: until the deadline (a day in the event's time
        zone), while upcoming, and unless the portal takes the registrations."""
        if not self.registration_url or self.state != "upcoming" or self.registers_on_portal:
            return False
        today = timezone.now().astimezone(ZoneInfo(self.time_zone or "Europe/Paris")).date()
        return self.registration_deadline is None or self.registration_deadline >= today

    @property
    def shows_time_zone(self) -> bool:
        return bool(self.starts_at) and differs_from_paris(self.time_zone, self.starts_at)

    @path("ical/")
    def ical_route(self, request):
        from .feeds import event_ical_response

        return event_ical_response(self, request)

    @path("replay/")
    def replay_route(self, request):
        """The portal's way to the replay: counts one play (agenda.replay), then sends
        the visitor to the stored address and only to it; 404 without a replay."""
        from .replay import replay_redirect

        return replay_redirect(self, request)

    @cached_property
    def named_organisers(self) -> list:
        """The organisers that agreed to be named (centres.consent): cards, API."""
        return agreed(self, "organisers")

    def json_ld(self, request, organisers=None) -> str:
        from .structured_data import event_json_ld

        return event_json_ld(self, request, organisers)

    @cached_property
    def series(self):
        parent = self.get_parent().specific
        return parent if isinstance(parent, EventSeriesPage) else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The body of the page is a fragment cached per content version (the template's
        # `cached_fragment`), with what its text depends on through time in the key:
        # the values it alone reads are lazy, fetched only when it is rendered.
        context["fragment_key"] = fragment_key(
            request, "event", self.pk, self.state, self.registration_open
        )
        # Read only when the page's body is rendered, not on a warm fragment cache.
        context["participants_count"] = SimpleLazyObject(
            lambda: self.participants_count_for(request)
        )
        context["siblings"] = SimpleLazyObject(
            lambda: list(self.series.sessions()) if self.series else []
        )
        # Fetched once, for the page and its JSON-LD (computed here: a template cannot
        # pass the request to `json_ld`).
        # Only the centres that agreed to be named (centres.consent).
        organisers = SimpleLazyObject(lambda: list(accepted_centres(self, EventPage.organisers)))
        context["organisers"] = organisers
        context["json_ld"] = SimpleLazyObject(lambda: self.json_ld(request, list(organisers)))
        context["documents"] = SimpleLazyObject(
            lambda: list(self.documents.select_related("document"))
        )
        return context

    def documents_text(self) -> str:
        from portal.document_text import text_of_documents

        return text_of_documents([item.document_id for item in self.documents.all()])


def participants_from_check_in(paths: dict, request=None) -> dict:
    """{event id: people marked present} for the events of `paths` ({id: tree path})
    whose check-in was recorded, as the apps taking registrations answer the hook
    `event_participants_from_check_in` (this app knows nothing of them)."""
    counts = {}
    for hook in hooks.get_hooks(PARTICIPANTS_FROM_CHECK_IN):
        counts.update(hook(paths, request))
    return counts


def share_participants_counts(events) -> list:
    """`events` as a list whose public participant counts are read together, at the
    first one asked for: a listing that shows none of them costs nothing more."""
    events = list(events)
    checked = SimpleLazyObject(
        lambda: participants_from_check_in({event.pk: event.path for event in events})
    )
    for event in events:
        event._checked_in = checked
    return events


class EventSpeaker(Orderable):
    page = ParentalKey(EventPage, related_name="speakers", on_delete=models.CASCADE)
    name = models.CharField(_("nom"), max_length=255)
    role = models.CharField(_("fonction, structure"), max_length=255, blank=True)

    panels = [FieldPanel("name"), FieldPanel("role")]


class EventDocument(Orderable):
    class Kind(models.TextChoices):
        SYNTHESIS = "synthesis", _("synthèse")
        BIBLIOGRAPHY = "bibliography", _("bibliographie")
        SLIDES = "slides", _("supports de présentation")
        OTHER = "other", _("autre document")

    page = ParentalKey(EventPage, related_name="documents", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices, default=Kind.OTHER)

    panels = [FieldPanel("document"), FieldPanel("kind")]


class EventSeriesPage(RoutablePageMixin, Page):
    """A cycle of sessions (e.g. four webinars): its events are its children. Its own
    calendar, every session of the cycle, is at `<series URL>ical/`."""

    introduction = RichTextField(_("présentation du cycle"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    # A centre's or the network's agenda, or a working group's space (the group's cycle
    # of webinars).
    parent_page_types = ["agenda.AgendaPage", "publications.WorkingGroupPage"]
    subpage_types = ["agenda.EventPage"]
    template = "agenda/event_series_page.html"

    class Meta:
        verbose_name = _("cycle d’événements")

    def sessions(self):
        return (
            EventPage.objects.child_of(self)
            .live()
            .public()
            .select_related("event_format")
            .order_by("starts_at")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sessions"] = self.sessions()
        context["ical_url"] = self.get_url(request) + "ical/"
        return context

    @path("ical/")
    def ical_route(self, request):
        from .feeds import series_ical_response

        return series_ical_response(self, request)


class AgendaPage(RoutablePageMixin, Page):
    """`/agenda/` of a site: on a centre's site its own events (and those it
    co-organises); on the national portal every event of the network. Filters are GET
    parameters, so every filtered view has a shareable URL and its own feeds."""

    introduction = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["home.NationalHomePage", "centres.CentreHomePage"]
    subpage_types = ["agenda.EventPage", "agenda.EventSeriesPage"]
    max_count_per_parent = 1
    template = "agenda/agenda_page.html"

    class Meta:
        verbose_name = _("agenda")

    @cached_property
    def centre(self):
        return centre_for_page(self)

    def route(self, request, path_components):
        from portal.child_routing import route_to_child

        return route_to_child(self, request, path_components, EventPage) or super().route(
            request, path_components
        )

    def scope(self):
        """Every live public event this agenda shows, before filters."""
        from .listing import events_in_scope

        return events_in_scope(self)

    @path("")
    def index_route(self, request):
        from .views import agenda_listing

        return agenda_listing(self, request)

    @path("ical/")
    def ical_route(self, request):
        from .feeds import ical_response

        return ical_response(self, request)

    @path("rss/")
    def rss_route(self, request):
        from .feeds import rss_response

        return rss_response(self, request)

    @path("atom/")
    def atom_route(self, request):
        from .feeds import atom_response

        return atom_response(self, request)
