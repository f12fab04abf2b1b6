"""The national home page and the content page every site uses."""

import factory

from home.models import ContentPage, NationalHomePage

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
