"""The relevance suite: French queries typed as the network's visitors type them, each
with the page that must come first or among the first five, over the seeded demo
network (`manage.py seed_network`). `manage.py search_relevance` prints hit@1, hit@5
and the mean reciprocal rank (MRR) per backend; tests/test_search_relevance_suite.py
asserts hit@5 ≥ 95 % on SQLite and PostgreSQL. Expected titles are the ones shown
(results sharing a title carry their centre's name, "Le centre — IREV": either
matches)."""

import re
from dataclasses import dataclass, field
from html import unescape

from django.test import RequestFactory
from django.utils.html import strip_tags

from wagtail.models import Site

# (category, query, expected title)
CASES = [
    # Themes, as in the network's publications and events.
    ("thème", "cités éducatives fiches", "70 fiches d'expériences sur les cités éducatives"),
    (
        "thème",
        "enjeux santé quartiers prioritaires",
        "Enjeux de santé dans les quartiers prioritaires",
    ),
    (
        "thème",
        "économies de subsistance",
        "Économies de subsistance : quels leviers pour l'action publique ?",
    ),
    ("thème", "place des enfants ville", "La place des enfants dans la (co)production de la ville"),
    (
        "thème",
        "sport contractualisation",
        "Quelle place du sport dans la future contractualisation de la politique de la ville ?",
    ),
    (
        "thème",
        "transitions futurs contrats de ville",
        "Intégrer les transitions dans les futurs contrats de ville : retour sur le webinaire "
        "du 16 mai 2023",
    ),
    ("thème", "contrat de ville intégrateur", "Le contrat de ville intégrateur"),
    ("thème", "culture et politique de la ville", "Culture et politique de la ville"),
    (
        "thème",
        "travail invisible",
        "Femmes des quartiers populaires : travail invisible et freins dans l'accès à l'emploi",
    ),
    (
        "thème",
        "vieillissement des femmes",
        "Femmes des quartiers populaires et enjeux du vieillissement",
    ),
    (
        "thème",
        "approche intégrée égalité",
        "Approche intégrée de l'égalité femmes-hommes dans la politique de la ville",
    ),
    ("thème", "quartiers en transition", "Quartiers en transition"),
    (
        "thème",
        "rencontre Montpellier",
        "8e rencontre des centres de ressources politique de la ville",
    ),
    ("thème", "rencontre Lyon", "9e rencontre des centres de ressources politique de la ville"),
    (
        "thème",
        "recueil fiches transversales",
        "Appui au déploiement du programme national des cités éducatives. Recueil des fiches "
        "transversales du réseau",
    ),
    ("thème", "base documentaire", "Le réseau"),
    ("thème", "webinaire sport", "Webinaire : sport dans les quartiers"),
    ("thème", "journée d'échanges Occitanie", "Journée d’échanges Occitanie : sport"),
    ("thème", "kit méthodologique sport", "Kit méthodologique : sport en Occitanie"),
    ("thème", "bibliographie santé", "Bibliographie : santé en Centre-Val de Loire"),
    ("thème", "webdocumentaire culture", "Webdocumentaire : culture en Centre-Val de Loire"),
    ("thème", "replay vidéo santé Guadeloupe", "Replay vidéo : santé en Guadeloupe"),
    ("thème", "synthèse mobilités Réunion", "Synthèse : mobilités à La Réunion"),
    ("thème", "note laïcité Mayotte", "Note : valeurs de la République et laïcité à Mayotte"),
    ("thème", "point sur emploi", "Point sur : emploi en Occitanie"),
    (
        "thème",
        "fiche d'expérience transition écologique",
        "Fiche d'expérience : transition écologique dans les Hauts-de-France",
    ),
    ("thème", "contribution annuelle culture", "Contribution annuelle : culture en Île-de-France"),
    (
        "thème",
        "recueil discriminations Guyane",
        "Recueil : lutte contre les discriminations en Guyane",
    ),
    # Working groups.
    ("groupe", "groupe de travail santé", "Santé"),
    ("groupe", "Cosoter", "Cosoter"),
    ("groupe", "participation des habitants", "Participation des habitants"),
    ("groupe", "questions urbaines", "Questions urbaines"),
    ("groupe", "ressources et communication", "Ressources & communication"),
    # Acronyms and synonyms of the field.
    ("sigle", "GT éducation", "Éducation"),
    ("sigle", "GT sport", "Sport et quartiers populaires"),
    ("sigle", "GT égalité femmes-hommes", "Égalité femmes-hommes"),
    ("sigle", "QPV santé", "Enjeux de santé dans les quartiers prioritaires"),
    ("sigle", "ANRU", "Questions urbaines"),
    ("sigle", "VRL", "Valeurs de la République et laïcité"),
    ("sigle", "GT VRL", "Valeurs de la République et laïcité"),
    ("sigle", "NPNRU Guadeloupe", "Bibliographie : renouvellement urbain en Guadeloupe"),
    (
        "sigle",
        "rencontre nationale",
        "9e rencontre des centres de ressources politique de la ville",
    ),
    # Centres: their name, acronym or full name.
    ("centre", "IREV", "IREV"),
    ("centre", "Labo Cités", "Labo Cités"),
    ("centre", "profession banlieue", "Profession Banlieue"),
    ("centre", "villes au carré", "Villes au Carré"),
    ("centre", "resovilles", "RésOVilles"),
    ("centre", "CRPVE", "CRPVE"),
    ("centre", "CRPV Normandie", "CRPV Normandie"),
    ("centre", "Observatoire régional de l'intégration et de la ville", "ORIV"),
    ("centre", "trajectoires ressources", "Trajectoires Ressources"),
    ("centre", "pole ressources", "Pôle Ressources"),
    ("centre", "le centre Hauts-de-France", "Le centre"),
    # Typos.
    ("faute", "discrimnation", "Webinaire : lutte contre les discriminations dans les quartiers"),
    ("faute", "laicté", "Valeurs de la République et laïcité"),
    ("faute", "webinaire mobilitées", "Webinaire : mobilités dans les quartiers"),
    ("faute", "vieillisement", "Femmes des quartiers populaires et enjeux du vieillissement"),
    ("faute", "subsitance", "Économies de subsistance : quels leviers pour l'action publique ?"),
    (
        "faute",
        "contractualisaton sport",
        "Quelle place du sport dans la future contractualisation de la politique de la ville ?",
    ),
    # Singular and plural, accents or not.
    ("pluriel", "enjeu santé", "Enjeux de santé dans les quartiers prioritaires"),
    ("pluriel", "fiches d'expériences emplois", "Fiche d'expérience : emploi en Essonne"),
    (
        "pluriel",
        "économie de subsistance",
        "Économies de subsistance : quels leviers pour l'action publique ?",
    ),
    ("pluriel", "cité éducative Mayotte", "Kit méthodologique : cités éducatives à Mayotte"),
    (
        "pluriel",
        "mobilité durable",
        "Quartiers en transition n°4 : des mobilités durables pour les déplacements du quotidien",
    ),
    (
        "accents",
        "egalite femmes hommes Martinique",
        "Webdocumentaire : égalité femmes-hommes en Martinique",
    ),
    (
        "accents",
        "developpement economique Martinique",
        "Replay vidéo : développement économique en Martinique",
    ),
    (
        "accents",
        "evaluation contrats de ville Normandie",
        "Point sur : évaluation des contrats de ville en Normandie",
    ),
    # Some words only (the closest results).
    ("partiel", "économie sociale et solidaire", "Développement économique"),
    ("partiel", "santé mentale des femmes", "Femmes des quartiers populaires et enjeux de santé"),
    # What the pages show: working groups' yearly activity and partners.
    ("affiché", "Alliance Villes Emploi", "Développement économique"),
    ("affiché", "Gazette des Communes", "Ressources & communication"),
    ("affiché", "Voix publiques", "Participation des habitants"),
    ("affiché", "persévérance scolaire", "Éducation"),
    ("affiché", "sport design actif", "Sport et quartiers populaires"),
    ("affiché", "villes cyclables", "Questions urbaines"),
    # Several words, in any order.
    ("plusieurs mots", "rapport d'activité réseau", "Le réseau publie son rapport d’activité"),
    ("plusieurs mots", "IREV rendez-vous hiver", "Les rendez-vous d’IREV cet hiver"),
    (
        "plusieurs mots",
        "cycle de qualification Labo Cités",
        "Cycle de qualification Labo Cités : bilan",
    ),
    (
        "plusieurs mots",
        "renouvellement urbain journée d'échanges Hauts-de-France",
        "Journée d’échanges Hauts-de-France : renouvellement urbain",
    ),
]


@dataclass
class Figures:
    """hit@1, hit@5 and MRR of a backend, with the queries that missed the top five."""

    backend: str
    ranks: list = field(default_factory=list)  # 1-based rank, or None (not in the first 20)
    misses: list = field(default_factory=list)

    @property
    def count(self):
        return len(self.ranks)

    def hit_at(self, k):
        return sum(1 for rank in self.ranks if rank and rank <= k) / (self.count or 1)

    @property
    def mrr(self):
        return sum(1 / rank for rank in self.ranks if rank) / (self.count or 1)


def shown_titles(query: str) -> tuple[list[str], str]:
    """The titles of the first page of results of the national portal's search, as
    shown, and the backend that answered."""
    from .views import search

    site = Site.objects.filter(is_default_site=True).first()
    host = site.hostname if site else "localhost"
    request = RequestFactory().get("/recherche/", {"q": query}, HTTP_HOST=host)
    response = search(request)
    context = response.context_data
    results = context["results"].object_list if context["results"] is not None else []
    return [re.sub(r"\s+", " ", unescape(strip_tags(str(r.title)))) for r in results], context.get(
        "backend", "database"
    )


def is_title(shown: str, expected: str) -> bool:
    """The shown title is the expected one, told apart by its centre's name or not."""
    # The titles are stored with French typography (no-break spaces before ":", "?",
    # typographic apostrophes); the cases are typed as visitors type them.
    shown, expected = (t.replace("\xa0", " ").replace("’", "'") for t in (shown, expected))
    return shown == expected or shown.startswith(expected + " — ")


def evaluate(cases=CASES) -> dict[str, Figures]:
    """{backend: its figures} over the cases (one backend unless the external server
    failed for some queries)."""
    from django.db import connection

    figures: dict[str, Figures] = {}
    for _category, query, expected in cases:
        titles, backend = shown_titles(query)
        name = f"{backend} ({connection.vendor})" if backend == "database" else backend
        rank = next((i + 1 for i, title in enumerate(titles) if is_title(title, expected)), None)
        entry = figures.setdefault(name, Figures(name))
        entry.ranks.append(rank)
        if not rank or rank > 5:
            entry.misses.append((query, expected, titles[:5]))
    return figures
