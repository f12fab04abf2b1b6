"""A centre's site as a visitor should see it: its team, opening hours and social links
on its home, and a few theme pages under `/thematiques/`."""

from centres.models import CentreTeamMember, SiteIdentity
from network.facts import network
from network.listings import ensure_theme_index, ensure_theme_page

TEAM = [
    ("Directrice", "direction"),
    ("Chargé de mission qualification", "qualification"),
    ("Documentaliste", "documentation"),
]
FIRST_NAMES = ["Camille", "Dominique", "Claude", "Sacha", "Alix", "Maxime", "Noa", "Yaël"]
LAST_NAMES = ["Martin", "Bernard", "Nguyen", "Da Silva", "Haddad", "Lefèvre", "Payet", "Rivière"]


def seed_centre_home(centre, index, report):
    home = centre.home_page.specific
    if not home.team_members.exists():
        for number, (role, mailbox) in enumerate(TEAM):
            home.team_members.add(
                CentreTeamMember(
                    name=f"{FIRST_NAMES[(index + number) % len(FIRST_NAMES)]} "
                    f"{LAST_NAMES[(index * 3 + number) % len(LAST_NAMES)]}",
                    role=role,
                    email=f"{mailbox}@{centre.slug}.example.org",
                    sort_order=number,
                )
            )
        home.save_revision().publish()
        report.created.append(f"team of {centre.slug}")
    identity = SiteIdentity.for_site(centre.site)
    if not identity.opening_hours:
        identity.opening_hours = "Du lundi au vendredi, de 9 h à 12 h 30 et de 14 h à 17 h."
        identity.address = identity.address or f"1 place de la République\n{centre.city}"
        identity.linkedin = identity.linkedin or f"https://www.linkedin.com/company/{centre.slug}"
        identity.save()


def seed_centre_themes(centre, index, report):
    themes = network()["themes_seen"]
    theme_index = ensure_theme_index(centre.home_page, report)
    for offset in (0, 3, 4):
        name = themes[(index + offset) % len(themes)]
        ensure_theme_page(
            theme_index,
            name,
            report,
            introduction=f"<p>Ce que {centre.name} publie et organise sur le thème « {name} ».</p>",
        )


def seed_centre_sites(network_, report):
    for index, centre in enumerate(network_.centres):
        seed_centre_home(centre, index, report)
        seed_centre_themes(centre, index, report)
