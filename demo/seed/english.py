"""English versions of a few national pages (docs/i18n.md), made the way an editor makes
them: wagtail-localize's "Traduire cette page" (`TranslationCreator`), each French
segment given its English text in the translation editor (`StringTranslation`), then
"Publier" (`Translation.save_target`). So the demo shows `/en/`, the language switcher,
hreflang links and the English interface, and the translation editor shows the English
text beside the French one.

The English texts are a small translation memory, French segment → English segment. A
page is translated only when every one of its text segments has its English (the slug
stays French, as docs/i18n.md says): a French text changed since (by an editor, or in
the bootstrap) leaves its page untranslated rather than half French under `/en/`.
Idempotent: a page that already has an English version (not an alias) is left alone."""

import logging

from django.db import transaction

from wagtail.models import Locale, Page

from network.facts import network as network_facts
from portal.wording import thousands

logger = logging.getLogger("demo.seed")

# Translated in this order: the home page first, so that the other pages' English
# parent is a translation, not an alias of the French home page.
PAGES = ["", "le-reseau", "accessibilite", "mentions-legales", "donnees-personnelles"]
# Fields whose value is not text to translate (wagtail-localize offers the slug: kept).
KEPT_FIELDS = {"slug"}


def memory() -> dict[str, str]:
    """French segment → English segment, the French written as the bootstrap and the
    demo seed write it (network/sites.py, network/pages.py, demo/seed/centre_site.py)."""
    facts = network_facts()["network"]
    documentary = facts["documentary_base"]
    count = facts["centres_count"]
    records_fr = thousands(documentary["records_2023"])
    documents_fr = thousands(documentary["digital_documents_2023"])
    records = f"{documentary['records_2023']:,}"
    documents = f"{documentary['digital_documents_2023']:,}"
    documentary_en = (
        f"Its shared documentary database, {documentary['name']}, holds {records} "
        f"records and {documents} digital documents."
    )
    return {
        # The home page.
        "Réseau national des centres de ressources politique de la ville": (
            "National network of the urban policy resource centres"
        ),
        f"Les {count} centres de ressources politique de la ville accompagnent les "
        "professionnels de la politique de la ville dans leurs territoires, en métropole "
        "et outre-mer.": (
            f"The {count} urban policy resource centres support the professionals of "
            "France’s urban policy (politique de la ville) in their territories, in "
            "mainland France and overseas."
        ),
        # /le-reseau/
        "Le réseau": "The network",
        f"Le {facts['name']} ({facts['short_name']}) rassemble les {count} centres de "
        "ressources.": (
            f"The national network of urban policy resource centres ({facts['short_name']}) "
            f"brings together the {count} resource centres."
        ),
        f"Anciennement association {facts['previous_association_name']}, le réseau anime "
        f"ce portail depuis {facts['portal_since']}.": (
            f"Formerly the {facts['previous_association_name']} association, the network "
            f"has run this portal since {facts['portal_since']}."
        ),
        f"Sa base documentaire partagée, {documentary['name']}, compte {records_fr} notices "
        f"et {documents_fr} documents numériques.": documentary_en,
        # (As the bootstrap wrote it before 2026-12: its commas turned into spaces.)
        f"Sa base documentaire partagée, {documentary['name']}, compte {records} notices "
        f"et {documents} documents numériques.".replace(",", "\u202f"): documentary_en,
        "Douze groupes de travail thématiques produisent chaque année des publications "
        "communes et une contribution collective à l’Agence nationale de la cohésion des "
        "territoires.": (
            "Twelve thematic working groups produce joint publications every year and a "
            "collective contribution to the National Agency for Territorial Cohesion (ANCT)."
        ),
        # /accessibilite/
        "Déclaration d’accessibilité": "Accessibility statement",
        "un auditeur externe (démonstration)": "an external auditor (demonstration)",
        "Certains documents PDF anciens ne sont pas balisés (critère 13.3).": (
            "Some older PDF documents are not tagged (criterion 13.3)."
        ),
        "Certaines vidéos de replay n’ont pas de transcription (critère 4.1).": (
            "Some replay videos have no transcript (criterion 4.1)."
        ),
        "Aucune.": "None.",
        "Les cartes interactives fournies par des tiers.": (
            "Interactive maps provided by third parties."
        ),
        "HTML5, CSS, SVG": "HTML5, CSS, SVG",
        "4.1": "4.1",  # the RGAA's version
        "Firefox et NVDA, Safari et VoiceOver, Chrome et JAWS": (
            "Firefox with NVDA, Safari with VoiceOver, Chrome with JAWS"
        ),
        "Extension Assistant RGAA, axe-core, contrôle manuel": (
            "The RGAA Assistant extension, axe-core, manual checks"
        ),
        "Accueil, agenda, un événement, ressources, une publication, recherche, contact": (
            "Home, agenda, an event, resources, a publication, search, contact"
        ),
        # /mentions-legales/ and /donnees-personnelles/
        "Mentions légales": "Legal notice",
        "Éditeur du site, directeur de la publication, hébergeur\u00a0: à compléter par "
        "l’équipe du site.": (
            "Publisher of the site, director of publication, host: to be completed by the "
            "site’s team."
        ),
        "Données personnelles": "Personal data",
        "Ce site ne dépose aucun cookie de suivi. La mesure d’audience est anonyme et "
        "exemptée de consentement selon les recommandations de la CNIL.": (
            "This site sets no tracking cookie. Its audience measurement is anonymous and "
            "exempt from consent under the recommendations of the CNIL (the French data "
            "protection authority)."
        ),
    }


def english_pages(national_home) -> list[Page]:
    """The French pages the demo translates, the home page first (those that exist)."""
    pages = []
    for slug in PAGES:
        page = (
            national_home
            if not slug
            else national_home.get_children().filter(slug=slug).specific().first()
        )
        if page is not None:
            pages.append(page)
    return pages


def _translated(page, english) -> bool:
    version = page.get_translation_or_none(english)
    return version is not None and version.alias_of_id is None


def translate_page(page, english, texts: dict[str, str], report) -> bool:
    """What the editor does in the admin: "Traduire cette page", every segment
    translated, "Publier". False (nothing changed) when a segment has no English."""
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationSource,
    )
    from wagtail_localize.operations import TranslationCreator

    if _translated(page, english):
        return False
    # The French page's text as it is now (what "Synchroniser" does in the admin).
    source, _created = TranslationSource.update_or_create_from_instance(page)
    segments = list(StringSegment.objects.filter(source=source).select_related("string", "context"))
    todo = [s for s in segments if s.context.path.split(".")[0] not in KEPT_FIELDS]
    missing = [s.string.data for s in todo if s.string.data not in texts]
    if missing:
        logger.warning("no English version of %s: %r untranslated", page.url_path, missing[0])
        return False
    with transaction.atomic():
        # Without its related objects: the statement's report form stays the French
        # page (an English copy of it would be French text under /en/).
        TranslationCreator(None, [english]).create_translations(page, include_related_objects=False)
        translation = Translation.objects.get(source=source, target_locale=english)
        for segment in todo:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=english,
                context=segment.context,
                defaults={
                    "data": texts[segment.string.data],
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
        translation.save_target(publish=True)
    report.created.append(f"English version of {page.url_path}")
    return True


def seed_english_pages(national_home, report) -> list[Page]:
    """The demo's English national pages; returns them (live, in English). Each page is
    translated in a transaction of its own, the home page first (wagtail-localize
    publishes a translation when its transaction commits: see seed_network)."""
    english = Locale.objects.filter(language_code="en").first()
    if english is None:
        return []
    texts = memory()
    for page in english_pages(national_home):
        translate_page(page, english, texts, report)
    return [
        version
        for page in english_pages(national_home)
        if (version := page.get_translation_or_none(english)) is not None
        and version.alias_of_id is None
        and version.live
    ]
