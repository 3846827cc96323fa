from django.contrib.admin.apps import AdminConfig


class BriefsAdminConfig(AdminConfig):
    """Django's admin, on the site that asks staff for a second factor (`apps.staff`)."""

    default_site = "apps.staff.sites.AdminSite"
