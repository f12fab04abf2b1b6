"""The search's in-memory table (search/table.py) says of every page what the SQL
definitions of the listings say: which pages a search lists, their centres, working
groups, themes, dates and upcoming state; and the full-text match read from the index
table on PostgreSQL ranks as Wagtail's own query does."""

from collections import Counter

from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Page

import pytest

from agenda.models import EventPage
from centres.models import Centre
from publications.models import PublicationPage, WorkingGroupPage
from search import engine, table
from search.excerpt import excerpt
from search.query import RESULT_DATE, THEME_THROUGHS, TYPES, content_types, in_scope

from .test_search_page import corpus  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def scope():
    return in_scope(Page.objects.all(), None)


def ids_of(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_the_table_lists_what_a_search_may_list(corpus):
    pages = table.build()
    assert set(pages.pks.tolist()) == ids_of(scope())
    hidden = corpus["pubs"][0]
    hidden.unpublish()
    assert hidden.pk not in table.build().pks.tolist()


def test_centres_groups_and_themes_are_the_listings_definitions(corpus):
    every = table.build().matches(list(ids_of(scope())))
    centre_counts = {slug: n for slug, _label, n in every.counts("centre")}
    for centre in Centre.objects.filter(home_page__isnull=False).select_related("home_page"):
        expected = ids_of(in_scope(Page.objects.all(), centre))  # tree, organised, co-signed
        assert set(every.narrow("centre", centre.slug).ids) == expected, centre.slug
        assert set(table.build().matches(list(ids_of(scope())), centre).ids) == expected
        assert centre_counts.get(centre.slug, 0) == len(expected)
    # The corpus's past event is organised by IREV and ORIV, in IREV's agenda.
    assert {"irev", "oriv"} <= {
        slug
        for slug, _l, _n in every.narrow("type", "evenement")
        .narrow("centre", "oriv")
        .counts("centre")
    }
    group_counts = {slug: n for slug, _label, n in every.counts("group")}
    for group in WorkingGroupPage.objects.live():
        expected = ids_of(
            scope().filter(
                Q(path__startswith=group.path)
                | Q(pk__in=PublicationPage.objects.filter(working_group=group).values("pk"))
            )
        )
        assert set(every.narrow("group", group.slug).ids) == expected, group.slug
        assert group_counts.get(group.slug, 0) == len(expected)
    assert any(group_counts.values())
    themes = Counter()
    for through in THEME_THROUGHS:
        for _page, slug in (
            through.objects.filter(content_object__in=scope())
            .values_list("content_object_id", "tag__slug")
            .distinct()
        ):
            themes[slug] += 1
    assert {slug: n for slug, _label, n in every.counts("theme")} == dict(themes)
    assert set(every.narrow("theme", "habitat").ids) == {
        pk
        for through in THEME_THROUGHS
        for pk in through.objects.filter(
            tag__slug="habitat", content_object__in=scope()
        ).values_list("content_object_id", flat=True)
    }


def test_types_dates_years_and_upcoming_events_are_the_listings_definitions(corpus):
    pages = table.build()
    every = pages.matches(list(ids_of(scope())))
    dates = dict(scope().annotate(day=RESULT_DATE).values_list("pk", "day"))
    assert pages.facts(list(dates)) == dates
    years = Counter(day.year for day in dates.values() if day)
    assert {int(y): n for y, _label, n in every.counts("year")} == dict(years)
    assert set(every.narrow("year", "2021").ids) == {
        pk for pk, d in dates.items() if d and d.year == 2021
    }
    by_type = Counter(scope().values_list("content_type", flat=True))
    assert {slug: n for slug, _label, n in every.counts("type")} == {
        slug: by_type[ct.pk] for slug, ct in content_types().items() if by_type[ct.pk]
    }
    assert [slug for slug, _l, _n in every.counts("type")] == [
        slug for slug in TYPES if by_type[content_types()[slug].pk]
    ]  # TYPES order
    upcoming = ids_of(
        scope().filter(pk__in=EventPage.objects.filter(ends_at__gte=timezone.now()).values("pk"))
    )
    assert corpus["upcoming"].pk in upcoming and corpus["past"].pk not in upcoming
    assert set(every.narrow("upcoming", "1").ids) == upcoming
    assert every.counts("upcoming")[0][2] == len(upcoming)
    newest_first = every.by_date()
    assert [dates[pk] for pk in newest_first] == sorted(
        (dates[pk] for pk in newest_first), reverse=True
    )


def test_narrowing_keeps_the_order_of_the_match(corpus):
    pages = table.build()
    ids = sorted(ids_of(scope()), reverse=True)
    kept = pages.matches(ids).narrow("type", "publication").ids
    assert kept == [pk for pk in ids if pk in ids_of(PublicationPage.objects.all())]
    assert pages.matches([10**9, *ids[:3]]).ids == ids[:3]  # unknown ids are left out


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the match read from the index table is PostgreSQL's"
)
def test_the_index_table_match_ranks_as_wagtails_query(corpus):
    found_any = False
    for query in ("ripisylve", "égalité santé", "logement", "discriminations ripisylve"):
        matched, _backend = engine.match(query, Page)
        expected = list(matched.values_list("pk", flat=True))
        assert engine.ranked_ids(query, Page) == (expected, "database"), query
        found_any = found_any or len(expected) > 1
    assert found_any


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the expression index is PostgreSQL's"
)
def test_the_match_can_read_the_title_body_index(corpus):
    # The index (search/migrations/0004) serves only the exact expression the engine
    # writes: if Django or Wagtail wrote it otherwise, every search would read the whole
    # table again. It keeps no pending list (0009), or the planner stops using it after
    # an import until a VACUUM. Sequential scans are priced out so that the plan shows
    # whether the index can answer, whatever the few rows of the test database; so is
    # the index on the content type alone (dropped inside the test's transaction).
    with CaptureQueriesContext(connection) as captured:
        engine.ranked_ids("égalité santé", Page)
    sql = next(q["sql"] for q in captured.captured_queries if "array_agg" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'wagtailsearch_indexentry' "
            "AND indexdef LIKE '%%USING btree (content_type_id)'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_title_body_gin" in plan, plan
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'search_title_body_gin'")
        assert cursor.fetchone()[0] == ["fastupdate=off"]


def test_excerpts_fold_every_kind_of_character_alike():
    # One str.translate for texts whose characters fold to one character each, the
    # character loop otherwise (a combining accent folds to nothing): same marks.
    assert (
        excerpt("Égalité et santé", "egalite sante") == "<mark>Égalité</mark> et <mark>santé</mark>"
    )
    decomposed = excerpt("E\u0301galite\u0301 et sante\u0301", "égalité santé")
    assert decomposed.count("<mark>") == 2 and decomposed.startswith("<mark>E\u0301galite")
    assert excerpt("La ville de Straße", "strasse") == "La ville de <mark>Straße</mark>"
