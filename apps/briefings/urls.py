from django.urls import path

from . import views

app_name = "briefings"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("issues/", views.ArchiveView.as_view(), name="archive"),
    path("issues/<slug:slug>/", views.IssueDetailView.as_view(), name="issue"),
    path("issues/<slug:issue_slug>/<slug:slug>/", views.StoryDetailView.as_view(), name="story"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document"),
    path("preview/<str:token>/", views.share_preview, name="share"),
]
