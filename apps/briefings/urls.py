from django.urls import path

from .pagecache import public_page
from .views import agencies, issues, people, preview

app_name = "briefings"

urlpatterns = [
    path("", public_page(issues.HomeView.as_view()), name="home"),
    path("issues/", public_page(issues.ArchiveView.as_view()), name="archive"),
    path("issues/<slug:slug>/", public_page(issues.IssueDetailView.as_view()), name="issue"),
    path(
        "issues/<slug:issue_slug>/<slug:slug>/",
        public_page(issues.StoryDetailView.as_view()),
        name="story",
    ),
    path("documents/<int:pk>/", public_page(issues.DocumentDetailView.as_view()), name="document"),
    path("preview/issues/<int:pk>/", preview.staff_preview, name="preview"),
    path("preview/<str:token>/", preview.share_preview, name="share"),
]

agency_patterns = (
    [
        path("", public_page(agencies.AgencyListView.as_view()), name="index"),
        path("<slug:slug>/", public_page(agencies.AgencyDetailView.as_view()), name="detail"),
    ],
    "agencies",
)

people_patterns = (
    [
        path("", public_page(people.PersonListView.as_view()), name="index"),
        path("<slug:slug>/", public_page(people.PersonDetailView.as_view()), name="detail"),
    ],
    "people",
)
