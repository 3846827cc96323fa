from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView

from apps.briefings.sitemaps import SITEMAPS
from apps.briefings.urls import agency_patterns, people_patterns

admin.site.site_header = "Briefs CMS"
admin.site.site_title = "Briefs CMS"
admin.site.index_title = "Editorial desk"

public = cache_control(public=True, max_age=3600)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("feeds/", include("apps.feeds.urls")),
    path("agencies/", include(agency_patterns)),
    path("people/", include(people_patterns)),
    path("search/", include("apps.search.urls")),
    path("sitemap.xml", public(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        public(TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
        name="robots",
    ),
    path("", include("apps.briefings.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
