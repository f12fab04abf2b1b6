"""The filters of a news listing and of its feeds: `theme` (a tag slug) and `year`. A value
naming nothing is dropped, so an old link still lists the news."""

import re
from dataclasses import dataclass

from portal.listing import read

from .models.news import NewsTag

SLUG = re.compile(r"^[-\w]+$")
YEAR = re.compile(r"^(19|20)\d\d$")


@dataclass
class Filters:
    theme: str = ""
    year: str = ""

    NAMES = ("theme", "year")

    @classmethod
    def from_query(cls, query) -> "Filters":
        theme, year = read(query, "theme"), read(query, "year")
        if not SLUG.match(theme or "-") or not NewsTag.objects.filter(tag__slug=theme).exists():
            theme = ""
        if not YEAR.match(year):
            year = ""
        return cls(theme=theme, year=year)

    def active(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.NAMES if getattr(self, name)}


def apply(news, filters: Filters):
    if filters.theme:
        news = news.filter(
            pk__in=NewsTag.objects.filter(tag__slug=filters.theme).values("content_object")
        )
    if filters.year:
        news = news.filter(date__year=int(filters.year))
    return news
