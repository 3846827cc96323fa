from django.urls import path

from .views import agencies, issues, people, preview

app_name = "briefings"

urlpatterns = [
    path("", issues.HomeView.as_view(), name="home"),
    path("issues/", issues.ArchiveView.as_view(), name="archive"),
    path("issues/<slug:slug>/", issues.IssueDetailView.as_view(), name="issue"),
    path("issues/<slug:issue_slug>/<slug:slug>/", issues.StoryDetailView.as_view(), name="story"),
    path("documents/<int:pk>/", issues.DocumentDetailView.as_view(), name="document"),
    path("preview/issues/<int:pk>/", preview.staff_preview, name="preview"),
    path("preview/<str:token>/", preview.share_preview, name="share"),
]

agency_patterns = (
    [
        path("", agencies.AgencyListView.as_view(), name="index"),
        path("<slug:slug>/", agencies.AgencyDetailView.as_view(), name="detail"),
    ],
    "agencies",
)

people_patterns = (
    [
        path("", people.PersonListView.as_view(), name="index"),
        path("<slug:slug>/", people.PersonDetailView.as_view(), name="detail"),
    ],
    "people",
)
