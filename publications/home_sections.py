"""The library's sections on a centre's home and on theme pages: the latest resources,
the latest news and, on a theme page, the related working group (centres.sections)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from centres import sections

BOTH = frozenset({sections.HOME, sections.THEME})


def _index_url(model, scope, theme_query=True):
    index = model.objects.child_of(scope.home_page).live().first()
    if index is None:
        return ""
    url = index.get_url(scope.request)
    if theme_query and scope.theme is not None:
        url += f"?theme={scope.theme.slug}"
    return url


def latest_resources(scope, count):
    from .listing import publications_in_scope
    from .models import LibraryPage, PublicationTag
    from .views import card_related

    publications = publications_in_scope(scope)
    if scope.theme is not None:
        publications = publications.filter(
            pk__in=PublicationTag.objects.filter(tag=scope.theme).values("content_object")
        )
    listed = list(card_related(publications.order_by("-publication_date", "-pk"))[:count])
    if not listed:
        return None
    return {"publications": listed, "more_url": _index_url(LibraryPage, scope)}


def latest_news(scope, count):
    from .models import NewsIndexPage, NewsPage, NewsTag

    news = NewsPage.objects.live().public()
    if scope.centre is not None:
        news = news.descendant_of(scope.centre.home_page)
    if scope.theme is not None:
        news = news.filter(pk__in=NewsTag.objects.filter(tag=scope.theme).values("content_object"))
    listed = list(news.order_by("-date", "-pk")[:count])
    if not listed:
        return None
    # The news index has no theme filter: its address alone.
    return {"news": listed, "more_url": _index_url(NewsIndexPage, scope, theme_query=False)}


def related_group(scope, count):
    """The working group the editor chose for the theme, else the group with the most
    publications on the theme."""
    from .models import PublicationPage, PublicationTag, WorkingGroupPage

    if scope.theme is None:
        return None
    chosen = scope.extra.get("working_group_id")
    groups = WorkingGroupPage.objects.live().public()
    if chosen:
        group = groups.filter(pk=chosen).first()
    else:
        busiest = (
            PublicationPage.objects.live()
            .filter(
                working_group__isnull=False,
                pk__in=PublicationTag.objects.filter(tag=scope.theme).values("content_object"),
            )
            .values("working_group")
            .annotate(n=Count("pk"))
            .order_by("-n", "working_group")
            .values_list("working_group", flat=True)[:1]
        )
        group = groups.filter(pk__in=busiest).first()
    return {"group": group} if group is not None else None


def register_sections():
    sections.register(
        sections.SectionKind(
            name="resources",
            label=_("Dernières ressources"),
            template="publications/sections/latest_resources.html",
            items=latest_resources,
            order=20,
            places=BOTH,
        )
    )
    sections.register(
        sections.SectionKind(
            name="news",
            label=_("Actualités"),
            template="publications/sections/latest_news.html",
            items=latest_news,
            order=30,
            places=BOTH,
            default_count=3,
        )
    )
    sections.register(
        sections.SectionKind(
            name="working_group",
            label=_("Groupe de travail"),
            template="publications/sections/related_group.html",
            items=related_group,
            order=40,
            places=frozenset({sections.THEME}),
        )
    )
