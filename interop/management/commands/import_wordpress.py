"""manage.py import_wordpress FILE --site SITE: import a WordPress export (WXR) into a site
of the portal. Re-running it updates what it imported before instead of duplicating."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from wagtail.models import Site

from interop.report import ImportFailed, Report
from interop.wxr.importer import WordPressImport
from interop.wxr.parser import read_wxr


class Command(BaseCommand):
    help = "Importe un export WordPress (WXR) dans un site du portail (voir docs/interop.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier d'export WordPress (.xml).")
        parser.add_argument(
            "--site",
            required=True,
            help="Site de destination : identifiant du centre (irev), nom d'hôte "
            "(irev.reseau-crpv.fr) ou « portail » pour le site national.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Tout vérifier et rendre compte, sans rien enregistrer ni télécharger.",
        )
        parser.add_argument(
            "--uploads",
            metavar="DOSSIER",
            help="Copie du dossier wp-content/uploads de l'ancien serveur : les fichiers y "
            "sont lus au lieu d'être téléchargés (ancien site injoignable ou fermé).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Sans barre de progression.")

    def handle(self, *args, file, site, dry_run=False, no_progress=False, uploads=None, **options):
        target = self.find_site(site)
        if uploads and not Path(uploads).is_dir():
            raise CommandError(f"--uploads : {uploads} n'est pas un dossier.")
        report = Report()
        try:
            export = read_wxr(file)
            WordPressImport(
                export, target, report, dry_run=dry_run, progress=not no_progress, uploads=uploads
            ).run()
        except ImportFailed as error:
            raise CommandError(f"Import refusé, rien n'a été enregistré : {error}") from error
        prefix = "[essai à blanc, rien n'est enregistré] " if dry_run else ""
        self.stdout.write(prefix + f"{export.source} → {target.hostname}")
        for line in report.lines():
            self.stdout.write(f"  {line}")

    @staticmethod
    def find_site(value):
        if value in ("portail", "portal"):
            site = Site.objects.filter(is_default_site=True).first()
        else:
            site = Site.objects.filter(
                Q(hostname=value) | Q(root_page__owning_centre__slug=value)
            ).first()
        if site is None:
            raise CommandError(
                f"Site inconnu : {value} (identifiant de centre, nom d'hôte ou « portail »)"
            )
        return site
