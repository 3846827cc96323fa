from django.urls import path

from . import views

app_name = "briefings"

urlpatterns = [
    path("", views.IssueListView.as_view(), name="home"),
    path("issues/<slug:slug>/", views.IssueDetailView.as_view(), name="issue"),
]
