"""Prints the relevance suite's figures (`search.relevance`): hit@1, hit@5 and MRR
per backend over the seeded demo network, and the queries that missed the top five."""

from django.core.management.base import BaseCommand

from search.relevance import CASES, evaluate


class Command(BaseCommand):
    help = "Pertinence de la recherche : hit@1, hit@5 et MRR par moteur (réseau de démo)."

    def add_arguments(self, parser):
        parser.add_argument("--misses", action="store_true", help="List the queries missed.")

    def handle(self, *args, misses=False, **options):
        self.stdout.write(f"{len(CASES)} queries")
        for figures in evaluate().values():
            self.stdout.write(
                f"{figures.backend}: hit@1 {figures.hit_at(1):.1%}  hit@5 {figures.hit_at(5):.1%}"
                f"  MRR {figures.mrr:.3f}  ({figures.count} queries)"
            )
            if misses:
                for query, expected, top in figures.misses:
                    self.stdout.write(f"  {query!r}: {expected!r} not in {top}")
