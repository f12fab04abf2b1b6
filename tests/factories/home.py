"""The national home page and the content page every site uses."""

import factory
from taggit.models import Tag

from home.models import (
    AccessibilityStatementPage,
    ContentPage,
    FormPage,
    NationalHomePage,
    ThemeIndexPage,
    ThemePage,
)

from .pages import ROOT, PortalPageFactory


class NationalHomePageFactory(PortalPageFactory):
    """The national portal's root (`max_count = 1`: the seeded network has it already;
    this is for a database without the seed)."""

    class Meta:
        model = NationalHomePage

    parent = ROOT
    title = factory.Sequence(lambda n: f"Réseau national d'essai {n}")
    introduction = "<p>Le réseau des centres de ressources politique de la ville.</p>"


class ContentPageFactory(PortalPageFactory):
    class Meta:
        model = ContentPage

    parent = factory.SubFactory("tests.factories.centres.CentreHomePageFactory")
    title = factory.Sequence(lambda n: f"Page de contenu {n}")
    introduction = "Une page de texte."
    body = factory.LazyFunction(
        lambda: [{"type": "paragraph", "value": "<p>Le texte de la page.</p>"}]
    )


class ThemeIndexPageFactory(PortalPageFactory):
    """`/thematiques/` of a site (one per site: the seed has one on every site)."""

    class Meta:
        model = ThemeIndexPage

    parent = factory.SubFactory("tests.factories.centres.CentreHomePageFactory")
    title = "Thématiques"
    slug = "thematiques"


class ThemePageFactory(PortalPageFactory):
    class Meta:
        model = ThemePage

    parent = factory.SubFactory(ThemeIndexPageFactory)
    title = factory.Sequence(lambda n: f"Thème d'essai {n}")
    theme = factory.LazyAttribute(lambda page: Tag.objects.get_or_create(name=page.title)[0])
    introduction = "<p>Ce que le site publie sur ce thème.</p>"


class AccessibilityStatementPageFactory(PortalPageFactory):
    """A site's statement (one per site: the seed has one on every site)."""

    class Meta:
        model = AccessibilityStatementPage

    parent = factory.SubFactory("tests.factories.centres.CentreHomePageFactory")
    title = "Déclaration d’accessibilité"
    slug = "accessibilite"
    compliance = "partial"


class FormPageFactory(PortalPageFactory):
    """A form with no field (add FormField rows for a form that asks something)."""

    class Meta:
        model = FormPage

    parent = factory.SubFactory("tests.factories.centres.CentreHomePageFactory")
    title = factory.Sequence(lambda n: f"Formulaire d'essai {n}")
    intro = "<p>Écrivez-nous.</p>"
