"""Admin wiring: Lettres d'information (letters, lists, subscribers, profiles) as
snippets scoped to the user's sites, each letter's preview and sending page, the
figures (beside the audience statistics), CSV import and export."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.widgets import ListingButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .access import SitePolicy, figures_sites_for, sites_for
from .admin_forms import LetterForm, MailingListForm
from .models import Letter, MailingList, Profile, Subscriber


# UPGRADE CHECKPOINT wagtail==8.0.1: the snippet `EditView` and `DeleteView` fetch their object through `get_object(queryset)` (tests/test_permissions_newsletter.py::test_matrix)
class OwnSiteObject:
    """Wagtail checks model-wide permissions on edit and delete: the record's site is
    checked here, so that nobody opens another site's record by its id."""

    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        policy = self.permission_policy
        if not policy.user_has_permission_for_instance(self.request.user, "change", instance):
            raise PermissionDenied
        return instance


def scoped_viewset(model, site_path, **attributes):
    """A snippet viewset of `model` whose listing, edit, delete, history, usage and
    inspect views see only the user's sites' records."""

    def queryset(self, request):
        return model.objects.filter(**{f"{site_path}__in": sites_for(request.user)})

    views = {}
    for name in ("edit", "delete", "history", "usage", "inspect"):
        base = getattr(snippet_views, f"{name.capitalize()}View")
        views[f"{name}_view_class"] = type(
            f"{model.__name__}{name.capitalize()}View", (OwnSiteObject, base), {}
        )
    register_permission_policy(model, SitePolicy(model, site_path))
    return type(
        f"{model.__name__}ViewSet",
        (SnippetViewSet,),
        {"model": model, "get_queryset": queryset, **views, **attributes},
    )


LetterViewSet = scoped_viewset(
    Letter,
    "mailing_list__site",
    icon="mail",
    menu_label=_("Lettres"),
    list_display=["subject", "mailing_list", "status", "sent_at"],
    list_filter=["status"],
    ordering=["-created_at"],  # the letter being written first, then the sent ones
    inspect_view_enabled=False,
    edit_handler=ObjectList(
        [FieldPanel("mailing_list"), FieldPanel("subject"), FieldPanel("body")],
        base_form_class=LetterForm,
    ),
)
MailingListViewSet = scoped_viewset(
    MailingList,
    "site",
    icon="list-ul",
    menu_label=_("Listes"),
    list_display=["name", "site", "active"],
    edit_handler=ObjectList(
        [
            FieldPanel("site"),
            FieldPanel("name"),
            FieldPanel("description"),
            FieldPanel("active"),
            FieldPanel("count_opens"),
            FieldPanel("opens_consent_text"),
        ],
        base_form_class=MailingListForm,
    ),
)
SubscriberViewSet = scoped_viewset(
    Subscriber,
    "site",
    icon="user",
    menu_label=_("Abonnés"),
    list_display=["email", "name", "organisation", "site", "active"],
    search_fields=["email", "name", "organisation"],
    form_fields=["name", "organisation", "profile", "active"],
)


class ProfileViewSet(SnippetViewSet):
    model = Profile
    icon = "group"
    menu_label = _("Profils des abonnés")


class NewsletterGroup(SnippetViewSetGroup):
    items = (LetterViewSet, MailingListViewSet, SubscriberViewSet, ProfileViewSet)
    menu_icon = "mail"
    menu_label = _("Lettres d’information")
    menu_name = "newsletter"
    menu_order = 890


register_snippet(NewsletterGroup)


@hooks.register("register_admin_urls")
def newsletter_admin_urls():
    return [
        path("lettres/<int:letter_id>/", admin_views.letter_view, name="newsletter_letter"),
        path(
            "lettres/<int:letter_id>/apercu.html",
            admin_views.preview_html,
            name="newsletter_letter_html",
        ),
        path(
            "lettres/<int:letter_id>/apercu.txt",
            admin_views.preview_text,
            name="newsletter_letter_text",
        ),
        path(
            "lettres/<int:letter_id>/remplir/", admin_views.fill_view, name="newsletter_letter_fill"
        ),
        path("lettres/<int:letter_id>/test/", admin_views.test_view, name="newsletter_letter_test"),
        path(
            "lettres/<int:letter_id>/envoyer/", admin_views.send_view, name="newsletter_letter_send"
        ),
        path("lettres/chiffres/", admin_views.figures_view, name="newsletter_figures"),
        path("lettres/abonnes/import/", admin_views.import_view, name="newsletter_import"),
        path(
            "lettres/abonnes/export/<int:site_id>/",
            admin_views.export_view,
            name="newsletter_export",
        ),
    ]


class FiguresMenuItem(MenuItem):
    def is_shown(self, request):
        return figures_sites_for(request.user).exists()


@hooks.register("register_admin_menu_item")
def figures_menu_item():
    # Beside "Statistiques" (order 900).
    return FiguresMenuItem(
        _("Lettres : chiffres"), reverse("newsletter_figures"), icon_name="table", order=901
    )


@hooks.register("register_snippet_listing_buttons")
def letter_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Letter):
        yield ListingButton(
            _("Aperçu et envoi"),
            reverse("newsletter_letter", args=[snippet.pk]),
            icon_name="mail",
            priority=5,
        )


@hooks.register("register_report_section")
def newsletter_report_section(sites, year):
    """The letters' section of the yearly activity report (stats, docs/statistics.md)."""
    from .figures import yearly_section

    return yearly_section(sites, year)
