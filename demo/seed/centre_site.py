"""A centre's site as a visitor should see it: its team, opening hours and social links
on its home, and a few theme pages under `/thematiques/`."""

from datetime import date
from decimal import Decimal

from centres.models import CentreTeamMember, SiteIdentity
from home.models import AccessibilityStatementPage
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
            introduction=f"<p>Ce que publie et organise {centre.name} sur le thème "
            f"«\u00a0{name}\u00a0».</p>",
        )


def seed_accessibility_statements(report):
    """Every site's statement as after a first audit: partially compliant, with the
    audit's figures and the non-compliances a real one lists."""
    for page in AccessibilityStatementPage.objects.filter(audit_date__isnull=True):
        page.compliance = AccessibilityStatementPage.Compliance.PARTIAL
        page.audit_date = date(2026, 10, 1)
        page.established_on = date(2026, 10, 15)
        page.audited_by = "un auditeur externe (démonstration)"
        page.compliance_rate = Decimal("82.5")
        page.non_compliant = (
            "<ul><li>Certains documents PDF anciens ne sont pas balisés (critère 13.3).</li>"
            "<li>Certaines vidéos de replay n’ont pas de transcription (critère 4.1).</li></ul>"
        )
        page.derogations = "<p>Aucune.</p>"
        page.exempt = "<p>Les cartes interactives fournies par des tiers.</p>"
        page.test_environment = "Firefox et NVDA, Safari et VoiceOver, Chrome et JAWS"
        page.tools = "Extension Assistant RGAA, axe-core, contrôle manuel"
        page.pages_checked = (
            "Accueil, agenda, un événement, ressources, une publication, recherche, contact"
        )
        page.save_revision().publish()
        report.created.append(f"accessibility statement {page.url_path}")


def seed_centre_sites(network_, report):
    for index, centre in enumerate(network_.centres):
        seed_centre_home(centre, index, report)
        seed_centre_themes(centre, index, report)
    seed_accessibility_statements(report)
