from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from apps.agencies.models import Agency
from apps.people.models import Person

from .models import Issue, Story


class IssueSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Issue.objects.published().only("slug", "updated_at").order_by("-publication_date")

    def lastmod(self, issue):
        return issue.updated_at


class StorySitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return (
            Story.objects.published()
            .select_related("issue")
            .only("slug", "issue__slug", "issue__updated_at")
            .order_by("-issue__publication_date", "position")
        )

    def lastmod(self, story):
        return story.issue.updated_at


class AgencySitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Agency.objects.shown_in(Issue.objects.published()).order_by("abbreviation")


class PersonSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Person.objects.shown_in(Issue.objects.published()).order_by("slug")


class PageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self):
        return ["briefings:home", "briefings:archive", "agencies:index", "people:index"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "pages": PageSitemap,
    "issues": IssueSitemap,
    "stories": StorySitemap,
    "agencies": AgencySitemap,
    "people": PersonSitemap,
}
