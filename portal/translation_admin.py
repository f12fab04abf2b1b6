"""wagtail-localize's "submit a page for translation" view, guarded.

Its own view only checks the global `submit_translation` permission: anyone holding it
could translate any page by typing the address, another centre's included, or a page
of a centre that has not enabled English (whose English pages the public never sees).
This view, mounted at the same address ahead of wagtail-localize's, refuses both and
hands every other request to wagtail-localize unchanged."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

# UPGRADE CHECKPOINT wagtail==8.0.1: `wagtail.admin.auth.require_admin_access` sends anonymous users to the admin login (tests/test_i18n.py::test_submitting_a_translation_needs_signing_in)
from wagtail.admin.auth import require_admin_access
from wagtail.models import Page

from wagtail_localize.views.submit_translations import SubmitPageTranslationView

from .i18n import page_offers_translation

# UPGRADE CHECKPOINT wagtail-localize==1.14.5: `SubmitPageTranslationView` (an internal view) called with `page_id` (tests/test_i18n.py::test_submitting_a_translation_by_its_address_needs_page_rights_and_english)
localize_view = SubmitPageTranslationView.as_view()


@require_admin_access
def submit_page_translation(request, page_id):
    page = get_object_or_404(Page, id=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if not page_offers_translation(page):
        raise PermissionDenied
    return localize_view(request, page_id=page_id)
