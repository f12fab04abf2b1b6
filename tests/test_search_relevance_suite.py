"""The relevance suite of the repository (`search.relevance`, `manage.py
search_relevance`): at least 60 French queries in the network's vocabulary over the
seeded demo network, and hit@5 ≥ 95 % on the database this run uses (the suite runs on
SQLite and on PostgreSQL: `DATABASE_URL=postgres://…`)."""

import re
from collections import Counter
from io import StringIO

from django.core.management import call_command

import pytest

from search.relevance import CASES

pytestmark = pytest.mark.django_db


def test_at_least_sixty_queries_of_every_kind():
    assert len(CASES) >= 60
    kinds = Counter(category for category, _query, _expected in CASES)
    for kind in ("thème", "sigle", "centre", "faute", "pluriel", "plusieurs mots"):
        assert kinds[kind] >= 3, kind


def test_hit_at_five_is_at_least_95_percent(network):
    """Through the command, which prints each backend's figures and the misses."""
    out = StringIO()
    call_command("search_relevance", misses=True, stdout=out)
    printed = out.getvalue()
    assert printed.startswith(f"{len(CASES)} queries")
    # One backend: the database of this run.
    (line,) = [line for line in printed.splitlines() if line.startswith("database (")]
    hit1, hit5, mrr = re.search(r"hit@1 ([\d.]+)%  hit@5 ([\d.]+)%  MRR ([\d.]+)", line).groups()
    assert float(hit5) >= 95, printed
    assert float(hit1) >= 75 and float(mrr) >= 0.8, printed
