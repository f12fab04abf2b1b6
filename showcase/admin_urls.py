"""Admin URLs, under /admin/portail-national/ (see wagtail_hooks)."""

from django.urls import path

from .views import centre, moderation, reports, workflow

urlpatterns = [
    path("proposer/<int:page_id>/", centre.propose, name="showcase_propose"),
    path("propositions/", centre.mine, name="showcase_mine"),
    path("moderation/", moderation.queue, name="showcase_queue"),
    path("moderation/selection/", moderation.select, name="showcase_select"),
    path("moderation/<int:pk>/<slug:action>/", moderation.decide, name="showcase_decide"),
    path("chiffres/", reports.figures, name="showcase_figures"),
    path("chiffres/vitrine.csv", reports.figures_csv, name="showcase_figures_csv"),
    path("circuit/", workflow.workflow_index, name="showcase_workflow_index"),
    path("circuit/<slug:slug>/", workflow.workflow, name="showcase_workflow"),
]
