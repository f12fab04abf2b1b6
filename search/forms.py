from wagtail.admin.forms import WagtailAdminModelForm

from .permissions import sites_for


class PromotionForm(WagtailAdminModelForm):
    """A centre's editor pins results on their own site only: the only sites offered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sites = sites_for(self.for_user)
        self.fields["site"].queryset = sites
        if sites.count() == 1 and not self.instance.pk:
            self.initial["site"] = sites.first().pk
