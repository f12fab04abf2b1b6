from django.core.management.base import BaseCommand

from network.bootstrap import bootstrap_network
from network.report import Report


class Command(BaseCommand):
    help = (
        "Met en place le réseau : le portail national, les 19 sites des centres, leurs "
        "groupes, collections et droits, les espaces des groupes de travail, les pages "
        "légales et les rubriques vides. Aucun contenu de démonstration, aucun compte. "
        "Idempotent : une seconde exécution ne change rien."
    )

    def handle(self, *args, **options):
        report = Report()
        bootstrap_network(report)
        if report.created:
            self.stdout.write(f"Créé : {len(report.created)} élément(s).")
        else:
            self.stdout.write("Rien à créer : le réseau était déjà en place.")
