"""French as the French write it in generated titles: the preposition a territory takes
("à La Réunion", "dans les Hauts-de-France", "en Occitanie"), the contracted or elided
"de" ("du réseau", "d’IREV") and the article a theme takes ("le renouvellement urbain",
"l’éducation", "la santé")."""

import unicodedata

# Territories whose preposition is not "en" (keys with the typographic apostrophe).
_IN = {
    "La Réunion": "à La Réunion",
    "Mayotte": "à Mayotte",
    "Hauts-de-France": "dans les Hauts-de-France",
    "Grand Est": "dans le Grand Est",
    "Val-d’Oise": "dans le Val-d’Oise",
    "Bretagne, Pays de la Loire": "en Bretagne et dans les Pays de la Loire",
}


def apostrophes(text: str) -> str:
    """Straight apostrophes made typographic: a registry's name may be typed either way."""
    return text.replace("'", "’")


def in_territory(territory: str) -> str:
    """Where, in French: "en Occitanie", "à La Réunion", "dans les Hauts-de-France"."""
    territory = apostrophes(territory)
    if territory in _IN:
        return _IN[territory]
    for article, preposition in (("La ", "à La "), ("Le ", "au "), ("Les ", "aux ")):
        if territory.startswith(article):
            return preposition + territory[len(article) :]
    return f"en {territory}"


def _starts_with_vowel(text: str) -> bool:
    first = unicodedata.normalize("NFKD", text[:1]).encode("ascii", "ignore").decode().lower()
    return first in set("aeiouyh")


def of(name: str) -> str:
    """Of, in French: "du réseau", "des centres", "d’IREV", "de Labo Cités"."""
    lowered = name.lower()
    if lowered.startswith("le "):
        return "du " + name[3:]
    if lowered.startswith("les "):
        return "des " + name[4:]
    if lowered.startswith(("la ", "l'", "l’")):
        return "de " + apostrophes(name)
    if _starts_with_vowel(name):
        return "d’" + apostrophes(name)
    return "de " + apostrophes(name)


# The gender and number of a theme's first noun; a noun not listed is masculine
# singular. Words are the network's themes (network.json's "themes_seen") and a few
# more an editor may type.
_FEMININE = {
    "santé",
    "participation",
    "égalité",
    "lutte",
    "transition",
    "évaluation",
    "culture",
    "laïcité",
    "jeunesse",
    "prévention",
    "sécurité",
    "tranquillité",
    "citoyenneté",
    "mobilité",
    "parentalité",
    "cohésion",
    "insertion",
    "formation",
    "économie",
    "habitation",
}
_PLURAL = {"valeurs", "cités", "mobilités", "discriminations", "quartiers", "solidarités"}
# Words starting with an aspirated h take no elision ("le handicap").
_ASPIRATED_H = {"handicap", "hameau", "hall", "haine", "hiérarchie"}


def the(noun_phrase: str) -> str:
    """With its definite article: "le renouvellement urbain", "la santé", "l’éducation",
    "les cités éducatives"."""
    first = noun_phrase.split(maxsplit=1)[0].lower() if noun_phrase.strip() else ""
    if first in _PLURAL:
        return "les " + noun_phrase
    if _starts_with_vowel(noun_phrase) and first not in _ASPIRATED_H:
        return "l’" + noun_phrase
    return ("la " if first in _FEMININE else "le ") + noun_phrase


def thousands(number: int) -> str:
    """A number as the French write it: "27 920", groups of three digits separated by a
    narrow no-break space (U+202F)."""
    return f"{number:,}".replace(",", "\u202f")
