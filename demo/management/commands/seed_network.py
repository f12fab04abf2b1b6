from django.core.management.base import BaseCommand

from demo.seed.network import seed_network


class Command(BaseCommand):
    help = (
        "Crée (ou complète) le réseau de démonstration : le portail national, les 19 sites "
        "des centres, leurs groupes, collections et utilisateurs de démonstration. "
        "Idempotent : une seconde exécution ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-users",
            action="store_true",
            help="Ne crée pas les comptes de démonstration (à utiliser en production).",
        )

    def handle(self, *args, without_users=False, **options):
        report = seed_network(with_users=not without_users)
        if report.created:
            self.stdout.write(f"Créé : {len(report.created)} élément(s).")
        else:
            self.stdout.write("Rien à créer : le réseau était déjà en place.")
        if report.users:
            self.stdout.write(
                self.style.WARNING(
                    "Comptes de DÉMONSTRATION (mot de passe identique, "
                    "à ne jamais utiliser en production) :"
                )
            )
            for username, password, role in report.users:
                self.stdout.write(f"  {username:<34} {password}   ({role})")
