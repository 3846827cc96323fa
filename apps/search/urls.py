from django.urls import path

from apps.briefings.pagecache import public_page

from . import views

app_name = "search"

urlpatterns = [path("", public_page(views.SearchView.as_view()), name="search")]
