from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.generic import TemplateView

from apps.briefings.pagecache import public_page
from apps.briefings.sitemaps import SITEMAPS
from apps.briefings.urls import agency_patterns, people_patterns
from apps.briefings.views import health

urlpatterns = [
    path("healthz/", health.healthz, name="healthz"),
    path("readyz/", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("feeds/", include("apps.feeds.urls")),
    path("agencies/", include(agency_patterns)),
    path("people/", include(people_patterns)),
    path("search/", include("apps.search.urls")),
    # A sitemap index; each section lists at most 50,000 addresses a page (?p=2, …).
    path(
        "sitemap.xml",
        public_page(sitemaps.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemaps.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        public_page(TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
        name="robots",
    ),
    path("", include("apps.briefings.urls")),
]

handler500 = "apps.briefings.views.errors.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
