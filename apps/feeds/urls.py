from django.urls import path

from apps.briefings.pagecache import public_page as cached

from . import feeds

app_name = "feeds"

urlpatterns = [
    path("rss/", cached(feeds.IssueFeed()), name="issues_rss"),
    path("atom/", cached(feeds.IssueAtomFeed()), name="issues_atom"),
    path("stories/rss/", cached(feeds.StoryFeed()), name="stories_rss"),
    path("stories/atom/", cached(feeds.StoryAtomFeed()), name="stories_atom"),
    path("agencies/<slug:slug>/rss/", cached(feeds.AgencyStoryFeed()), name="agency_rss"),
    path("agencies/<slug:slug>/atom/", cached(feeds.AgencyStoryAtomFeed()), name="agency_atom"),
    path("people/<slug:slug>/rss/", cached(feeds.PersonIssueFeed()), name="person_rss"),
    path("people/<slug:slug>/atom/", cached(feeds.PersonIssueAtomFeed()), name="person_atom"),
]
