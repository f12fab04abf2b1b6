"""French as the French write it in generated titles: the preposition a territory takes
("à La Réunion", "dans les Hauts-de-France", "en Occitanie") and the contracted or
elided "de" ("du réseau", "d’IREV")."""

import unicodedata

# Territories whose preposition is not "en".
_IN = {
    "La Réunion": "à La Réunion",
    "Mayotte": "à Mayotte",
    "Hauts-de-France": "dans les Hauts-de-France",
    "Grand Est": "dans le Grand Est",
    "Val-d'Oise": "dans le Val-d’Oise",
    "Bretagne, Pays de la Loire": "en Bretagne et dans les Pays de la Loire",
}


def in_territory(territory: str) -> str:
    """Where, in French: "en Occitanie", "à La Réunion", "dans les Hauts-de-France"."""
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
        return "de " + name
    if _starts_with_vowel(name):
        return "d’" + name
    return "de " + name


def thousands(number: int) -> str:
    """A number as the French write it: "27 920", groups of three digits separated by a
    narrow no-break space (U+202F)."""
    return f"{number:,}".replace(",", "\u202f")
