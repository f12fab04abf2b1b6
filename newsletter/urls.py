"""Public URLs of the newsletter, on every site (mounted at the root by portal.urls)."""

from django.urls import path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("lettre/", views.subscribe_view, name="subscribe"),
    path("lettre/merci/", views.thanks_view, name="thanks"),
    path("lettre/confirmer/<str:token>/", views.confirm_view, name="confirm"),
    path("lettre/desinscription/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("lettre/archives/", views.archive_index, name="archive_index"),
    path("lettre/archives/rss/", views.archive_feed, name="archive_feed"),
    path("lettre/archives/<int:letter_id>/", views.archive_letter, name="archive"),
    path("lettre/lien/<str:token>/", views.link_view, name="link"),
    path("lettre/ouverture/<str:token>.gif", views.opened_view, name="opened"),
    path("lettre/ouverture/<str:token>/retirer/", views.opens_withdraw_view, name="opens_withdraw"),
]
